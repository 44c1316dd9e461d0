"""Grid model with scalar subspaces (PQ with d = 1) trained for rate-distortion: the `grid-sq` family.

Product quantisation taken to its limit: every latent channel is its own subspace with a K-level codebook
{-K/2, ..., K/2 - 1} (integers), so nearest-codeword search is rounding. Unlike the EMA-VQ grid model, training sees
the rate: a factorised density per channel (Balle et al. 2018, appendix 6.1) gives -log2 p of every index, and the
loss is  bpp(g) + lambda(g) * 255^2 * MSE(g)  for a random nested prefix of g channels (MGVQ-style masking), with
lambda growing with g.  One model therefore gives a ladder of rates whose prefixes are each trained to be a good
R-D point, and the exported order-0 tables are what the density learnt to make cheap.

Transforms are GDN / IGDN convolutional stacks (Balle 2017), up-sampling by 4x4 transposed convolutions; all of it
exports to plain ONNX (Conv, ConvTranspose, Mul, Sqrt, Div) with dynamic H/W.
"""
from __future__ import annotations

import math
import numpy as np

import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import _stages
from .quant import sample_prefixes


class GDN(nn.Module):
    """y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2) (inverse: times the square root). Squared parameters keep
    beta, gamma >= 0 without clamps that would stall gradients."""

    def __init__(self, ch: int, inverse: bool = False):
        super().__init__()
        self.inverse = inverse
        self.beta_p = nn.Parameter(torch.ones(ch))
        self.gamma_p = nn.Parameter(math.sqrt(0.1) * torch.eye(ch))

    def forward(self, x):
        ch = x.shape[1]
        beta = self.beta_p * self.beta_p + 1e-6
        gamma = (self.gamma_p * self.gamma_p).view(ch, ch, 1, 1)
        norm = F.conv2d(x * x, gamma, beta)
        return x * torch.sqrt(norm) if self.inverse else x / torch.sqrt(norm)


class ScalarEncoder(nn.Module):
    def __init__(self, factor: int, width: int, latent: int):
        super().__init__()
        n = _stages(factor)
        layers, cin = [], 3
        for i in range(n):
            last = i == n - 1
            layers.append(nn.Conv2d(cin, latent if last else width, 5, stride=2, padding=2))
            if not last:
                layers.append(GDN(width))
            cin = width
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x - 0.5)


class ScalarDecoder(nn.Module):
    def __init__(self, factor: int, width: int, latent: int):
        super().__init__()
        n = _stages(factor)
        layers, cin = [], latent
        for i in range(n):
            last = i == n - 1
            # 4x4 / stride-2 transposed conv: each output sees 2x2 inputs like Balle's 5x5, at 16 instead of 36
            # MACs per input pixel and channel pair than conv3x3 + PixelShuffle (measured 2.7x faster on 2 cores).
            layers.append(nn.ConvTranspose2d(cin, 3 if last else width, 4, stride=2, padding=1))
            if not last:
                layers.append(GDN(width, inverse=True))
            cin = width
        self.net = nn.Sequential(*layers)

    def forward(self, q):
        return self.net(q) + 0.5


class FactorizedDensity(nn.Module):
    """Per-channel learnt CDF (Balle 2018 "non-parametric" density, filters (3,3,3)); p(k) = c(k+.5) - c(k-.5)."""

    def __init__(self, channels: int, filters=(3, 3, 3), init_scale: float = 10.0):
        super().__init__()
        dims = (1,) + tuple(filters) + (1,)
        scale = init_scale ** (1.0 / (len(filters) + 1))
        self.mats, self.biases, self.factors = nn.ParameterList(), nn.ParameterList(), nn.ParameterList()
        for i in range(len(filters) + 1):
            init = math.log(math.expm1(1.0 / scale / dims[i + 1]))
            self.mats.append(nn.Parameter(torch.full((channels, dims[i + 1], dims[i]), init)))
            self.biases.append(nn.Parameter(torch.rand(channels, dims[i + 1], 1) - 0.5))
            if i < len(filters):
                self.factors.append(nn.Parameter(torch.zeros(channels, dims[i + 1], 1)))

    def _logits(self, x):  # x [C, 1, M] -> cumulative logits [C, 1, M]
        for i, (m, b) in enumerate(zip(self.mats, self.biases)):
            x = torch.matmul(F.softplus(m), x) + b
            if i < len(self.factors):
                x = x + torch.tanh(self.factors[i]) * torch.tanh(x)
        return x

    def likelihood(self, y):
        """y [B,C,h,w] (integer-valued or noisy) -> p [B,C,h,w], floored at 1e-9."""
        b, c, h, w = y.shape
        v = y.permute(1, 0, 2, 3).reshape(c, 1, -1)
        lo, up = self._logits(v - 0.5), self._logits(v + 0.5)
        s = -torch.sign(lo + up).detach()  # evaluate in the tail where sigmoid differences keep precision
        p = torch.abs(torch.sigmoid(s * up) - torch.sigmoid(s * lo))
        return p.clamp_min(1e-9).reshape(c, b, h, w).permute(1, 0, 2, 3)


class ScalarCodebooks(nn.Module):
    """Fixed integer codebooks [G, K, 1] (what the bundle stores), plus usage statistics for the training log."""

    def __init__(self, groups: int, levels: int):
        super().__init__()
        self.G, self.K, self.d = groups, levels, 1
        self.lo, self.hi = -(levels // 2), levels - levels // 2 - 1
        cb = torch.arange(self.lo, self.hi + 1, dtype=torch.float32)
        self.register_buffer("codebooks", cb.view(1, levels, 1).repeat(groups, 1, 1))
        self.register_buffer("ema_count", torch.ones(groups, levels))
        self.last_revived = 0  # nothing to revive: the levels are fixed (kept for the shared training log)

    @torch.no_grad()
    def update_usage(self, q: torch.Tensor, decay: float = 0.99) -> None:
        idx = (q.detach() - self.lo).long().permute(1, 0, 2, 3).reshape(self.G, -1)
        counts = torch.zeros(self.G, self.K, device=q.device).scatter_add_(1, idx, torch.ones_like(idx, dtype=torch.float))
        self.ema_count.mul_(decay).add_(counts, alpha=1 - decay)

    @torch.no_grad()
    def usage(self):
        """Per channel: fraction of levels in use (>0.1 % of the mass) and perplexity (2^entropy) of its indices."""
        p = self.ema_count / self.ema_count.sum(1, keepdim=True)
        live = (p > 1e-3).float().mean(1)
        perp = torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum(1))
        return live, perp


class ScalarGridModel(nn.Module):
    def __init__(self, factor: int = 16, groups: int = 192, levels: int = 128, width: int = 128,
                 lam_lo: float = 0.002, lam_hi: float = 0.05, ladder=None):
        super().__init__()
        self.factor, self.G, self.K, self.d = factor, groups, levels, 1
        self.encoder = ScalarEncoder(factor, width, groups)
        self.decoder = ScalarDecoder(factor, width, groups)
        self.quantiser = ScalarCodebooks(groups, levels)
        self.density = FactorizedDensity(groups)
        self.lam_lo, self.lam_hi = lam_lo, lam_hi
        self.ladder = sorted(ladder or [groups])

    def lam(self, keep: torch.Tensor) -> torch.Tensor:
        """lambda per sample, log-linear in log(prefix length) from lam_lo (smallest rung) to lam_hi (all)."""
        g0, g1 = self.ladder[0], self.ladder[-1]
        t = (torch.log(keep.float()) - math.log(g0)) / max(1e-9, math.log(g1) - math.log(g0))
        return self.lam_lo * (self.lam_hi / self.lam_lo) ** t.clamp(0, 1)

    def quantise(self, y: torch.Tensor) -> torch.Tensor:
        yc = y.clamp(self.quantiser.lo, self.quantiser.hi)
        return yc + (torch.round(yc) - yc).detach()

    def forward(self, x, keep: torch.Tensor | None = None, quantise: bool = True):
        y = self.encoder(x)
        q = self.quantise(y)
        if self.training:
            self.quantiser.update_usage(q)
        noisy = y + torch.empty_like(y).uniform_(-0.5, 0.5) if self.training else q
        bits = -torch.log2(self.density.likelihood(noisy))  # [B,C,h,w]
        bits_d = -torch.log2(self.density.likelihood(noisy.detach())) if self.training else bits
        q_seen = q
        if keep is not None:
            mask = (torch.arange(self.G, device=x.device)[None, :] < keep[:, None]).to(q.dtype)[:, :, None, None]
            q_seen, bits, bits_d = q * mask, bits * mask, bits_d * mask
        npx = x.shape[2] * x.shape[3]
        stats = {"commit": torch.zeros((), device=x.device), "bpp": bits.sum((1, 2, 3)) / npx,
                 "bpp_density_only": bits_d.sum((1, 2, 3)) / npx}
        return self.decoder(q_seen), None, stats, q  # q unmasked: the log decodes every probe prefix from it

    def rd_loss(self, x, y, stats, keep, rate_weight: float = 1.0):
        mse = ((y - x) ** 2).mean((1, 2, 3))
        lam = self.lam(keep).to(x.device)
        # The density always gets its full gradient (it only fits the latent); the encoder feels the rate gently
        # at first: bits = w * bits + (1 - w) * bits.detach() wrt the latent.
        bpp = stats["bpp"]
        if rate_weight < 1.0:
            bpp = rate_weight * bpp + (1.0 - rate_weight) * stats["bpp_density_only"]
        return (bpp + lam * 255.0 ** 2 * mse).mean()

    def sample_keep(self, batch, ladder, p_full, gen, weights=None):
        return sample_prefixes(batch, ladder, p_full, gen, weights)

    @torch.no_grad()
    def prefix_bpp(self, q_full, g) -> float:
        """Model bits per pixel of the first g channels of an integer latent (what order-0 coding would cost)."""
        bits = -torch.log2(self.density.likelihood(q_full[:, :g].contiguous()) if g == self.G else
                           self.density.likelihood(q_full)[:, :g])
        return float(bits.sum() / (q_full.shape[0] * q_full.shape[2] * q_full.shape[3] * self.factor ** 2))

    @torch.no_grad()
    def decode_prefix(self, q_full, g):
        mask = (torch.arange(self.G, device=q_full.device) < g).to(q_full.dtype)[None, :, None, None]
        return self.decoder(q_full * mask)


class PredictiveRate(nn.Module):
    """Rate proxy shaped like coders 4-6 (qtk-format.md 9.2): each group's value is predicted linearly from the same
    position in up to `window` earlier groups and its causal neighbours L, U, UL, UR in the same group (absent: 0, the
    neutral index), and the residual is coded with a discretised Laplace whose scale follows the coders' contexts:
    log s = a_g + b_g log(1 + |e_L| + |e_U|) + c_g log(1 + sum_j w_gj |q_{g-j}|) (the neighbours' prediction errors,
    like coder 5's activity, and the magnitude of the same position in earlier groups, like coder 4's channel context).
    Training the transforms against it rewards latents the shipped coder can predict, where the factorised density
    prices every value alone (it charges 16-22 % more bits than coder 5 on the shipped model's latents)."""

    def __init__(self, groups: int, window: int = 16):
        super().__init__()
        self.G, self.N = groups, window
        self.coef = nn.Parameter(torch.zeros(groups, window + 4))  # slots as entropy/predict.bin without the bias
        self.bias = nn.Parameter(torch.zeros(groups))
        g = torch.arange(groups)[:, None]
        i = torch.arange(window + 4)[None, :]
        self.register_buffer("allowed", ((i >= window) | (g - window + i >= 0)).float())
        self.scale = nn.Parameter(torch.tensor([0.0, 0.5, 0.3]).repeat(groups, 1))  # a, b, c per group
        self.chan_w = nn.Parameter(torch.zeros(groups, window))  # softplus -> w_gj >= 0

    @torch.no_grad()
    def init_from_bundle(self, coeffs: np.ndarray, shift: int, K: int) -> None:
        """Integer coefficients [G][N+5] over indices (value + K/2) -> the same predictor over values."""
        a = torch.tensor(np.array(coeffs), dtype=torch.float64) / (1 << shift)
        self.coef.copy_(a[:, :-1].float() * self.allowed)
        self.bias.copy_((a[:, -1] + (K // 2) * (a[:, :-1] * self.allowed.double()).sum(1) - K // 2).float())

    def _previous(self, q: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        """sum_j weights[g, N - j] * q[:, g - j] over the earlier groups (j = 1..N, g - j >= 0)."""
        out = torch.zeros_like(q)
        for j in range(1, min(self.N, self.G - 1) + 1):
            out[:, j:] = out[:, j:] + weights[j:, self.N - j].view(1, -1, 1, 1) * q[:, :-j]
        return out

    def predict(self, q: torch.Tensor) -> torch.Tensor:
        """q [B,G,h,w] integer-valued (straight-through) -> predictions [B,G,h,w]."""
        c = self.coef * self.allowed
        pred = self.bias.view(1, -1, 1, 1) + self._previous(q, c[:, :self.N])
        pad = F.pad(q, (1, 1, 1, 0))  # zeros = absent neighbours
        for k, nb in enumerate((pad[:, :, 1:, :-2], pad[:, :, :-1, 1:-1], pad[:, :, :-1, :-2], pad[:, :, :-1, 2:])):
            pred = pred + c[:, self.N + k].view(1, -1, 1, 1) * nb
        return pred

    def bits(self, q: torch.Tensor, y_noisy: torch.Tensor) -> torch.Tensor:
        pred = self.predict(q)
        err = F.pad((q - pred).abs(), (1, 0, 1, 0))  # causal: the left and upper neighbours' errors
        act = err[:, :, 1:, :-1] + err[:, :, :-1, 1:]
        chan = self._previous(q.abs(), F.softplus(self.chan_w) * self.allowed[:, :self.N])
        a, b, c = (self.scale[:, k].view(1, -1, 1, 1) for k in range(3))
        s = torch.exp(a + b * torch.log1p(act) + c * torch.log1p(chan)).clamp(0.05, 64.0)
        r = (y_noisy - pred).abs()
        # P(|R| in [r - 0.5, r + 0.5]) of a Laplace(0, s): exp(-(r-.5)/s)/2 * (1 - exp(-1/s)) for r >= .5
        lo = (r - 0.5).clamp_min(0.0)
        tail = 0.5 * (torch.exp(-lo / s) - torch.exp(-(r + 0.5) / s))
        centre = 1.0 - 0.5 * torch.exp(-(0.5 - r).clamp_min(0.0) / s) - 0.5 * torch.exp(-(r + 0.5) / s)
        p = torch.where(r >= 0.5, tail, centre)
        return -torch.log2(p.clamp_min(1e-9))
