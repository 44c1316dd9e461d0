"""qtk_train.export / bundle: a tiny grid model exported to .qtkm and checked against format-spec/model-bundle.md."""
from __future__ import annotations

import copy
import csv
import json
import re
import zipfile

import numpy as np
import onnx
import pytest
import torch

from conftest import PROVENANCE, tiny_config, train_tiny
from qtk_train.bundle import (FORMAT, Bundle, dequantise_np, parse_properties, properties_text, quantise_np,
                              write_bundle)
from qtk_train.export import OPSET, export_global, export_grid, verify, verify_global
from qtk_train.global_model import GlobalModel

REQUIRED = ["manifest.properties", "encoder.onnx", "decoder.onnx", "codebooks.bin", "entropy/order0.bin"]


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return parse_properties(zf.read("manifest.properties"))


def sessions(path):
    return Bundle(path).sessions(threads=1)


# ---- container ----

def test_zip_entries_follow_the_spec(tiny_bundle):
    with zipfile.ZipFile(tiny_bundle["path"]) as zf:
        infos = zf.infolist()
        assert zf.testzip() is None  # CRCs fine
    names = [i.filename for i in infos]
    # fixed order (reproducible bytes); the coder-3 context, coder-4 channel and coder-5 prediction tables come with
    # training data
    assert names == REQUIRED + ["entropy/classes.bin", "entropy/context.bin", "entropy/weights.bin",
                                "entropy/channel.bin", "entropy/predict.bin", "entropy/residual.bin", "README.txt"]
    assert len(names) == len(set(names)) <= 64
    for i in infos:
        assert not i.filename.startswith("/") and ".." not in i.filename.split("/")
        assert i.file_size < 256 << 20
        assert i.date_time == (1980, 1, 1, 0, 0, 0)
        assert i.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        assert not i.flag_bits & 0x1  # not encrypted


def test_manifest_keys_follow_the_spec(tiny_bundle):
    cfg, model = tiny_bundle["cfg"], tiny_bundle["model"]
    with zipfile.ZipFile(tiny_bundle["path"]) as zf:
        raw = zf.read("manifest.properties")
    raw.decode("ascii")  # pure ASCII: valid ISO-8859-1 whatever the reader
    m = parse_properties(raw)
    assert m == tiny_bundle["manifest"]  # what export_grid returned is what was written
    assert m["format"] == FORMAT == "qtk-model-bundle/1"
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", m["name"]) and m["name"] == cfg["name"]
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,32}", m["version"])
    assert m["quantiser"] == "grid"
    G, K, d, f = model.G, model.K, model.d, model.factor
    assert (int(m["groups"]), int(m["codebook.size"]), int(m["codebook.dim"])) == (G, K, d) == (4, 16, 2)
    assert int(m["latent.channels"]) == G * d
    assert int(m["grid.factor"]) == f == 4
    assert int(m["halo"]) == cfg["halo"] and int(m["halo"]) % f == 0
    ladder = [int(v) for v in m["ladder"].split(",")]
    assert ladder == cfg["ladder"] and ladder == sorted(set(ladder)) and 1 <= ladder[0] and ladder[-1] <= G
    assert (m["io.encoder.input"], m["io.encoder.output"]) == ("image", "latent")
    assert (m["io.decoder.input"], m["io.decoder.output"]) == ("latent", "image")
    for k in ("data", "steps", "seed", "git", "config", "loss", "script", "date"):
        assert f"training.{k}" in m, k
    assert json.loads(m["training.config"]) == cfg
    assert m["training.steps"] == str(PROVENANCE["step"]) and m["training.date"] == PROVENANCE["date"]
    assert "global.tile" not in m
    # identity keys come first, in the spec's table order
    assert list(m)[:12] == ["format", "name", "version", "quantiser", "groups", "codebook.size", "codebook.dim",
                            "latent.channels", "grid.factor", "halo", "ladder", "io.encoder.input"]


def test_codebooks_bin_is_float32_le_g_k_d(tiny_bundle):
    model = tiny_bundle["model"]
    with zipfile.ZipFile(tiny_bundle["path"]) as zf:
        data = zf.read("codebooks.bin")
    G, K, d = model.G, model.K, model.d
    assert len(data) == G * K * d * 4
    cb = np.frombuffer(data, dtype="<f4").reshape(G, K, d)
    assert np.array_equal(cb, model.quantiser.codebooks.numpy())
    assert len(np.unique(cb.reshape(-1, d), axis=0)) > K  # trained codebooks, not a constant
    assert np.array_equal(Bundle(tiny_bundle["path"]).codebooks, cb)


def test_order0_bin_is_uint32_le_counts_of_the_crops(tiny_bundle):
    model, kw = tiny_bundle["model"], tiny_bundle["kwargs"]
    with zipfile.ZipFile(tiny_bundle["path"]) as zf:
        data = zf.read("entropy/order0.bin")
    G, K = model.G, model.K
    assert len(data) == G * K * 4
    counts = np.frombuffer(data, dtype="<u4").reshape(G, K)
    assert counts.min() >= 1
    positions = kw["order0_crops"] * (kw["order0_crop"] // model.factor) ** 2
    assert counts.sum(1).tolist() == [K + positions] * G  # +1 each, then one index per group per position
    assert (counts > 1).sum() > G  # more than one codeword in use
    assert "6 random 16x16 training crops" in tiny_bundle["manifest"]["training.order0"]


# ---- ONNX graphs ----

def dims(value_info) -> list:
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def test_onnx_graphs_names_opset_and_dynamic_hw(tiny_bundle):
    b = Bundle(tiny_bundle["path"])
    C = b.G * b.d
    for blob, (iname, oname), (ich, och) in ((b.encoder_onnx, ("image", "latent"), (3, C)),
                                             (b.decoder_onnx, ("latent", "image"), (C, 3))):
        m = onnx.load_from_string(blob)
        onnx.checker.check_model(m)
        assert [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] == [OPSET] == [17]
        assert [i.name for i in m.graph.input] == [iname]
        assert [o.name for o in m.graph.output] == [oname]
        for vi, ch in ((m.graph.input[0], ich), (m.graph.output[0], och)):
            assert vi.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
            di = dims(vi)
            assert di[:2] == [1, ch]  # batch fixed at 1, channels fixed
            assert all(isinstance(x, str) and x for x in di[2:]), di  # H, W symbolic


@pytest.mark.parametrize("h,w", [(20, 28), (16, 16)])
def test_onnx_runtime_round_trip_equals_pytorch(tiny_bundle, h, w):
    """ORT encoder -> numpy nearest codeword -> ORT decoder == PyTorch encoder -> quantiser -> decoder (1e-4),
    for every ladder prefix, on sizes other than the export's example (8x12)."""
    model = tiny_bundle["model"]
    b = Bundle(tiny_bundle["path"])
    enc, dec = sessions(tiny_bundle["path"])
    x = torch.from_numpy(np.random.default_rng(h * w).random((1, 3, h, w), dtype=np.float32))
    z_ort = enc.run(None, {"image": x.numpy()})[0]
    assert z_ort.shape == (1, b.G * b.d, h // b.factor, w // b.factor)
    with torch.no_grad():
        _, idx_pt, _, q_pt = model(x)  # eval mode: quantise with the current codebooks
        assert np.abs(z_ort - model.encoder(x).numpy()).max() <= 1e-4
    idx, q_np = quantise_np(z_ort[0], b.codebooks)
    assert np.array_equal(idx, idx_pt.reshape(-1, b.G).numpy().T)
    assert np.abs(q_np - q_pt[0].numpy()).max() <= 1e-6
    outs = []
    for g in b.ladder:
        qn = dequantise_np(idx, b.codebooks, g, h // b.factor, w // b.factor)[None]
        y_ort = dec.run(None, {"latent": qn})[0]
        assert y_ort.shape == (1, 3, h, w)
        with torch.no_grad():
            y_pt = model.decode_prefix(q_pt, g).numpy()
        assert np.abs(y_ort - y_pt).max() <= 1e-4, g
        outs.append(y_ort)
    assert np.abs(outs[0] - outs[-1]).max() > 1e-3  # prefixes really differ


def test_verify_accepts_the_bundle_and_rejects_a_wrong_model(tiny_bundle):
    model = tiny_bundle["model"]
    x = torch.rand(1, 3, 12, 16, generator=torch.Generator().manual_seed(0))
    res = verify(tiny_bundle["path"], model, x)
    assert res["ok"] and res["decoder_max_abs"] <= 1e-4 and res["index_agreement"] > 0.999
    other = copy.deepcopy(model)
    with torch.no_grad():
        other.decoder.net[0].bias.add_(0.1)
    with pytest.raises(AssertionError):
        verify(tiny_bundle["path"], other, x)


# ---- reproducibility ----

def test_exporting_twice_gives_identical_bytes(tiny_bundle, tmp_path):
    again = tmp_path / "again.qtkm"
    export_grid(tiny_bundle["model"], tiny_bundle["cfg"], again, dict(PROVENANCE), tiny_bundle["cache"],
                **tiny_bundle["kwargs"])
    assert again.read_bytes() == tiny_bundle["path"].read_bytes()
    # ... and the bytes do depend on the weights: one codeword moved -> a different bundle (model hash).
    other = copy.deepcopy(tiny_bundle["model"])
    other.quantiser.codebooks[0, 0] += 0.5
    moved = tmp_path / "moved.qtkm"
    export_grid(other, tiny_bundle["cfg"], moved, dict(PROVENANCE), tiny_bundle["cache"], **tiny_bundle["kwargs"])
    assert moved.read_bytes() != again.read_bytes()


def test_training_and_export_are_deterministic(tmp_path):
    """Same config and seed -> the same trained weights -> the same bundle (make_test_model's claim, in short)."""
    cfg = tiny_config(steps=12, quant_warmup=4)
    paths = []
    for i in range(2):
        model, _, _ = train_tiny(cfg)
        paths.append(tmp_path / f"run{i}.qtkm")
        export_grid(model, cfg, paths[-1], dict(PROVENANCE), None)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    cfg2 = copy.deepcopy(cfg)
    cfg2["train"]["seed"] += 1
    model, _, _ = train_tiny(cfg2)
    export_grid(model, cfg2, tmp_path / "seed2.qtkm", dict(PROVENANCE), None)
    assert Bundle(tmp_path / "seed2.qtkm").codebooks.tobytes() != Bundle(paths[0]).codebooks.tobytes()


def test_export_without_data_writes_uniform_order0_and_eval_keys(tiny_trained, tmp_path):
    cfg, model, _ = tiny_trained
    out = tmp_path / "u.qtkm"
    export_grid(model, cfg, out, dict(PROVENANCE), None, eval_props={"eval.kodak.g4.psnr": "30.5"})
    b = Bundle(out)
    assert (b.order0 == 1).all()
    assert b.manifest["training.order0"].startswith("uniform")
    assert b.manifest["eval.kodak.g4.psnr"] == "30.5"


# ---- bundle reader / manifest text ----

@pytest.mark.parametrize("value", [
    "plain", " leading space", "trailing space ", "a=b:c#d!e", "#comment-like", "!bang", "back\\slash\\",
    "tab\tnew\nline\rcr", "caf\u00e9 \u00fcber", "\u20ac euro", "emoji \U0001F600 (surrogates)", "\f form feed", "",
])
def test_properties_round_trip(value):
    props = {"k": value, "key with = and : and space": value, "x.y": "1"}
    text = properties_text(props, "comment")
    text.decode("ascii")  # \uXXXX escapes: pure ASCII
    assert parse_properties(text) == props


def test_properties_escapes_non_ascii_as_utf16_units():
    assert properties_text({"n": "\u00e9\U0001F600"}) == b"n=\\u00E9\\uD83D\\uDE00\n"


def test_reader_rejects_another_format(tmp_path, tiny_bundle):
    src = Bundle(tiny_bundle["path"])
    man = dict(src.manifest, format="something-else/1")
    bad = tmp_path / "bad.qtkm"
    write_bundle(bad, man, src.encoder_onnx, src.decoder_onnx, src.codebooks, src.order0.astype(np.uint32), "")
    with pytest.raises(ValueError):
        Bundle(bad)


def test_writer_refuses_zero_counts(tmp_path):
    with pytest.raises(AssertionError):
        write_bundle(tmp_path / "z.qtkm", {"format": FORMAT}, b"", b"", np.zeros((2, 3, 1), np.float32),
                     np.zeros((2, 3), np.uint32), "")


# ---- global model ----

def test_global_model_export_and_verify(tmp_path):
    torch.manual_seed(0)
    model = GlobalModel(tile=16, factor=4, tokens=5, codebook_size=8, dim=3, widths=(4, 4), blocks=(0, 0))
    model.train()
    for _ in range(3):
        model(torch.rand(4, 3, 16, 16), quantise=False)  # warm-up: tokens observed for the codebook start
    model(torch.rand(4, 3, 16, 16))  # seeds the codebooks from them (k-means) and quantises
    model.eval()
    cfg = {"name": "qtk-global-test", "version": "2", "model": {"kind": "global"}, "ladder": [1, 3, 5]}
    out = tmp_path / "g.qtkm"
    export_global(model, cfg, out, dict(PROVENANCE), None)
    m = manifest_of(out)
    assert (m["quantiser"], m["groups"], m["codebook.size"], m["codebook.dim"], m["global.tile"]) == \
        ("global", "5", "8", "3", "16")
    assert "latent.channels" not in m and "grid.factor" not in m
    b = Bundle(out)
    enc = onnx.load_from_string(b.encoder_onnx)
    dec = onnx.load_from_string(b.decoder_onnx)
    assert dims(enc.graph.input[0]) == [1, 3, 16, 16] and dims(enc.graph.output[0]) == [1, 5, 3]
    assert dims(dec.graph.input[0]) == [1, 5, 3] and dims(dec.graph.output[0]) == [1, 3, 16, 16]
    res = verify_global(out, model, torch.rand(1, 3, 16, 16, generator=torch.Generator().manual_seed(1)))
    assert res["ok"]


# ---- export.py command line ----

def test_export_cli_from_weights(tiny_trained, session_jpeg_dir, tmp_path, monkeypatch, capsys):
    import sys

    import export as export_cli
    from qtk_train import checkpoint as ck
    cfg, model, _ = tiny_trained
    ck.atomic_save(ck.weights_only(model, cfg, 24, {"git": "abc", "data": "synthetic", "loss": 0.5}),
                   tmp_path / "w.pt")
    rows = [{"groups": "4", "psnr": "25.0", "msssim": "0.9", "bpp_order0": "0.9", "bpp_raw": "1.0"}]
    with open(tmp_path / "e.csv", "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    out = tmp_path / "cli.qtkm"
    monkeypatch.setattr(sys, "argv", ["export.py", "--ckpt", str(tmp_path / "w.pt"), "--out", str(out),
                                      "--data", str(session_jpeg_dir), "--order0-crops", "4", "--order0-crop", "16",
                                      "--eval-csv", str(tmp_path / "e.csv"), "--version", "7", "--threads", "1"])
    threads = torch.get_num_threads()
    try:
        export_cli.main()
    finally:
        torch.set_num_threads(threads)
    report = json.loads(capsys.readouterr().out)
    assert report["verify"]["ok"] and report["steps"] == "24"
    m = Bundle(out).manifest
    assert m["version"] == "7" and m["training.git"] == "abc" and m["training.final_loss"] == "0.500000"
    assert m["eval.kodak.g4.psnr"] == "25.0" and m["eval.kodak.g4.bpp_raw"] == "1.0"
    assert Bundle(out).order0.sum(1).tolist() == [16 + 4 * 16] * 4
