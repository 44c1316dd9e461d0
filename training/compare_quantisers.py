#!/usr/bin/env python3
"""The seed finding at our scale: product quantisation vs one VQ codebook, and grid vs global tokens, at equal raw
bits. Small models, same encoder/decoder widths, same data, seed and steps; only the quantiser differs.

Grid runs code 12 bits per f16 latent position (0.047 bpp raw) as G codebooks of K = 2^(12/G) codewords over a
12-channel latent (d = 12/G); the global run codes the same 192 bits per 64x64 tile as 32 tokens of 6 bits.
Each run trains (resumably) to --steps, then is evaluated on Kodak through ONNX Runtime (training/evaluate.py).

  python training/compare_quantisers.py --steps 3000 --out training/runs/compare --table docs/results/quantisers.md
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARCH = {"factor": 16, "widths": [16, 32, 48, 64], "blocks": [0, 0, 0, 1]}
TRAIN = {"seed": 77, "crop": 64, "batch": 8, "min_scale": 0.5, "lr": 1e-3, "warmup": 200, "min_lr_ratio": 0.05,
         "weight_decay": 0.0, "clip": 1.0, "beta": 0.005, "quant_warmup": 300, "mse_weight": 1.0, "p_full": 1.0,
         "log_every": 100, "checkpoint_minutes": 5}


def runs(steps: int) -> dict[str, dict]:
    out = {}
    for g, k in [(1, 4096), (2, 64), (3, 16), (4, 8), (6, 4), (12, 2)]:
        name = "vq-1x4096" if g == 1 else f"pq-{g}x{k}"
        out[name] = {"name": f"qtk-cmp-{name}", "version": "1",
                     "model": {"kind": "grid", **ARCH, "groups": g, "codebook_size": k, "dim": 12 // g,
                               "quant": {"decay": 0.99, "revive_every": 100, "revive_threshold": 0.03,
                                         "revive_noise": 0.01}},
                     "ladder": [g], "log_prefixes": [g], "halo": 64, "train": {**TRAIN, "steps": steps}}
    out["global-32x64"] = {"name": "qtk-cmp-global-32x64", "version": "1",
                           "model": {"kind": "global", "tile": 64, **ARCH, "tokens": 32, "codebook_size": 64,
                                     "dim": 8, "quant": {"reset_every": 500, "reset_noise": 0.05}, "p_nested": 0.0},
                           "ladder": [32], "log_prefixes": [32],
                           "train": {**TRAIN, "steps": steps, "beta": 0.25}}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--out", default=str(HERE / "runs" / "compare"))
    ap.add_argument("--table", help="write the markdown table here")
    ap.add_argument("--only", help="comma-separated run names")
    args = ap.parse_args()
    kodak = HERE.parent.parent / "shared" / "datasets" / "eval" / "kodak"
    if not kodak.is_dir():
        print(f"compare_quantisers: no Kodak images under {kodak}; skipping")
        return
    py = sys.executable
    results = []
    for name, cfg in runs(args.steps).items():
        if args.only and name not in args.only.split(","):
            continue
        rd = Path(args.out) / name
        rd.mkdir(parents=True, exist_ok=True)
        (rd / "config.in.json").write_text(json.dumps(cfg, indent=2))
        weights, evcsv = rd / "latest-weights.pt", rd / "kodak.csv"
        done = weights.exists() and json.loads((rd / "done.json").read_text())["steps"] >= args.steps \
            if (rd / "done.json").exists() else False
        if not done:
            subprocess.run([py, str(HERE / "train.py"), "--config", str(rd / "config.in.json"), "--out", str(rd),
                            "--resume", "--max-steps", str(args.steps), "--threads", "2"], check=True,
                           stdout=subprocess.DEVNULL)
            (rd / "done.json").write_text(json.dumps({"steps": args.steps}))
            evcsv.unlink(missing_ok=True)
        if not evcsv.exists():
            subprocess.run([py, str(HERE / "evaluate.py"), "--ckpt", str(weights), "--csv", str(evcsv)], check=True,
                           stdout=subprocess.DEVNULL)
        row = next(csv.DictReader(open(evcsv)))
        m = cfg["model"]
        results.append({"run": name, "quantiser": m["kind"], "G": m.get("groups", m.get("tokens")),
                        "K": m["codebook_size"], "d": m["dim"], "bpp_raw": float(row["bpp_raw"]),
                        "bpp_o0": float(row["bpp_order0"]), "psnr": float(row["psnr"]),
                        "msssim": float(row["msssim"])})
        print(json.dumps(results[-1]), flush=True)
    lines = [f"| run | quantiser | codebooks x K | d | raw bpp | order-0 bpp | PSNR (dB) | MS-SSIM |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['run']} | {r['quantiser']} | {r['G']} x {r['K']} | {r['d']} | {r['bpp_raw']:.4f} | "
                     f"{r['bpp_o0']:.4f} | {r['psnr']:.2f} | {r['msssim']:.4f} |")
    table = "\n".join(lines)
    print(table)
    if args.table:
        Path(args.table).parent.mkdir(parents=True, exist_ok=True)
        Path(args.table).write_text(f"<!-- made by: training/.venv/bin/python training/compare_quantisers.py "
                                    f"--steps {args.steps} --table {args.table} -->\n{table}\n")


if __name__ == "__main__":
    main()
