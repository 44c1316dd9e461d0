"""qtk_train.models / global_model: shapes, nested prefixes, zeroed groups in the decoder input, configs."""
from __future__ import annotations

import json

import pytest
import torch

from conftest import TRAINING
from qtk_train.global_model import GlobalModel
from qtk_train.models import GridModel, build_model, count_params


def tiny_grid(factor: int, G: int = 4, K: int = 8, d: int = 2) -> GridModel:
    n = factor.bit_length() - 1
    torch.manual_seed(0)
    return GridModel(factor, G, K, d, widths=[4] * n, blocks=[0] * (n - 1) + [1])


@pytest.mark.parametrize("factor,h,w", [(4, 12, 20), (8, 16, 24), (16, 32, 48)])
def test_grid_model_shapes(factor, h, w):
    m = tiny_grid(factor).train()
    x = torch.rand(2, 3, h, w)
    y, idx, stats, q = m(x)
    assert y.shape == x.shape
    assert q.shape == (2, 4 * 2, h // factor, w // factor)
    assert idx.shape == (2, h // factor, w // factor, 4) and idx.dtype == torch.long
    assert int(idx.min()) >= 0 and int(idx.max()) < 8
    assert stats["commit"].dim() == 0
    assert m.encoder(x).shape == q.shape
    m.eval()
    with torch.no_grad():
        y2, idx2, _, _ = m(x)
    assert y2.shape == x.shape and idx2.shape == idx.shape


def test_grid_model_continuous_mode_skips_the_quantiser():
    m = tiny_grid(4).train()
    x = torch.rand(1, 3, 8, 8)
    y, idx, stats, q = m(x, quantise=False)
    assert idx is None and float(stats["commit"]) == 0.0
    assert torch.equal(q, m.encoder(x))
    assert not bool(m.quantiser.initialised)  # codebooks not seeded before quantisation starts


def test_bad_factor_is_rejected():
    with pytest.raises(ValueError):
        GridModel(6, 2, 4, 2, widths=[4, 4], blocks=[0, 0])


def test_prefix_zeroes_exactly_the_later_groups_of_the_decoder_input():
    m = tiny_grid(4, G=4, d=2).eval()
    seen = []
    m.decoder.register_forward_pre_hook(lambda mod, args: seen.append(args[0].detach().clone()))
    x = torch.rand(3, 3, 8, 12)
    keep = torch.tensor([1, 3, 4])
    with torch.no_grad():
        y, _, _, q = m(x, keep)
    dec_in = seen[-1]
    assert torch.equal(dec_in, q)
    for b, k in enumerate(keep.tolist()):
        assert dec_in[b, 2 * k:].abs().sum() == 0, b          # groups >= k are exactly zero
        for g in range(k):                                     # groups < k carry codewords
            assert dec_in[b, 2 * g:2 * g + 2].abs().sum() > 0, (b, g)
    assert y.shape == x.shape


def test_decode_prefix_decodes_each_ladder_point():
    m = tiny_grid(4, G=4, d=2).eval()
    seen = []
    m.decoder.register_forward_pre_hook(lambda mod, args: seen.append(args[0].detach().clone()))
    with torch.no_grad():
        _, _, _, q = m(torch.rand(2, 3, 8, 8))
        full = m.decoder(q)
        outs = {}
        for g in (1, 2, 3, 4):
            outs[g] = m.decode_prefix(q, g)
            assert outs[g].shape == (2, 3, 8, 8)
            assert seen[-1][:, 2 * g:].abs().sum() == 0 and torch.equal(seen[-1][:, :2 * g], q[:, :2 * g])
    assert torch.equal(outs[4], full)
    assert not torch.allclose(outs[1], full)  # dropping groups changes the picture


def test_global_model_shapes_and_prefix():
    torch.manual_seed(0)
    m = GlobalModel(tile=32, factor=8, tokens=6, codebook_size=4, dim=3, widths=(4, 4, 4), blocks=(0, 0, 1)).train()
    x = torch.rand(2, 3, 32, 32)
    y, idx, stats, q = m(x)
    assert y.shape == x.shape
    assert q.shape == (2, 6, 3) and idx.shape == (2, 6)
    assert "commit" in set(stats) and "codebook" not in stats  # EMA codebooks: no codebook loss
    # gradient reaches the encoder (straight-through + commitment); the codebooks are buffers
    (y.mean() + stats["commit"]).backward()
    assert float(m.enc_heads.weight.grad.abs().sum()) > 0
    assert not any(n.startswith("quantiser.") for n, _ in m.named_parameters())
    assert float(m.quantiser.grad_load.sum()) > 0  # the decoder gradient's load per codeword (for revival)
    m.eval()
    seen = []
    dec = m.decoder  # built on access; its sub-modules are the model's own
    assert dec.heads is m.dec_heads and dec.conv is m.dec_conv
    with torch.no_grad():
        _, _, _, q = m(x)
        h = m.dec_heads.register_forward_pre_hook(lambda mod, args: seen.append(args[0].clone()))
        for n in (1, 4, 6):
            out = m.decode_prefix(q, n)
            assert out.shape == x.shape
            assert seen[-1][:, n:].abs().sum() == 0 and torch.equal(seen[-1][:, :n], q[:, :n])
        h.remove()
        keep = m.sample_keep(5, [2, 6], 0.4, torch.Generator().manual_seed(0))
        assert keep.shape == (5,) and int(keep.min()) >= 1 and int(keep.max()) <= 6


@pytest.mark.parametrize("name", ["grid-f16.json", "grid-f8.json", "global-t128.json"])
def test_committed_configs_build(name):
    cfg = json.loads((TRAINING / "configs" / name).read_text())
    m = build_model(cfg)
    assert count_params(m) > 100_000
    assert max(cfg["ladder"]) == m.G and min(cfg["ladder"]) >= 1
    assert cfg["ladder"] == sorted(cfg["ladder"])
    if cfg["model"].get("kind", "grid") == "grid":
        assert cfg["halo"] % cfg["model"]["factor"] == 0  # the spec: halo is a multiple of f


def test_grid_f16_parameter_count_is_as_documented():
    cfg = json.loads((TRAINING / "configs" / "grid-f16.json").read_text())
    assert round(count_params(build_model(cfg)) / 1e6, 2) == 2.61  # README: "2.61 M params"


def test_unknown_model_kind_is_rejected():
    with pytest.raises(ValueError):
        build_model({"model": {"kind": "nope"}})
