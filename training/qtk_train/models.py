"""Fully convolutional grid autoencoder (family 1): image [B,3,H,W] -> latent [B,C,H/f,W/f] -> image.

Plain convolutions + LeakyReLU + residual blocks (no GDN) keep it cheap on CPU and trivially ONNX-exportable with
dynamic H/W. Down-sampling: stride-2 convs; up-sampling: conv + PixelShuffle (ONNX DepthToSpace).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn

from .quant import ProductQuantiser, group_mask, sample_prefixes


def act() -> nn.Module:
    return nn.LeakyReLU(0.2, inplace=True)


class ResBlock(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(ch, ch, 3, padding=1), act(), nn.Conv2d(ch, ch, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)


class Up(nn.Module):
    """x2 up-sampling: conv to 4x channels, then PixelShuffle."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout * 4, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x):
        return self.shuffle(self.conv(x))


def _stages(factor: int) -> int:
    n = int(round(math.log2(factor)))
    if 2 ** n != factor or n < 1:
        raise ValueError(f"factor must be a power of two >= 2, got {factor}")
    return n


class Encoder(nn.Module):
    """widths[i] = channels after the i-th stride-2 stage; blocks[i] residual blocks follow that stage."""

    def __init__(self, factor: int, widths: list[int], blocks: list[int], latent: int):
        super().__init__()
        n = _stages(factor)
        assert len(widths) == n and len(blocks) == n, "one width / block count per x2 stage"
        layers, cin = [], 3
        for i, (w, nb) in enumerate(zip(widths, blocks)):
            k = 5 if i == 0 else 3  # a wider first kernel sees a little more than 2x2 pixels per output
            layers += [nn.Conv2d(cin, w, k, stride=2, padding=k // 2), act()]
            layers += [ResBlock(w) for _ in range(nb)]
            cin = w
        layers.append(nn.Conv2d(cin, latent, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x - 0.5)  # centre the input; [0,1] is the bundle's contract


class Decoder(nn.Module):
    def __init__(self, factor: int, widths: list[int], blocks: list[int], latent: int):
        super().__init__()
        n = _stages(factor)
        widths, blocks = list(reversed(widths)), list(reversed(blocks))
        layers = [nn.Conv2d(latent, widths[0], 3, padding=1), act()]
        for i in range(n):
            layers += [ResBlock(widths[i]) for _ in range(blocks[i])]
            cout = widths[i + 1] if i + 1 < n else widths[-1]
            if i + 1 < n:
                layers += [Up(widths[i], cout), act()]
        layers += [Up(widths[-1], 3)]  # last x2 straight to RGB
        self.net = nn.Sequential(*layers)

    def forward(self, q):
        return self.net(q) + 0.5


class GridModel(nn.Module):
    def __init__(self, factor: int = 16, groups: int = 32, codebook_size: int = 256, dim: int = 4,
                 widths=(48, 96, 128, 160), blocks=(0, 1, 1, 2), quant: dict | None = None):
        super().__init__()
        self.factor, self.G, self.K, self.d = factor, groups, codebook_size, dim
        self.C = groups * dim
        self.encoder = Encoder(factor, list(widths), list(blocks), self.C)
        self.decoder = Decoder(factor, list(widths), list(blocks), self.C)
        self.quantiser = ProductQuantiser(groups, codebook_size, dim, **(quant or {}))
        init_weights(self)

    def forward(self, x, keep: torch.Tensor | None = None, quantise: bool = True):
        """keep [B]: number of leading groups the decoder sees per sample (None: all).

        quantise=False (the first training steps) feeds the continuous latent: the decoder learns to use the latent
        before quantisation noise can collapse it, and the codebooks are then seeded from meaningful encoder outputs.
        """
        z = self.encoder(x)
        if quantise:
            q, idx, stats = self.quantiser(z)
        else:
            q, idx, stats = z, None, {"commit": torch.zeros((), device=z.device)}
        if keep is not None:
            q = q * group_mask(keep, self.G, self.d).to(q.dtype)
        return self.decoder(q), idx, stats, q

    def sample_keep(self, batch: int, ladder, p_full: float, gen: torch.Generator, weights=None) -> torch.Tensor:
        return sample_prefixes(batch, ladder, p_full, gen, weights)

    @torch.no_grad()
    def decode_prefix(self, q_full: torch.Tensor, g: int) -> torch.Tensor:
        keep = torch.full((q_full.shape[0],), g, device=q_full.device)
        return self.decoder(q_full * group_mask(keep, self.G, self.d).to(q_full.dtype))


def init_weights(model: nn.Module) -> None:
    """He init for the LeakyReLU convs (PyTorch's default shrinks the signal ~3x per layer, which left the latent
    near zero and the decoder ignoring it); residual branches start small so each block starts near identity."""
    for mod in model.modules():
        if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(mod.weight, a=0.2, nonlinearity="leaky_relu")
            nn.init.zeros_(mod.bias)
    for mod in model.modules():
        if isinstance(mod, ResBlock):
            mod.body[-1].weight.data.mul_(0.1)


def build_model(cfg: dict) -> nn.Module:
    m = cfg["model"]
    kind = m.get("kind", "grid")
    if kind == "grid":
        return GridModel(m["factor"], m["groups"], m["codebook_size"], m["dim"], m["widths"], m["blocks"],
                         m.get("quant"))
    if kind == "grid-sq":
        from .scalar_model import ScalarGridModel
        return ScalarGridModel(m["factor"], m["groups"], m["levels"], m["width"], m["lam_lo"], m["lam_hi"],
                               cfg["ladder"])
    if kind == "grid-sq-hp":
        from .hyper_model import HyperGridModel
        return HyperGridModel(m["factor"], m["groups"], m["levels"], m["width"], m["lam_lo"], m["lam_hi"],
                              cfg["ladder"], m.get("hyper_channels", 64), m.get("hyper_hidden", 64),
                              m.get("analysis_hidden", 128))
    if kind == "global":
        from .global_model import GlobalModel
        return GlobalModel(**{k: v for k, v in m.items() if k != "kind"})
    raise ValueError(f"unknown model kind {kind}")


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
