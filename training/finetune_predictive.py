#!/usr/bin/env python3
"""Fine-tune a grid-sq model against a coder-5-shaped rate (qtk_train.scalar_model.PredictiveRate) instead of its
factorised density: loss = bits of the prediction residual + lambda(g) 255^2 mse over nested prefixes, as train.py.

The residual density starts untrained, so the first --prefit steps fit it (and the predictor) alone on the frozen
encoder's latents; then everything trains at --lr (cosine to --min-lr over --steps). Checkpoints every 5 minutes
(OUT/ft.pt, with optimiser and RNG states; --resume continues) and a weights-only OUT/latest-weights.pt that
export.py reads like any other.

  training/.venv/bin/python training/finetune_predictive.py --init training/checkpoints/grid-sq-f16/latest-weights.pt \
      --bundle codec-models/src/main/resources/io/qtk/models/qtk-grid-sq-f16-0.5.qtkm --out training/runs/ft-pred \
      --steps 12000 --prefit 600

--init from a weights file this script wrote (e.g. the committed training/checkpoints/ft-pred/latest-weights.pt)
continues the fine-tune on a fresh machine: the rate model is fitted again (--prefit) and the optimiser restarts; the
config keeps the earlier run's record under finetune.previous.
"""
from __future__ import annotations

import argparse
import math
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from qtk_train import checkpoint as ck  # noqa: E402
from qtk_train.bundle import Bundle  # noqa: E402
from qtk_train.data import CropSampler, ImageCache, default_data_dir  # noqa: E402
from qtk_train.losses import psnr  # noqa: E402
from qtk_train.models import build_model  # noqa: E402
from qtk_train.scalar_model import PredictiveRate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init", required=True, help="weights-only checkpoint of a grid-sq model")
    ap.add_argument("--bundle", required=True, help="that model's bundle: the coder-5 coefficients start the predictor")
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", default=str(default_data_dir()))
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--prefit", type=int, default=400)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--min-lr", type=float, default=3e-6)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--lam-hi", type=float, default=0.07, help="lambda at the full set (phase 3 of the 0.5 model)")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--max-minutes", type=float)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    logf = open(out / "train.log", "a")

    def log(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True); logf.write(line + "\n"); logf.flush()

    st = ck.load(Path(args.init))
    cfg = st["config"]
    earlier = cfg.pop("finetune", None)  # --init from a fine-tuned file: keep its record under "previous"
    steps_before = earlier.get("total_steps", earlier["steps"]) if earlier else 0
    model = build_model(cfg)
    model.load_state_dict(st["model"])
    model.lam_hi = args.lam_hi
    b = Bundle(args.bundle)
    rate = PredictiveRate(model.G, b.coeffs.shape[1] - 5)
    rate.init_from_bundle(b.coeffs, b.predict_shift, model.K)
    ladder = cfg["ladder"]
    weights = next((p.get("prefix_weights") for p in reversed(cfg["train"].get("phases", [])) if p.get("prefix_weights")), None)
    transforms = list(model.encoder.parameters()) + list(model.decoder.parameters())
    opt = torch.optim.Adam([{"params": transforms, "lr_mult": 1.0},
                            {"params": [rate.coef, rate.bias], "lr_mult": 3.0},
                            {"params": [rate.scale, rate.chan_w], "lr_mult": 10.0}], lr=args.lr)
    pre_opt = torch.optim.Adam(rate.parameters(), lr=1e-2)
    sampler = CropSampler(ImageCache(args.data), crop=args.crop, seed=args.seed)
    mask_gen = torch.Generator().manual_seed(args.seed + 1)
    step, pre = 0, 0
    full = out / "ft.pt"
    if args.resume and full.exists():
        s = ck.load(full)
        model.load_state_dict(s["model"]); rate.load_state_dict(s["rate"]); opt.load_state_dict(s["opt"])
        sampler.set_state(s["sampler"]); mask_gen.set_state(s["mask_gen"]); torch.set_rng_state(s["torch_rng"])
        step, pre = s["step"], args.prefit
        log(f"resumed at step {step}")
    stop = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *a: stop.update(flag=True))

    def save() -> None:
        ck.atomic_save({"model": model.state_dict(), "rate": rate.state_dict(), "opt": opt.state_dict(),
                        "sampler": sampler.state(), "mask_gen": mask_gen.get_state(),
                        "torch_rng": torch.get_rng_state(), "step": step}, full)
        base = st.get("step", 0)
        cfg["finetune"] = {"script": "training/finetune_predictive.py", "from_step": base, "steps": step,
                           "planned_steps": args.steps, "prefit": args.prefit, "lr": args.lr, "min_lr": args.min_lr,
                           "crop": args.crop, "batch": args.batch, "lam_hi": args.lam_hi, "seed": args.seed,
                           "rate": "coder-5-shaped: linear prediction + discretised Laplace with context scale",
                           "total_steps": steps_before + step, "previous": earlier}
        ck.atomic_save(ck.weights_only(model, cfg, base + step, {"git": st.get("git"), "data": args.data,
                                                                   "seed": args.seed, "loss": last}),
                       out / ck.WEIGHTS)
        log(f"checkpoint step {step}")

    def rd(x, keep, train_transforms: bool):
        with torch.set_grad_enabled(train_transforms):  # the prefit needs no graph through the encoder
            y = model.encoder(x)
        q = model.quantise(y)
        mask = (torch.arange(model.G)[None, :] < keep[:, None]).float()[:, :, None, None]
        noisy = y.clamp(model.quantiser.lo, model.quantiser.hi) + torch.empty_like(y).uniform_(-0.5, 0.5)
        bits = (rate.bits(q, noisy) * mask).sum((1, 2, 3)) / (x.shape[2] * x.shape[3])
        if not train_transforms:
            return bits.mean(), None, (None, q)
        xh = model.decoder(q * mask)
        mse = ((xh - x) ** 2).mean((1, 2, 3))
        return (bits + model.lam(keep) * 255.0 ** 2 * mse).mean(), bits.mean(), (xh, q)

    model.train()
    last, t0, t_ck = float("nan"), time.time(), time.time()
    ref = [0.0, 0.0, 0]
    while pre < args.prefit:
        x = sampler.batch(4)
        keep = torch.full((4,), model.G)
        loss, _, (_, q) = rd(x, keep, False)
        pre_opt.zero_grad(); loss.backward(); pre_opt.step(); pre += 1
        ref[0] += loss.item(); ref[1] += model.prefix_bpp(q, model.G); ref[2] += 1
        if pre % 50 == 0:
            log(f"prefit {pre} residual bpp {ref[0] / ref[2]:.4f} (factorised density {ref[1] / ref[2]:.4f})")
            ref = [0.0, 0.0, 0]
    acc = [0.0, 0.0, 0]
    while step < args.steps and not stop["flag"]:
        lr = args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * step / args.steps))
        for gp in opt.param_groups:
            gp["lr"] = lr * gp["lr_mult"]
        x = sampler.batch(args.batch)
        keep = model.sample_keep(x.shape[0], ladder, 0.25, mask_gen, weights)
        loss, bpp, (xh, q) = rd(x, keep, True)
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(transforms, 1.0)
        opt.step(); step += 1
        last = loss.item(); acc[0] += last; acc[1] += bpp.item(); acc[2] += 1
        if not math.isfinite(last):
            log("non-finite loss; stopping without checkpoint"); sys.exit(2)
        if step % 100 == 0:
            with torch.no_grad():
                p = " ".join(f"g{g}={psnr(model.decode_prefix(q.detach(), g), x):.2f}" for g in (16, 48, 96, 192))
            log(f"step {step} lr {lr:.2e} loss {acc[0] / acc[2]:.4f} bpp(masked) {acc[1] / acc[2]:.4f} psnr[{p}] "
                f"{acc[2] / (time.time() - t0):.2f} steps/s")
            acc, t0 = [0.0, 0.0, 0], time.time()
        if time.time() - t_ck > 300:
            save(); t_ck = time.time()
        if args.max_minutes and time.time() - t_start > args.max_minutes * 60:
            break
    save()


if __name__ == "__main__":
    main()
