#!/usr/bin/env python3
"""Cross-check `qtk bench` against ../shared/tools/classic_rd.py, the project's reference sweep of the Debian encoders.

For every quality both ran (cjpeg -optimize as `cjpeg` / classic `jpeg`, cwebp -m 6 as `webp`), prints the two
measurements side by side (bpp, PSNR on 8-bit RGB averaged per image) and their differences; then the BD-rate (PSNR)
of qtk against classic_rd's curves, next to the bench's own BD-rates.

  training/.venv/bin/python ../shared/tools/classic_rd.py ../shared/datasets/eval/kodak jpeg > docs/results/classic-rd-jpeg.csv
  training/.venv/bin/python ../shared/tools/classic_rd.py ../shared/datasets/eval/kodak webp > docs/results/classic-rd-webp.csv
  training/.venv/bin/python training/classic_crosscheck.py docs/results/kodak-summary.csv \
      docs/results/classic-rd-jpeg.csv docs/results/classic-rd-webp.csv
"""
from __future__ import annotations

import argparse
import csv

import numpy as np

from bd_compare import bd_rate

BENCH_NAME = {"jpeg": "cjpeg", "webp": "webp"}  # classic_rd codec -> qtk bench codec with the same settings


def classic_rows(path: str) -> dict[str, list[tuple[int, float, float]]]:
    out: dict[str, list[tuple[int, float, float]]] = {}
    for r in csv.DictReader(open(path)):
        out.setdefault(r["codec"], []).append((int(r["quality"]), float(r["bpp"]), float(r["psnr"])))
    return out


def bench_rows(path: str) -> dict[str, dict[str, tuple[float, float]]]:
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for r in csv.DictReader(open(path)):
        out.setdefault(r["codec"], {})[r["setting"]] = (float(r["bpp"]), float(r["psnr_rgb"]))
    return out


def compare(bench: dict, classic: dict) -> list[tuple[str, int, float, float, float, float]]:
    """Rows (codec, quality, bench bpp, classic bpp, bench PSNR, classic PSNR) for the qualities both measured."""
    rows = []
    for codec, points in classic.items():
        mine = bench.get(BENCH_NAME.get(codec, codec), {})
        for q, bpp, psnr in points:
            if f"q={q}" in mine:
                b_bpp, b_psnr = mine[f"q={q}"]
                rows.append((codec, q, b_bpp, bpp, b_psnr, psnr))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summary", help="summary.csv of a qtk bench run")
    ap.add_argument("classic", nargs="+", help="CSV output of classic_rd.py (default mode)")
    args = ap.parse_args()
    bench = bench_rows(args.summary)
    classic: dict[str, list] = {}
    for p in args.classic:
        classic.update(classic_rows(p))
    rows = compare(bench, classic)
    print("codec    q   bpp bench  classic   diff %   PSNR bench  classic   diff dB")
    for codec, q, bb, cb, bp, cp in rows:
        print(f"{codec:6s} {q:3d}   {bb:8.4f} {cb:8.4f} {100 * (bb / cb - 1):+7.2f}   {bp:9.3f} {cp:8.3f} {bp - cp:+8.3f}")
    qtk = [c for c in bench if c.startswith("qtk")]
    for name in qtk:
        pts = sorted(bench[name].values())
        qr, qp = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
        for codec, points in classic.items():
            cr, cp = np.array([p[1] for p in points]), np.array([p[2] for p in points])
            print(f"BD-rate (PSNR) {name} vs classic_rd {codec}: {bd_rate(cr, cp, qr, qp):+.2f} %")


if __name__ == "__main__":
    main()
