#!/usr/bin/env python3
"""Study (docs/results/model-limit-studies.md): reconstruction offsets. PSNR of decode(round z) vs decode(z) vs decode(round z + centroid offset)."""
import sys, glob
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np
from PIL import Image
from evaluate import pad_to, psnr8
from qtk_train.bundle import Bundle
b = Bundle(sys.argv[1]); files = sorted(glob.glob(sys.argv[2] + "/*.png"))
enc, dec = b.sessions(2)
G, K = b.G, b.K
rungs = [16, 48, 96, 192]
data = []
for f in files:
    img = np.asarray(Image.open(f).convert("RGB"))
    x = pad_to(img, b.factor).astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    z = enc.run(None, {b.manifest["io.encoder.input"]: x})[0]
    data.append((f, img, x, z))
# centroid table per (group, index) from all crops (leave-one-out later)
def run(lat, img):
    y = dec.run(None, {b.manifest["io.decoder.input"]: lat.astype(np.float32)})[0]
    y = np.clip(np.rint(y[0].transpose(1, 2, 0)[:img.shape[0], :img.shape[1]] * 255), 0, 255)
    return psnr8(img, y)
res = {U: np.zeros(4) for U in rungs}
for i, (f, img, x, z) in enumerate(data):
    q = np.clip(np.rint(z), -K // 2, K // 2 - 1)
    # leave-one-out centroid of (z - q) per group, per |q| bucket (0,1,2,3+) with sign
    num = np.zeros((G, 9)); cnt = np.zeros((G, 9))
    for j, (_, _, _, z2) in enumerate(data):
        if j == i: continue
        q2 = np.clip(np.rint(z2), -K // 2, K // 2 - 1)
        bkt = np.clip(q2, -4, 4).astype(int) + 4
        for g in range(G):
            np.add.at(num[g], bkt[0, g].ravel(), (z2 - q2)[0, g].ravel())
            np.add.at(cnt[g], bkt[0, g].ravel(), 1)
    off = num / np.maximum(cnt, 1)
    bkt = np.clip(q, -4, 4).astype(int) + 4
    qo = q.copy()
    for g in range(G):
        qo[0, g] = q[0, g] + off[g][bkt[0, g]]
    # oracle per-image centroid
    num_i = np.zeros((G, 9)); cnt_i = np.zeros((G, 9))
    for g in range(G):
        np.add.at(num_i[g], bkt[0, g].ravel(), (z - q)[0, g].ravel()); np.add.at(cnt_i[g], bkt[0, g].ravel(), 1)
    offi = num_i / np.maximum(cnt_i, 1)
    qi = q.copy()
    for g in range(G):
        qi[0, g] = q[0, g] + offi[g][bkt[0, g]]
    for U in rungs:
        m = np.zeros_like(z); m[0, :U] = 1
        r = [run(q * m, img), run(z * m, img), run(qo * m, img), run(qi * m, img)]
        res[U] += r
    print(f, flush=True)
for U in rungs:
    r = res[U] / len(data)
    print(f"U={U:3d} round {r[0]:.3f}  continuous {r[1]:.3f} ({r[1]-r[0]:+.3f})  loo-centroid {r[2]-r[0]:+.3f}  oracle-centroid {r[3]-r[0]:+.3f}")
