#!/usr/bin/env python3
"""Study (docs/results/model-limit-studies.md): decoder-guided rounding. Each latent value may take floor(z) or ceil(z). Start from nearest; per iteration
take dE/dq (E = summed squared 8-bit error of the masked decode), predict dE for moving to the other neighbour as
g*delta + c_g*delta^2 (c_g from build/sens.npy), move a fraction of the predicted winners, keep if E fell."""
import sys, glob, math
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np, torch
from PIL import Image
from qtk_train import checkpoint as ck, context_tables as ct
from qtk_train.models import build_model
from qtk_train.bundle import Bundle
WEIGHTS = "training/checkpoints/grid-sq-f16/latest-weights.pt"  # step 64,000: the shipped 0.5
torch.set_num_threads(2)
st = ck.load(WEIGHTS); model = build_model(st["config"]); model.load_state_dict(st["model"]); model.eval()
for p in model.parameters(): p.requires_grad_(False)
b = Bundle("codec-models/src/main/resources/io/qtk/models/qtk-grid-sq-f16-0.5.qtkm")
files = sorted(glob.glob("build/rdo-train/*.png"))[: int(sys.argv[1])]
iters = int(sys.argv[2]); frac0 = float(sys.argv[3]); cmul = float(sys.argv[4])
rungs = [int(v) for v in sys.argv[5].split(",")]
S = torch.from_numpy(np.load("build/sens.npy")).float()
G, K = b.G, b.K
T = b.residual.astype(np.float64); P = T / T.sum(-1, keepdims=True)
def bits5(q, U):
    idx = np.clip(q + K // 2, 0, K - 1).astype(np.int64)
    pred = ct.predictions(idx, b.coeffs, K, b.predict_shift)
    ctx = ct.prediction_contexts(idx, pred, b.weights, b.channel_window, b.channel_thresholds, b.predict_activity).reshape(G, -1)
    s = ct.residual_symbols(idx, pred, K).reshape(G, -1)
    g = np.arange(G)[:, None].repeat(s.shape[1], 1)
    return -np.log2(P[g, ctx, s])[:U].sum()
def E_of(q, mask, x):
    y = model.decoder(q * mask)
    return (((y - x) * 255) ** 2).sum()
acc = {U: np.zeros(4) for U in rungs}
gen = torch.Generator().manual_seed(0)
for f in files:
    img = np.asarray(Image.open(f).convert("RGB"))
    h, w = img.shape[0] // 16 * 16, img.shape[1] // 16 * 16
    x = torch.from_numpy(img[:h, :w].copy()).float().permute(2, 0, 1)[None] / 255
    with torch.no_grad(): z = model.encoder(x).clamp(-K // 2, K // 2 - 1)
    npx = h * w
    c = (S * 3 * 256 * cmul)[None, :, None, None]
    for U in rungs:
        mask = (torch.arange(G) < U).float()[None, :, None, None]
        q0 = torch.round(z); alt = torch.where(z >= q0, q0 + 1, q0 - 1).clamp(-K // 2, K // 2 - 1)
        with torch.no_grad(): E0 = float(E_of(q0, mask, x))
        q = q0.clone(); E = E0; frac = frac0
        for it in range(iters):
            qq = q.clone().requires_grad_(True)
            e = E_of(qq, mask, x); e.backward(); g = qq.grad
            other = torch.where(q == q0, alt, q0); d = other - q
            gain = -(g * d + c * d * d) * mask
            cand = gain > 0
            pick = cand & (torch.rand(q.shape, generator=gen) < frac)
            qn = torch.where(pick, other, q)
            with torch.no_grad(): En = float(E_of(qn, mask, x))
            if En < E: q, E = qn, En
            else: frac *= 0.5
        p0 = 10 * math.log10(255 ** 2 * 3 * npx / E0); p1 = 10 * math.log10(255 ** 2 * 3 * npx / E)
        b0 = bits5(q0[0].numpy(), U) / npx; b1 = bits5(q[0].numpy(), U) / npx
        acc[U] += [p0, b0, p1, b1]
        print(f"{f.split('/')[-1][:20]} U={U}: {b0:.4f} bpp {p0:.2f} dB -> {b1:.4f} bpp {p1:.2f} dB ({int((q != q0).sum())} moved)", flush=True)
for U in rungs:
    p0, b0, p1, b1 = acc[U] / len(files)
    print(f"U={U}: nearest {b0:.4f} bpp {p0:.3f} dB; guided {b1:.4f} bpp ({100*(b1/b0-1):+.2f} %) {p1:.3f} dB ({p1-p0:+.3f})")
