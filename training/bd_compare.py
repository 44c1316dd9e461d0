#!/usr/bin/env python3
"""BD-rate of one qtk ladder against another, from two `qtk bench` summary.csv files (e.g. two versions of a model).

Bjontegaard delta rate: log-rate fitted as a cubic in quality (PSNR, or MS-SSIM in dB), integrated over the quality
range both curves cover; negative means B needs fewer bits than A for the same quality. --rungs a:b limits both
ladders to the rungs a..b-1 (their order in the file) to see where along the ladder the difference sits.

  training/.venv/bin/python training/bd_compare.py build/bench-kodak-0.4/summary.csv build/bench-kodak-0.5/summary.csv
"""
from __future__ import annotations

import argparse
import csv

import numpy as np


def bd_rate(rate_a, q_a, rate_b, q_b) -> float:
    """Per cent more bits B spends than A at equal quality, averaged over the common quality range."""
    pa = np.polyfit(q_a, np.log(rate_a), 3)
    pb = np.polyfit(q_b, np.log(rate_b), 3)
    lo, hi = max(min(q_a), min(q_b)), min(max(q_a), max(q_b))
    if hi <= lo:
        raise ValueError("the two curves share no quality range")
    ia, ib = np.polyint(pa), np.polyint(pb)
    mean_diff = ((np.polyval(ib, hi) - np.polyval(ib, lo)) - (np.polyval(ia, hi) - np.polyval(ia, lo))) / (hi - lo)
    return float((np.exp(mean_diff) - 1) * 100)


def ladder(path: str, codec_prefix: str) -> dict[str, np.ndarray]:
    rows = [r for r in csv.DictReader(open(path)) if r["codec"].startswith(codec_prefix)]
    if len(rows) < 4:
        raise SystemExit(f"{path}: {len(rows)} rows of codec {codec_prefix}*, need at least 4 for a cubic fit")
    return {k: np.array([float(r[k]) for r in rows]) for k in ("bpp", "psnr_rgb", "ms_ssim_db")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", help="summary.csv of the reference ladder")
    ap.add_argument("b", help="summary.csv of the ladder compared with it")
    ap.add_argument("--codec", default="qtk", help="rows whose codec starts with this (default: qtk)")
    ap.add_argument("--rungs", action="append", default=[], metavar="A:B",
                    help="also report the rungs A..B-1 alone (repeatable)")
    args = ap.parse_args()
    a, b = ladder(args.a, args.codec), ladder(args.b, args.codec)
    spans = [("all", slice(None))] + [(r, slice(*(int(x) for x in r.split(":")))) for r in args.rungs]
    for name, sl in spans:
        print(f"rungs {name}: BD-rate PSNR {bd_rate(a['bpp'][sl], a['psnr_rgb'][sl], b['bpp'][sl], b['psnr_rgb'][sl]):+.2f} %, "
              f"MS-SSIM(dB) {bd_rate(a['bpp'][sl], a['ms_ssim_db'][sl], b['bpp'][sl], b['ms_ssim_db'][sl]):+.2f} %")


if __name__ == "__main__":
    main()
