#!/usr/bin/env python3
"""How much does coder 6 (coder 5's residual tables primed and adapted per payload) save against coder 5, for prior
weights W / inc (the static table counts as that many symbols)? Ideal code lengths with nearest rounding:
p = (p_static * W + inc * n_sym) / (W + inc * n_ctx) per (group, context), counts reset per image (halving ignored:
it does not happen at these sizes). Prints the change against coder 5's static tables per ladder prefix.

  training/.venv/bin/python training/adaptive_prior.py build/m05/qtk-grid-sq-f16-0.5.qtkm build/rdo-train

(build/rdo-train from training/tuning_crops.py: training photos, never Kodak.) Coder 6 ships with W / inc = 64
(docs/results/coder6-kodak.md).
"""
import sys, glob
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from PIL import Image
from evaluate import pad_to
from qtk_train.bundle import Bundle
from qtk_train import context_tables as ct

b = Bundle(sys.argv[1]); files = sorted(glob.glob(sys.argv[2] + "/*.png"))
Ws = [128, 256, 512]; incs = [4]  # prior weights W / inc = 32, 64, 128 symbols
enc, _ = b.sessions(2)
G, K = b.G, b.K
T = b.residual.astype(np.float64)
P = T / T.sum(-1, keepdims=True)
tot = {"static": 0.0}; tot.update({(W, i): 0.0 for W in Ws for i in incs})
rungs = [16, 48, 96, 192]
per = {k: np.zeros(G) for k in tot}
px = 0
for f in files:
    img = np.asarray(Image.open(f).convert("RGB")); px += img.shape[0] * img.shape[1]
    x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0][0]
    idx = np.clip(np.rint(z) + K // 2, 0, K - 1).astype(np.int64)
    pred = ct.predictions(idx, b.coeffs, K, b.predict_shift)
    ctx = ct.prediction_contexts(idx, pred, b.weights, b.channel_window, b.channel_thresholds, b.predict_activity).reshape(G, -1)
    s = ct.residual_symbols(idx, pred, K).reshape(G, -1)
    n = s.shape[1]
    g = np.arange(G)[:, None].repeat(n, 1)
    per["static"] += -np.log2(P[g, ctx, s]).sum(1)
    # occurrence ranks: for each position, how many earlier positions (same g, ctx) and (same g, ctx, s)
    key_c = (g * 1000 + ctx).ravel(); key_s = (key_c * K + s.ravel())
    order = np.arange(G * n)  # token order within each group is the raveled order (groups are rows)
    def rank(key):
        o = np.argsort(key, kind="stable"); k = key[o]
        start = np.r_[0, np.flatnonzero(k[1:] != k[:-1]) + 1]
        r = np.arange(len(k)) - np.repeat(start, np.diff(np.r_[start, len(k)]))
        out = np.empty_like(r); out[o] = r; return out
    tc, tsym = rank(key_c), rank(key_s)
    p0 = P[g, ctx, s].ravel()
    for W in Ws:
        for inc in incs:
            p = (p0 * W + inc * tsym) / (W + inc * tc)
            per[(W, inc)] += (-np.log2(p)).reshape(G, n).sum(1)
    print(f, flush=True)
for r in rungs:
    base = per["static"][:r].sum()
    print(f"g={r}: static {base / px:.4f} bpp; " + ", ".join(f"W{W}/+{i} {100 * (per[(W, i)][:r].sum() / base - 1):+.2f}%" for W in Ws for i in incs))
