#!/usr/bin/env python3
"""The training campaign's learning curve: each weights snapshot measured on Kodak and on the held-out validation set
(training/splits/val-extra.txt, never trained on), against cjpeg -optimize and cwebp -m 6 on the same images.

Per snapshot and image set: mean bpp and mean per-image PSNR (8-bit RGB) at the rungs RUNGS, and the BD-rate (PSNR)
of that ladder against cjpeg -optimize and WebP. The bits are a proxy measured in Python, not file sizes: the ideal
bits of coder 5 (static prediction tables) with its tables refitted to the snapshot on 256 random 256x256 training
crops, as an export would refit them (training/studies/quick_eval.py does the same), and for a grid-sq-hp model the
smaller of that and the hyperprior's ideal bits per group (plus z, paid once); the shipped encoder's coder 6
and rate-aware rounding save a few per cent more, and headers cost a little. The shipped 0.5 weights (step 64,000)
are measured the same way, so rows compare with each other exactly; the full pipeline (`qtk bench`) is the number that
ships.

  PY=training/.venv/bin/python
  $PY training/curve.py --snapshots training/runs/campaign/snapshots --csv docs/results/campaign/curve.csv \
      --plot docs/results/campaign/curve.png [--weights FILE ...] [--threads 1]

Rows already in the CSV (same step and weights file name) are not measured again. The reference curves are computed
once with ../shared/tools/classic_rd.py and cached next to the CSV (cjpeg-<set>.csv, webp-<set>.csv). The validation
images are box-downscaled to a longer side of 768 (Kodak's size) once, into build/val-extra/ (PNG), so the classic
codecs and qtk see the same pixels. Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import csv
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bd_compare import bd_rate  # noqa: E402
from qtk_train import checkpoint as ck, context_tables as ct  # noqa: E402
from qtk_train.data import CropSampler, ImageCache, datasets_dir, load_rgb, read_name_list  # noqa: E402
from qtk_train.models import build_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNGS = [8, 16, 32, 48, 96, 192]
VAL_SIDE = 768
FIELDS = ["step", "weights", "set", "rung", "bpp", "psnr"]
SUMMARY = ["step", "weights", "set", "bd_cjpeg", "bd_webp"] + [f"{k}{g}" for g in (16, 48, 96) for k in ("bpp", "psnr")]


def val_images(out: Path) -> list[Path]:
    """The validation photos as PNGs at most VAL_SIDE on their longer side (made once)."""
    names = sorted(read_name_list(ROOT / "training/splits/val-extra.txt"))
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in names:
        p = out / (Path(n).stem + ".png")
        if not p.exists():
            tmp = p.with_suffix(".tmp.png")
            Image.fromarray(load_rgb(datasets_dir() / "train-extra" / n, VAL_SIDE)).save(tmp)
            tmp.replace(p)
        paths.append(p)
    return paths


def classic_curve(folder: Path, codec: str, cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """(mean bpp, mean PSNR) per quality of a classic codec over the folder, cached as classic_rd.py's CSV."""
    if not cache.exists():
        tool = ROOT.parent / "shared/tools/classic_rd.py"
        res = subprocess.run([sys.executable, str(tool), str(folder), codec, "--jobs", "1"], check=True,
                             capture_output=True, text=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(res.stdout)
        tmp.replace(cache)
    rows = list(csv.DictReader(cache.open()))
    rows.sort(key=lambda r: float(r["bpp"]))
    return np.array([float(r["bpp"]) for r in rows]), np.array([float(r["psnr"]) for r in rows])


def load_model(path: Path):
    st = ck.load(path)
    model = build_model(st["config"])
    model.load_state_dict(ck.model_state(st))
    return model.eval(), st["step"]


def fit_tables(model, cache: ImageCache):
    """Coder-5 prediction tables refitted to this model, as an export would (fewer crops: 256 of 256x256)."""
    G, K = model.G, model.K
    sampler = CropSampler(cache, crop=256, seed=4321)
    grids = []
    with torch.no_grad():
        for _ in range(16):
            z = model.encoder(sampler.batch(16))
            grids += list(np.clip(np.rint(z.numpy()) + K // 2, 0, K - 1).astype(np.int64))
    order0 = np.ones((G, K), np.int64)
    fit = ct.PredictorFit(G, K)
    for x in grids:
        np.add.at(order0, (np.arange(G)[:, None], x.reshape(G, -1)), 1)
        fit.add(x)
    w = ct.channel_weights(order0)
    coeffs = fit.coefficients()
    ctr = ct.PredictionCounter(coeffs, w)
    for x in grids:
        ctr.add(x)
    T = ctr.tables().astype(np.float64)
    return coeffs, w, T / T.sum(-1, keepdims=True)


def hyper_bits(model, y, q):
    """For a grid-sq-hp model: (bits of z_hat, ideal bits per group of y under the hyperprior); else None."""
    if not hasattr(model, "hyper"):
        return None
    from qtk_train.hyper_model import MEAN_STEPS, gaussian_bits
    _, z_hat, m, s = model.distribution(y, q)
    c7 = gaussian_bits(q, m / MEAN_STEPS, model._sigma(s))[0].sum((1, 2)).double().numpy()
    zbits = float(-torch.log2(model.z_density.likelihood(z_hat)).sum())
    return zbits, c7


def measure(model, tables, files: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Mean bpp (coder-5 ideal) and mean per-image PSNR at each rung of RUNGS."""
    coeffs, w, P = tables
    G, K = model.G, model.K
    bits, ps = np.zeros(len(RUNGS)), np.zeros(len(RUNGS))
    for f in files:
        img = np.asarray(Image.open(f).convert("RGB"))
        h, wd = img.shape[:2]
        pad = np.pad(img, ((0, -h % 16), (0, -wd % 16), (0, 0)), mode="edge")  # what the Java side does
        x = torch.from_numpy(pad.copy()).float().permute(2, 0, 1)[None] / 255
        with torch.no_grad():
            y = model.encoder(x)
            q = torch.round(y.clamp(-K // 2, K // 2 - 1))
            hyper = hyper_bits(model, y, q)
        idx = q[0].numpy().astype(np.int64) + K // 2
        pred = ct.predictions(idx, coeffs, K)
        ctx = ct.prediction_contexts(idx, pred, w).reshape(G, -1)
        s = ct.residual_symbols(idx, pred, K).reshape(G, -1)
        g = np.arange(G)[:, None].repeat(s.shape[1], 1)
        per_group = -np.log2(P[g, ctx, s]).sum(1)
        ref = img.astype(np.float64)
        for k, U in enumerate(RUNGS):
            with torch.no_grad():
                y = model.decode_prefix(q, U)
            y = torch.clamp(torch.round(y * 255), 0, 255)[0].permute(1, 2, 0).numpy()[:h, :wd]
            ps[k] += 10 * math.log10(255 ** 2 / max(1e-10, float(((y - ref) ** 2).mean())))
            b = per_group[:U].sum()
            if hyper is not None:  # the encoder takes the smaller stream per group; z is paid once if any uses it
                zbits, c7 = hyper
                b = min(b, zbits + np.minimum(per_group[:U], c7[:U]).sum())
            bits[k] += b / (h * wd)
    return bits / len(files), ps / len(files)


def write_plot(rows: list[dict], refs: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sets = sorted({r["set"] for r in rows})
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for s in sets:
        pts = sorted((int(r["step"]), float(r["bd_cjpeg"]), float(r["bd_webp"])) for r in rows if r["set"] == s)
        axes[0].plot([p[0] / 1000 for p in pts], [p[1] for p in pts], "o-", label=f"{s} vs cjpeg -optimize")
        axes[0].plot([p[0] / 1000 for p in pts], [p[2] for p in pts], "s--", label=f"{s} vs cwebp -m 6")
    axes[0].axhline(0, color="grey", lw=0.5)
    axes[0].set_xlabel("training step (thousands)")
    axes[0].set_ylabel("BD-rate, PSNR (%; negative = smaller files)")
    axes[0].set_title("learning curve (coder-5 ideal bits)")
    axes[0].legend(fontsize=7)
    for s in sets:
        pts = sorted((int(r["step"]), float(r["psnr48"])) for r in rows if r["set"] == s)
        axes[1].plot([p[0] / 1000 for p in pts], [p[1] for p in pts], "o-", label=f"{s}, 48 groups")
    axes[1].set_xlabel("training step (thousands)")
    axes[1].set_ylabel("PSNR at 48 groups (dB)")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--snapshots", help="folder of step-*.pt weights snapshots")
    ap.add_argument("--weights", nargs="*", default=[], help="more weights files (e.g. the shipped step 64,000)")
    ap.add_argument("--csv", default=str(ROOT / "docs/results/campaign/curve.csv"))
    ap.add_argument("--plot", default=str(ROOT / "docs/results/campaign/curve.png"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--every", type=int, default=1, help="measure every n-th snapshot only")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    kodak = sorted((datasets_dir() / "eval/kodak").glob("kodim*.png"))
    if not kodak or not (datasets_dir() / "train-extra").is_dir():
        print("curve.py: skipped: ../shared/datasets (Kodak, train-extra) is absent")
        return
    sets = {"kodak": kodak, "val-extra": val_images(ROOT / "build/val-extra")}
    out_csv, summary_csv = Path(args.csv), Path(args.csv).with_name("summary.csv")
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    refs = {}
    for s, files in sets.items():
        folder = files[0].parent
        refs[s] = {c: classic_curve(folder, c, out_csv.with_name(f"{c}-{s}.csv")) for c in ("jpeg", "webp")}

    done = set()
    summary = list(csv.DictReader(summary_csv.open())) if summary_csv.exists() else []
    for r in summary:
        done.add((int(r["step"]), r["weights"]))
    todo = [Path(p) for p in args.weights]
    if args.snapshots and Path(args.snapshots).is_dir():
        todo += sorted(Path(args.snapshots).glob("step-*.pt"))[::-1][::args.every][::-1]
    cache = None
    for path in todo:
        model, step = load_model(path)
        if (step, path.name) in done:
            continue
        t0 = time.time()
        if cache is None:  # the training photos (validation set excluded) for the table refit
            cache = ImageCache([datasets_dir() / "train", datasets_dir() / "train-extra"],
                               exclude=read_name_list(ROOT / "training/splits/val-extra.txt"), max_side=1280)
        tables = fit_tables(model, cache)
        for s, files in sets.items():
            bpp, psnr = measure(model, tables, files)
            with out_csv.open("a", newline="") as fh:
                wr = csv.DictWriter(fh, FIELDS)
                if fh.tell() == 0:
                    wr.writeheader()
                for g, b, p in zip(RUNGS, bpp, psnr):
                    wr.writerow({"step": step, "weights": path.name, "set": s, "rung": g, "bpp": f"{b:.5f}",
                                 "psnr": f"{p:.3f}"})
            row = {"step": step, "weights": path.name, "set": s,
                   "bd_cjpeg": f"{bd_rate(*refs[s]['jpeg'], bpp, psnr):.2f}",
                   "bd_webp": f"{bd_rate(*refs[s]['webp'], bpp, psnr):.2f}"}
            for g in (16, 48, 96):
                k = RUNGS.index(g)
                row[f"bpp{g}"], row[f"psnr{g}"] = f"{bpp[k]:.4f}", f"{psnr[k]:.2f}"
            summary.append(row)
            print(" ".join(f"{k}={v}" for k, v in row.items()), f"({time.time() - t0:.0f} s)", flush=True)
        summary.sort(key=lambda r: (int(r["step"]), r["set"]))
        with summary_csv.open("w", newline="") as fh:
            wr = csv.DictWriter(fh, SUMMARY)
            wr.writeheader()
            wr.writerows(summary)
        write_plot(summary, refs, Path(args.plot))


if __name__ == "__main__":
    main()
