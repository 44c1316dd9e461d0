"""compare_quantisers: equal raw bits per 16x16 block within each budget, global configs build, stale runs."""
from __future__ import annotations

import json
import math

import compare_quantisers as cq
from qtk_train.models import build_model


def bits_per_block(cfg: dict) -> float:
    m = cfg["model"]
    if m["kind"] == "grid":
        return m["groups"] * math.log2(m["codebook_size"])
    return m["tokens"] * math.log2(m["codebook_size"]) * (16 / m["tile"]) ** 2


def test_runs_share_bits_and_everything_but_the_quantiser():
    runs = cq.runs(123)
    budgets = {}
    for name, cfg in runs.items():
        m = cfg["model"]
        budgets.setdefault(round(bits_per_block(cfg)), []).append(name)
        assert cfg["train"]["steps"] == 123 and cfg["train"]["beta"] == cq.TRAIN["beta"]
        assert (m["factor"], m["widths"], m["blocks"]) == (cq.ARCH["factor"], cq.ARCH["widths"], cq.ARCH["blocks"])
        if m["kind"] == "grid":
            assert m["groups"] * m["dim"] == round(bits_per_block(cfg))  # d = bits / G: one latent channel per bit
    assert sorted(budgets) == [12, 16]
    assert {"vq-1x4096", "pq-12x2", "global-32x64"} <= set(budgets[12])
    assert {"vq-1x65536", "pq-2x256", "pq-4x16", "pq-8x4", "global-32x256"} <= set(budgets[16])


def test_global_runs_build_with_their_quantiser_options():
    for name in ("global-32x64", "global-32x256"):
        cfg = cq.runs(10)[name]
        m = build_model(cfg)
        assert (m.G, m.K, m.d, m.tile) == (32, int(name.split("x")[1]), 8, 64)
        assert m.quantiser.revive_every == cfg["model"]["quant"]["revive_every"]


def test_a_run_trained_with_another_config_is_stale(tmp_path):
    cfg = cq.runs(10)["pq-2x64"]
    assert not cq.same_config(tmp_path, cfg)  # never trained
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    assert cq.same_config(tmp_path, cfg)
    changed = json.loads(json.dumps(cfg))
    changed["model"]["quant"]["revive_noise"] = 0.02
    assert not cq.same_config(tmp_path, changed)


def test_seeds_change_only_the_seed_and_keep_the_first_seeds_directories(tmp_path):
    a, b = cq.runs(10), cq.runs(10, seed=78)
    for name in a:
        assert b[name]["train"]["seed"] == 78 and a[name]["train"]["seed"] == cq.TRAIN["seed"]
        b[name]["train"]["seed"] = cq.TRAIN["seed"]
        assert a[name] == b[name]
    assert cq.run_dir(tmp_path, "pq-2x64", cq.TRAIN["seed"]) == tmp_path / "pq-2x64"
    assert cq.run_dir(tmp_path, "pq-2x64", 78) == tmp_path / "pq-2x64-s78"


def test_summary_averages_over_seeds_and_reports_the_spread():
    base = {"quantiser": "grid", "G": 2, "K": 64, "d": 6, "bits": 12, "bpp_raw": 0.0469}
    rs = [{**base, "run": "pq-2x64", "seed": s, "bpp_o0": o, "psnr": p, "psnr_tiles": t, "msssim": m}
          for s, o, p, t, m in [(77, 0.04, 18.0, 21.0, 0.6), (78, 0.05, 19.0, 21.5, 0.7), (79, 0.06, 20.5, 20.5, 0.8)]]
    rs.append({**base, "run": "vq-1x4096", "G": 1, "K": 4096, "d": 12, "seed": 77, "bpp_o0": 0.045, "psnr": 20.0,
               "psnr_tiles": 21.0, "msssim": 0.7})
    rows = cq.summarise(rs)
    assert [r["run"] for r in rows] == ["pq-2x64", "vq-1x4096"]
    pq = rows[0]
    assert pq["seeds"] == 3 and abs(pq["psnr"] - 19.1667) < 1e-3 and abs(pq["psnr_spread"] - 2.5) < 1e-9
    assert abs(pq["tiles_spread"] - 1.0) < 1e-9 and abs(pq["bpp_o0"] - 0.05) < 1e-9 and abs(pq["msssim"] - 0.7) < 1e-9
    assert rows[1]["seeds"] == 1 and rows[1]["psnr_spread"] == 0
    text = cq.table(rows)
    assert "| pq-2x64 | grid | 2 x 64 | 6 | 12 | 0.0469 | 0.0500 | 3 | 19.17 | 2.50 | 21.00 | 1.00 | 0.7000 |" in text


def test_a_run_is_finished_only_when_trained_to_the_steps_asked_for(tmp_path):
    assert not cq.finished(tmp_path, 10)
    (tmp_path / "latest-weights.pt").write_bytes(b"w")
    assert not cq.finished(tmp_path, 10)  # training has not returned yet
    (tmp_path / "done.json").write_text(json.dumps({"steps": 5}))
    assert not cq.finished(tmp_path, 10) and cq.finished(tmp_path, 5)
