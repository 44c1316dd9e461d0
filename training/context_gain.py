#!/usr/bin/env python3
"""How many bits would context-selected tables save over the order-0 tables? (a measurement, not a coder)

Fits count tables on training crops, then codes the Kodak indices ideally (-log2 p, +1-smoothed counts) under
  order0   one table per group (what coder 1 does),
  spatial  per group x bucket of the order-0 surprisal of the left and upper neighbours (same group),
  channel  per group x bucket of the surprisal of the same position in the previous groups,
  both     per group x (spatial bucket, channel bucket).
A context is usable by a decoder that decodes groups in order: it only looks at decoded indices.

  python training/context_gain.py --bundle build/model.qtkm [--crops 256]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from evaluate import default_kodak, pad_to  # noqa: E402
from qtk_train.bundle import Bundle, quantise_np  # noqa: E402
from qtk_train.context_tables import grid_contexts  # noqa: E402
from qtk_train.data import CropSampler, ImageCache, default_data_dir  # noqa: E402

EDGES = np.array([0.5, 1.5, 3.0, 6.0])  # surprisal buckets (bits): 5 contexts
CLASS_EDGES = np.array([1.0, 3.0, 6.0])  # per-symbol classes 0..3 (as qtk_train.context_tables)


def bucket(bits: np.ndarray) -> np.ndarray:
    return np.searchsorted(EDGES, bits, side="right")


def contexts(idx: np.ndarray, h: int, w: int, logp: np.ndarray) -> dict[str, np.ndarray]:
    """idx [G, h*w] -> context ids [G, h*w] per scheme."""
    G = idx.shape[0]
    s = -logp[np.arange(G)[:, None], idx].reshape(G, h, w)  # order-0 surprisal of every index
    left = np.zeros_like(s)
    left[:, :, 1:] = s[:, :, :-1]
    up = np.zeros_like(s)
    up[:, 1:, :] = s[:, :-1, :]
    sp = bucket(0.5 * (left + up))
    prev = np.zeros_like(s)
    cum = np.cumsum(s, axis=0)
    # mean surprisal of the (up to) 4 previous groups at the same position
    for g in range(1, G):
        lo = max(0, g - 4)
        prev[g] = (cum[g - 1] - (cum[lo - 1] if lo > 0 else 0)) / (g - lo)
    ch = bucket(prev)
    ch[0] = 0
    nb = len(EDGES) + 1
    # integer rule (what a coder can specify exactly): per-symbol class 0..3 from an exported table, context = sum
    cl_table = np.searchsorted(CLASS_EDGES, -logp, side="right")  # class of every codeword, [G][K]
    cl = cl_table[np.arange(G)[:, None, None], idx.reshape(G, h, w)]
    pad = np.pad(cl, ((0, 0), (1, 0), (1, 1)))  # absent neighbours are class 0
    l, u, ul, ur = pad[:, 1:, :-2], pad[:, :-1, 1:-1], pad[:, :-1, :-2], pad[:, :-1, 2:]
    prevc = np.zeros_like(cl)
    prevc[1:] = cl[:-1]
    return {"order0": np.zeros_like(sp).reshape(G, -1), "spatial": sp.reshape(G, -1), "channel": ch.reshape(G, -1),
            "both": (sp * nb + ch).reshape(G, -1), "cls-lu": (l + u).reshape(G, -1),
            "cls-4nb": np.minimum(l + u + ul + ur, 12).reshape(G, -1),
            "cls-lu-prev": ((l + u) * 4 + prevc).reshape(G, -1), "cls-2l+u+ul+ur": np.minimum(2 * l + 2 * u + ul + ur, 15).reshape(G, -1),
            "grid-nb": grid_contexts(idx.reshape(G, h, w), cl_table).reshape(G, -1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--data", default=str(default_data_dir()))
    ap.add_argument("--kodak", default=str(default_kodak()))
    ap.add_argument("--crops", type=int, default=256)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    kodak = sorted(Path(args.kodak).glob("kodim*.png"))
    if not kodak or not Path(args.data).is_dir():
        print("context_gain: needs ../shared (training crops and Kodak); skipping")
        return
    b = Bundle(args.bundle)
    enc, _ = b.sessions(args.threads)
    logp = np.log2(b.order0 / b.order0.sum(1, keepdims=True))
    G, K, nctx = b.G, b.K, 36

    def indices(x: np.ndarray):
        z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0][0]
        idx, _ = quantise_np(z, b.codebooks)
        return idx, z.shape[1], z.shape[2]

    schemes = ("order0", "spatial", "channel", "both", "cls-lu", "cls-4nb", "cls-lu-prev", "cls-2l+u+ul+ur", "grid-nb")
    tables = {k: np.ones((G, nctx, K)) for k in schemes}
    sampler = CropSampler(ImageCache(args.data), crop=args.crop, seed=7)
    for _ in range(args.crops):
        idx, h, w = indices(sampler.batch(1).numpy())
        for k, c in contexts(idx, h, w, logp).items():
            np.add.at(tables[k], (np.arange(G)[:, None], c, idx), 1)
    bits = {k: 0.0 for k in tables}
    pixels = 0
    for p in kodak:
        img = np.asarray(Image.open(p).convert("RGB"))
        pixels += img.shape[0] * img.shape[1]
        x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
        idx, h, w = indices(x)
        for k, c in contexts(idx, h, w, logp).items():
            t = tables[k]
            pr = t[np.arange(G)[:, None], c, idx] / t[np.arange(G)[:, None], c].sum(-1)
            bits[k] += float(-np.log2(pr).sum())
    base = bits["order0"]
    print(f"{b.manifest['name']} ({b.manifest.get('training.steps')} steps), all {G} groups, {len(kodak)} Kodak images,"
          f" tables from {args.crops} crops of {args.crop}")
    for k, v in bits.items():
        print(f"{k:>8}: {v / pixels:.4f} bpp  ({100 * (v / base - 1):+.1f} %)")


if __name__ == "__main__":
    main()
