"""qtk_train.global_model.TokenQuantiser: EMA per-position codebooks, data-dependent start from the warm-up's tokens,
revival of dead codewords on live encoder outputs weighted by gradient load."""
from __future__ import annotations

import torch

from qtk_train.global_model import GlobalModel, TokenQuantiser


def tq(**kw) -> TokenQuantiser:
    torch.manual_seed(0)
    return TokenQuantiser(tokens=3, codebook_size=4, dim=2, **kw).train()


def clustered(batch: int, centres: torch.Tensor, gen: torch.Generator, spread: float = 0.05) -> torch.Tensor:
    """[batch, N, d] tokens: token n of each sample is one of centres[n] (random pick) + small noise."""
    N, K, d = centres.shape
    pick = torch.randint(0, K, (batch, N), generator=gen)
    return centres[torch.arange(N), pick] + spread * torch.randn(batch, N, d, generator=gen)


def test_codebooks_are_ema_buffers_not_parameters():
    q = tq()
    assert not list(q.parameters())
    assert "codebooks" in dict(q.named_buffers())


def test_codebooks_start_from_the_warm_up_tokens_not_one_batch():
    gen = torch.Generator().manual_seed(1)
    centres = torch.randn(3, 4, 2, generator=gen) * 10 + 40  # far from the random N(0, 0.1) start
    q = tq(revive_every=0, init_batches=8, init_iters=10)
    for _ in range(7):
        q.observe(clustered(4, centres, gen))  # 28 warm-up tokens per position
    assert not bool(q.initialised)
    # The first quantised batch holds only one cluster per token: seeding from it alone could not find the others.
    first = centres[:, :1].transpose(0, 1).expand(4, 3, 2).clone()
    q(first)
    assert bool(q.initialised) and q._seen == []
    for n in range(3):
        # k-means on the observed tokens recovers every cluster centre of every position
        dist = torch.cdist(centres[n], q.codebooks[n]).min(1).values
        assert float(dist.max()) < 0.5, (n, dist)


def test_codebook_start_without_warm_up_uses_the_batch():
    gen = torch.Generator().manual_seed(2)
    q = tq(revive_every=0)
    t = torch.randn(6, 3, 2, generator=gen) * 3 + 20
    q(t)
    for n in range(3):
        assert float(torch.cdist(q.codebooks[n], t[:, n]).min(1).values.max()) < 2.0


def test_gradient_load_accumulates_per_assigned_codeword():
    q = tq(revive_every=0)
    q.initialised.fill_(True)
    cb = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]]).expand(3, 4, 2).clone()
    q.codebooks.copy_(cb)
    q.ema_sum.copy_(cb)
    t = torch.tensor([[[9.0, 1.0]] * 3, [[1.0, 9.0]] * 3]).requires_grad_()  # sample 0 -> code 1, sample 1 -> 2
    out, idx, _ = q(t)
    assert idx.tolist() == [[1, 1, 1], [2, 2, 2]]
    g = torch.zeros_like(out)
    g[0] = 3.0  # decoder gradient only on sample 0: |g|^2 = 9 + 9 per token
    out.backward(g)
    assert torch.allclose(t.grad, g)  # straight-through
    want = torch.zeros(3, 4)
    want[:, 1] = 18.0
    assert torch.allclose(q.grad_load, want)


def test_dead_codes_restart_on_live_outputs_of_the_loaded_codeword():
    q = tq(revive_every=1, revive_noise=0.01)
    q.initialised.fill_(True)
    cb = torch.tensor([[0.0, 0.0], [10.0, 0.0], [50.0, 50.0], [60.0, 60.0]]).expand(3, 4, 2).clone()
    count = torch.tensor([100.0, 100.0, 0.0, 0.0]).expand(3, 4).clone()  # codes 2, 3 dead everywhere
    q.codebooks.copy_(cb)
    q.ema_count.copy_(count)
    q.ema_sum.copy_(cb * count.unsqueeze(-1))
    q.grad_load[:, 1] = 1.0  # only codeword 1 carried decoder gradient: its samples are the ones to split
    gen = torch.Generator().manual_seed(3)
    t = torch.cat([0.1 * torch.randn(4, 3, 2, generator=gen),                        # 4 samples -> code 0
                   torch.tensor([10.0, 0.0]) + 0.1 * torch.randn(4, 3, 2, generator=gen)])  # 4 -> code 1
    _, idx, stats = q(t)
    assert (idx[:4] == 0).all() and (idx[4:] == 1).all()
    assert stats["revived"] == 6
    for n in range(3):
        for k in (2, 3):
            d = (t[4:, n] - q.codebooks[n, k]).norm(dim=1).min()
            assert float(d) < 0.1, (n, k)  # on a live output assigned to the loaded codeword (+ small noise)
            # given the position's mean EMA use (after this batch: 99.04, 99.04, 0, 0) so it is not killed at once
            assert abs(float(q.ema_count[n, k]) - 99.04 / 2) < 1e-3
    assert float(q.grad_load.abs().sum()) == 0  # load restarts after each revival
    # revived codes now win tokens
    q.eval()
    _, idx_eval, _ = q(t)
    assert len(idx_eval[4:, 0].unique()) >= 2


def test_eval_mode_changes_no_state():
    q = tq()
    q.observe(torch.randn(4, 3, 2))
    q(torch.randn(4, 3, 2))  # initialise
    q.eval()
    before = {k: v.clone() for k, v in q.state_dict().items()}
    q(torch.randn(4, 3, 2))
    for k, v in q.state_dict().items():
        assert torch.equal(v, before[k]), k


def test_global_model_warm_up_observes_then_seeds_and_quantises():
    torch.manual_seed(0)
    m = GlobalModel(tile=32, factor=8, tokens=6, codebook_size=4, dim=3, widths=(4, 4, 4), blocks=(0, 0, 1),
                    quant={"init_batches": 4}).train()
    x = torch.rand(2, 3, 32, 32)
    for _ in range(3):
        _, idx, stats, q = m(x, quantise=False)
        assert idx is None and float(stats["commit"]) == 0
    assert len(m.quantiser._seen) == 3 and not bool(m.quantiser.initialised)
    y, idx, stats, q = m(x)
    assert bool(m.quantiser.initialised)
    assert y.shape == x.shape and idx.shape == (2, 6)
