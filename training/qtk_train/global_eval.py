"""Kodak evaluation of a global (token) bundle: the image is cut into T x T tiles (edge tiles edge-padded), token
position n of every tile forms stream position n, so a prefix of g tokens costs g tokens per tile."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .bundle import Bundle, dequantise_tokens_np, quantise_tokens_np
from .losses import ms_ssim


def evaluate_global(b: Bundle, images: list[Path], threads: int) -> list[dict]:
    enc, dec = b.sessions(threads)
    T = int(b.manifest["global.tile"])
    logp = np.log2(b.order0 / b.order0.sum(1, keepdims=True))
    acc = {g: {"psnr": [], "msssim": [], "bits0": 0.0, "bitsraw": 0.0} for g in b.ladder}
    pixels = 0
    for p in images:
        img = np.asarray(Image.open(p).convert("RGB"))
        H, W = img.shape[:2]
        pixels += H * W
        padded = np.pad(img, ((0, -H % T), (0, -W % T), (0, 0)), mode="edge")
        tiles = [(y, x) for y in range(0, padded.shape[0], T) for x in range(0, padded.shape[1], T)]
        recon = {g: np.zeros(padded.shape, np.uint8) for g in b.ladder}
        for y, x in tiles:
            xt = padded[y:y + T, x:x + T].astype(np.float32).transpose(2, 0, 1)[None] / 255.0
            t = enc.run(None, {b.manifest["io.encoder.input"]: xt})[0][0]
            idx = quantise_tokens_np(t, b.codebooks)
            bits = -logp[np.arange(b.G), idx]
            for g in b.ladder:
                q = dequantise_tokens_np(idx, b.codebooks, g)[None]
                yt = dec.run(None, {b.manifest["io.decoder.input"]: q})[0][0]
                recon[g][y:y + T, x:x + T] = np.round(np.clip(yt.transpose(1, 2, 0), 0, 1) * 255).astype(np.uint8)
                acc[g]["bits0"] += float(bits[:g].sum())
                acc[g]["bitsraw"] += g * math.log2(b.K)
        for g in b.ladder:
            r = recon[g][:H, :W]
            mse = np.mean((r.astype(np.float64) - img) ** 2)
            acc[g]["psnr"].append(10 * math.log10(255.0 ** 2 / max(mse, 1e-10)))
            t_ = lambda v: torch.from_numpy(v.transpose(2, 0, 1).copy())[None].double()  # noqa: E731
            acc[g]["msssim"].append(ms_ssim(t_(r), t_(img), 255.0))
    return [{"groups": g, "bpp_raw": a["bitsraw"] / pixels, "bpp_order0": a["bits0"] / pixels,
             "bpp_context": a["bits0"] / pixels,  # no context tables for token models: coder 1
             "bpp_channel": a["bits0"] / pixels,  # nor channel tables
             "bpp_predict": a["bits0"] / pixels,  # nor prediction tables
             "psnr": float(np.mean(a["psnr"])), "msssim": float(np.mean(a["msssim"]))} for g, a in acc.items()]
