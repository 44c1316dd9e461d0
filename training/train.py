#!/usr/bin/env python3
"""Train a qtk model (grid PQ/MGVQ or global) from a JSON config; resumable, checkpoints atomically.

  python training/train.py --config training/configs/grid-f16.json --out training/runs/grid-f16 --resume
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from qtk_train import checkpoint as ck  # noqa: E402
from qtk_train.data import CropSampler, ImageCache, datasets_dir, default_data_dir, read_name_list  # noqa: E402
from qtk_train.losses import psnr  # noqa: E402
from qtk_train.models import build_model, count_params  # noqa: E402


def git_commit() -> str:
    if os.environ.get("QTK_GIT_COMMIT"):  # a copy without .git (the GPU machine's) is told the commit
        return os.environ["QTK_GIT_COMMIT"]
    try:
        root = Path(__file__).resolve().parents[1]
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "training"], capture_output=True,
                               text=True).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def phase_at(step: int, t: dict) -> dict | None:
    """The last entry of t['phases'] that has started by this step (None: the first schedule)."""
    started = [ph for ph in t.get("phases", []) if step >= ph["at"]]
    return max(started, key=lambda ph: ph["at"]) if started else None


def settings_at(step: int, t: dict) -> dict:
    """The train settings in force at a step: t, with the running phase's overrides (crop, batch, p_full, ...)."""
    ph = phase_at(step, t)
    return {**t, **{k: v for k, v in ph.items() if k not in ("at", "lr", "min_lr", "end")}} if ph else t


def total_steps(t: dict) -> int:
    """Where training stops: the end of the last phase, else the first schedule's steps."""
    return max([t["steps"]] + [ph["end"] for ph in t.get("phases", [])])


def lr_at(step: int, t: dict) -> float:
    """Linear warm-up, then cosine from lr down to lr*min_lr_ratio at t['steps'] (constant after). A phase (t['phases'],
    each {at, lr, min_lr, end, overrides...}) restarts the cosine: from its lr at `at` down to min_lr at `end`
    (lr == min_lr: constant), after an optional linear warm-up of `warmup` steps (a fresh optimiser's first steps)."""
    ph = phase_at(step, t)
    if ph is not None:
        if step - ph["at"] < ph.get("warmup", 0):
            return ph["lr"] * (step - ph["at"] + 1) / ph["warmup"]
        p = min(1.0, (step - ph["at"]) / max(1, ph["end"] - ph["at"]))
        return ph["min_lr"] + 0.5 * (ph["lr"] - ph["min_lr"]) * (1 + math.cos(math.pi * p))
    lr, warm, total = t["lr"], t.get("warmup", 500), t["steps"]
    if step < warm:
        return lr * (step + 1) / warm
    p = min(1.0, (step - warm) / max(1, total - warm))
    lo = lr * t.get("min_lr_ratio", 0.05)
    return lo + 0.5 * (lr - lo) * (1 + math.cos(math.pi * p))


class Log:
    def __init__(self, path: Path):
        self.f = open(path, "a", buffering=1)

    def __call__(self, msg: str) -> None:
        line = time.strftime("%Y-%m-%d %H:%M:%S ") + msg
        print(line, flush=True)
        self.f.write(line + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True, help="run directory (checkpoints, log)")
    ap.add_argument("--data", help="training image folders joined by ':' (default: the config's data.roots under "
                                   "../shared/datasets, else ../shared/datasets/train)")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/ckpt.pt (or OUT/latest-weights.pt)")
    ap.add_argument("--init", help="start from a weights-only checkpoint (e.g. a committed latest-weights.pt)")
    ap.add_argument("--device", default="auto", help="auto | cpu | cuda")
    ap.add_argument("--threads", default="auto",
                    help="torch threads; auto: 2, or 1 while anything else runs (load > 0.7 besides us)")
    ap.add_argument("--max-steps", type=int, help="stop at this step (overrides config train.steps as a stop)")
    ap.add_argument("--max-minutes", type=float, help="stop (with a checkpoint) after this many minutes")
    args = ap.parse_args()

    cfg = json.loads(Path(args.config).read_text())
    t = cfg["train"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = Log(out / "train.log")
    auto_threads = args.threads == "auto"
    torch.set_num_threads(2 if auto_threads else int(args.threads))
    dev = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                       ("cpu" if args.device == "auto" else args.device))
    seed = t.get("seed", 0)
    torch.manual_seed(seed)

    model = build_model(cfg).to(dev)
    m_kind = cfg["model"].get("kind", "grid")
    channels_last = dev.type == "cpu"  # 12-25 % faster on CPU (see shared/ANCHORS.md)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    # The entropy model (grid-sq) learns at density_lr_mult x lr: a density that lags the latent makes every bit look
    # expensive, and the rate term then collapses the latent to zeros before the decoder can use it.
    # One parameter group per top-level module (encoder, decoder, density, h_a, ...), so a phase can freeze some
    # ("freeze": [names]: lr 0) while new parts (a hyperprior added to trained transforms) fit first.
    by_module: dict[str, list] = {}
    for n, p in model.named_parameters():
        by_module.setdefault(n.split(".")[0], []).append(p)
    # Entropy models learn at density_lr_mult x lr (see above); train.module_lr_mult may set any module's multiplier
    # (a hyperprior added to trained transforms starts faster: {"h_a": 10, "h_s": 10}).
    mults = {"density": t.get("density_lr_mult", 10.0), "z_density": t.get("density_lr_mult", 10.0),
             **t.get("module_lr_mult", {})}
    groups = []
    for name, params in by_module.items():
        dens_like = name in ("density", "z_density")
        groups.append({"params": params, "module": name, "weight_decay": 0.0 if dens_like else t.get("weight_decay", 0.0),
                       "lr_mult": mults.get(name, 1.0)})
    opt = torch.optim.AdamW(groups, lr=t["lr"], betas=(0.9, 0.99), weight_decay=t.get("weight_decay", 0.0))

    data_cfg = cfg.get("data", {})
    repo = Path(__file__).resolve().parents[1]
    if args.data is None:
        roots = [datasets_dir() / r for r in data_cfg["roots"]] if "roots" in data_cfg else [default_data_dir()]
        args.data = os.pathsep.join(str(r) for r in roots)
    # The held-out validation set (training/splits/val-extra.txt) is never trained on.
    exclude = read_name_list(repo / data_cfg["exclude"]) if "exclude" in data_cfg else set()
    cache = ImageCache(args.data, exclude=exclude, max_side=data_cfg.get("max_side", 0))
    # EMA of the weights (ema_decay, e.g. 0.999): with batches of 1-4 crops the raw weights are noisy; the average is
    # what the learning curve measures and what is exported (checkpoint.model_state prefers it).
    ema_decay = t.get("ema_decay", 0.0)
    ema = ({k: v.detach().clone().float() for k, v in model.state_dict().items() if v.is_floating_point()}
           if ema_decay else None)

    def make_sampler(settings: dict) -> CropSampler:
        return CropSampler(cache, crop=settings["crop"], min_scale=settings.get("min_scale", 0.5), seed=seed)

    sampler = make_sampler(t)
    mask_gen = torch.Generator().manual_seed(seed + 1)
    step, elapsed_before = 0, 0.0

    full_path, weights_path = out / ck.FULL, out / ck.WEIGHTS
    if args.resume and full_path.exists():
        # Load on the CPU: RNG states must stay CPU byte tensors; load_state_dict moves weights to the device.
        st = ck.load(full_path, "cpu")
        model.load_state_dict(st["model"])
        try:
            opt.load_state_dict(st["opt"])
        except ValueError:  # parameter groups laid out otherwise (a checkpoint of an older train.py): fresh moments
            log("optimiser state not restored (parameter groups differ); fresh optimiser")
        sampler = make_sampler(settings_at(st["step"], t))  # a phase may crop differently; same RNG stream
        sampler.set_state(st["sampler"])
        if ema is not None:
            ema = {k: v.float() for k, v in (st.get("ema") or st["model"]).items() if k in ema}
        mask_gen.set_state(st["mask_gen"])
        torch.set_rng_state(st["torch_rng"])
        step, elapsed_before = st["step"], st.get("elapsed", 0.0)
        log(f"resumed from {full_path} at step {step}")
    elif (args.resume and weights_path.exists()) or args.init:
        src = Path(args.init) if args.init else weights_path
        st = ck.load(src, "cpu")
        # Weights of another kind (grid-sq into grid-sq-hp): what matches is loaded, the new parts start fresh.
        res = model.load_state_dict(st["model"], strict=st["config"]["model"].get("kind") == m_kind)
        if res.missing_keys or res.unexpected_keys:
            log(f"partial init: new {sorted({k.split('.')[0] for k in res.missing_keys})}, "
                f"dropped {sorted({k.split('.')[0] for k in res.unexpected_keys})}")
        if ema is not None:
            ema.update({k: v.detach().clone().float() for k, v in (st.get("ema") or st["model"]).items() if k in ema})
        step = st["step"]
        log(f"initialised from weights {src} at step {step} (fresh optimiser)")
    (out / "config.json").write_text(json.dumps(cfg, indent=2))

    m = cfg["model"]
    ladder = cfg["ladder"]
    probe = [g for g in cfg.get("log_prefixes", []) if g in ladder] or ladder
    log(f"start: {m.get('kind', 'grid')} params={count_params(model)} device={dev} data={args.data} "
        f"images={len(cache)} ({cache.nbytes / 1e6:.0f} MB) git={git_commit()} config={args.config}")

    stop = {"flag": False}

    def on_signal(signum, frame):  # checkpoint at the next step boundary, then exit
        stop["flag"] = True
        log(f"signal {signum}: checkpoint and stop")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def save(final: bool = False) -> None:
        elapsed = elapsed_before + time.time() - t_start
        ck.atomic_save({"model": model.state_dict(), "ema": ema, "opt": opt.state_dict(), "sampler": sampler.state(),
                        "mask_gen": mask_gen.get_state(), "torch_rng": torch.get_rng_state(), "step": step,
                        "config": cfg, "elapsed": elapsed}, full_path)
        extra = {"git": git_commit(), "data": args.data, "seed": seed, "loss": last_loss, "elapsed": elapsed}
        if ema is not None:
            extra["ema"] = {k: v.clone() for k, v in ema.items()}
            extra["ema_decay"] = ema_decay
        ck.atomic_save(ck.weights_only(model, cfg, step, extra), weights_path)
        every = t.get("snapshot_every", 0)  # weights-only snapshots for the learning curve (training/curve.py)
        if every and step % every == 0:
            ck.atomic_save(ck.weights_only(model, cfg, step, extra, half=True), out / "snapshots" / f"step-{step:07d}.pt")
        log(f"checkpoint step {step} -> {full_path}{' (final)' if final else ''}")

    max_steps = args.max_steps or total_steps(t) * t.get("stop_after_schedule", 1)
    log_every, ckpt_secs = t.get("log_every", 50), t.get("checkpoint_minutes", 5) * 60
    t_start = t_last_ckpt = t_last_log = time.time()
    steps_since_log, last_loss, acc = 0, float("nan"), {"loss": 0.0, "mse": 0.0, "commit": 0.0, "n": 0}
    model.train()
    while step < max_steps and not stop["flag"]:
        lr = lr_at(step, t)
        now_t = settings_at(step, t)
        frozen = set(now_t.get("freeze", []))
        for gparam in opt.param_groups:
            gparam["lr"] = 0.0 if gparam.get("module") in frozen else lr * gparam.get("lr_mult", 1.0)
        if now_t["crop"] != sampler.crop:
            log(f"step {step}: phase settings {json.dumps({k: v for k, v in now_t.items() if v != t.get(k)})}")
            state = sampler.state()
            sampler = make_sampler(now_t)
            sampler.set_state(state)
        for key in ("lam_lo", "lam_hi"):  # a phase may move the rate-distortion trade-off of the ladder's ends
            if key in now_t and hasattr(model, key) and getattr(model, key) != now_t[key]:
                log(f"step {step}: {key} {getattr(model, key)} -> {now_t[key]}")
                setattr(model, key, now_t[key])
        x = sampler.batch(now_t["batch"]).to(dev)
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        keep = model.sample_keep(x.shape[0], ladder, now_t.get("p_full", 0.4), mask_gen,
                                 now_t.get("prefix_weights")).to(dev)
        use_q = step >= t.get("quant_warmup", 0)
        if use_q and step == t.get("quant_warmup", 0) and step > 0:
            log(f"step {step}: quantisation on (codebooks seeded from encoder outputs)")
        y, idx, stats, q = model(x, keep, quantise=use_q)
        mse = F.mse_loss(y, x)
        loss = t.get("mse_weight", 1.0) * mse + t.get("beta", 0.05) * stats["commit"]
        if hasattr(model, "rd_loss"):  # rate-distortion models (grid-sq) weigh bits against distortion themselves
            # rate_warmup: the rate weight ramps 0 -> 1 so the transforms learn to carry the image first
            # (a phase may restart the ramp: its rate_warmup counts from the phase's start)
            ph = phase_at(step, t)
            since = step - ph["at"] if ph is not None and "rate_warmup" in ph else step
            loss = model.rd_loss(x, y, stats, keep, rate_weight=min(1.0, since / max(1, now_t.get("rate_warmup", 1))))
        if "codebook" in stats:  # learnt (not EMA) codebooks: pull codewords to the encoder outputs
            loss = loss + stats["codebook"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if t.get("clip", 0) > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), t["clip"])
        opt.step()
        if ema is not None:
            with torch.no_grad():
                for k, v in model.state_dict().items():
                    if k in ema:
                        ema[k].mul_(ema_decay).add_(v.detach().float(), alpha=1 - ema_decay)
        step += 1
        steps_since_log += 1
        acc["loss"] += loss.item(); acc["mse"] += mse.item(); acc["commit"] += stats["commit"].item(); acc["n"] += 1
        last_loss = loss.item()
        if not math.isfinite(last_loss):
            log(f"non-finite loss at step {step}; stopping without checkpoint")
            sys.exit(2)

        if step % log_every == 0 or step == 1:
            now = time.time()
            sps = steps_since_log / max(1e-9, now - t_last_log)
            with torch.no_grad():
                ps = " ".join(f"g{g}={psnr(model.decode_prefix(q.detach(), g), x):.2f}" for g in probe)
                if hasattr(model, "prefix_bpp"):
                    ps += " bpp " + " ".join(f"g{g}={model.prefix_bpp(q.detach(), g):.3f}" for g in probe)
            live, perp = model.quantiser.usage()
            n = acc["n"]
            log(f"step {step} lr {lr:.2e} loss {acc['loss'] / n:.5f} mse {acc['mse'] / n:.5f} "
                f"commit {acc['commit'] / n:.4f} psnr[{ps}] usage {live.mean():.3f}/min {live.min():.3f} "
                f"perp {perp.mean():.1f}/min {perp.min():.1f} revived {model.quantiser.last_revived} "
                f"zrms {q.detach().float().pow(2).mean().sqrt():.3f} {sps:.2f} steps/s")
            if step % (log_every * 20) == 0:
                log("per-group usage " + " ".join(f"{v:.2f}" for v in live.tolist()))
                log("per-group perplexity " + " ".join(f"{v:.0f}" for v in perp.tolist()))
            if auto_threads and dev.type == "cpu":
                # Two OpenMP threads on a 2-core box shared with builds spin at barriers when one is descheduled
                # (measured 30x slow-downs); one thread degrades gracefully.
                others = os.getloadavg()[0] - torch.get_num_threads()
                want = 1 if others > 0.7 else 2
                if want != torch.get_num_threads():
                    torch.set_num_threads(want)
                    log(f"threads -> {want} (load {os.getloadavg()[0]:.1f})")
            acc = {"loss": 0.0, "mse": 0.0, "commit": 0.0, "n": 0}
            t_last_log, steps_since_log = now, 0
        if time.time() - t_last_ckpt > ckpt_secs or (t.get("snapshot_every") and step % t["snapshot_every"] == 0):
            save()
            t_last_ckpt = time.time()
        if args.max_minutes and time.time() - t_start > args.max_minutes * 60:
            break
    save(final=True)


if __name__ == "__main__":
    main()
