"""Global token model (family 2, QG-VAE style): a fixed T x T tile -> N tokens of d dims -> the tile.

The conv encoder makes N feature maps at T/f x T/f; each map is flattened and projected by its own affine head to
one d-dim token, and every token position n has its own K-entry codebook ("per-frequency" codebooks). Nested dropout
(zero every token after a random index, in a third of the batches) orders the tokens coarse-to-fine, so any prefix
decodes alone. Codebooks are learnt by gradient (codebook + commitment loss); unused codewords are periodically moved
onto the codeword with the largest accumulated gradient magnitude of the same token, plus noise.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import Decoder, Encoder, init_weights
from .quant import lookup, nearest_codewords


class TokenQuantiser(nn.Module):
    def __init__(self, tokens: int, codebook_size: int, dim: int, reset_every: int = 500, reset_noise: float = 0.05):
        super().__init__()
        self.G, self.K, self.d = tokens, codebook_size, dim  # G: same attribute names as the grid quantiser
        self.reset_every, self.reset_noise = reset_every, reset_noise
        self.codebooks = nn.Parameter(torch.randn(tokens, codebook_size, dim) * 0.1)
        self.register_buffer("usage_since_reset", torch.zeros(tokens, codebook_size))
        self.register_buffer("ema_count", torch.ones(tokens, codebook_size))
        self.register_buffer("grad_acc", torch.zeros(tokens, codebook_size))
        self.register_buffer("initialised", torch.zeros((), dtype=torch.bool))
        self.register_buffer("updates", torch.zeros((), dtype=torch.long))
        self.last_revived = 0
        # Accumulate |gradient| per codeword during backward: the reset donors are the busiest codewords.
        self.codebooks.register_hook(self._grad_hook)

    def _grad_hook(self, grad):
        self.grad_acc.add_(grad.detach().abs().sum(-1))
        return grad

    @torch.no_grad()
    def _init_from(self, t: torch.Tensor) -> None:
        # Token n's codewords start around the batch's token-n vectors (the batch is small: add spread).
        b = t.shape[0]
        pick = torch.randint(0, b, (self.G, self.K), device=t.device)
        base = t[pick, torch.arange(self.G, device=t.device)[:, None]]
        spread = t.std(0).unsqueeze(1) if b > 1 else torch.ones_like(base[:, :1])
        self.codebooks.data.copy_(base + 0.5 * spread * torch.randn_like(base))
        self.initialised.fill_(True)

    @torch.no_grad()
    def _reset_dead(self) -> int:
        dead = self.usage_since_reset == 0  # [N,K]
        nd = int(dead.sum())
        if nd:
            donor = self.grad_acc.argmax(1)  # [N]
            n_idx, k_idx = dead.nonzero(as_tuple=True)
            src = self.codebooks.data[n_idx, donor[n_idx]]
            scale = self.codebooks.data.std(1).mean(-1)[n_idx].unsqueeze(-1)
            self.codebooks.data[n_idx, k_idx] = src + self.reset_noise * scale * torch.randn_like(src)
        self.usage_since_reset.zero_()
        self.grad_acc.zero_()
        return nd

    def forward(self, t: torch.Tensor):
        """t [B,N,d] -> (quantised with straight-through gradient, indices [B,N], stats)."""
        if self.training and not bool(self.initialised):
            self._init_from(t.detach())
        idx = nearest_codewords(t.detach(), self.codebooks.detach())  # [B,N]
        q = lookup(idx, self.codebooks)  # gradient flows into the codebook through the codebook loss
        stats = {}
        if self.training:
            with torch.no_grad():
                flat = (idx + torch.arange(self.G, device=idx.device) * self.K).reshape(-1)
                counts = torch.bincount(flat, minlength=self.G * self.K).float().reshape(self.G, self.K)
                self.usage_since_reset += counts
                self.ema_count.mul_(0.99).add_(counts, alpha=0.01)
                self.updates += 1
                if self.reset_every > 0 and int(self.updates) % self.reset_every == 0:
                    self.last_revived = self._reset_dead()
                    stats["revived"] = self.last_revived
        var = t.detach().var(0).mean() + 1e-6 if t.shape[0] > 1 else t.detach().var() + 1e-6
        stats["commit"] = F.mse_loss(t, q.detach()) / var
        stats["codebook"] = F.mse_loss(q, t.detach()) / var
        return t + (q - t).detach() + (q - q.detach()), idx, stats  # value q; grads to t (STE) and codebook

    @torch.no_grad()
    def usage(self):
        mean = self.ema_count.mean(1, keepdim=True)
        live = (self.ema_count >= 0.03 * mean).float().mean(1)
        p = self.ema_count / self.ema_count.sum(1, keepdim=True)
        return live, torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum(1))


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
        else:
            q, idx, stats = t, None, {"commit": torch.zeros((), device=t.device)}
        if keep is not None:
            q = q * _token_mask(keep, self.G).to(q.dtype)
        return self.decoder(q), idx, stats, q

    def sample_keep(self, batch: int, ladder, p_full: float, gen: torch.Generator) -> torch.Tensor:
        """Nested dropout in a third of the batches: keep tokens [0, i) with i uniform in 1..N per sample."""
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
