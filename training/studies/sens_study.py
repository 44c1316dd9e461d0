#!/usr/bin/env python3
"""Study (docs/results/model-limit-studies.md): per-group decoder sensitivity, the image MSE (8-bit units) per latent
step^2 when every value of one group moves by +-0.5; writes build/sens.npy for flip_study.py.

  training/.venv/bin/python training/studies/sens_study.py <bundle.qtkm> build/rdo-train
"""
import sys, glob
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np
from PIL import Image
from evaluate import pad_to
from qtk_train.bundle import Bundle
b = Bundle(sys.argv[1]); files = sorted(glob.glob(sys.argv[2] + "/*.png"))[:3]
enc, dec = b.sessions(2)
G, K = b.G, b.K
rng = np.random.default_rng(0)
S = np.zeros(G)
for f in files:
    img = np.asarray(Image.open(f).convert("RGB"))
    x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0]
    q = np.clip(np.rint(z), -K // 2, K // 2 - 1).astype(np.float32)
    y0 = dec.run(None, {b.manifest["io.decoder.input"]: q})[0]
    for g in range(G):
        qq = q.copy(); qq[0, g] += rng.choice([-0.5, 0.5], size=qq.shape[2:]).astype(np.float32)
        y = dec.run(None, {b.manifest["io.decoder.input"]: qq})[0]
        S[g] += ((y - y0) ** 2).mean() * 255 ** 2 / 0.25
    print(f, flush=True)
S /= len(files)
np.save("build/sens.npy", S)
print(np.round(S[:8], 3), np.round(S[[16, 32, 48, 64, 96, 128, 160, 191]], 3))
print("ratio max/min", S.max() / S.min(), "mean first 32", S[:32].mean(), "mean 32-96", S[32:96].mean(), "mean 96+", S[96:].mean())
