#!/usr/bin/env python3
"""Make the tiny deterministic test model testdata/models/qtk-test-tiny.qtkm for the Java tests.

A grid model (f=4, G=4 groups, K=16 codewords, d=2 dims, ~5 k parameters) trained for a few seconds on synthetic
images (smooth colour fields + rectangles) drawn from a fixed seed, single-threaded, with
torch.use_deterministic_algorithms(True). No training data set is needed, so any machine can rebuild it.

  python training/make_test_model.py [--out testdata/models/qtk-test-tiny.qtkm]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from qtk_train.export import export_grid, verify  # noqa: E402
from qtk_train.models import build_model  # noqa: E402
from qtk_train.losses import psnr  # noqa: E402
from qtk_train.quant import from_groups, lookup, nearest_codewords, sample_prefixes, to_groups  # noqa: E402

SEED = 20251123
CONFIG = {
    "name": "qtk-test-tiny",
    "version": "1",
    "model": {"kind": "grid", "factor": 4, "groups": 4, "codebook_size": 16, "dim": 2, "widths": [8, 8],
              "blocks": [0, 0], "quant": {"decay": 0.95, "revive_every": 20, "revive_threshold": 0.05,
                                          "revive_noise": 0.01}},
    "ladder": [1, 2, 3, 4],
    "halo": 8,
    "train": {"seed": SEED, "crop": 32, "batch": 8, "lr": 3e-3, "steps": 600, "quant_warmup": 150, "beta": 0.05,
              "p_full": 0.4, "images": 64},
}


def synthetic_images(n: int, size: int, seed: int) -> torch.Tensor:
    """n RGB images [n,3,size,size] in [0,1]: a random smooth colour field plus two flat rectangles each."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size] / size
    out = np.empty((n, 3, size, size), np.float32)
    for i in range(n):
        for c in range(3):
            a, b, p, q = rng.uniform(-1, 1, 4)
            out[i, c] = 0.5 + 0.25 * np.sin(2 * np.pi * (a * xx + b * yy) + p) + 0.15 * q * xx
        for _ in range(2):
            y0, x0 = rng.integers(0, size - 4, 2)
            h, w = rng.integers(4, size // 2, 2)
            out[i, :, y0:y0 + h, x0:x0 + w] = rng.uniform(0, 1, (3, 1, 1))
    # Round to 8-bit values, as real images are.
    return torch.from_numpy(np.round(np.clip(out, 0, 1) * 255) / 255).float()


def train(cfg: dict) -> tuple[torch.nn.Module, torch.Tensor, float]:
    t = cfg["train"]
    torch.manual_seed(t["seed"])
    model = build_model(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=t["lr"])
    images = synthetic_images(t["images"], t["crop"], t["seed"])
    gen = torch.Generator().manual_seed(t["seed"] + 1)
    model.train()
    loss = torch.zeros(())
    for step in range(t["steps"]):
        pick = torch.randint(0, images.shape[0], (t["batch"],), generator=gen)
        x = images[pick]
        keep = sample_prefixes(x.shape[0], cfg["ladder"], t["p_full"], gen)
        y, _, stats, _ = model(x, keep, quantise=step >= t["quant_warmup"])
        loss = F.mse_loss(y, x) + t["beta"] * stats["commit"]
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return model, images, loss.item()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = Path(__file__).resolve().parents[1]
    ap.add_argument("--out", default=str(root / "testdata" / "models" / "qtk-test-tiny.qtkm"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    model, images, final_loss = train(CONFIG)
    with torch.no_grad():
        z = model.encoder(images)
        idx = nearest_codewords(to_groups(z, model.d), model.quantiser.codebooks)
        counts = torch.bincount((idx + torch.arange(model.G) * model.K).reshape(-1), minlength=model.G * model.K)
        order0 = (counts + 1).reshape(model.G, model.K).numpy().astype(np.uint32)
        q = from_groups(lookup(idx, model.quantiser.codebooks), z.shape)
        psnrs = {g: psnr(model.decode_prefix(q, g), images) for g in CONFIG["ladder"]}
    prov = {"data": f"synthetic: {CONFIG['train']['images']} images {CONFIG['train']['crop']}x"
                    f"{CONFIG['train']['crop']} (make_test_model.synthetic_images, seed {SEED})",
            "step": CONFIG["train"]["steps"], "seed": SEED, "git": "n/a (reproducible from the script)",
            "final_loss": final_loss, "loss_desc": "mse + 0.05 * relative commitment; EMA codebooks",
            "script": "training/make_test_model.py", "date": "2025-11-23"}
    psnr_text = ", ".join(f"g{g}: {p:.2f} dB" for g, p in psnrs.items())
    export_grid(model, CONFIG, Path(args.out), prov, None, readme_extra=(
        "TEST MODEL: tiny and barely trained; for unit tests of bundle reading, quantisation and ONNX inference only."
        f"\nPSNR on its own synthetic training images by prefix: {psnr_text}\n"),
        order0=(order0, f"the {CONFIG['train']['images']} synthetic training images"))
    res = verify(Path(args.out), model, synthetic_images(1, 24, SEED + 7)[:, :, :, :20])  # 24x20: non-square
    data = Path(args.out).read_bytes()
    print(f"{args.out}: {len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"params {sum(p.numel() for p in model.parameters())} final loss {final_loss:.6f} PSNR {psnr_text}")
    print(f"verify {res}")


if __name__ == "__main__":
    main()
