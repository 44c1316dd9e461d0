"""grid-sq with a learned, integer-exact entropy model: the `grid-sq-hp` family (the training campaign's joint model).

The transforms and the integer latent y are those of grid-sq (scalar_model.py), so a grid-sq bundle's coders still
code its y. What is added is a mean-scale hyperprior (Balle et al. 2018; Minnen et al. 2018) whose synthesis runs in
integer arithmetic, so every machine derives the same distributions from the side information (Balle, Johnston &
Minnen, "Integer networks for data compression with latent-variable models", ICLR 2019):

  z     = h_a(y)                        float (it runs in the encoder only; z is transmitted)
  z_hat = clamp(round(z), -ZR, ZR)      coded first with a per-channel static table (factorised density)
  (m, s) = h_s(z_hat)                   INTEGER network: two 4x4/stride-2 transposed convolutions and a 1x1
                                        convolution, int8 weights, uint8 activations, int32 biases, a per-channel
                                        multiply-and-shift requantisation (IntLayer.requant)
  y[c] ~ discretised Gaussian(mean m/MEAN_STEPS, sigma SCALES[s])   coded with one of S x MEAN_STEPS static tables

Only the channels of the kept prefix of groups are coded, so any prefix still decodes alone, and pays for z once.

Training: every integer operation is simulated in floating point with straight-through rounding, so the network
trained is the one exported (its integer twin: IntLayer.integer_params, h_s_integer()); the rates use additive
uniform noise as grid-sq's does. hyper_tables() gives the exported frequency tables.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .scalar_model import FactorizedDensity, ScalarGridModel

ZR = 31  # z_hat in [-ZR, ZR]: 63 symbols per channel
S = 64  # scale levels
SIGMA_MIN, SIGMA_MAX = 0.11, 64.0
MEAN_STEPS = 4  # means in quarters: mean index m in [-64 * 4, 63 * 4]
ACT_MAX = 255  # hidden activations are uint8
W_MAX = 127  # int8 weights
M_BITS = 15  # requantisation multipliers in [2^14, 2^15)


def mean_range(levels: int) -> tuple[int, int]:
    """The mean index's range: the latent's [-K/2, K/2 - 1] in steps of 1/MEAN_STEPS."""
    return -(levels // 2) * MEAN_STEPS, (levels - levels // 2 - 1) * MEAN_STEPS


def scale_table() -> np.ndarray:
    """SCALES[s] = exp(log SIGMA_MIN + s (log SIGMA_MAX - log SIGMA_MIN) / (S - 1)), s = 0..S-1 (float64)."""
    return np.exp(np.linspace(math.log(SIGMA_MIN), math.log(SIGMA_MAX), S))


def ste_round(x: torch.Tensor) -> torch.Tensor:
    """floor(x + 0.5) (ties up, as the integer twin's (v + 2^(R-1)) >> R), straight-through."""
    return x + (torch.floor(x + 0.5) - x).detach()


def requant_params(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """alpha_c > 0 -> (M_c, R_c) with M_c in [2^(M_BITS-1), 2^M_BITS) and M_c / 2^R_c ~ alpha_c."""
    alpha = np.maximum(np.asarray(alpha, np.float64), 1e-30)
    r = (M_BITS - 1 - np.floor(np.log2(alpha))).astype(np.int64)
    m = np.round(alpha * np.exp2(r)).astype(np.int64)
    over = m >= (1 << M_BITS)  # rounding up to 2^M_BITS: one bit less
    m[over] //= 2
    r[over] -= 1
    return m, r


class IntLayer(nn.Module):
    """A convolution (k x k, stride 1, 'same') or a 4x4 / stride-2 / padding-1 transposed convolution whose
    integer twin computes, per output channel c,
        acc = b_int[c] + sum W_int[c, ...] * a        (exact in int64; int32 suffices for the sizes used)
        out = clamp((acc * M[c] + 2^(R[c]-1)) >> R[c], lo[c], hi[c])     (arithmetic shift: floor)
    Float training sees the same numbers: W_int = round(w / alpha_c) with alpha_c = max|w_c| / 127, and the output
    is clamp(round(acc * M_c / 2^R_c)) with straight-through gradients."""

    def __init__(self, cin: int, cout: int, transposed: bool, k: int = 4, init_gain: float = 1.0,
                 w_unit: float = 1.0, b_unit: float = 16.0):
        super().__init__()
        self.transposed, self.k, self.w_unit, self.b_unit = transposed, k, w_unit, b_unit
        shape = (cin, cout, 4, 4) if transposed else (cout, cin, k, k)
        fan_in = cin * (4 if transposed else k * k)
        # Parameters are stored in units that make Adam's steps (about lr each) the right size: biases in units of
        # b_unit output steps (outputs span tens to hundreds of integers), weights in units of w_unit (inputs of up to
        # 255 would make unit-scaled weights jump by many output steps per update).
        self.weight_p = nn.Parameter(torch.randn(shape) * init_gain / math.sqrt(fan_in) / w_unit)
        self.bias_p = nn.Parameter(torch.zeros(cout))

    @property
    def weight(self) -> torch.Tensor:
        return self.weight_p * self.w_unit

    @property
    def bias(self) -> torch.Tensor:
        return self.bias_p * self.b_unit

    def _alpha(self) -> torch.Tensor:
        w = self.weight.transpose(0, 1) if self.transposed else self.weight  # [cout, ...]
        return w.detach().abs().flatten(1).amax(1).clamp_min(1e-8) / W_MAX

    def _requant(self, alpha: torch.Tensor) -> torch.Tensor:
        m, r = requant_params(alpha.cpu().numpy())
        return torch.tensor(m / np.exp2(r), dtype=torch.float32, device=alpha.device)

    def forward(self, a: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor) -> torch.Tensor:
        alpha = self._alpha()
        view = (1, -1, 1, 1) if self.transposed else (-1, 1, 1, 1)
        w_int = ste_round(self.weight / alpha.view(view)).clamp(-W_MAX, W_MAX)
        b_int = ste_round(self.bias / alpha)
        if self.transposed:
            acc = F.conv_transpose2d(a, w_int, b_int, stride=2, padding=1)
        else:
            acc = F.conv2d(a, w_int, b_int, padding=self.k // 2)
        # alpha's requantised value: the output scale the integer twin will use (gradient flows into w through acc)
        out = acc * self._requant(alpha).view(1, -1, 1, 1)
        return torch.maximum(torch.minimum(ste_round(out), hi.view(1, -1, 1, 1)), lo.view(1, -1, 1, 1))

    @torch.no_grad()
    def integer_params(self) -> dict:
        """The exported twin: W_int (int8 range, PyTorch layout), b_int (int32), M, R per output channel."""
        alpha = self._alpha()
        view = (1, -1, 1, 1) if self.transposed else (-1, 1, 1, 1)
        w_int = torch.round(self.weight / alpha.view(view)).clamp(-W_MAX, W_MAX).to(torch.int64).numpy()
        b_int = torch.round(self.bias / alpha).to(torch.int64).numpy()
        m, r = requant_params(alpha.numpy())
        return {"w": w_int, "b": b_int, "m": m, "r": r}


class HyperSynthesis(nn.Module):
    """z_hat [B,Cz,h,w] (integers) -> mean index [B,C,4h,4w] in quarters of a level (the latent's range
    [-K/2, K/2 - 1] times MEAN_STEPS) and scale index in 0..S-1 (integers)."""

    def __init__(self, cz: int, hidden: int, channels: int, levels: int = 128):
        super().__init__()
        self.C = channels
        # Gains put the first activations at tens of units (z_hat is a few units; rounding to integers must not
        # silence them); the scale outputs start at index 28 (sigma ~ 2, the latent's typical spread).
        self.l1 = IntLayer(cz, hidden, transposed=True, init_gain=10.0)
        self.l2 = IntLayer(hidden, hidden, transposed=True, init_gain=1.5, w_unit=1 / 16)
        self.l3 = IntLayer(hidden, 2 * channels, transposed=False, k=1, init_gain=0.02, w_unit=1 / 16, b_unit=64.0)
        with torch.no_grad():
            self.l3.bias_p[channels:] = 28.0 / self.l3.b_unit
        self.register_buffer("lo_h", torch.zeros(hidden))
        self.register_buffer("hi_h", torch.full((hidden,), float(ACT_MAX)))
        m_lo, m_hi = mean_range(levels)
        lo = torch.cat([torch.full((channels,), float(m_lo)), torch.zeros(channels)])
        hi = torch.cat([torch.full((channels,), float(m_hi)), torch.full((channels,), S - 1.0)])
        self.register_buffer("lo_o", lo)
        self.register_buffer("hi_o", hi)

    def forward(self, z_hat: torch.Tensor):
        h = self.l1(z_hat, self.lo_h, self.hi_h)
        h = self.l2(h, self.lo_h, self.hi_h)
        o = self.l3(h, self.lo_o, self.hi_o)
        return o[:, :self.C], o[:, self.C:]


CTX_WINDOW = 16  # earlier groups seen at the same position
CTX_SHIFT = 12  # context coefficients in 2^-12
ACT_BUCKETS = 6  # activity buckets: bit length of |L| + |U| + |previous group|, capped at 5


def act_bucket(v):
    """min(ACT_BUCKETS - 1, bit length of v) for v >= 0: 0, 1, 2-3, 4-7, 8-15, 16+ (torch or numpy, integer)."""
    if isinstance(v, torch.Tensor):
        return sum((v >= (1 << (b - 1))).long() for b in range(1, ACT_BUCKETS))
    out = np.zeros(np.shape(v), np.int64)
    v = np.asarray(v, np.int64)
    for b in range(1, ACT_BUCKETS):
        out[v >= (1 << (b - 1))] = b
    return out


def _neighbours(q):
    """Causal neighbours L, U, UL, UR of every position in the same group (absent: 0), q [..., h, w]."""
    p = F.pad(q, (1, 1, 1, 0)) if isinstance(q, torch.Tensor) else np.pad(q, [(0, 0)] * (q.ndim - 2) + [(1, 0), (1, 1)])
    return p[..., 1:, :-2], p[..., :-1, 1:-1], p[..., :-1, :-2], p[..., :-1, 2:]


class ContextTerms(nn.Module):
    """What the hyperprior's prediction gains from the groups already decoded (the channel context the ladder's
    order gives, as coder 5 uses it) and from the causal neighbours in the same group, in integer arithmetic:
        mean_q += (MEAN_STEPS * (sum_j A[g,j] y[g-j] + sum_n B[g,n] y_n) + 2^(CTX_SHIFT-1)) >> CTX_SHIFT
        scale  += E[g, act_bucket(|y_L| + |y_U| + |y[g-1]|)]
    with y the signed latent values (absent: 0), A, B integers in 2^-CTX_SHIFT, E integers. Starts at zero (the
    plain hyperprior)."""

    def __init__(self, groups: int):
        super().__init__()
        self.G = groups
        self.a = nn.Parameter(torch.zeros(groups, CTX_WINDOW))  # a[g, j - 1]: weight of group g - j
        self.b = nn.Parameter(torch.zeros(groups, 4))
        self.e = nn.Parameter(torch.zeros(groups, ACT_BUCKETS))
        g = torch.arange(groups)[:, None]
        j = torch.arange(1, CTX_WINDOW + 1)[None, :]
        self.register_buffer("allowed", (g - j >= 0).float())

    def _ints(self):
        one = float(1 << CTX_SHIFT)
        a = ste_round(self.a * one) * self.allowed
        b = ste_round(self.b * one)
        return a, b, ste_round(self.e * 8.0)  # e in eighths of a step as parameter scale, integer as used

    def forward(self, q: torch.Tensor):
        """q [B,G,h,w] integer-valued -> (mean offset in quarters, scale offset), integer-valued."""
        a, b, e = self._ints()
        acc = torch.zeros_like(q)
        for j in range(1, min(CTX_WINDOW, self.G - 1) + 1):
            acc[:, j:] = acc[:, j:] + a[j:, j - 1].view(1, -1, 1, 1) * q[:, :-j]
        for k, nb in enumerate(_neighbours(q)):
            acc = acc + b[:, k].view(1, -1, 1, 1) * nb
        mean_off = ste_round(acc * (MEAN_STEPS / (1 << CTX_SHIFT)))
        L, U, _, _ = _neighbours(q.abs())
        prev = F.pad(q.abs(), (0, 0, 0, 0, 1, 0))[:, :-1]
        bucket = act_bucket((L + U + prev).detach())
        scale_off = torch.gather(e.unsqueeze(0).expand(q.shape[0], -1, -1), 2,
                                 bucket.flatten(2)).view_as(q)
        return mean_off, scale_off

    @torch.no_grad()
    def integer_params(self) -> dict:
        one = float(1 << CTX_SHIFT)
        return {"a": (torch.round(self.a * one) * self.allowed).to(torch.int64).numpy(),
                "b": torch.round(self.b * one).to(torch.int64).numpy(),
                "e": torch.round(self.e * 8.0).to(torch.int64).numpy()}


def context_integer(prm: dict, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ContextTerms in exact integer arithmetic, q [G,h,w] signed values -> (mean offset, scale offset)."""
    q = np.asarray(q, np.int64)
    G = q.shape[0]
    acc = np.zeros_like(q)
    for j in range(1, min(CTX_WINDOW, G - 1) + 1):
        acc[j:] += prm["a"][j:, j - 1, None, None] * q[:-j]
    for k, nb in enumerate(_neighbours(q)):
        acc += prm["b"][:, k, None, None] * nb
    mean_off = (acc * MEAN_STEPS + (1 << (CTX_SHIFT - 1))) >> CTX_SHIFT
    L, U, _, _ = _neighbours(np.abs(q))
    prev = np.concatenate([np.zeros_like(q[:1]), np.abs(q[:-1])])
    bucket = act_bucket(L + U + prev)
    scale_off = np.take_along_axis(prm["e"][:, None, :].repeat(q.shape[1], 1), bucket, axis=2)
    return mean_off, scale_off


class HyperAnalysis(nn.Module):
    def __init__(self, channels: int, hidden: int, cz: int):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(channels, hidden, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(hidden, hidden, 5, stride=2, padding=2), nn.ReLU(),
                                 nn.Conv2d(hidden, cz, 5, stride=2, padding=2))
        with torch.no_grad():  # z of a few units at the start: below 0.5 it would all round to 0 and h_s learn nothing
            self.net[-1].weight.mul_(8.0)

    def forward(self, y):
        return self.net(y)


def gaussian_bits(y: torch.Tensor, mean: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """-log2 P(Y in [y - 0.5, y + 0.5]) for Y ~ N(mean, sigma), computed in the upper tail for precision."""
    d = -(y - mean).abs()
    upper = torch.special.ndtr((d + 0.5) / sigma)
    lower = torch.special.ndtr((d - 0.5) / sigma)
    return -torch.log2((upper - lower).clamp_min(1e-9))


class HyperGridModel(ScalarGridModel):
    def __init__(self, factor: int = 16, groups: int = 192, levels: int = 128, width: int = 128,
                 lam_lo: float = 0.002, lam_hi: float = 0.05, ladder=None, hyper_channels: int = 64,
                 hyper_hidden: int = 64, analysis_hidden: int = 128):
        super().__init__(factor, groups, levels, width, lam_lo, lam_hi, ladder)
        self.Cz = hyper_channels
        self.h_a = HyperAnalysis(groups, analysis_hidden, hyper_channels)
        self.h_s = HyperSynthesis(hyper_channels, hyper_hidden, groups, levels)
        self.z_density = FactorizedDensity(hyper_channels)
        self.ctx = ContextTerms(groups)
        m_lo, m_hi = mean_range(levels)
        self.register_buffer("mean_lo", torch.tensor(float(m_lo)))
        self.register_buffer("mean_hi", torch.tensor(float(m_hi)))
        self.register_buffer("scales", torch.tensor(scale_table(), dtype=torch.float32))

    @torch.no_grad()
    def init_hyper_from_latents(self, y: torch.Tensor) -> None:
        """Start h_s's output biases at each channel's own mean and spread over latents y [B,C,h,w], so the
        hyperprior begins as a per-channel Gaussian (about the factorised density's cost) instead of sigma ~ 2
        everywhere, which Adam needs thousands of steps to leave (most channels are nearly always 0)."""
        q = torch.round(y.clamp(self.quantiser.lo, self.quantiser.hi))
        mean = q.mean((0, 2, 3))
        sd = q.std((0, 2, 3)).clamp(SIGMA_MIN, SIGMA_MAX)
        s = (torch.log(sd) - math.log(SIGMA_MIN)) / (math.log(SIGMA_MAX) - math.log(SIGMA_MIN)) * (S - 1)
        l3 = self.h_s.l3
        l3.bias_p[:self.G] = mean * MEAN_STEPS / l3.b_unit
        l3.bias_p[self.G:] = s / l3.b_unit

    def hyper(self, y: torch.Tensor):
        """y [B,C,h,w] -> (z, z_hat, mean index, scale index); h and w are padded to multiples of 4 for h_a."""
        h, w = y.shape[2:]
        yp = F.pad(y, (0, -w % 4, 0, -h % 4), mode="replicate")
        z = self.h_a(yp)
        z_hat = ste_round(z.clamp(-ZR, ZR))
        m, s = self.h_s(z_hat)
        return z, z_hat, m[:, :, :h, :w], s[:, :, :h, :w]

    def distribution(self, y: torch.Tensor, q: torch.Tensor):
        """(z, z_hat, mean index in quarters, scale index) of every latent value: the hyperprior's prediction plus
        the context terms of the earlier groups and causal neighbours (of q, the integer latent), clamped again."""
        z, z_hat, m, s = self.hyper(y)
        dm, ds = self.ctx(q)
        m = torch.maximum(torch.minimum(m + dm, self.mean_hi), self.mean_lo)
        s = (s + ds).clamp(0, S - 1)
        return z, z_hat, m, s

    def forward(self, x, keep: torch.Tensor | None = None, quantise: bool = True):
        y = self.encoder(x)
        q = self.quantise(y)
        if self.training:
            self.quantiser.update_usage(q)
        noisy = y + torch.empty_like(y).uniform_(-0.5, 0.5) if self.training else q
        npx = x.shape[2] * x.shape[3]
        mask = None
        if keep is not None:
            mask = (torch.arange(self.G, device=x.device)[None, :] < keep[:, None]).to(q.dtype)[:, :, None, None]
        bpp, bpp_z = self._hyper_bpp(y, q, noisy, mask, npx)
        fbits = -torch.log2(self.density.likelihood(noisy))
        fbits_d = -torch.log2(self.density.likelihood(noisy.detach())) if self.training else fbits
        if mask is not None:
            fbits, fbits_d = fbits * mask, fbits_d * mask
        stats = {"commit": torch.zeros((), device=x.device), "bpp": bpp, "bpp_z": bpp_z,
                 "bpp_fact": fbits.sum((1, 2, 3)) / npx, "bpp_fact_detached": fbits_d.sum((1, 2, 3)) / npx}
        if self.training:  # the hyperprior's bits with the latent detached: its own gradient during a ramp
            stats["bpp_detached"] = self._hyper_bpp(y.detach(), q.detach(), noisy.detach(), mask, npx)[0]
        q_seen = q if mask is None else q * mask
        return self.decoder(q_seen), None, stats, q

    def _hyper_bpp(self, y, q, noisy, mask, npx):
        z, z_hat, m, s = self.distribution(y, q)
        z_noisy = z + torch.empty_like(z).uniform_(-0.5, 0.5) if self.training else z_hat
        bits = gaussian_bits(noisy, m / MEAN_STEPS, self._sigma(s))
        if mask is not None:
            bits = bits * mask
        zbits = -torch.log2(self.z_density.likelihood(z_noisy.clamp(-ZR - 0.5, ZR + 0.5))).sum((1, 2, 3))
        return (bits.sum((1, 2, 3)) + zbits) / npx, zbits / npx

    def _sigma(self, s: torch.Tensor) -> torch.Tensor:
        """Scale index (integer-valued, straight-through) -> sigma, interpolating the table so gradients flow."""
        lo = math.log(SIGMA_MIN)
        return torch.exp(lo + s * (math.log(SIGMA_MAX) - lo) / (S - 1))

    def rd_loss(self, x, y, stats, keep, rate_weight: float = 1.0):
        mse = ((y - x) ** 2).mean((1, 2, 3))
        lam = self.lam(keep).to(x.device)
        # The encoder feels the hyperprior's rate; during a ramp (rate_weight < 1, right after the switch from
        # grid-sq, while the new hyperprior is still poor) it feels a mix with the factorised density's, which the
        # transforms were trained against. Each entropy model always gets its full gradient (the detached terms).
        # The factorised density keeps fitting the latent either way: its order-0 view serves coders 1-6.
        w = rate_weight
        if w < 1.0:
            rate = w * stats["bpp"] + (1 - w) * (stats["bpp_fact"] + stats["bpp_detached"]) + w * stats["bpp_fact_detached"]
        else:
            rate = stats["bpp"] + stats["bpp_fact_detached"]
        # (the factorised bits in the loss are counted once; only what the encoder optimises enters lambda's trade-off)
        return (rate + lam * 255.0 ** 2 * mse).mean()

    @torch.no_grad()
    def prefix_bpp(self, q_full, g) -> float:
        """Hyperprior bits per pixel of the first g channels plus z (what coder 7 would cost, ideally)."""
        z, z_hat, m, s = self.distribution(q_full, q_full)  # the log passes the rounded latent; close to h_a(y)
        bits = gaussian_bits(q_full[:, :g], m[:, :g] / MEAN_STEPS, self._sigma(s[:, :g]))
        zb = -torch.log2(self.z_density.likelihood(z_hat))
        return float((bits.sum() + zb.sum()) / (q_full.shape[0] * q_full.shape[2] * q_full.shape[3] * self.factor ** 2))


def _conv_int(a: np.ndarray, w: np.ndarray, transposed: bool) -> np.ndarray:
    """Exact integer convolution, a [Cin,H,W] int64 -> [Cout,H',W'] int64 (no bias). Transposed: 4x4, stride 2,
    padding 1 (out[2i+p-1+... ] as PyTorch's ConvTranspose2d); else k x k, stride 1, padding k//2."""
    cin, h, wd = a.shape
    if transposed:  # w [Cin, Cout, 4, 4]: out[o, 2i + u - 1, 2j + v - 1] += w[c, o, u, v] * a[c, i, j]
        cout = w.shape[1]
        full = np.zeros((cout, 2 * h + 2, 2 * wd + 2), np.int64)
        for u in range(4):
            for v in range(4):
                full[:, u:u + 2 * h:2, v:v + 2 * wd:2] += np.einsum("co,chw->ohw", w[:, :, u, v], a)
        return full[:, 1:1 + 2 * h, 1:1 + 2 * wd]
    cout, _, k, _ = w.shape
    p = k // 2
    ap = np.pad(a, ((0, 0), (p, p), (p, p)))
    out = np.zeros((cout, h, wd), np.int64)
    for u in range(k):
        for v in range(k):
            out += np.einsum("oc,chw->ohw", w[:, :, u, v], ap[:, u:u + h, v:v + wd])
    return out


def int_layer(a: np.ndarray, prm: dict, transposed: bool, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The integer layer of IntLayer's docstring (numpy int64): the reference the Java decoder must match."""
    acc = _conv_int(a, prm["w"], transposed) + prm["b"][:, None, None]
    r = prm["r"][:, None, None]
    out = (acc * prm["m"][:, None, None] + (np.int64(1) << (r - 1))) >> r
    return np.clip(out, lo[:, None, None], hi[:, None, None])


def h_s_integer(params: list[dict], z_hat: np.ndarray, channels: int, levels: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """z_hat [Cz,h,w] int -> (mean index [C,4h,4w] in quarters, scale index [C,4h,4w]) in exact integer arithmetic."""
    hidden = params[0]["w"].shape[1]
    lo_h, hi_h = np.zeros(hidden, np.int64), np.full(hidden, ACT_MAX, np.int64)
    a = int_layer(z_hat.astype(np.int64), params[0], True, lo_h, hi_h)
    a = int_layer(a, params[1], True, lo_h, hi_h)
    m_lo, m_hi = mean_range(levels)
    lo = np.concatenate([np.full(channels, m_lo), np.zeros(channels)]).astype(np.int64)
    hi = np.concatenate([np.full(channels, m_hi), np.full(channels, S - 1)]).astype(np.int64)
    o = int_layer(a, params[2], False, lo, hi)
    return o[:channels], o[channels:]


def load_partial(model: nn.Module, state: dict) -> tuple[list[str], list[str]]:
    """Load what matches (e.g. grid-sq weights into grid-sq-hp); returns (missing, unexpected) key lists."""
    res = model.load_state_dict(state, strict=False)
    return list(res.missing_keys), list(res.unexpected_keys)
