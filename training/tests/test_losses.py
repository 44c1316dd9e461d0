"""qtk_train.losses: PSNR and MS-SSIM (used for the logs and the Kodak evaluation)."""
from __future__ import annotations

import math

import pytest
import torch

from qtk_train.losses import ms_ssim, psnr, psnr_from_mse


def test_psnr_known_values():
    assert psnr_from_mse(1e-2) == pytest.approx(20.0)
    assert psnr_from_mse(1.0, peak=255.0) == pytest.approx(20 * math.log10(255))
    assert psnr_from_mse(0.0) == pytest.approx(120.0)  # capped, not infinite
    x = torch.full((1, 3, 4, 4), 0.5)
    assert psnr(x + 0.1, x) == pytest.approx(20.0, abs=1e-4)
    assert psnr(x + 2.0, torch.ones_like(x)) == pytest.approx(120.0)  # the decoder output is clamped to [0, 1]


def test_ms_ssim_identity_and_ordering():
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, 176, 176, generator=gen, dtype=torch.float64) * 255  # 5 scales of an 11x11 window
    assert ms_ssim(x, x) == pytest.approx(1.0, abs=1e-9)
    noise = torch.randn(x.shape, generator=gen, dtype=torch.float64)
    small, large = ms_ssim(x + 5 * noise, x), ms_ssim(x + 40 * noise, x)
    assert 0.0 < large < small < 1.0
    assert ms_ssim(x + 5 * noise, x) == pytest.approx(ms_ssim(x, x + 5 * noise), abs=1e-12)  # symmetric
