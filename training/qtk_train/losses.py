"""Distortion measures: MSE / PSNR (training and evaluation) and MS-SSIM (evaluation only)."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def psnr_from_mse(mse: float, peak: float = 1.0) -> float:
    return 10.0 * math.log10(peak * peak / max(mse, 1e-12))


def psnr(x: torch.Tensor, y: torch.Tensor) -> float:
    """PSNR of [0,1] images after clamping (what a decoder shows)."""
    return psnr_from_mse(F.mse_loss(x.clamp(0, 1), y).item())


def _gaussian(size: int = 11, sigma: float = 1.5, dtype=torch.float64) -> torch.Tensor:
    g = torch.arange(size, dtype=dtype) - (size - 1) / 2
    g = torch.exp(-(g * g) / (2 * sigma * sigma))
    return g / g.sum()


def _ssim_parts(x, y, win, data_range):
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    ch = x.shape[1]
    wx = win.view(1, 1, 1, -1).repeat(ch, 1, 1, 1)
    wy = win.view(1, 1, -1, 1).repeat(ch, 1, 1, 1)

    def blur(t):
        return F.conv2d(F.conv2d(t, wx, groups=ch), wy, groups=ch)

    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    cs = (2 * sxy + c2) / (sxx + syy + c2)
    ssim = ((2 * mx * my + c1) / (mx * mx + my * my + c1)) * cs
    return ssim.mean((-1, -2)), cs.mean((-1, -2))


def ms_ssim(x: torch.Tensor, y: torch.Tensor, data_range: float = 255.0) -> float:
    """MS-SSIM (Wang et al. 2003; 5 scales, the standard weights), per channel then averaged, like pytorch-msssim."""
    weights = torch.tensor([0.0448, 0.2856, 0.3001, 0.2363, 0.1333], dtype=torch.float64)
    x, y = x.double(), y.double()
    win = _gaussian()
    vals = []
    for i in range(len(weights)):
        ssim, cs = _ssim_parts(x, y, win, data_range)
        if i < len(weights) - 1:
            vals.append(torch.relu(cs))
            pad = [0, x.shape[-1] % 2, 0, x.shape[-2] % 2]
            x, y = F.avg_pool2d(F.pad(x, pad), 2), F.avg_pool2d(F.pad(y, pad), 2)
    vals.append(torch.relu(ssim))
    stack = torch.stack(vals, 0)  # [scales, B, C]
    return float(torch.prod(stack ** weights.view(-1, 1, 1), 0).mean())
