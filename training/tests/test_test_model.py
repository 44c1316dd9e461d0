"""The committed testdata/models/qtk-test-tiny.qtkm (made by training/make_test_model.py) against its README."""
from __future__ import annotations

import hashlib
import json
import re
import sys

import numpy as np
import onnx
import pytest
import torch

import make_test_model
from conftest import REPO
from qtk_train.bundle import Bundle, dequantise_np, quantise_np
from qtk_train.losses import psnr_from_mse

MODELS = REPO / "testdata" / "models"
BUNDLE = MODELS / "qtk-test-tiny.qtkm"
README = (MODELS / "README.md").read_text()


def test_readme_size_and_hash_match_the_file():
    m = re.search(r"Size (\d+) bytes, SHA-256 `([0-9a-f]{64})`", README)
    assert m, "testdata/models/README.md no longer states size and SHA-256"
    data = BUNDLE.read_bytes()
    assert len(data) == int(m.group(1))
    assert hashlib.sha256(data).hexdigest() == m.group(2)


def test_manifest_is_as_documented():
    b = Bundle(BUNDLE)
    m = b.manifest
    want = {"format": "qtk-model-bundle/1", "name": "qtk-test-tiny", "version": "1", "quantiser": "grid",
            "groups": "4", "codebook.size": "16", "codebook.dim": "2", "latent.channels": "8", "grid.factor": "4",
            "halo": "8", "ladder": "1,2,3,4", "io.encoder.input": "image", "io.encoder.output": "latent",
            "io.decoder.input": "latent", "io.decoder.output": "image", "training.steps": "600",
            "training.seed": "20251123", "training.script": "training/make_test_model.py"}
    assert {k: m.get(k) for k in want} == want
    # The provenance config is the script's config (so the file can be rebuilt from it).
    assert json.loads(m["training.config"]) == make_test_model.CONFIG
    assert (b.G, b.K, b.d, b.factor, b.ladder) == (4, 16, 2, 4, [1, 2, 3, 4])


def test_parameter_count_and_graphs_are_as_documented():
    b = Bundle(BUNDLE)
    enc, dec = onnx.load_from_string(b.encoder_onnx), onnx.load_from_string(b.decoder_onnx)
    n = sum(int(np.prod(t.dims)) for g in (enc, dec) for t in g.graph.initializer if len(t.dims) > 0)
    assert n == 5060  # README: "5060 parameters"
    assert [x.op_type for x in enc.graph.node if x.op_type != "Constant"] == \
        ["Sub", "Conv", "LeakyRelu", "Conv", "LeakyRelu", "Conv"]
    assert [x.op_type for x in dec.graph.node if x.op_type != "Constant"] == \
        ["Conv", "LeakyRelu", "Conv", "DepthToSpace", "LeakyRelu", "Conv", "DepthToSpace", "Add"]


def test_order0_counts_cover_the_64_training_images():
    b = Bundle(BUNDLE)
    assert b.order0.min() >= 1
    # 64 images of 32x32 at f=4: 64 * 8 * 8 indices per group, +1 per codeword
    assert b.order0.sum(1).tolist() == [16 + 64 * 8 * 8] * 4


def test_quality_on_its_training_images_is_as_documented():
    """ONNX Runtime decode of the 64 synthetic training images reproduces the README's PSNR per prefix."""
    b = Bundle(BUNDLE)
    enc, dec = b.sessions(threads=1)
    imgs = make_test_model.synthetic_images(64, 32, make_test_model.SEED).numpy()
    sq = {g: 0.0 for g in b.ladder}
    for im in imgs:
        z = enc.run(None, {"image": im[None]})[0][0]
        idx, _ = quantise_np(z, b.codebooks)
        for g in b.ladder:
            y = dec.run(None, {"latent": dequantise_np(idx, b.codebooks, g, 8, 8)[None]})[0][0]
            sq[g] += float(((np.clip(y, 0, 1) - im) ** 2).mean())
    got = {g: round(psnr_from_mse(sq[g] / len(imgs)), 2) for g in b.ladder}
    doc = {int(g): float(v) for g, v in re.findall(r"g(\d) (\d+\.\d+)", README.split("Quality")[1].split("\n")[0])}
    assert got.keys() == doc.keys()
    for g in doc:
        assert got[g] == pytest.approx(doc[g], abs=0.02), (got, doc)


def test_non_square_image_runs_through_onnx_runtime():
    b = Bundle(BUNDLE)
    enc, dec = b.sessions(threads=1)
    x = make_test_model.synthetic_images(1, 24, make_test_model.SEED + 7)[:, :, :, :20].numpy()
    z = enc.run(None, {"image": x})[0]
    assert z.shape == (1, 8, 6, 5)
    idx, q = quantise_np(z[0], b.codebooks)
    y = dec.run(None, {"latent": q[None]})[0]
    assert y.shape == (1, 3, 24, 20)
    assert psnr_from_mse(float(((np.clip(y, 0, 1) - x) ** 2).mean())) > 15.0  # it does reconstruct


# Where the committed file was made. The bytes depend on the CPU's instruction set, not only on the versions:
# ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=SSE4_2 ONEDNN_MAX_CPU_ISA=SSE41 on that machine gives a
# different bundle (final loss 0.008712 instead of 0.008144), so a byte comparison is only binding there.
REFERENCE = {"torch": "2.13.0+cpu", "onnx": "1.23.1", "cpu_capability": "AVX2", "cpu_vendor": "AuthenticAMD"}


def environment() -> dict:
    vendor = "?"
    try:
        vendor = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("vendor_id"))
    except (OSError, StopIteration):
        pass
    return {"torch": torch.__version__, "onnx": onnx.__version__,
            "cpu_capability": torch.backends.cpu.get_cpu_capability(), "cpu_vendor": vendor}


def graph_outline(blob: bytes) -> tuple:
    g = onnx.load_from_string(blob).graph
    return [n.op_type for n in g.node], sorted((t.name, tuple(t.dims)) for t in g.initializer)


def test_rebuilding_gives_the_committed_bytes(tmp_path, monkeypatch):
    """make_test_model.py is deterministic: a rebuild equals the committed file byte for byte (the model hash).
    ~5 s (10 on a busy 2-core machine). Binding only on the reference platform (see REFERENCE); elsewhere a
    rebuild must still be the same model structurally, and a byte difference is reported as an expected failure."""
    out = tmp_path / "rebuilt.qtkm"
    monkeypatch.setattr(sys, "argv", ["make_test_model.py", "--out", str(out)])
    threads = torch.get_num_threads()
    try:
        make_test_model.main()  # trains 600 steps, exports, verifies with ONNX Runtime
    finally:
        torch.use_deterministic_algorithms(False)
        torch.set_num_threads(threads)
    if out.read_bytes() == BUNDLE.read_bytes():
        return
    env = environment()
    msg = f"rebuilt bundle differs from the committed one; this machine {env}, reference {REFERENCE}"
    assert env != REFERENCE, msg + " (same platform: make_test_model.py or the export changed; see " \
                                   "testdata/models/README.md)"
    new, old = Bundle(out), Bundle(BUNDLE)
    assert {k: v for k, v in new.manifest.items() if k != "training.final_loss"} == \
        {k: v for k, v in old.manifest.items() if k != "training.final_loss"}
    assert graph_outline(new.encoder_onnx) == graph_outline(old.encoder_onnx)
    assert graph_outline(new.decoder_onnx) == graph_outline(old.decoder_onnx)
    assert new.codebooks.shape == old.codebooks.shape
    assert new.order0.sum(1).tolist() == old.order0.sum(1).tolist()
    pytest.xfail(msg + " (float results depend on the CPU; the model is structurally the same)")
