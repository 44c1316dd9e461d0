#!/usr/bin/env python3
"""Export a trained checkpoint to a .qtkm bundle (format-spec/model-bundle.md) and verify it in ONNX Runtime.

  python training/export.py --ckpt training/runs/grid-f16/latest-weights.pt --out build/qtk-grid-f16.qtkm
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from qtk_train import checkpoint as ck  # noqa: E402
from qtk_train.data import CropSampler, ImageCache, default_data_dir  # noqa: E402
from qtk_train.export import export_global, export_grid, verify, verify_global  # noqa: E402
from qtk_train.models import build_model  # noqa: E402


def eval_props_from_csv(path: Path) -> dict:
    """eval.kodak.g<N>.{psnr,msssim,bpp,bpp_raw} from an evaluate.py CSV (informative manifest keys)."""
    props = {}
    with open(path) as fh:
        for row in csv.DictReader(fh):
            g = row["groups"]
            props[f"eval.kodak.g{g}.psnr"] = row["psnr"]
            props[f"eval.kodak.g{g}.msssim"] = row["msssim"]
            props[f"eval.kodak.g{g}.bpp"] = row["bpp_order0"]
            props[f"eval.kodak.g{g}.bpp_raw"] = row["bpp_raw"]
    return props


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True, help="latest-weights.pt or ckpt.pt")
    ap.add_argument("--out", required=True, help="bundle path (*.qtkm)")
    ap.add_argument("--data", default=str(default_data_dir()), help="training images for the order-0 counts")
    ap.add_argument("--order0-crops", type=int, default=1024)
    ap.add_argument("--order0-crop", type=int, default=256)
    ap.add_argument("--eval-csv", help="add eval.* manifest keys from an evaluate.py CSV")
    ap.add_argument("--version", help="override the config's model version")
    ap.add_argument("--halo", type=int, help="override the config's halo (pixels; measure with halo_check.py)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--raw", action="store_true", help="export the raw weights, not their moving average (if kept)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    st = ck.load(Path(args.ckpt))
    cfg = st["config"]
    if args.version:
        cfg["version"] = args.version
    if args.halo:
        cfg["halo"] = args.halo
    model = build_model(cfg)
    model.load_state_dict(ck.model_state(st, prefer_ema=not args.raw))
    model.eval()
    cache = ImageCache(args.data)
    prov = {"data": str(st.get("data", args.data)), "step": st["step"], "seed": cfg["train"].get("seed"),
            "git": st.get("git", "unknown"), "final_loss": st.get("loss"),
            "loss_desc": (f"bpp + lambda(g) * 255^2 * mse, lambda {cfg['model'].get('lam_lo')}..{cfg['model'].get('lam_hi')} "
                          f"over nested prefixes (phases in training.config may move the ends); factorised density; "
                          f"integer codebooks"
                          + (f"; then {cfg['finetune'].get('total_steps', cfg['finetune']['steps'])} steps fine-tuned "
                             f"with the bits of a coder-5-shaped rate model instead of the factorised density ({cfg['finetune']['script']})"
                             if cfg.get("finetune") else "")
                          if cfg["model"].get("kind") == "grid-sq" else
                          f"mse + {cfg['train'].get('beta')} * relative commitment; EMA codebooks"),
            "date": time.strftime("%Y-%m-%d")}
    eval_props = eval_props_from_csv(Path(args.eval_csv)) if args.eval_csv else None
    if cfg["model"].get("kind", "grid") == "global":
        manifest = export_global(model, cfg, Path(args.out), prov, cache, args.order0_crops, eval_props=eval_props)
        res = verify_global(Path(args.out), model, CropSampler(cache, crop=model.tile, seed=99).batch(1))
    else:
        manifest = export_grid(model, cfg, Path(args.out), prov, cache, args.order0_crops, args.order0_crop,
                               eval_props=eval_props)
        f = model.factor
        probe = CropSampler(cache, crop=8 * f, seed=99).batch(1)[:, :, : 6 * f, :]  # non-square: 6f x 8f
        res = verify(Path(args.out), model, probe)
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()
    print(json.dumps({"bundle": args.out, "bytes": Path(args.out).stat().st_size, "sha256": digest,
                      "steps": manifest["training.steps"], "verify": res}, indent=2))


if __name__ == "__main__":
    main()
