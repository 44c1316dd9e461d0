"""Checkpoints: atomic writes (temp file + rename) so a kill mid-save never leaves a broken file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch

FULL = "ckpt.pt"  # model + optimiser + RNG states: exact resume
WEIGHTS = "latest-weights.pt"  # fp32 weights + config + step only: small enough to commit


def atomic_save(obj, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these files are meant to be shared / committed
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def weights_only(model: torch.nn.Module, cfg: dict, step: int, extra: dict | None = None) -> dict:
    state = {k: (v.detach().float().cpu() if v.is_floating_point() else v.detach().cpu())
             for k, v in model.state_dict().items()}
    return {"config": cfg, "step": step, "model": state, **(extra or {})}


def load(path: Path, device="cpu") -> dict:
    return torch.load(path, map_location=device, weights_only=False)
