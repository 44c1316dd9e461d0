#!/usr/bin/env python3
"""Study (docs/results/model-limit-studies.md): compare grid-sq weights fairly without a full export: coder-5 tables refitted per model on the same 256
random 256x256 training crops, ideal static coder-5 bits + PSNR (nearest rounding) on build/rdo-train per rung."""
import sys, glob
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np, torch
from PIL import Image
from qtk_train import checkpoint as ck, context_tables as ct
from qtk_train.models import build_model
from qtk_train.data import CropSampler, ImageCache, default_data_dir
from bd_compare import bd_rate
torch.set_num_threads(int(sys.argv[1]))
rungs = [8, 16, 24, 32, 48, 64, 96, 128, 192]
curves = []
for path in sys.argv[2:]:
    st = ck.load(path); model = build_model(st["config"]); model.load_state_dict(st["model"]); model.eval()
    G, K = model.G, model.K
    sampler = CropSampler(ImageCache(default_data_dir()), crop=256, seed=4321)
    grids = []
    with torch.no_grad():
        for i in range(16):
            z = model.encoder(sampler.batch(16))
            grids += list(np.clip(np.rint(z.numpy()) + K // 2, 0, K - 1).astype(np.int64))
    order0 = np.ones((G, K), np.int64); fit = ct.PredictorFit(G, K)
    for x in grids:
        np.add.at(order0, (np.arange(G)[:, None], x.reshape(G, -1)), 1); fit.add(x)
    w = ct.channel_weights(order0); coeffs = fit.coefficients()
    ctr = ct.PredictionCounter(coeffs, w)
    for x in grids: ctr.add(x)
    T = ctr.tables().astype(np.float64); P = T / T.sum(-1, keepdims=True)
    bits = np.zeros(len(rungs)); ps = np.zeros(len(rungs)); px = 0
    files = sorted(glob.glob("build/rdo-train/*.png"))
    for f in files:
        img = np.asarray(Image.open(f).convert("RGB")); h, wd = img.shape[0] // 16 * 16, img.shape[1] // 16 * 16
        x = torch.from_numpy(img[:h, :wd].copy()).float().permute(2, 0, 1)[None] / 255
        with torch.no_grad():
            q = torch.round(model.encoder(x).clamp(-K // 2, K // 2 - 1))
        idx = q[0].numpy().astype(np.int64) + K // 2
        pred = ct.predictions(idx, coeffs, K)
        ctx = ct.prediction_contexts(idx, pred, w).reshape(G, -1)
        s = ct.residual_symbols(idx, pred, K).reshape(G, -1); g = np.arange(G)[:, None].repeat(s.shape[1], 1)
        per = -np.log2(P[g, ctx, s]).sum(1)
        for k, U in enumerate(rungs):
            with torch.no_grad():
                y = model.decode_prefix(q, U)
            y = torch.clamp(torch.round(y * 255), 0, 255); xr = torch.round(x * 255)
            ps[k] += 10 * np.log10(255 ** 2 / float(((y - xr) ** 2).mean()))
            bits[k] += per[:U].sum() / (h * wd)
    bits /= len(files); ps /= len(files)
    curves.append((bits, ps))
    print(path, " ".join(f"{U}:{b:.4f}/{p:.2f}" for U, b, p in zip(rungs, bits, ps)), flush=True)
for (b1, p1) in curves[1:]:
    b0, p0 = curves[0]
    print("BD-rate vs first (PSNR):", f"{bd_rate(b0, p0, b1, p1):+.2f} %", " per rung bits", " ".join(f"{100*(x/y-1):+.1f}" for x, y in zip(b1, b0)), " dPSNR", " ".join(f"{x-y:+.2f}" for x, y in zip(p1, p0)))
