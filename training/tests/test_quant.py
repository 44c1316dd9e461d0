"""qtk_train.quant: nearest codeword, straight-through gradient, EMA codebooks, dead-code revival, nested masks."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from qtk_train.bundle import quantise_np
from qtk_train.quant import (ProductQuantiser, from_groups, group_mask, lookup, nearest_codewords, sample_prefixes,
                             to_groups)


def brute_force(z: torch.Tensor, cb: torch.Tensor) -> torch.Tensor:
    """Loop version of the spec's rule: smallest squared Euclidean distance, ties to the lowest index."""
    M, G, _ = z.shape
    out = torch.empty(M, G, dtype=torch.long)
    for m in range(M):
        for g in range(G):
            best, best_k = None, -1
            for k in range(cb.shape[1]):
                dist = float(((z[m, g] - cb[g, k]) ** 2).sum())
                if best is None or dist < best:
                    best, best_k = dist, k
            out[m, g] = best_k
    return out


def test_nearest_codewords_matches_brute_force():
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(40, 3, 4, generator=gen, dtype=torch.float64)
    cb = torch.randn(3, 8, 4, generator=gen, dtype=torch.float64)
    idx = nearest_codewords(z, cb)
    assert idx.shape == (40, 3)
    assert torch.equal(idx, brute_force(z, cb))
    assert len(idx.unique()) > 4  # a non-trivial case: many different codewords win


def test_nearest_codewords_ties_go_to_lowest_index():
    cb = torch.tensor([[[5.0, 5.0], [1.0, 2.0], [9.0, 9.0], [1.0, 2.0]]])  # codewords 1 and 3 equal
    z = torch.tensor([[[1.0, 2.0]], [[1.2, 2.1]], [[9.0, 9.1]]])
    assert nearest_codewords(z, cb).flatten().tolist() == [1, 1, 2]
    # The numpy rule the bundle / Java side uses agrees.
    idx, _ = quantise_np(z.reshape(3, 2).T.reshape(2, 3, 1).numpy(), cb.numpy())
    assert idx.flatten().tolist() == [1, 1, 2]


def test_numpy_quantiser_agrees_with_torch_and_dequantises():
    gen = torch.Generator().manual_seed(1)
    G, K, d, h, w = 3, 6, 2, 4, 5
    z = torch.randn(1, G * d, h, w, generator=gen)
    cb = torch.randn(G, K, d, generator=gen)
    idx_np, q_np = quantise_np(z[0].numpy(), cb.numpy())
    idx_t = nearest_codewords(to_groups(z, d), cb)  # [h*w, G]
    assert np.array_equal(idx_np, idx_t.numpy().T)
    q_t = from_groups(lookup(idx_t, cb), z.shape)
    assert np.allclose(q_np, q_t[0].numpy(), atol=1e-6)


def test_group_layout_round_trip():
    z = torch.arange(2 * 6 * 3 * 4, dtype=torch.float32).reshape(2, 6, 3, 4)
    zg = to_groups(z, 2)
    assert zg.shape == (2 * 3 * 4, 3, 2)
    # group g at position (b, y, x) is channels [2g, 2g+2) there
    assert torch.equal(zg[1 * 12 + 2 * 4 + 3, 1], z[1, 2:4, 2, 3])
    assert torch.equal(from_groups(zg, z.shape), z)


def quantiser(**kw) -> ProductQuantiser:
    torch.manual_seed(0)
    return ProductQuantiser(groups=2, codebook_size=4, dim=2, **kw)


def test_straight_through_gradient_reaches_the_encoder():
    torch.manual_seed(0)
    enc = torch.nn.Conv2d(3, 4, 1)
    q = quantiser(revive_every=0).train()
    x = torch.randn(2, 3, 3, 3)
    q(enc(x).detach())  # seeds the codebooks
    cb = q.codebooks.clone()  # the codewords this batch is quantised with (the EMA update comes after)
    z = enc(x)
    out, idx, stats = q(z)
    assert out.shape == z.shape and idx.shape == (2, 3, 3, 2)
    # Forward value: exactly the chosen codewords, several different ones.
    assert torch.allclose(out, from_groups(lookup(idx.reshape(-1, 2), cb), z.shape), atol=1e-6)  # z + (q - z)
    assert len(idx[..., 0].unique()) > 1
    assert not torch.allclose(out, z)
    # Backward: identity to z (straight-through), so d(sum out * w)/dz = w, and the conv weights get gradient.
    wgt = torch.randn_like(out)
    z.retain_grad()
    (out * wgt).sum().backward()
    assert torch.allclose(z.grad, wgt)
    assert enc.weight.grad is not None and float(enc.weight.grad.abs().sum()) > 0
    assert q.codebooks.grad is None  # EMA codebooks are buffers, no gradient
    # The commitment term has a gradient into the encoder output too.
    z2 = enc(x)
    _, _, stats2 = q(z2)
    g, = torch.autograd.grad(stats2["commit"], z2)
    assert float(g.abs().sum()) > 0


def test_first_training_batch_seeds_codebooks_from_encoder_outputs():
    q = quantiser(revive_every=0).train()
    z = torch.randn(4, 4, 3, 3) * 5 + 10  # far from the random N(0, 0.1) start
    assert not bool(q.initialised)
    q(z)
    assert bool(q.initialised)
    zg = to_groups(z, 2)
    for g in range(2):
        # every codeword is (close to) one of the group's encoder outputs
        dmin = torch.cdist(q.codebooks[g], zg[:, g]).min(1).values
        assert float(dmin.max()) < 1.0


def test_eval_mode_changes_nothing():
    q = quantiser()
    q.eval()
    before = {k: v.clone() for k, v in q.state_dict().items()}
    q(torch.randn(2, 4, 2, 2))
    for k, v in q.state_dict().items():
        assert torch.equal(v, before[k]), k


def test_ema_update_moves_assigned_codeword_toward_its_vectors():
    decay = 0.5
    q = quantiser(decay=decay, revive_every=0).train()
    q.initialised.fill_(True)
    cb = torch.tensor([[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]]] * 2)
    q.codebooks.copy_(cb)
    q.ema_sum.copy_(cb)
    q.ema_count.fill_(1.0)
    # All 8 vectors of group 0 sit near codeword 1 (mean (8, 1)); group 1's near codeword 2 (mean (1, 8)).
    z = torch.zeros(2, 4, 2, 2)
    z[:, 0], z[:, 1] = 8.0, 1.0
    z[:, 2], z[:, 3] = 1.0, 8.0
    z[0, 0, 0, 0] = 7.0  # not all identical: group 0 mean x = (7 + 7 * 8) / 8
    _, idx, stats = q(z)
    assert (idx[..., 0] == 1).all() and (idx[..., 1] == 2).all()
    assert stats["batch_counts"][0].tolist() == [0, 8, 0, 0]
    mean0 = torch.tensor([63.0 / 8, 1.0])
    # count 1 -> 0.5 + 0.5 * 8 = 4.5; sum -> 0.5 * (10, 0) + 0.5 * 8 * mean: the EMA mean of the assigned vectors.
    want = (decay * cb[0, 1] + (1 - decay) * 8 * mean0) / (decay + (1 - decay) * 8)
    assert torch.allclose(q.codebooks[0, 1], want, atol=1e-3)
    assert torch.allclose(q.codebooks[1, 2], (decay * cb[1, 2] + (1 - decay) * 8 * torch.tensor([1.0, 8.0]))
                          / (decay + (1 - decay) * 8), atol=1e-3)
    # closer to the data than before, and unassigned codewords stay (essentially) where they were
    assert float((q.codebooks[0, 1] - mean0).norm()) < float((cb[0, 1] - mean0).norm())
    for k in (0, 2, 3):
        assert torch.allclose(q.codebooks[0, k], cb[0, k], atol=1e-3)
    assert torch.allclose(q.ema_count[0], torch.tensor([0.5, 4.5, 0.5, 0.5]))
    assert int(q.updates) == 1


def test_dead_codes_are_revived_from_encoder_outputs():
    q = quantiser(revive_every=1, revive_threshold=0.03, revive_noise=0.01).train()
    q.initialised.fill_(True)
    cb = torch.tensor([[[0.0, 0.0], [50.0, 50.0], [60.0, 60.0], [70.0, 70.0]]] * 2)
    q.codebooks.copy_(cb)
    count = torch.tensor([[1000.0, 1.0, 1.0, 1.0], [1000.0, 1000.0, 1000.0, 1.0]])
    q.ema_count.copy_(count)
    q.ema_sum.copy_(cb * count.unsqueeze(-1))  # consistent EMA state: codeword = sum / count
    torch.manual_seed(3)
    z = torch.randn(2, 4, 3, 3)  # every vector is nearest codeword 0
    _, idx, stats = q(z)
    assert (idx == 0).all()
    # dead (EMA use < 3 % of the group mean): group 0 codes 1-3, group 1 code 3
    assert stats["revived"] == 4 and q.last_revived == 4
    zg = to_groups(z, 2)
    # group means of the EMA use after this batch's update (all 18 vectors per group went to code 0)
    ema = 0.99 * torch.tensor([[1000.0, 1.0, 1.0, 1.0], [1000.0, 1000.0, 1000.0, 1.0]])
    ema[:, 0] += 0.01 * 18
    for g, dead in ((0, [1, 2, 3]), (1, [3])):
        for k in dead:
            dist = (zg[:, g] - q.codebooks[g, k]).norm(dim=1).min()
            assert float(dist) < 0.1, (g, k)  # moved onto an encoder output (+ 1 % noise)
            # given the group's mean use so that it is not killed again at once
            assert float(q.ema_count[g, k]) == pytest.approx(float(ema[g].mean()), rel=1e-5)
            assert torch.allclose(q.ema_sum[g, k], q.codebooks[g, k] * ema[g].mean(), rtol=1e-5)
    # live codes are not revived (they only follow the EMA, which leaves unassigned ones in place)
    assert torch.allclose(q.codebooks[1, 1:3], cb[1, 1:3], atol=1e-2)
    assert torch.allclose(q.ema_count[1, :3], ema[1, :3])


def test_revival_runs_only_every_n_updates():
    q = quantiser(revive_every=3).train()
    q.initialised.fill_(True)
    q.ema_count.copy_(torch.tensor([[1000.0, 1.0, 1.0, 1.0]] * 2))
    z = torch.zeros(1, 4, 2, 2)
    q.codebooks[:, 0] = 0.0
    _, _, s1 = q(z)
    _, _, s2 = q(z)
    _, _, s3 = q(z)
    assert "revived" not in s1 and "revived" not in s2
    assert s3["revived"] > 0


def test_usage_reports_live_fraction_and_perplexity():
    q = quantiser()
    q.ema_count.copy_(torch.tensor([[1.0, 1.0, 1.0, 1.0], [100.0, 100.0, 0.0, 0.0]]))
    live, perp = q.usage()
    assert live.tolist() == [1.0, 0.5]
    assert perp.tolist() == pytest.approx([4.0, 2.0], rel=1e-5)


def test_group_mask_zeroes_exactly_the_groups_from_the_cut_off():
    G, d = 5, 3
    keep = torch.tensor([0, 1, 3, 5])
    m = group_mask(keep, G, d)
    assert m.shape == (4, G * d, 1, 1)
    for b, k in enumerate(keep.tolist()):
        for c in range(G * d):
            assert float(m[b, c, 0, 0]) == (1.0 if c // d < k else 0.0), (b, c)


def test_sample_prefixes_draws_from_the_ladder():
    ladder = [1, 2, 4, 8]
    gen = torch.Generator().manual_seed(0)
    never_full = sample_prefixes(200, ladder, 0.0, gen)
    assert set(never_full.tolist()) == {1, 2, 4}
    assert sample_prefixes(50, ladder, 1.0, gen).eq(8).all()
    mixed = sample_prefixes(400, ladder, 0.4, gen)
    assert set(mixed.tolist()) <= set(ladder)
    assert 0.25 < float(mixed.eq(8).float().mean()) < 0.55
    a = sample_prefixes(20, ladder, 0.4, torch.Generator().manual_seed(7))
    b = sample_prefixes(20, ladder, 0.4, torch.Generator().manual_seed(7))
    assert torch.equal(a, b)


def test_sample_prefixes_follows_rung_weights():
    ladder = [1, 2, 4, 8]
    gen = torch.Generator().manual_seed(3)
    drawn = sample_prefixes(3000, ladder, 0.0, gen, [0.0, 1.0, 3.0])
    assert 1 not in drawn.tolist()  # weight 0: never drawn
    share4 = float(drawn.eq(4).float().mean())
    assert 0.70 < share4 < 0.80  # 3 / (1 + 3)
    assert sample_prefixes(50, ladder, 1.0, gen, [1.0, 1.0, 1.0]).eq(8).all()
    with pytest.raises(ValueError, match="prefix weights"):
        sample_prefixes(4, ladder, 0.0, gen, [1.0, 1.0])  # one per rung below the full set
    with pytest.raises(ValueError, match="prefix weights"):
        sample_prefixes(4, ladder, 0.0, gen, [1.0, -1.0, 1.0])
