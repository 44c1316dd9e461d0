"""Product quantisation (PQ / MGVQ): G groups of d channels, each with its own K-entry codebook.

Codebooks are learnt by exponential moving averages of the encoder outputs assigned to them (VQ-VAE-2 style, no
codebook gradient), which is stable on small batches. Dead codewords are revived from current encoder outputs.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


def nearest_codewords(z: torch.Tensor, codebooks: torch.Tensor) -> torch.Tensor:
    """z [M,G,d], codebooks [G,K,d] -> indices [M,G] of the smallest squared Euclidean distance (ties: lowest)."""
    # |z|^2 is constant per row, so argmin over |e|^2 - 2 z.e suffices; argmin returns the first minimum.
    dist = (codebooks * codebooks).sum(-1).unsqueeze(0) - 2.0 * torch.einsum("mgd,gkd->mgk", z, codebooks)
    return dist.argmin(-1)


def lookup(idx: torch.Tensor, codebooks: torch.Tensor) -> torch.Tensor:
    """indices [M,G] -> codewords [M,G,d]."""
    g = torch.arange(codebooks.shape[0], device=idx.device).expand_as(idx)
    return codebooks[g, idx]


def to_groups(z: torch.Tensor, d: int) -> torch.Tensor:
    """latent [B,C,h,w] -> [B*h*w, G, d]; group g = channels [g*d, (g+1)*d)."""
    b, c, h, w = z.shape
    return z.permute(0, 2, 3, 1).reshape(b * h * w, c // d, d)


def from_groups(v: torch.Tensor, shape) -> torch.Tensor:
    b, c, h, w = shape
    return v.reshape(b, h, w, c).permute(0, 3, 1, 2)


class ProductQuantiser(nn.Module):
    def __init__(self, groups: int, codebook_size: int, dim: int, decay: float = 0.99, eps: float = 1e-5,
                 revive_every: int = 200, revive_threshold: float = 0.03, revive_noise: float = 0.01):
        super().__init__()
        self.G, self.K, self.d = groups, codebook_size, dim
        self.decay, self.eps = decay, eps
        self.revive_every, self.revive_threshold, self.revive_noise = revive_every, revive_threshold, revive_noise
        self.register_buffer("codebooks", torch.randn(groups, codebook_size, dim) * 0.1)
        self.register_buffer("ema_count", torch.ones(groups, codebook_size))
        self.register_buffer("ema_sum", self.codebooks.clone())
        self.register_buffer("initialised", torch.zeros((), dtype=torch.bool))
        self.register_buffer("updates", torch.zeros((), dtype=torch.long))
        self.last_revived = 0

    @torch.no_grad()
    def _init_from(self, zg: torch.Tensor) -> None:
        # Data-dependent start: each codeword is a random encoder output of its group (like k-means++ seeding).
        m = zg.shape[0]
        pick = torch.randint(0, m, (self.G, self.K), device=zg.device)
        cb = zg[pick, torch.arange(self.G, device=zg.device)[:, None]]
        cb = cb + self.revive_noise * zg.std(0).unsqueeze(1) * torch.randn_like(cb)  # split duplicate picks
        self.codebooks.copy_(cb)
        self.ema_sum.copy_(cb)
        self.ema_count.fill_(1.0)
        self.initialised.fill_(True)

    @torch.no_grad()
    def _ema_update(self, zg: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        # Scatter-add instead of a one-hot [M,G,K] tensor: ~10x cheaper on CPU.
        flat = (idx + torch.arange(self.G, device=idx.device) * self.K).reshape(-1)
        counts = torch.bincount(flat, minlength=self.G * self.K).to(zg.dtype).reshape(self.G, self.K)
        sums = torch.zeros(self.G * self.K, self.d, dtype=zg.dtype, device=zg.device)
        sums.index_add_(0, flat, zg.reshape(-1, self.d))
        sums = sums.reshape(self.G, self.K, self.d)
        self.ema_count.mul_(self.decay).add_(counts, alpha=1 - self.decay)
        self.ema_sum.mul_(self.decay).add_(sums, alpha=1 - self.decay)
        # Laplace smoothing keeps rarely used codes from dividing by ~0.
        n = self.ema_count.sum(1, keepdim=True)
        smoothed = (self.ema_count + self.eps) / (n + self.K * self.eps) * n
        self.codebooks.copy_(self.ema_sum / smoothed.unsqueeze(-1))
        self.updates += 1
        return counts

    @torch.no_grad()
    def _revive(self, zg: torch.Tensor) -> int:
        # A code is dead when its EMA usage is below threshold x the mean usage of its group.
        mean = self.ema_count.mean(1, keepdim=True)
        dead = self.ema_count < self.revive_threshold * mean
        nd = int(dead.sum())
        if nd == 0:
            return 0
        g_idx, k_idx = dead.nonzero(as_tuple=True)
        rows = torch.randint(0, zg.shape[0], (nd,), device=zg.device)
        new = zg[rows, g_idx]
        scale = zg.std(0).mean(-1)[g_idx].unsqueeze(-1)  # noise relative to the group's spread
        new = new + self.revive_noise * scale * torch.randn_like(new)
        self.codebooks[g_idx, k_idx] = new
        # Give revived codes a usage of the group mean so they are not killed again before they can win.
        self.ema_count[g_idx, k_idx] = mean[g_idx, 0]
        self.ema_sum[g_idx, k_idx] = new * mean[g_idx, 0].unsqueeze(-1)
        return nd

    def forward(self, z: torch.Tensor):
        """z [B,C,h,w] -> (quantised latent with straight-through gradient, indices [B,h,w,G], stats dict)."""
        zg = to_groups(z.float(), self.d)
        if self.training and not bool(self.initialised):
            self._init_from(zg.detach())
        idx = nearest_codewords(zg.detach(), self.codebooks)
        q = lookup(idx, self.codebooks)
        stats = {}
        if self.training:
            counts = self._ema_update(zg.detach(), idx)
            if self.revive_every > 0 and int(self.updates) % self.revive_every == 0:
                self.last_revived = self._revive(zg.detach())
                stats["revived"] = self.last_revived
            stats["batch_counts"] = counts
        # Commitment: pull encoder outputs to their codewords, relative to the latent variance so that shrinking
        # the latent (which the decoder could undo) does not lower the loss.
        var = zg.detach().var(0).mean() + 1e-6
        stats["commit"] = F.mse_loss(zg, q.detach()) / var
        q_st = zg + (q - zg).detach()
        b, c, h, w = z.shape
        return from_groups(q_st, z.shape), idx.reshape(b, h, w, self.G), stats

    @torch.no_grad()
    def usage(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Per group: fraction of live codes (EMA usage >= threshold x mean) and perplexity of the EMA usage."""
        mean = self.ema_count.mean(1, keepdim=True)
        live = (self.ema_count >= self.revive_threshold * mean).float().mean(1)
        p = self.ema_count / self.ema_count.sum(1, keepdim=True)
        perp = torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum(1))
        return live, perp


def group_mask(keep: torch.Tensor, groups: int, dim: int) -> torch.Tensor:
    """keep [B] (number of leading groups kept) -> channel mask [B, G*d, 1, 1] (1 for kept groups, 0 beyond)."""
    g = torch.arange(groups, device=keep.device)
    m = (g.unsqueeze(0) < keep.unsqueeze(1)).float()  # [B,G]
    return m.repeat_interleave(dim, dim=1)[:, :, None, None]


def sample_prefixes(batch: int, ladder: list[int], p_full: float, generator: torch.Generator,
                    weights: list[float] | None = None) -> torch.Tensor:
    """Nested masking (MGVQ): per sample the full set with probability p_full, else a ladder prefix shorter than the
    full set, uniformly or in proportion to `weights` (one per shorter rung, in ladder order)."""
    full = max(ladder)
    shorter = torch.tensor([g for g in ladder if g < full] or [full])
    r = torch.rand(batch, generator=generator)
    if weights is None:
        pick = shorter[torch.randint(0, len(shorter), (batch,), generator=generator)]
    else:
        if len(weights) != len(shorter) or min(weights) < 0 or sum(weights) <= 0:
            raise ValueError(f"prefix weights: need {len(shorter)} non-negative values (one per rung below {full}), "
                             f"got {weights}")
        w = torch.tensor(weights, dtype=torch.float64)
        pick = shorter[torch.multinomial(w, batch, replacement=True, generator=generator)]
    return torch.where(r < p_full, torch.full_like(pick, full), pick)
