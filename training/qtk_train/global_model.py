"""Global token model (family 2, QG-VAE style): a fixed T x T tile -> N tokens of d dims -> the tile.

The conv encoder makes N feature maps at T/f x T/f; each map is flattened and projected by its own affine head to
one d-dim token, and every token position n has its own K-entry codebook ("per-frequency" codebooks). Nested dropout
(zero every token after a random index, in a third of the batches) orders the tokens coarse-to-fine, so any prefix
decodes alone. Codebooks are learnt by EMA (as the grid quantiser's), seeded from the warm-up's continuous tokens;
dead codewords restart on live encoder outputs, preferring those of the codewords with the largest decoder-gradient
load (TokenQuantiser).
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import Decoder, Encoder, init_weights
from .quant import ProductQuantiser, lookup, nearest_codewords


class TokenQuantiser(ProductQuantiser):
    """Per-position codebooks for tokens [B,N,d]: token n is "group" n of the product quantiser, so the codebooks
    are learnt by the same EMA updates (no codebook gradient). What differs from the grid quantiser:

    - data-dependent start: during the quantisation warm-up the model feeds continuous tokens to observe(); the
      codebooks are then seeded from the last init_batches batches (k-means++ seeds per token, a few Lloyd steps),
      not from the single batch of B vectors a token position sees per step;
    - revival weighted by gradient load: each codeword accumulates the squared decoder gradient arriving at the tokens
      it quantises; dead codes (EMA use < revive_threshold x mean) restart on live encoder outputs of the current
      batch, drawn with probability proportional to the load of the codeword they are assigned to (the busiest,
      worst-served codewords are split), plus revive_noise x the token's spread.

    The first version learnt the codebooks by gradient (codebook loss + 0.25 x commitment) and moved unused codewords
    onto the codeword with the largest gradient: it collapsed (perplexity ~1, every token one codeword), because the
    strong relative commitment shrank the tokens onto the few codewords Adam moved and the resets copied a codeword,
    not a data point.
    """

    def __init__(self, tokens: int, codebook_size: int, dim: int, decay: float = 0.99, revive_every: int = 100,
                 revive_threshold: float = 0.03, revive_noise: float = 0.05, init_batches: int = 64,
                 init_iters: int = 10):
        super().__init__(tokens, codebook_size, dim, decay=decay, revive_every=revive_every,
                         revive_threshold=revive_threshold, revive_noise=revive_noise)
        self.init_batches, self.init_iters = init_batches, init_iters
        self.register_buffer("grad_load", torch.zeros(tokens, codebook_size))
        self._seen: list[torch.Tensor] = []  # recent continuous tokens (not checkpointed)

    @torch.no_grad()
    def observe(self, t: torch.Tensor) -> None:
        """Remember continuous tokens [B,N,d] (warm-up) for the data-dependent codebook start."""
        self._seen.append(t.detach().float().cpu())
        del self._seen[:-self.init_batches]

    @torch.no_grad()
    def _init_from(self, t: torch.Tensor) -> None:
        x = torch.cat(self._seen[-(self.init_batches - 1):] + [t.cpu()] if self.init_batches > 1 else [t.cpu()])
        x = x.to(t.device).float()  # [M,N,d]
        self._seen.clear()
        ar = torch.arange(self.G, device=x.device)
        cb = _kmeanspp(x, self.K)
        spread = x.std(0).unsqueeze(1) if x.shape[0] > 1 else torch.ones_like(cb[:, :1])
        cb = cb + self.revive_noise * spread * torch.randn_like(cb)  # splits duplicates when M < K
        for _ in range(self.init_iters):  # Lloyd steps per token; empty clusters keep their seed
            idx = nearest_codewords(x, cb)
            flat = (idx + ar * self.K).reshape(-1)
            cnt = torch.bincount(flat, minlength=self.G * self.K).to(x.dtype).reshape(self.G, self.K, 1)
            sums = torch.zeros(self.G * self.K, self.d, dtype=x.dtype, device=x.device)
            sums.index_add_(0, flat, x.reshape(-1, self.d))
            cb = torch.where(cnt > 0, sums.reshape(self.G, self.K, self.d) / cnt.clamp_min(1), cb)
        self.codebooks.copy_(cb)
        self.ema_sum.copy_(cb)
        self.ema_count.fill_(1.0)
        self.grad_load.zero_()
        self.initialised.fill_(True)

    @torch.no_grad()
    def _revive_live(self, t: torch.Tensor, idx: torch.Tensor) -> int:
        mean = self.ema_count.mean(1, keepdim=True)
        dead = self.ema_count < self.revive_threshold * mean  # [N,K]
        nd = int(dead.sum())
        if nd:
            n_idx, k_idx = dead.nonzero(as_tuple=True)
            # weight of sample b for token n: gradient load of the codeword it is assigned to (+ a floor)
            w = self.grad_load.gather(1, idx.T)  # [N,B]
            w = w / w.sum(1, keepdim=True).clamp_min(1e-30) + 1e-3
            rows = torch.multinomial(w[n_idx], 1, replacement=True).squeeze(1)  # [nd]
            new = t[rows, n_idx]
            scale = t.std(0).mean(-1)[n_idx].unsqueeze(-1) if t.shape[0] > 1 else new.abs().mean(-1, keepdim=True)
            new = new + self.revive_noise * scale * torch.randn_like(new)
            self.codebooks[n_idx, k_idx] = new
            self.ema_count[n_idx, k_idx] = mean[n_idx, 0]
            self.ema_sum[n_idx, k_idx] = new * mean[n_idx, 0].unsqueeze(-1)
        self.grad_load.zero_()
        return nd

    def _add_load(self, grad: torch.Tensor, idx: torch.Tensor) -> None:
        flat = (idx + torch.arange(self.G, device=idx.device) * self.K).reshape(-1)
        self.grad_load.view(-1).index_add_(0, flat, grad.detach().float().pow(2).sum(-1).reshape(-1))

    def forward(self, t: torch.Tensor):
        """t [B,N,d] -> (quantised tokens with straight-through gradient, indices [B,N], stats)."""
        t = t.float()
        if self.training and not bool(self.initialised):
            self._init_from(t.detach())
        idx = nearest_codewords(t.detach(), self.codebooks)  # [B,N]
        q = lookup(idx, self.codebooks)
        stats = {}
        if self.training:
            stats["batch_counts"] = self._ema_update(t.detach(), idx)
            if self.revive_every > 0 and int(self.updates) % self.revive_every == 0:
                self.last_revived = self._revive_live(t.detach(), idx)
                stats["revived"] = self.last_revived
        # relative to the token variance, as in the grid quantiser
        var = (t.detach().var(0).mean() if t.shape[0] > 1 else t.detach().var()) + 1e-6
        stats["commit"] = F.mse_loss(t, q.detach()) / var
        out = t + (q - t).detach()
        if self.training and out.requires_grad:
            out.register_hook(lambda g, i=idx: self._add_load(g, i))
        return out, idx, stats


@torch.no_grad()
def _kmeanspp(x: torch.Tensor, k: int) -> torch.Tensor:
    """k-means++ seeding per token position: x [M,N,d] -> [N,k,d] (each pick with probability ~ squared distance
    to the nearest pick so far; with M < k the surplus picks repeat points)."""
    xt = x.transpose(0, 1)  # [N,M,d]
    n, m, _ = xt.shape
    ar = torch.arange(n, device=x.device)
    picks = [xt[ar, torch.randint(0, m, (n,), device=x.device)]]
    dmin = ((xt - picks[0][:, None]) ** 2).sum(-1)  # [N,M]
    for _ in range(k - 1):
        c = xt[ar, torch.multinomial(dmin + 1e-12 * (dmin.sum(1, keepdim=True) == 0), 1).squeeze(1)]
        picks.append(c)
        dmin = torch.minimum(dmin, ((xt - c[:, None]) ** 2).sum(-1))
    return torch.stack(picks, 1)


class TokenHeads(nn.Module):
    """N independent affine maps: [B,N,a] -> [B,N,b] (batched matmul; exports to ONNX MatMul + Add)."""

    def __init__(self, n: int, a: int, b: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n, a, b) / a ** 0.5)
        self.bias = nn.Parameter(torch.zeros(n, b))

    def forward(self, x):
        return torch.matmul(x.unsqueeze(2), self.weight).squeeze(2) + self.bias


class GlobalModel(nn.Module):
    def __init__(self, tile: int = 128, factor: int = 16, tokens: int = 256, codebook_size: int = 256, dim: int = 16,
                 widths=(32, 64, 96, 128), blocks=(0, 1, 1, 1), quant: dict | None = None, p_nested: float = 1 / 3):
        super().__init__()
        self.tile, self.factor, self.G, self.K, self.d = tile, factor, tokens, codebook_size, dim
        self.p_nested = p_nested
        self.side = tile // factor
        area = self.side * self.side
        self.enc_conv = Encoder(factor, list(widths), list(blocks), tokens)  # N feature maps
        self.enc_heads = TokenHeads(tokens, area, dim)
        self.dec_heads = TokenHeads(tokens, dim, area)
        self.dec_conv = Decoder(factor, list(widths), list(blocks), tokens)
        self.quantiser = TokenQuantiser(tokens, codebook_size, dim, **(quant or {}))
        init_weights(self)

    # Built on access so the parameters stay registered once (in this module) yet the ONNX exporter gets a module
    # that owns the parameters it traces.
    @property
    def encoder(self) -> nn.Module:
        return _GlobalEncoder(self.enc_conv, self.enc_heads)

    @property
    def decoder(self) -> nn.Module:
        return _GlobalDecoder(self.dec_heads, self.dec_conv, self.G, self.side)

    def forward(self, x, keep: torch.Tensor | None = None, quantise: bool = True):
        t = self.encoder(x)
        if quantise:
            q, idx, stats = self.quantiser(t)
        else:  # quantisation warm-up: continuous tokens, remembered for the codebooks' data-dependent start
            if self.training:
                self.quantiser.observe(t)
            q, idx, stats = t, None, {"commit": torch.zeros((), device=t.device)}
        if keep is not None:
            q = q * _token_mask(keep, self.G).to(q.dtype)
        return self.decoder(q), idx, stats, q

    def sample_keep(self, batch: int, ladder, p_full: float, gen: torch.Generator, weights=None) -> torch.Tensor:
        """Nested dropout in a third of the batches: keep tokens [0, i) with i uniform in 1..N per sample."""
        if weights is not None:
            raise ValueError("prefix_weights are for grid ladders; the global model draws token counts uniformly")
        if torch.rand((), generator=gen) < self.p_nested:
            return torch.randint(1, self.G + 1, (batch,), generator=gen)
        return torch.full((batch,), self.G)

    @torch.no_grad()
    def decode_prefix(self, q_full: torch.Tensor, g: int) -> torch.Tensor:
        keep = torch.full((q_full.shape[0],), g, device=q_full.device)
        return self.decoder(q_full * _token_mask(keep, self.G).to(q_full.dtype))


def _token_mask(keep: torch.Tensor, n: int) -> torch.Tensor:
    return (torch.arange(n, device=keep.device).unsqueeze(0) < keep.unsqueeze(1)).float().unsqueeze(-1)


class _GlobalEncoder(nn.Module):
    """image [B,3,T,T] -> tokens [B,N,d] (the exported encoder graph)."""

    def __init__(self, conv: nn.Module, heads: TokenHeads):
        super().__init__()
        self.conv, self.heads = conv, heads

    def forward(self, x):
        return self.heads(self.conv(x).flatten(2))  # N feature maps [B,N,s,s] -> one token each


class _GlobalDecoder(nn.Module):
    """tokens [B,N,d] -> image [B,3,T,T] (the exported decoder graph)."""

    def __init__(self, heads: TokenHeads, conv: nn.Module, tokens: int, side: int):
        super().__init__()
        self.heads, self.conv, self.tokens, self.side = heads, conv, tokens, side

    def forward(self, t):
        return self.conv(self.heads(t).reshape(t.shape[0], self.tokens, self.side, self.side))
