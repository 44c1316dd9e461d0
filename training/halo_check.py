#!/usr/bin/env python3
"""How much context (halo) does tiled coding need? Compares whole-image coding with tiled coding for several halos.

Encoder side: fraction of indices that differ from whole-image encoding. Decoder side: PSNR and max 8-bit error of
the stitched tiles against the whole-image decode (same indices). A halo is "seamless enough" when the decoder
PSNR is far above the codec's own PSNR (>= 50 dB) and few indices change. The bundle's manifest `halo` should be
at least that value.

  python training/halo_check.py --bundle build/qtk-grid-f16.qtkm [--image kodim01.png] [--tile 256]
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from evaluate import default_kodak, pad_to  # noqa: E402
from qtk_train.bundle import Bundle, dequantise_np, quantise_np  # noqa: E402


def to8(y: np.ndarray) -> np.ndarray:
    return np.round(np.clip(y, 0, 1) * 255)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--image", default=str(default_kodak() / "kodim01.png"))
    ap.add_argument("--tile", type=int, default=256, help="tile side in pixels (multiple of f)")
    ap.add_argument("--halos", default="0,16,32,48,64,96,128")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    b = Bundle(args.bundle)
    f = b.factor
    enc, dec = b.sessions(args.threads)
    ein, din = b.manifest["io.encoder.input"], b.manifest["io.decoder.input"]
    img = pad_to(np.asarray(Image.open(args.image).convert("RGB")), f).astype(np.float32).transpose(2, 0, 1) / 255
    z = enc.run(None, {ein: img[None]})[0][0]
    idx, _ = quantise_np(z, b.codebooks)
    C, h, w = z.shape
    q = dequantise_np(idx, b.codebooks, b.G, h, w)
    y_full = to8(dec.run(None, {din: q[None]})[0][0])
    s = args.tile // f
    print(f"{b.manifest['name']} on {Path(args.image).name} ({img.shape[2]}x{img.shape[1]}), tiles {args.tile}px; "
          f"manifest halo {b.manifest.get('halo')}")
    print(f"{'halo':>5} {'enc idx changed':>16} {'dec PSNR vs whole':>18} {'dec max err':>12}")
    for halo in [int(v) for v in args.halos.split(",")]:
        hl = -(-halo // f)  # latent positions of context, rounded up
        changed, y_tiled = 0, np.zeros_like(y_full)
        for ty in range(0, h, s):
            for tx in range(0, w, s):
                y0, y1, x0, x1 = ty, min(ty + s, h), tx, min(tx + s, w)
                ey0, ey1, ex0, ex1 = max(0, y0 - hl), min(h, y1 + hl), max(0, x0 - hl), min(w, x1 + hl)
                crop = img[:, ey0 * f:ey1 * f, ex0 * f:ex1 * f]
                zt = enc.run(None, {ein: crop[None]})[0][0]
                it, _ = quantise_np(zt, b.codebooks)
                it = it.reshape(b.G, ey1 - ey0, ex1 - ex0)[:, y0 - ey0:y1 - ey0, x0 - ex0:x1 - ex0]
                changed += int((it != idx.reshape(b.G, h, w)[:, y0:y1, x0:x1]).sum())
                yt = to8(dec.run(None, {din: q[None, :, ey0:ey1, ex0:ex1]})[0][0])
                y_tiled[:, y0 * f:y1 * f, x0 * f:x1 * f] = yt[:, (y0 - ey0) * f:(y1 - ey0) * f,
                                                              (x0 - ex0) * f:(x1 - ex0) * f]
        mse = float(np.mean((y_tiled - y_full) ** 2))
        ps = 10 * math.log10(255 ** 2 / mse) if mse > 0 else float("inf")
        print(f"{halo:>5} {changed / idx.size:>16.4%} {ps:>18.2f} {np.abs(y_tiled - y_full).max():>12.0f}")


if __name__ == "__main__":
    main()
