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


def test_rate_change_per_point_reads_the_reference_curve():
    rate = np.array([0.1, 0.2, 0.4, 0.8])
    psnr = np.array([20, 22, 24, 26.0])
    # B: the same qualities at 20 % fewer bits; one point between A's points; one beyond A's range
    ch = bd.rate_change_at_equal_quality(rate, psnr, np.array([0.08, 0.16, 0.3, 1.0]), np.array([20, 22, 23, 27.0]))
    assert ch[0] == pytest.approx(-20) and ch[1] == pytest.approx(-20)
    assert ch[2] == pytest.approx((0.3 / np.sqrt(0.2 * 0.4) - 1) * 100)  # log-rate half-way between 0.2 and 0.4
    assert np.isnan(ch[3])
    with pytest.raises(ValueError, match="does not ascend"):
        bd.rate_change_at_equal_quality(rate, psnr[::-1], rate, psnr)
