"""Golden reference for RealModelTest: the tiny test model run by Python ONNX Runtime, nearest codewords by numpy in
float64 (the canonical distance), decoded with all groups and with the first group only. The input image is a formula,
so Java rebuilds it exactly. Run from the repo root:
    training/.venv/bin/python codec-core/src/test/resources/io/qtk/runtime/make_golden.py
"""
import io, zipfile, hashlib
import numpy as np
import onnxruntime as ort

H, W = 20, 24
path = "testdata/models/qtk-test-tiny.qtkm"
raw = open(path, "rb").read()
z = zipfile.ZipFile(io.BytesIO(raw))
props = dict(l.split("=", 1) for l in z.read("manifest.properties").decode("latin-1").splitlines()
             if l and not l.startswith("#"))
G, K, D, f = (int(props[k]) for k in ("groups", "codebook.size", "codebook.dim", "grid.factor"))
cb = np.frombuffer(z.read("codebooks.bin"), "<f4").reshape(G, K, D)
img = np.array([[[((x * 7 + y * 13 + c * 29) % 256) / 255.0 for x in range(W)] for y in range(H)] for c in range(3)],
               dtype=np.float32)[None]
enc = ort.InferenceSession(z.read("encoder.onnx"))
dec = ort.InferenceSession(z.read("decoder.onnx"))
lat = enc.run(None, {"image": img})[0]
h, w = H // f, W // f
x = lat[0].reshape(G, D, h * w).transpose(0, 2, 1).astype(np.float64)           # [G][P][d]
dist = ((x[:, :, None, :] - cb[None].transpose(1, 0, 2, 3).astype(np.float64)) ** 2).sum(-1)  # [G][P][K]
idx = dist.argmin(-1)
srt = np.sort(dist, -1)
gap = float((srt[..., 1] - srt[..., 0]).min())
out = {}
for g in (G, 1):
    deq = np.zeros((G, D, h * w), np.float32)
    for gi in range(g):
        deq[gi] = cb[gi][idx[gi]].T
    out[g] = dec.run(None, {"latent": deq.reshape(1, G * D, h, w)})[0]
gaps = (srt[..., 1] - srt[..., 0]).ravel()
with open("codec-core/src/test/resources/io/qtk/runtime/golden-qtk-test-tiny.txt", "w") as o:
    # one record per line: key, then whitespace-separated values (floats with repr precision)
    o.write("model_sha256 %s\n" % hashlib.sha256(raw).hexdigest())
    o.write("size %d %d\n" % (H, W))
    o.write("latent %s\n" % " ".join(repr(float(v)) for v in lat.ravel()))
    o.write("indices %s\n" % " ".join(str(int(v)) for v in idx.ravel()))
    o.write("gaps %s\n" % " ".join(repr(float(v)) for v in gaps))
    o.write("decoded_all %s\n" % " ".join(repr(float(v)) for v in out[G].ravel()))
    o.write("decoded_g1 %s\n" % " ".join(repr(float(v)) for v in out[1].ravel()))
print("min gap between best and second distance:", float(gaps.min()), "ort", ort.__version__)
