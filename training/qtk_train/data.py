"""Training data: every JPEG decoded once into a RAM cache of uint8 arrays, then random crops drawn from it.

The crops are drawn on the main thread: at 128x128 they cost ~1 ms each, far below a CPU training step.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image

IMAGE_EXTS = {".jpg", ".jpeg", ".png"}


def datasets_dir() -> Path:
    # training/qtk_train/data.py -> repo root -> ../shared/datasets
    return Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def default_data_dir() -> Path:
    return datasets_dir() / "train"


def _roots(root) -> list[Path]:
    """One folder, a list of folders, or folders joined by os.pathsep (the --data form)."""
    if isinstance(root, (list, tuple)):
        return [Path(r) for r in root]
    return [Path(r) for r in str(root).split(os.pathsep) if r]


def list_images(root, exclude: set[str] | frozenset = frozenset()) -> list[Path]:
    """Images under one or more roots, sorted per root; names in `exclude` (a held-out validation set) are left out."""
    files = []
    for r in _roots(root):
        files += sorted(p for p in r.rglob("*") if p.suffix.lower() in IMAGE_EXTS and p.name not in exclude)
    # Guard: Kodak is the evaluation set and must never be trained on.
    files = [p for p in files if "kodak" not in str(p).lower() and "kodim" not in p.name.lower()]
    if not files:
        raise FileNotFoundError(f"no training images under {root}")
    return files


def load_rgb(path: Path, max_side: int = 0) -> np.ndarray:
    """RGB uint8; with max_side, images whose longer side exceeds it are box-downscaled to it (camera photos of
    several megapixels otherwise give crops of sensor noise and JPEG blocks, unlike the photos users compress)."""
    with Image.open(path) as im:
        if max_side and max(im.size) > max_side:
            s = max_side / max(im.size)
            size = (max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s)))
            im.draft("RGB", size)  # JPEG: decode at 1/2..1/8 scale first (never below size)
            im = im.convert("RGB").resize(size, Image.BOX)
        return np.asarray(im.convert("RGB"), dtype=np.uint8).copy()


_load_rgb = load_rgb


def read_name_list(path: str | os.PathLike) -> set[str]:
    """File names, one per line (# comments allowed): e.g. training/splits/val-extra.txt."""
    lines = Path(path).read_text().splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")}


class ImageCache:
    """All training images as HxWx3 uint8 arrays (~0.5 GB for the 618 training photos).

    root: a folder, a list of folders, or folders joined by os.pathsep; exclude: file names to leave out (the
    held-out validation set); max_side: box-downscale larger images to this longer side (0: keep)."""

    def __init__(self, root, min_side: int = 0, threads: int = 2, exclude: set[str] | frozenset = frozenset(),
                 max_side: int = 0):
        roots = _roots(root)
        self.root = roots[0] if len(roots) == 1 else roots
        self.paths = list_images(roots, exclude)
        with ThreadPoolExecutor(threads) as pool:
            images = list(pool.map(lambda p: load_rgb(p, max_side), self.paths))
        keep = [i for i, im in enumerate(images) if min(im.shape[:2]) >= min_side]
        self.paths = [self.paths[i] for i in keep]
        self.images = [images[i] for i in keep]

    def __len__(self) -> int:
        return len(self.images)

    @property
    def nbytes(self) -> int:
        return sum(im.nbytes for im in self.images)


class CropSampler:
    """Random crops with a random 0.5-1.0 downscale and horizontal flips, deterministic from its seed.

    The downscale (box-filtered resize of the source window) suppresses the JPEG artefacts every training image
    carries; a scale is never so small that the image becomes smaller than the crop.
    """

    def __init__(self, cache: ImageCache, crop: int = 128, min_scale: float = 0.5, max_scale: float = 1.0,
                 flip: bool = True, seed: int = 0):
        self.cache, self.crop = cache, crop
        self.min_scale, self.max_scale, self.flip = min_scale, max_scale, flip
        self.rng = np.random.default_rng(seed)

    def one(self) -> np.ndarray:
        rng, c = self.rng, self.crop
        im = self.cache.images[rng.integers(len(self.cache))]
        h, w = im.shape[:2]
        lo = max(self.min_scale, c / min(h, w))
        scale = rng.uniform(lo, max(lo, self.max_scale))
        src = min(int(round(c / scale)), h, w)  # side of the source window that maps onto the crop
        y, x = rng.integers(h - src + 1), rng.integers(w - src + 1)
        patch = im[y:y + src, x:x + src]
        if src != c:
            patch = np.asarray(Image.fromarray(patch).resize((c, c), Image.BOX if src > c else Image.BICUBIC))
        if self.flip and rng.random() < 0.5:
            patch = patch[:, ::-1]
        return patch

    def batch(self, n: int) -> torch.Tensor:
        """n crops as float32 [n,3,c,c] in [0,1]."""
        arr = np.stack([self.one() for _ in range(n)])
        return torch.from_numpy(arr).permute(0, 3, 1, 2).float().div_(255.0)

    def state(self) -> dict:
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state
