#!/usr/bin/env python3
"""Study (docs/results/model-limit-studies.md): coder-5/6 bits for other entropy.predict.activity / channel thresholds (bundle parameters, no format
change). Tables counted on random training crops; ideal bits (static and primed-adaptive, W=64) on build/rdo-train."""
import sys, glob, itertools
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np, torch
from PIL import Image
from evaluate import pad_to
from qtk_train import checkpoint as ck, context_tables as ct
from qtk_train.models import build_model
from qtk_train.bundle import Bundle
from qtk_train.data import CropSampler, ImageCache, default_data_dir
WEIGHTS = "training/checkpoints/grid-sq-f16/latest-weights.pt"  # step 64,000: the shipped 0.5
torch.set_num_threads(2)
b = Bundle("codec-models/src/main/resources/io/qtk/models/qtk-grid-sq-f16-0.5.qtkm"); G, K = b.G, b.K
enc, _ = b.sessions(2)
ncrops = int(sys.argv[1])
import os
cache_f = f"build/act-grids-{ncrops}.npy"
if os.path.exists(cache_f):
    grids = np.load(cache_f)
else:
    st = ck.load(WEIGHTS); model = build_model(st["config"]); model.load_state_dict(st["model"]); model.eval()
    sampler = CropSampler(ImageCache(default_data_dir()), crop=256, seed=4321)
    out = []
    with torch.no_grad():
        for i in range(0, ncrops, 16):
            z = model.encoder(sampler.batch(16))
            out.append(np.clip(np.rint(z.numpy()) + K // 2, 0, K - 1).astype(np.uint8))
    grids = np.concatenate(out)[:ncrops]; np.save(cache_f, grids)
evals = []
for f in sorted(glob.glob("build/rdo-train/*.png")):
    img = np.asarray(Image.open(f).convert("RGB"))
    x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0][0]
    evals.append((img.shape[0] * img.shape[1], np.clip(np.rint(z) + K // 2, 0, K - 1).astype(np.int64)))
def rank(key):
    o = np.argsort(key, kind="stable"); k = key[o]
    start = np.r_[0, np.flatnonzero(k[1:] != k[:-1]) + 1]
    r = np.arange(len(k)) - np.repeat(start, np.diff(np.r_[start, len(k)]))
    out = np.empty_like(r); out[o] = r; return out
rungs = [16, 48, 96, 192]
def study(act, chth):
    ctr = ct.PredictionCounter(b.coeffs, b.weights, b.channel_window, chth, b.predict_shift, act)
    for one in grids: ctr.add(one.astype(np.int64))
    T = ctr.tables().astype(np.float64); P = T / T.sum(-1, keepdims=True)
    st = np.zeros(G); ad = np.zeros(G); px = 0
    for n_px, idx in evals:
        px += n_px
        pred = ct.predictions(idx, b.coeffs, K, b.predict_shift)
        ctx = ct.prediction_contexts(idx, pred, b.weights, b.channel_window, chth, act).reshape(G, -1)
        s = ct.residual_symbols(idx, pred, K).reshape(G, -1)
        n = s.shape[1]; g = np.arange(G)[:, None].repeat(n, 1)
        p0 = P[g, ctx, s]
        st += -np.log2(p0).sum(1)
        key_c = (g * 10000 + ctx).ravel(); key_s = key_c * K + s.ravel()
        tc, ts = rank(key_c), rank(key_s)
        p = (p0.ravel() * 256 + 4 * ts) / (256 + 4 * tc)
        ad += (-np.log2(p)).reshape(G, n).sum(1)
    return [st[:r].sum() / px for r in rungs], [ad[:r].sum() / px for r in rungs]
base = None
CH = tuple(b.channel_thresholds)
for spec in sys.argv[2:]:
    a, _, c = spec.partition("/")
    act = tuple(int(v) for v in a.split(","))
    chth = CH if not c else tuple(int(v) for v in c.split(","))
    s, d = study(act, chth)
    if base is None: base = (s, d)
    print(f"act {a:16s} ch {len(chth):2d}: static " + " ".join(f"{100*(x/y-1):+.2f}" for x, y in zip(s, base[0])) +
          " | adaptive " + " ".join(f"{100*(x/y-1):+.2f}" for x, y in zip(d, base[1])) + "  (adaptive bpp " + " ".join(f"{x:.4f}" for x in d) + ")", flush=True)
