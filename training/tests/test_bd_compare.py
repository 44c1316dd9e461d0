"""bd_compare: the BD-rate of a curve against itself is 0, against the same qualities at 10 % fewer bits -10 %."""
from __future__ import annotations

import numpy as np
import pytest

import bd_compare as bd


def test_bd_rate_reads_a_uniform_rate_change_exactly():
    rate = np.array([0.1, 0.2, 0.4, 0.6, 0.8, 1.0])
    psnr = 30 + 4 * np.log2(rate)
    assert bd.bd_rate(rate, psnr, rate, psnr) == pytest.approx(0, abs=1e-9)
    assert bd.bd_rate(rate, psnr, 0.9 * rate, psnr) == pytest.approx(-10, abs=1e-6)
    assert bd.bd_rate(0.9 * rate, psnr, rate, psnr) == pytest.approx(100 / 9, abs=1e-6)


def test_curves_without_a_common_quality_range_are_refused():
    rate = np.array([0.1, 0.2, 0.4, 0.8])
    with pytest.raises(ValueError, match="no quality range"):
        bd.bd_rate(rate, np.array([20, 21, 22, 23.0]), rate, np.array([30, 31, 32, 33.0]))
