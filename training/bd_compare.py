#!/usr/bin/env python3
"""BD-rate of one qtk ladder against another, from two `qtk bench` summary.csv files (e.g. two versions of a model).

Bjontegaard delta rate: log-rate fitted as a cubic in quality (PSNR, or MS-SSIM in dB), integrated over the quality
range both curves cover; negative means B needs fewer bits than A for the same quality. --rungs a:b limits both
ladders to the rungs a..b-1 (their order in the file) to see where along the ladder the difference sits. --points
prints, for every point of B, the rate change against A's curve at equal quality (A's log-rate interpolated linearly
in quality between its points; blank outside A's range), in PSNR and in MS-SSIM.

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


def rate_change_at_equal_quality(rate_a, q_a, rate_b, q_b) -> np.ndarray:
    """Per point of B: per cent more bits than A's curve needs for the same quality (NaN outside A's range). A's
    qualities must ascend."""
    q_a, q_b = np.asarray(q_a, float), np.asarray(q_b, float)
    if np.any(np.diff(q_a) <= 0):
        raise ValueError("the reference ladder's quality does not ascend")
    ref = np.exp(np.interp(q_b, q_a, np.log(rate_a)))
    out = (np.asarray(rate_b, float) / ref - 1) * 100
    out[(q_b < q_a[0]) | (q_b > q_a[-1])] = np.nan
    return out


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
    ap.add_argument("--points", action="store_true", help="also the rate change at every point of B")
    args = ap.parse_args()
    a, b = ladder(args.a, args.codec), ladder(args.b, args.codec)
    spans = [("all", slice(None))] + [(r, slice(*(int(x) for x in r.split(":")))) for r in args.rungs]
    for name, sl in spans:
        print(f"rungs {name}: BD-rate PSNR {bd_rate(a['bpp'][sl], a['psnr_rgb'][sl], b['bpp'][sl], b['psnr_rgb'][sl]):+.2f} %, "
              f"MS-SSIM(dB) {bd_rate(a['bpp'][sl], a['ms_ssim_db'][sl], b['bpp'][sl], b['ms_ssim_db'][sl]):+.2f} %")
    if args.points:
        dp = rate_change_at_equal_quality(a["bpp"], a["psnr_rgb"], b["bpp"], b["psnr_rgb"])
        dm = rate_change_at_equal_quality(a["bpp"], a["ms_ssim_db"], b["bpp"], b["ms_ssim_db"])
        print("point  bpp A -> B       PSNR A -> B     rate at equal PSNR  MS-SSIM(dB) A -> B  rate at equal MS-SSIM")
        for i in range(len(b["bpp"])):
            ra = f"{a['bpp'][i]:.4f}" if i < len(a["bpp"]) else "-"
            pa = f"{a['psnr_rgb'][i]:.2f}" if i < len(a["bpp"]) else "-"
            ma = f"{a['ms_ssim_db'][i]:.2f}" if i < len(a["bpp"]) else "-"
            print(f"{i:5d}  {ra:>6s} -> {b['bpp'][i]:.4f}  {pa:>5s} -> {b['psnr_rgb'][i]:.2f}  {dp[i]:+17.1f} %  "
                  f"{ma:>5s} -> {b['ms_ssim_db'][i]:.2f}  {dm[i]:+20.1f} %")


if __name__ == "__main__":
    main()
