"""Shared fixtures for the training-pipeline tests.

The suite must stay cheap (a 2-core machine that is usually busy training): one torch thread, tiny models and
tensors, synthetic images written to tmp_path. Tests that need ../shared skip with a message when it is absent.
"""
from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

# Before torch / numpy / onnxruntime are imported: no thread pools fighting the background training run.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

TESTS = Path(__file__).resolve().parent
TRAINING = TESTS.parent
REPO = TRAINING.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(TRAINING))  # qtk_train and the command-line scripts (make_test_model, train)

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:  # already set (e.g. by another plugin); harmless
    pass

import make_test_model  # noqa: E402  (the tiny test-model config and its synthetic images)


def pytest_sessionfinish(session, exitstatus):
    # "No tests collected" (exit 5) means a broken suite (a rename, a collection filter): fail loudly instead.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\nqtk training tests: no tests were collected; treating this as a failure", file=sys.stderr)


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with a message when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (../shared is not present on this machine)")
    return p


def write_jpegs(directory: Path, sizes, seed: int = 0) -> list[Path]:
    """Small synthetic JPEGs (smooth gradient + noise + a rectangle), one per (h, w) in sizes."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i, (h, w) in enumerate(sizes):
        yy, xx = np.mgrid[0:h, 0:w]
        im = np.stack([xx * 255.0 / max(w - 1, 1), yy * 255.0 / max(h - 1, 1), np.full((h, w), 128.0)], -1)
        im += rng.normal(0, 20, im.shape)
        y0, x0 = rng.integers(0, h // 2), rng.integers(0, w // 2)
        im[y0:y0 + h // 3, x0:x0 + w // 3] = rng.uniform(0, 255, 3)
        p = directory / f"img{i:02d}.jpg"
        Image.fromarray(np.clip(im, 0, 255).astype(np.uint8)).save(p, quality=90)
        paths.append(p)
    return paths


@pytest.fixture
def jpeg_dir(tmp_path) -> Path:
    d = tmp_path / "photos"
    write_jpegs(d, [(48, 64), (64, 40), (40, 40)])
    return d


@pytest.fixture(scope="session")
def session_jpeg_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("photos")
    write_jpegs(d, [(48, 64), (64, 40), (40, 40)], seed=1)
    return d


def tiny_config(steps: int = 24, quant_warmup: int = 8) -> dict:
    """make_test_model's config (f=4, G=4, K=16, d=2) with a short schedule."""
    cfg = copy.deepcopy(make_test_model.CONFIG)
    cfg["train"].update(steps=steps, quant_warmup=quant_warmup, images=16)
    return cfg


def train_tiny(cfg: dict):
    """make_test_model.train (seeded, deterministic, single thread) on its synthetic images."""
    torch.use_deterministic_algorithms(True)
    try:
        return make_test_model.train(cfg)
    finally:
        torch.use_deterministic_algorithms(False)


@pytest.fixture(scope="session")
def tiny_trained():
    """(config, trained tiny grid model in eval mode, its training images)."""
    cfg = tiny_config()
    model, images, _ = train_tiny(cfg)
    return cfg, model, images


PROVENANCE = {"data": "synthetic (tests)", "step": 24, "seed": 1, "git": "test", "final_loss": 0.01,
              "loss_desc": "mse (tests)", "script": "training/tests", "date": "2025-01-01"}


@pytest.fixture(scope="session")
def tiny_bundle(tiny_trained, session_jpeg_dir, tmp_path_factory):
    """(path of an exported .qtkm, config, model, ImageCache used for the order-0 counts, export kwargs)."""
    from qtk_train.data import ImageCache
    from qtk_train.export import export_grid
    cfg, model, _ = tiny_trained
    cache = ImageCache(session_jpeg_dir, threads=1)
    kwargs = dict(order0_crops=6, order0_crop=16)
    out = tmp_path_factory.mktemp("bundle") / "tiny.qtkm"
    manifest = export_grid(model, cfg, out, dict(PROVENANCE), cache, **kwargs)
    return {"path": out, "cfg": cfg, "model": model, "cache": cache, "kwargs": kwargs, "manifest": manifest}
