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


def _cast(state: dict, half: bool) -> dict:
    dt = torch.float16 if half else torch.float32
    return {k: (v.detach().to(dt).cpu() if v.is_floating_point() else v.detach().cpu()) for k, v in state.items()}


def weights_only(model: torch.nn.Module, cfg: dict, step: int, extra: dict | None = None, half: bool = False) -> dict:
    """Weights (fp32, or fp16 with half: what is committed), config and step; an 'ema' state in extra is cast too."""
    extra = dict(extra or {})
    if extra.get("ema") is not None:
        extra["ema"] = _cast(extra["ema"], half)
    return {"config": cfg, "step": step, "model": _cast(model.state_dict(), half), **extra}


def model_state(st: dict, prefer_ema: bool = True) -> dict:
    """The state to evaluate or export: the weights' exponential moving average where the run kept one, with any
    entry the average does not hold (integer buffers) from the raw weights; fp16 files are widened to fp32."""
    raw = st["model"]
    ema = st.get("ema") if prefer_ema else None
    merged = {**raw, **ema} if ema else raw
    return {k: (v.float() if v.is_floating_point() else v) for k, v in merged.items()}


def load(path: Path, device="cpu") -> dict:
    return torch.load(path, map_location=device, weights_only=False)


def save_half(src: Path, dst: Path) -> dict:
    """A weights-only file (fp32, e.g. a run's latest-weights.pt) re-saved in fp16 with its EMA: what a session
    commits so a fresh machine resumes the run (half the size; fp16 keeps ~3 significant digits, far below the
    noise of a training step)."""
    st = load(src)
    out = dict(st)
    for key in ("model", "ema"):
        if out.get(key) is not None:
            out[key] = _cast(out[key], half=True)
    atomic_save(out, dst)
    return out


if __name__ == "__main__":  # python training/qtk_train/checkpoint.py half SRC DST
    import sys
    if len(sys.argv) != 4 or sys.argv[1] != "half":
        raise SystemExit("usage: checkpoint.py half SRC DST")
    st = save_half(Path(sys.argv[2]), Path(sys.argv[3]))
    print(f"{sys.argv[3]}: step {st['step']}, fp16{' + EMA' if st.get('ema') is not None else ''}")
