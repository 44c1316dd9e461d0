"""Reference values for the Java MS-SSIM, PSNR and BD-rate tests (MetricsTest, BdRateTest).

Run with the training venv:  ../training/.venv/bin/python codec-cli/src/test/python/reference_values.py
The images are made from integer formulas that the Java test reproduces exactly. MS-SSIM is computed with torch
ops exactly as the pytorch_msssim package does (valid 11x11 Gaussian sigma 1.5, avg_pool2d(2, padding=s%2) with
count_include_pad, relu on cs and the last ssim, weights of Wang et al.), independently of the Java code.
"""
import numpy as np
import torch
import torch.nn.functional as F


def images(w, h):
    y, x = np.mgrid[0:h, 0:w]
    a = np.zeros((3, h, w), dtype=np.int64)
    b = np.zeros((3, h, w), dtype=np.int64)
    for c in range(3):
        a[c] = (x * 7 + y * 13 + c * 29 + (x * y) % 17 + ((x // 9 + y // 7) % 2) * 60) % 256
        noise = ((x * 31 + y * 17 + c * 7) % 61) - 30
        b[c] = np.clip((a[c] // 24) * 24 + 12 + noise, 0, 255)
    return a.astype(np.float64), b.astype(np.float64)


def gauss_win(size=11, sigma=1.5):
    coords = torch.arange(size, dtype=torch.float64) - size // 2
    g = torch.exp(-(coords ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def gfilter(x, g):
    c = x.shape[1]
    out = F.conv2d(x, g.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(out, g.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def ssim(x, y, g, data_range=255.0):
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    mu1, mu2 = gfilter(x, g), gfilter(y, g)
    s1 = gfilter(x * x, g) - mu1 ** 2
    s2 = gfilter(y * y, g) - mu2 ** 2
    s12 = gfilter(x * y, g) - mu1 * mu2
    cs_map = (2 * s12 + c2) / (s1 + s2 + c2)
    ssim_map = ((2 * mu1 * mu2 + c1) / (mu1 ** 2 + mu2 ** 2 + c1)) * cs_map
    return ssim_map.flatten(2).mean(-1), cs_map.flatten(2).mean(-1)


def ms_ssim(a, b):
    x = torch.from_numpy(a)[None]
    y = torch.from_numpy(b)[None]
    g = gauss_win()
    weights = torch.tensor([0.0448, 0.2856, 0.3001, 0.2363, 0.1333], dtype=torch.float64)
    mcs = []
    for i in range(5):
        s, cs = ssim(x, y, g)
        if i < 4:
            mcs.append(torch.relu(cs))
            pad = [d % 2 for d in x.shape[2:]]
            x = F.avg_pool2d(x, kernel_size=2, padding=pad)
            y = F.avg_pool2d(y, kernel_size=2, padding=pad)
    s = torch.relu(s)
    v = torch.prod(torch.stack(mcs + [s], dim=0) ** weights.view(-1, 1, 1), dim=0)
    return float(v.mean())


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)


def bd_rate(r1, p1, r2, p2):
    lr1, lr2 = np.log(r1), np.log(r2)
    c1, c2 = np.polyfit(p1, lr1, 3), np.polyfit(p2, lr2, 3)
    lo, hi = max(min(p1), min(p2)), min(max(p1), max(p2))
    i1, i2 = np.polyint(c1), np.polyint(c2)
    int1 = np.polyval(i1, hi) - np.polyval(i1, lo)
    int2 = np.polyval(i2, hi) - np.polyval(i2, lo)
    return (np.exp((int2 - int1) / (hi - lo)) - 1) * 100


if __name__ == "__main__":
    for (w, h) in [(200, 180), (256, 256)]:
        a, b = images(w, h)
        print(f"{w}x{h}: psnr={psnr(a, b):.12f} msssim={ms_ssim(a, b):.12f}")
    # Four-point curves (exact cubic) and six-point curves (least squares).
    r1 = [0.25, 0.5, 1.0, 2.0]; p1 = [28.1, 31.0, 34.3, 38.2]
    r2 = [0.21, 0.44, 0.93, 1.71]; p2 = [28.4, 31.5, 34.6, 38.0]
    print(f"bd4={bd_rate(r1, p1, r2, p2):.12f}")
    r3 = [0.12, 0.25, 0.5, 0.8, 1.2, 2.0]; p3 = [25.2, 28.1, 31.0, 33.0, 34.9, 38.2]
    r4 = [0.1, 0.2, 0.45, 0.7, 1.1, 1.8]; p4 = [25.0, 27.6, 31.1, 32.9, 35.0, 37.9]
    print(f"bd6={bd_rate(r3, p3, r4, p4):.12f}")
