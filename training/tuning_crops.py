#!/usr/bin/env python3
"""A small tuning set of training photos (never Kodak): every 10th image (from the 3rd) of the sorted sunhays80 and
wallpapers-1280 JPEGs, the first 12, centre-cropped to at most 768x512 (Kodak's size) and saved as PNG. Used to tune
encoder settings such as rate-aware rounding with `qtk bench` before measuring on Kodak.

  training/.venv/bin/python training/tuning_crops.py ../shared/datasets/train build/rdo-train
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image


def pick(train: Path, count: int = 12) -> list[Path]:
    files = sorted(list((train / "sunhays80").glob("*.jpg")) + list((train / "wallpapers-1280").glob("*.jpg")))
    return files[2::10][:count]


def crop(img: Image.Image, w: int = 768, h: int = 512) -> Image.Image:
    W, H = img.size
    w, h = min(W, w), min(H, h)
    x, y = (W - w) // 2, (H - h) // 2
    return img.crop((x, y, x + w, y + h))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", type=Path, help="the training set folder (../shared/datasets/train)")
    ap.add_argument("out", type=Path, help="folder for the PNG crops")
    args = ap.parse_args()
    files = pick(args.train)
    if not files:
        print(f"tuning_crops: no training photos under {args.train} (skipped)", file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for f in files:
        crop(Image.open(f).convert("RGB")).save(args.out / (f.stem + ".png"))
    print(f"{len(files)} crops in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
