"""qtk_train.checkpoint and train.py's resume: atomic writes, weights-only files, exact continuation."""
from __future__ import annotations

import json
import signal
import stat
import sys

import pytest
import torch

import train as train_script
from conftest import write_jpegs
from qtk_train import checkpoint as ck
from qtk_train.models import build_model


def test_atomic_save_load_round_trip(tmp_path):
    obj = {"step": 7, "w": torch.arange(6.0).reshape(2, 3), "rng": torch.get_rng_state(), "cfg": {"a": [1, 2]}}
    path = tmp_path / "sub" / "ckpt.pt"  # parent directory is created
    ck.atomic_save(obj, path)
    back = ck.load(path)
    assert back["step"] == 7 and back["cfg"] == {"a": [1, 2]}
    assert torch.equal(back["w"], obj["w"]) and torch.equal(back["rng"], obj["rng"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["ckpt.pt"]  # no temp file left
    ck.atomic_save({"step": 8}, path)  # overwrite
    assert ck.load(path)["step"] == 8


def test_failed_save_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "ckpt.pt"
    ck.atomic_save({"step": 1}, path)
    before = path.read_bytes()
    with pytest.raises(Exception):
        ck.atomic_save({"step": 2, "bad": lambda: None}, path)  # lambdas cannot be pickled
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_weights_only_is_fp32_and_loads_into_a_fresh_model(tmp_path):
    from conftest import tiny_config
    cfg = tiny_config()
    torch.manual_seed(0)
    model = build_model(cfg).double()
    st = ck.weights_only(model, cfg, 123, {"git": "abc"})
    assert st["step"] == 123 and st["config"] == cfg and st["git"] == "abc"
    assert all(v.dtype == torch.float32 for v in st["model"].values() if v.is_floating_point())
    assert st["model"]["quantiser.updates"].dtype == torch.long  # integer buffers kept as they are
    ck.atomic_save(st, tmp_path / ck.WEIGHTS)
    torch.manual_seed(1)
    fresh = build_model(cfg)
    fresh.load_state_dict(ck.load(tmp_path / ck.WEIGHTS)["model"])  # strict: every key matches
    for k, v in fresh.state_dict().items():
        assert torch.equal(v, model.state_dict()[k].to(v.dtype)), k


TRAIN_CFG = {
    "name": "resume-test", "version": "1",
    "model": {"kind": "grid", "factor": 4, "groups": 2, "codebook_size": 4, "dim": 2, "widths": [4, 4],
              "blocks": [0, 1], "quant": {"decay": 0.9, "revive_every": 2, "revive_threshold": 0.05}},
    "ladder": [1, 2],
    "train": {"seed": 5, "crop": 16, "batch": 2, "lr": 1e-3, "warmup": 2, "steps": 6, "quant_warmup": 2,
              "beta": 0.05, "p_full": 0.4, "clip": 1.0, "log_every": 1, "checkpoint_minutes": 60},
}


def run_train(monkeypatch, *args: str) -> None:
    """train.main() in this process (a subprocess would pay torch's import again)."""
    monkeypatch.setattr(sys, "argv", ["train.py", "--threads", "1", "--device", "cpu", *args])
    monkeypatch.setattr(train_script, "git_commit", lambda: "test")  # two git processes per call otherwise
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    threads = torch.get_num_threads()
    try:
        train_script.main()
    finally:
        signal.signal(signal.SIGTERM, handlers[0])
        signal.signal(signal.SIGINT, handlers[1])
        torch.set_num_threads(threads)


def test_resume_continues_exactly(tmp_path, monkeypatch):
    """2 steps + resume to 4 == 4 steps in one go: model, optimiser, data and mask RNG, torch RNG all restored.

    Quantisation switches on at step 2, right at the resume point, so the codebook seeding (torch RNG) and the
    EMA / revival state are part of what must carry over."""
    data = tmp_path / "photos"
    write_jpegs(data, [(40, 48), (36, 36)])
    cfg_path = tmp_path / "cfg.json"
    cfg_path.write_text(json.dumps(TRAIN_CFG))
    a, b = tmp_path / "a", tmp_path / "b"
    common = ["--config", str(cfg_path), "--data", str(data)]
    run_train(monkeypatch, *common, "--out", str(a), "--max-steps", "2")
    assert ck.load(a / ck.FULL)["step"] == 2
    run_train(monkeypatch, *common, "--out", str(a), "--max-steps", "4", "--resume")
    run_train(monkeypatch, *common, "--out", str(b), "--max-steps", "4")
    assert "resumed from" in (a / "train.log").read_text()
    ra, rb = ck.load(a / ck.FULL), ck.load(b / ck.FULL)
    assert ra["step"] == rb["step"] == 4
    assert bool(ra["model"]["quantiser.initialised"])
    for k, v in rb["model"].items():
        assert torch.equal(ra["model"][k], v), k
    assert ra["sampler"] == rb["sampler"]
    assert torch.equal(ra["mask_gen"], rb["mask_gen"]) and torch.equal(ra["torch_rng"], rb["torch_rng"])
    sa, sb = ra["opt"]["state"], rb["opt"]["state"]
    assert sa.keys() == sb.keys() and all(torch.equal(sa[i]["exp_avg"], sb[i]["exp_avg"]) for i in sa)
    # The weights-only file written next to it is loadable and at the same step.
    w = ck.load(a / ck.WEIGHTS)
    assert w["step"] == 4 and w["config"] == TRAIN_CFG
    # The comparison can fail: a resume that forgets the data sampler's state ends elsewhere.
    c = tmp_path / "c"
    run_train(monkeypatch, *common, "--out", str(c), "--max-steps", "2")
    monkeypatch.setattr(train_script.CropSampler, "set_state", lambda self, state: None)
    run_train(monkeypatch, *common, "--out", str(c), "--max-steps", "4", "--resume")
    rc = ck.load(c / ck.FULL)
    assert rc["step"] == 4
    assert not all(torch.equal(rc["model"][k], v) for k, v in rb["model"].items())


def test_resume_from_weights_only_restarts_the_optimiser(tmp_path, monkeypatch):
    data = tmp_path / "photos"
    write_jpegs(data, [(32, 32)])
    cfg_path = tmp_path / "cfg.json"
    cfg_path.write_text(json.dumps(TRAIN_CFG))
    out = tmp_path / "run"
    run_train(monkeypatch, "--config", str(cfg_path), "--data", str(data), "--out", str(out), "--max-steps", "1")
    (out / ck.FULL).unlink()  # only latest-weights.pt left, as on a fresh machine
    run_train(monkeypatch, "--config", str(cfg_path), "--data", str(data), "--out", str(out), "--max-steps", "2",
              "--resume")
    assert "initialised from weights" in (out / "train.log").read_text()
    assert ck.load(out / ck.FULL)["step"] == 2


def test_phases_restart_the_cosine_and_override_settings():
    t = {"lr": 1e-3, "warmup": 10, "steps": 100, "min_lr_ratio": 0.1, "crop": 64, "batch": 4,
         "phases": [{"at": 100, "lr": 5e-4, "min_lr": 1e-4, "end": 200, "crop": 96, "batch": 2}]}
    assert train_script.lr_at(99, t) == pytest.approx(1e-4, rel=1e-2)  # the first cosine nearly at lr * 0.1
    assert train_script.lr_at(100, t) == pytest.approx(5e-4)  # the restart
    assert train_script.lr_at(150, t) == pytest.approx(3e-4)  # half way: the mean of lr and min_lr
    assert train_script.lr_at(200, t) == pytest.approx(1e-4)
    assert train_script.lr_at(500, t) == pytest.approx(1e-4)  # constant after the end
    assert train_script.settings_at(99, t)["crop"] == 64
    now = train_script.settings_at(100, t)
    assert (now["crop"], now["batch"], now["lr"]) == (96, 2, 1e-3)  # lr stays the config's (lr_at owns the schedule)
    assert train_script.total_steps(t) == 200
    assert train_script.total_steps({k: v for k, v in t.items() if k != "phases"}) == 100
