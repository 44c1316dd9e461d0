"""qtk_train.hyper_model: the grid-sq-hp family (mean-scale hyperprior with an integer-exact synthesis)."""
from __future__ import annotations

import numpy as np
import torch

from qtk_train.hyper_model import (ACT_MAX, S, HyperGridModel, act_bucket, context_integer, gaussian_bits,
                                   h_s_integer, mean_range, requant_params, scale_table)
from qtk_train.models import build_model
from qtk_train.scalar_model import ScalarGridModel


def tiny(seed: int = 0) -> HyperGridModel:
    torch.manual_seed(seed)
    return HyperGridModel(factor=4, groups=6, levels=16, width=8, ladder=[2, 4, 6], hyper_channels=3,
                          hyper_hidden=5, analysis_hidden=8)


def int_params(m: HyperGridModel) -> list[dict]:
    return [layer.integer_params() for layer in (m.h_s.l1, m.h_s.l2, m.h_s.l3)]


def test_requant_multiplier_is_normalised_and_close():
    alpha = np.array([1e-7, 3.3e-4, 0.5, 1.0, 7.9, 2 ** -10])
    m, r = requant_params(alpha)
    assert np.all((m >= 1 << 14) & (m < 1 << 15))
    assert np.all(np.abs(m / np.exp2(r) / alpha - 1) < 2 ** -14)


def test_integer_twin_reproduces_the_trained_network_exactly():
    for seed in range(5):
        m = tiny(seed).eval()
        g = torch.Generator().manual_seed(seed)
        x = torch.rand(1, 3, 16 + 4 * seed, 24, generator=g)  # heights not a multiple of the hyper factor
        with torch.no_grad():
            y = m.encoder(x)
            z, z_hat, mean, scale = m.hyper(y)
        mi, si = h_s_integer(int_params(m), z_hat[0].numpy().astype(np.int64), m.G, m.K)
        h, w = y.shape[2:]
        assert np.array_equal(mi[:, :h, :w], mean[0].numpy().astype(np.int64))
        assert np.array_equal(si[:, :h, :w], scale[0].numpy().astype(np.int64))
        lo, hi = mean_range(m.K)
        assert mi.min() >= lo and mi.max() <= hi and si.min() >= 0 and si.max() <= S - 1


def test_integer_layer_arithmetic_by_hand():
    # one 1x1 layer: acc = b + w * a; out = clamp((acc * M + 2^(R-1)) >> R): floor division of negatives too
    from qtk_train.hyper_model import int_layer
    prm = {"w": np.array([[[[3]]], [[[-5]]]]), "b": np.array([1, 0]), "m": np.array([1 << 14, 3 << 13]),
           "r": np.array([15, 15])}
    a = np.array([[[0, 1, 7, 100]]])
    out = int_layer(a, prm, False, np.array([-1000, -1000]), np.array([1000, 1000]))
    # channel 0: (1 + 3a) / 2 rounded half up; channel 1: -5a * 0.75 rounded half up (floor(x + 0.5))
    assert out[0].ravel().tolist() == [1, 2, 11, 151]
    assert out[1].ravel().tolist() == [0, -4, -26, -375]


def test_hidden_activations_are_uint8_and_scales_index_the_table():
    m = tiny(1).eval()
    z_hat = torch.randint(-31, 32, (1, 3, 2, 3)).float()
    with torch.no_grad():
        h = m.h_s.l1(z_hat, m.h_s.lo_h, m.h_s.hi_h)
        mean, scale = m.h_s(z_hat)
    assert h.min() >= 0 and h.max() <= ACT_MAX and torch.equal(h, h.round())
    assert torch.equal(scale, scale.round()) and scale.min() >= 0 and scale.max() <= S - 1
    t = scale_table()
    assert len(t) == S and abs(t[0] - 0.11) < 1e-12 and abs(t[-1] - 64) < 1e-9 and np.all(np.diff(t) > 0)


def test_gaussian_bits_match_the_discretised_normal():
    from math import erf, log2, sqrt
    y, mu, sd = torch.tensor([0.0, 2.0, -7.0, 30.0]), torch.tensor([0.25, 0.0, -6.5, 0.0]), torch.tensor([0.5, 1.0, 3.0, 2.0])
    cdf = lambda v: 0.5 * (1 + erf(v / sqrt(2)))
    want = [-log2(max(1e-9, cdf((a - b + 0.5) / c) - cdf((a - b - 0.5) / c))) for a, b, c in
            zip(y.tolist(), mu.tolist(), sd.tolist())]
    assert np.allclose(gaussian_bits(y, mu, sd).numpy(), want, rtol=1e-4, atol=1e-4)


def test_prefix_pays_z_once_and_masks_later_groups():
    m = tiny(2).train()
    x = torch.rand(2, 3, 16, 16)
    torch.manual_seed(5)
    _, _, full, _ = m(x, torch.tensor([6, 6]))
    torch.manual_seed(5)
    _, _, part, _ = m(x, torch.tensor([2, 2]))
    assert torch.allclose(full["bpp_z"], part["bpp_z"])  # z is coded once whatever the prefix
    assert torch.all(part["bpp"] < full["bpp"]) and torch.all(part["bpp"] > part["bpp_z"])


def test_training_step_reaches_every_part_and_grid_sq_weights_load():
    m = tiny(3).train()
    src = ScalarGridModel(factor=4, groups=6, levels=16, width=8, ladder=[2, 4, 6])
    res = m.load_state_dict(src.state_dict(), strict=False)
    assert not res.unexpected_keys and {k.split(".")[0] for k in res.missing_keys} == {
        "h_a", "h_s", "z_density", "scales", "ctx", "mean_lo", "mean_hi"}
    x = torch.rand(2, 3, 32, 32)
    keep = torch.tensor([4, 6])
    y, _, stats, _ = m(x, keep)
    m.rd_loss(x, y, stats, keep).backward()
    with torch.no_grad():  # the context terms start at zero: give them a value so their gradient shows
        m.ctx.a.fill_(0.01); m.ctx.e.normal_()
    y, _, stats, _ = m(x, keep)
    m.zero_grad()
    m.rd_loss(x, y, stats, keep, rate_weight=0.5).backward()
    for name in ("encoder", "decoder", "h_a", "h_s", "z_density", "density", "ctx"):
        grads = [p.grad.abs().sum().item() for n, p in m.named_parameters() if n.startswith(name) and p.grad is not None]
        assert grads and sum(grads) > 0, name


def test_build_model_knows_the_kind():
    cfg = {"model": {"kind": "grid-sq-hp", "factor": 4, "groups": 6, "levels": 16, "width": 8, "lam_lo": 0.01,
                     "lam_hi": 0.1, "hyper_channels": 3, "hyper_hidden": 5, "analysis_hidden": 8}, "ladder": [2, 4, 6]}
    m = build_model(cfg)
    assert isinstance(m, HyperGridModel) and m.Cz == 3


def test_activity_buckets_are_bit_lengths():
    v = np.array([0, 1, 2, 3, 4, 7, 8, 15, 16, 1000])
    want = [0, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert act_bucket(v).tolist() == want
    assert act_bucket(torch.tensor(v)).tolist() == want


def test_full_distribution_matches_its_integer_twin():
    """h_s plus the context terms, each in integers, then the sums clamped: what a decoder computes."""
    for seed in range(4):
        m = tiny(seed).eval()
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            m.ctx.a.copy_(torch.randn(m.ctx.a.shape, generator=g) * 0.3)
            m.ctx.b.copy_(torch.randn(m.ctx.b.shape, generator=g) * 0.3)
            m.ctx.e.copy_(torch.randn(m.ctx.e.shape, generator=g))
            x = torch.rand(1, 3, 20, 28, generator=g)
            y = m.encoder(x) * 4
            q = torch.round(y.clamp(-8, 7))
            z, z_hat, mean, scale = m.distribution(y, q)
        mi, si = h_s_integer(int_params(m), z_hat[0].numpy().astype(np.int64), m.G, m.K)
        h, w = q.shape[2:]
        dm, ds = context_integer(m.ctx.integer_params(), q[0].numpy().astype(np.int64))
        lo, hi = mean_range(m.K)
        want_m = np.clip(mi[:, :h, :w] + dm, lo, hi)
        want_s = np.clip(si[:, :h, :w] + ds, 0, S - 1)
        assert np.abs(dm).max() > 0 and np.abs(ds).max() > 0  # the context terms are exercised
        assert np.array_equal(want_m, mean[0].numpy().astype(np.int64))
        assert np.array_equal(want_s, scale[0].numpy().astype(np.int64))
