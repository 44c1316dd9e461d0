#!/usr/bin/env python3
"""The seed finding at our scale: product quantisation vs one VQ codebook, and grid vs global tokens, at equal raw
bits. Small models, same encoder/decoder widths, same data, seed and steps; only the quantiser differs.

Two budgets: 12 raw bits per f16 latent position (0.047 bpp) as G codebooks of K = 2^(12/G) codewords over a
12-channel latent (d = 12/G), and 16 bits (0.0625 bpp) over a 16-channel latent (d = 16/G); the global runs code the
same bits per 64x64 tile as 32 tokens of 6 (resp. 8) bits. Each run trains (resumably; a run whose config changed
is retrained from scratch) to --steps, then is evaluated on Kodak through ONNX Runtime (training/evaluate.py), and
once more in PyTorch with every 64x64 tile coded alone (the training crop size; how the global model always codes).

  nice -n 19 training/.venv/bin/python training/compare_quantisers.py --steps 5000 --seeds 77,78,79 \
      --table docs/results/quantisers.md

Each seed trains every run again (the first seed in OUT/<run>, the others in OUT/<run>-s<seed>); the table gives the
mean over the seeds and the spread (max - min) of PSNR, so that a difference can be read against the noise.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qtk_train.models import build_model  # noqa: E402

HERE = Path(__file__).resolve().parent
ARCH = {"factor": 16, "widths": [16, 32, 48, 64], "blocks": [0, 0, 0, 1]}
TRAIN = {"seed": 77, "crop": 64, "batch": 8, "min_scale": 0.5, "lr": 1e-3, "warmup": 200, "min_lr_ratio": 0.05,
         "weight_decay": 0.0, "clip": 1.0, "beta": 0.005, "quant_warmup": 300, "mse_weight": 1.0, "p_full": 1.0,
         "log_every": 100, "checkpoint_minutes": 5}


def grid_run(g: int, k: int, bits: int, steps: int, seed: int = TRAIN["seed"]) -> dict:
    name = f"vq-1x{k}" if g == 1 else f"pq-{g}x{k}"
    return {"name": f"qtk-cmp-{name}", "version": "1",
            "model": {"kind": "grid", **ARCH, "groups": g, "codebook_size": k, "dim": bits // g,
                      "quant": {"decay": 0.99, "revive_every": 100, "revive_threshold": 0.03, "revive_noise": 0.01}},
            "ladder": [g], "log_prefixes": [g], "halo": 64, "train": {**TRAIN, "steps": steps, "seed": seed}}


def global_run(k: int, steps: int, seed: int = TRAIN["seed"]) -> dict:
    # 32 tokens of log2(k) bits per 64x64 tile = 2*log2(k) bits per 16x16 block; EMA codebooks seeded from the
    # warm-up's tokens, same commitment weight as the grid runs
    return {"name": f"qtk-cmp-global-32x{k}", "version": "1",
            "model": {"kind": "global", "tile": 64, **ARCH, "tokens": 32, "codebook_size": k, "dim": 8,
                      "quant": {"decay": 0.99, "revive_every": 100, "revive_threshold": 0.03, "revive_noise": 0.05},
                      "p_nested": 0.0},
            "ladder": [32], "log_prefixes": [32], "train": {**TRAIN, "steps": steps, "seed": seed}}


def runs(steps: int, seed: int = TRAIN["seed"]) -> dict[str, dict]:
    """12 raw bits per 16x16 block (12-channel latent, d = 12/G), then 16 bits (16 channels, d = 16/G), where one
    plain codebook (65,536 entries against 128 latent vectors per batch) becomes hard to use."""
    out = {}
    for bits, splits in [(12, [(1, 4096), (2, 64), (3, 16), (4, 8), (6, 4), (12, 2)]),
                         (16, [(1, 65536), (2, 256), (4, 16), (8, 4)])]:
        for g, k in splits:
            cfg = grid_run(g, k, bits, steps, seed)
            out[cfg["name"].removeprefix("qtk-cmp-")] = cfg
        k = 2 ** (bits // 2)
        out[f"global-32x{k}"] = global_run(k, steps, seed)
    return out


def run_dir(out: Path, name: str, seed: int) -> Path:
    """The first seed keeps the plain run name (runs trained before --seeds existed stay valid)."""
    return out / (name if seed == TRAIN["seed"] else f"{name}-s{seed}")


def summarise(results: list[dict]) -> list[dict]:
    """One row per run over its seeds: means, and the PSNR spread (max - min) across seeds."""
    rows: dict[str, list[dict]] = {}
    for r in results:
        rows.setdefault(r["run"], []).append(r)
    out = []
    for name, rs in rows.items():
        row = {k: rs[0][k] for k in ("run", "quantiser", "G", "K", "d", "bits", "bpp_raw")}
        for k in ("bpp_o0", "psnr", "psnr_tiles", "msssim"):
            row[k] = float(np.mean([r[k] for r in rs]))
        row["seeds"] = len(rs)
        row["psnr_spread"] = max(r["psnr"] for r in rs) - min(r["psnr"] for r in rs)
        row["tiles_spread"] = max(r["psnr_tiles"] for r in rs) - min(r["psnr_tiles"] for r in rs)
        out.append(row)
    return out


def table(rows: list[dict]) -> str:
    lines = ["| run | quantiser | codebooks x K | d | bits / 16x16 | raw bpp | order-0 bpp | seeds | PSNR (dB) | "
             "spread | PSNR 64x64 tiles (dB) | spread | MS-SSIM |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['run']} | {r['quantiser']} | {r['G']} x {r['K']} | {r['d']} | {r['bits']} | "
                     f"{r['bpp_raw']:.4f} | {r['bpp_o0']:.4f} | {r['seeds']} | {r['psnr']:.2f} | "
                     f"{r['psnr_spread']:.2f} | {r['psnr_tiles']:.2f} | {r['tiles_spread']:.2f} | "
                     f"{r['msssim']:.4f} |")
    return "\n".join(lines)


@torch.no_grad()
def tile_psnr(weights: Path, images: list[Path], tile: int = 64) -> float:
    """Kodak PSNR (8-bit, per image then averaged) when every 64x64 tile (edge-padded) is coded alone, in PyTorch:
    the training crop size. Global models always code this way; grid models normally see the whole image."""
    st = torch.load(weights, map_location="cpu", weights_only=False)
    model = build_model(st["config"])
    model.load_state_dict(st["model"])
    model.eval()
    out = []
    for p in images:
        img = np.asarray(Image.open(p).convert("RGB"))
        H, W = img.shape[:2]
        pad = np.pad(img, ((0, -H % tile), (0, -W % tile), (0, 0)), mode="edge")
        x = torch.from_numpy(pad.transpose(2, 0, 1).copy()).float()[None] / 255.0
        nh, nw = pad.shape[0] // tile, pad.shape[1] // tile
        t = x.unfold(2, tile, tile).unfold(3, tile, tile).permute(0, 2, 3, 1, 4, 5).reshape(-1, 3, tile, tile)
        y = model(t)[0].clamp(0, 1)
        y = y.reshape(nh, nw, 3, tile, tile).permute(2, 0, 3, 1, 4).reshape(3, nh * tile, nw * tile)
        r = torch.round(y * 255).numpy().transpose(1, 2, 0)[:H, :W]
        mse = np.mean((r.astype(np.float64) - img) ** 2)
        out.append(10 * math.log10(255.0 ** 2 / max(mse, 1e-10)))
    return float(np.mean(out))


def same_config(rd: Path, cfg: dict) -> bool:
    """A finished run counts only if it was trained with exactly this config (train.py writes OUT/config.json)."""
    used = rd / "config.json"
    return used.exists() and json.loads(used.read_text()) == cfg


def finished(rd: Path, steps: int) -> bool:
    """Trained to at least `steps` (done.json is written after training returns)."""
    return (rd / "latest-weights.pt").exists() and (rd / "done.json").exists() \
        and json.loads((rd / "done.json").read_text())["steps"] >= steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--seeds", default=str(TRAIN["seed"]),
                    help="comma-separated training seeds; the table gives the mean and the spread over them")
    ap.add_argument("--out", default=str(HERE / "runs" / "compare"))
    ap.add_argument("--table", help="write the markdown table here")
    ap.add_argument("--only", help="comma-separated run names")
    ap.add_argument("--threads", type=int, default=1, help="torch / ONNX Runtime threads for training and evaluation")
    ap.add_argument("--finished-only", action="store_true",
                    help="table only the runs already trained (evaluating them if needed); train nothing (the seeds "
                         "column says how many each row has)")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    kodak = HERE.parent.parent / "shared" / "datasets" / "eval" / "kodak"
    images = sorted(kodak.glob("kodim*.png")) if kodak.is_dir() else []
    if not images:
        print(f"compare_quantisers: no Kodak images under {kodak}; skipping")
        return
    torch.set_num_threads(args.threads)
    py = sys.executable
    results = []
    for seed in seeds:
        for name, cfg in runs(args.steps, seed).items():
            if args.only and name not in args.only.split(","):
                continue
            rd = run_dir(Path(args.out), name, seed)
            weights, evcsv, tiles = rd / "latest-weights.pt", rd / "kodak.csv", rd / "tiles64.json"
            if args.finished_only:
                if not (same_config(rd, cfg) and finished(rd, args.steps)):
                    print(f"{rd.name}: not finished, left out", flush=True)
                    continue
            rd.mkdir(parents=True, exist_ok=True)
            if (rd / "config.json").exists() and not same_config(rd, cfg):
                # the config changed since this run was trained: start it again from scratch
                print(f"{rd.name}: config changed, retraining", flush=True)
                for f in ("ckpt.pt", "latest-weights.pt", "done.json", "kodak.csv", "tiles64.json", "train.log",
                          "config.json"):
                    (rd / f).unlink(missing_ok=True)
            (rd / "config.in.json").write_text(json.dumps(cfg, indent=2))
            done = finished(rd, args.steps)
            if not done:
                subprocess.run([py, str(HERE / "train.py"), "--config", str(rd / "config.in.json"), "--out",
                                str(rd), "--resume", "--max-steps", str(args.steps), "--threads", str(args.threads)],
                               check=True, stdout=subprocess.DEVNULL)
                (rd / "done.json").write_text(json.dumps({"steps": args.steps}))
                evcsv.unlink(missing_ok=True)
                tiles.unlink(missing_ok=True)
            if not evcsv.exists():
                subprocess.run([py, str(HERE / "evaluate.py"), "--ckpt", str(weights), "--csv", str(evcsv),
                                "--threads", str(args.threads)], check=True, stdout=subprocess.DEVNULL)
            if not tiles.exists():
                tiles.write_text(json.dumps({"psnr": tile_psnr(weights, images)}))
            row = next(csv.DictReader(open(evcsv)))
            m = cfg["model"]
            g = m.get("groups", m.get("tokens"))
            per_block = g * math.log2(m["codebook_size"]) * (1 if m["kind"] == "grid" else (16 / m["tile"]) ** 2)
            results.append({"run": name, "seed": seed, "quantiser": m["kind"], "G": g, "K": m["codebook_size"],
                            "d": m["dim"], "bits": round(per_block), "bpp_raw": float(row["bpp_raw"]),
                            "bpp_o0": float(row["bpp_order0"]), "psnr": float(row["psnr"]),
                            "psnr_tiles": json.loads(tiles.read_text())["psnr"], "msssim": float(row["msssim"])})
            print(json.dumps(results[-1]), flush=True)
    order = list(runs(args.steps))
    text = table(sorted(summarise(results), key=lambda r: order.index(r["run"])))
    print(text)
    if args.table:
        Path(args.table).parent.mkdir(parents=True, exist_ok=True)
        Path(args.table).write_text(f"<!-- made by: training/.venv/bin/python training/compare_quantisers.py "
                                    f"--steps {args.steps} --seeds {args.seeds}{' --finished-only' if args.finished_only else ''} "
                                    f"--table {args.table} -->\n"
                                    f"{text}\n")


if __name__ == "__main__":
    main()
