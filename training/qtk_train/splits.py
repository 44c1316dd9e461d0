"""The held-out validation set: a fixed, seeded part of ../shared/datasets/train-extra that is never trained on.

Kodak alone says little about photos unlike it (camera JPEGs, city scenes, close-ups), so every learning-curve point
is measured on Kodak and on this set. The split is stratified by source (the file-name prefix before the first
'-': mdx, budgie, elementary, deepin) so each kind of photo is represented, and written once to
training/splits/val-extra.txt; training configs exclude the names listed there.

    python -m qtk_train.splits --extra ../shared/datasets/train-extra --out training/splits/val-extra.txt
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .data import IMAGE_EXTS, datasets_dir

SEED = 20261204
FRACTION = 0.2


def validation_names(names: list[str], fraction: float = FRACTION, seed: int = SEED) -> list[str]:
    """round(fraction * n) names of each source prefix, drawn by a seeded permutation of the sorted names."""
    rng = np.random.default_rng(seed)
    out = []
    for prefix in sorted({n.split("-", 1)[0] for n in names}):
        group = sorted(n for n in names if n.split("-", 1)[0] == prefix)
        k = int(round(fraction * len(group)))
        out += [group[i] for i in sorted(rng.permutation(len(group))[:k])]
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--extra", default=str(datasets_dir() / "train-extra"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "splits" / "val-extra.txt"))
    args = ap.parse_args()
    names = sorted(p.name for p in Path(args.extra).iterdir() if p.suffix.lower() in IMAGE_EXTS)
    val = validation_names(names)
    Path(args.out).write_text(
        f"# validation set: {len(val)} of the {len(names)} photos in shared/datasets/train-extra, never trained on\n"
        f"# made by: python -m qtk_train.splits (seed {SEED}, {FRACTION:.0%} of each source prefix)\n"
        + "".join(n + "\n" for n in val))
    print(f"{len(val)} of {len(names)} -> {args.out}")


if __name__ == "__main__":
    main()
