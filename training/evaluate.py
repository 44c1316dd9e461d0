#!/usr/bin/env python3
"""Rate-distortion of a bundle on Kodak, run through ONNX Runtime (what the Java codec runs).

Per ladder point: PSNR (8-bit RGB, per image, then averaged), MS-SSIM (RGB, 8-bit), raw bpp (g * log2 K per latent
position), the ideal order-0 entropy-coded bpp (sum of -log2 p under the bundle's order0 table / pixels) and,
for bundles with context tables, the ideal coder-3 bpp, for bundles with channel tables, the ideal coder-4 bpp, and
for bundles with prediction tables, the ideal coder-5 bpp (qtk_train/context_tables.py; each coder on its own, the
encoder keeps the smallest coder per stream).

  python training/evaluate.py --bundle build/qtk-grid-f16.qtkm --csv build/qtk-grid-f16-kodak.csv
  python training/evaluate.py --ckpt training/runs/grid-f16/latest-weights.pt   (exports a temp bundle)
"""
from __future__ import annotations

import argparse
import csv
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from qtk_train.bundle import Bundle, dequantise_np, quantise_np  # noqa: E402
from qtk_train.context_tables import channel_ideal_bits, ideal_bits, predict_ideal_bits  # noqa: E402
from qtk_train.losses import ms_ssim  # noqa: E402


def default_kodak() -> Path:
    return Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "eval" / "kodak"


def pad_to(x: np.ndarray, m: int) -> np.ndarray:
    """[H,W,3] -> edge-replicated to multiples of m (what the Java side does)."""
    h, w = x.shape[:2]
    return np.pad(x, ((0, -h % m), (0, -w % m), (0, 0)), mode="edge")


def psnr8(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * math.log10(255.0 ** 2 / max(mse, 1e-10))


def evaluate_grid(b: Bundle, images: list[Path], threads: int, limit_groups: list[int] | None = None) -> list[dict]:
    enc, dec = b.sessions(threads)
    ladder = limit_groups or b.ladder
    logp = np.log2(b.order0 / b.order0.sum(1, keepdims=True))  # [G,K]
    acc = {g: {"psnr": [], "msssim": [], "bits0": 0.0, "bitsraw": 0.0, "bitsctx": 0.0, "bitsch": 0.0,
               "bitspr": 0.0}
           for g in ladder}
    pixels = 0
    for p in images:
        img = np.asarray(Image.open(p).convert("RGB"))
        H, W = img.shape[:2]
        pixels += H * W
        x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
        z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0][0]
        idx, _ = quantise_np(z, b.codebooks)  # [G, h*w]
        h, w = z.shape[1:]
        bits_per_group = -logp[np.arange(b.G)[:, None], idx].sum(1)  # [G]
        ctx_bits = (ideal_bits(idx.reshape(b.G, h, w), b.classes, b.context) if b.context is not None
                    else bits_per_group)  # coder 3 when the bundle has context tables
        ch_bits = (channel_ideal_bits(idx, b.weights, b.channel, b.channel_window, b.channel_thresholds)
                   if b.channel is not None else bits_per_group)  # coder 4 when the bundle has channel tables
        pr_bits = (predict_ideal_bits(idx.reshape(b.G, h, w), b.coeffs, b.weights, b.residual, b.channel_window,
                                      b.channel_thresholds, b.predict_shift, b.predict_activity)
                   if b.coeffs is not None else ch_bits)  # coder 5 when the bundle has prediction tables
        for g in ladder:
            q = dequantise_np(idx, b.codebooks, g, h, w)[None]
            y = dec.run(None, {b.manifest["io.decoder.input"]: q})[0][0]
            y8 = np.round(np.clip(y.transpose(1, 2, 0)[:H, :W], 0, 1) * 255).astype(np.uint8)
            a = acc[g]
            a["psnr"].append(psnr8(img, y8))
            t = lambda v: torch.from_numpy(v.transpose(2, 0, 1).copy())[None].double()  # noqa: E731
            a["msssim"].append(ms_ssim(t(y8), t(img), 255.0))
            a["bits0"] += float(bits_per_group[:g].sum())
            a["bitsctx"] += float(ctx_bits[:g].sum())
            a["bitsch"] += float(ch_bits[:g].sum())
            a["bitspr"] += float(pr_bits[:g].sum())
            a["bitsraw"] += g * math.log2(b.K) * h * w
    rows = []
    for g in ladder:
        a = acc[g]
        rows.append({"groups": g, "bpp_raw": a["bitsraw"] / pixels, "bpp_order0": a["bits0"] / pixels,
                     "bpp_context": a["bitsctx"] / pixels, "bpp_channel": a["bitsch"] / pixels,
                     "bpp_predict": a["bitspr"] / pixels,
                     "psnr": float(np.mean(a["psnr"])), "msssim": float(np.mean(a["msssim"]))})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--bundle", help="a .qtkm bundle")
    src.add_argument("--ckpt", help="a checkpoint: exported to a temporary bundle first (training/export.py)")
    ap.add_argument("--kodak", default=str(default_kodak()))
    ap.add_argument("--csv", help="write the table here")
    ap.add_argument("--groups", help="comma-separated subset of the ladder")
    ap.add_argument("--limit", type=int, help="only the first N images (quick checks)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    kodak = Path(args.kodak)
    images = sorted(kodak.glob("kodim*.png")) if kodak.is_dir() else []
    if not images:
        print(f"evaluate: no Kodak images under {kodak}; skipping (put kodim01..24.png there)")
        return
    images = images[: args.limit] if args.limit else images
    tmp = None
    bundle_path = args.bundle
    if args.ckpt:
        tmp = tempfile.TemporaryDirectory()
        bundle_path = str(Path(tmp.name) / "eval.qtkm")
        subprocess.run([sys.executable, str(Path(__file__).with_name("export.py")), "--ckpt", args.ckpt, "--out",
                        bundle_path, "--order0-crops", "256", "--threads", str(args.threads)], check=True,
                       stdout=subprocess.DEVNULL)
    b = Bundle(bundle_path)
    t0 = time.time()
    if b.kind != "grid":
        from qtk_train.global_eval import evaluate_global
        rows = evaluate_global(b, images, args.threads)
    else:
        groups = [int(g) for g in args.groups.split(",")] if args.groups else None
        rows = evaluate_grid(b, images, args.threads, groups)
    print(f"{b.manifest['name']} v{b.manifest['version']} ({b.path.name}, {b.manifest.get('training.steps')} steps) "
          f"on {len(images)} Kodak images, {time.time() - t0:.0f} s")
    print(f"{'groups':>6} {'bpp_raw':>8} {'bpp_o0':>8} {'bpp_ctx':>8} {'bpp_ch':>8} {'bpp_pr':>8} {'PSNR':>7} {'MS-SSIM':>8}")
    for r in rows:
        print(f"{r['groups']:>6} {r['bpp_raw']:>8.4f} {r['bpp_order0']:>8.4f} {r['bpp_context']:>8.4f} "
              f"{r['bpp_channel']:>8.4f} {r['bpp_predict']:>8.4f} {r['psnr']:>7.2f} {r['msssim']:>8.4f}")
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        with open(args.csv, "w", newline="") as fh:
            wr = csv.DictWriter(fh, fieldnames=["groups", "bpp_raw", "bpp_order0", "bpp_context", "bpp_channel",
                                                "bpp_predict", "psnr", "msssim"])
            wr.writeheader()
            for r in rows:
                wr.writerow({k: (f"{v:.6f}" if isinstance(v, float) else v) for k, v in r.items()})
        print(f"wrote {args.csv}")


if __name__ == "__main__":
    main()
