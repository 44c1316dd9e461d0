"""Grid model -> ONNX graphs + codebooks + order-0 counts -> .qtkm bundle, then a round-trip check in ONNX Runtime."""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from .bundle import (FORMAT, Bundle, dequantise_np, dequantise_tokens_np, quantise_np, quantise_tokens_np,
                     write_bundle)
from .data import CropSampler, ImageCache
from .context_tables import (CHANNEL_RULE, CHANNEL_THRESHOLDS, CHANNEL_WINDOW, PREDICT_ACTIVITY, PREDICT_RULE,
                             PREDICT_SHIFT, PREDICT_WINDOW, SELECTOR, ChannelCounter, ContextCounter,
                             PredictionCounter, PredictorFit, channel_weights, symbol_classes)
from .quant import nearest_codewords, to_groups

OPSET = 17


def onnx_bytes(module: nn.Module, example: torch.Tensor, in_name: str, out_name: str, dynamic: bool = True) -> bytes:
    """Legacy (TorchScript) exporter, opset 17; grid graphs get dynamic H/W (batch fixed at 1 as the spec says)."""
    buf = io.BytesIO()
    axes = {in_name: {2: "height", 3: "width"}, out_name: {2: "height", 3: "width"}} if dynamic else None
    torch.onnx.export(module, (example,), buf, opset_version=OPSET, input_names=[in_name], output_names=[out_name],
                      dynamic_axes=axes, do_constant_folding=True, dynamo=False)
    return buf.getvalue()


@torch.no_grad()
def order0_counts(model, cache: ImageCache, crops: int, crop: int, seed: int, batch: int = 16) -> np.ndarray:
    """Index counts [G][K] over random training crops (no down-scale jitter beyond the training one), +1 each."""
    q = model.quantiser
    counts = torch.ones(q.G * q.K, dtype=torch.int64)
    sampler = CropSampler(cache, crop=crop, seed=seed)
    done = 0
    while done < crops:
        n = min(batch, crops - done)
        z = model.encoder(sampler.batch(n))
        zg = z if z.dim() == 3 else to_groups(z, q.d)  # global tokens [B,N,d] are already "groups"
        idx = nearest_codewords(zg, q.codebooks.detach())  # [M,G]
        counts += torch.bincount((idx + torch.arange(q.G) * q.K).reshape(-1), minlength=q.G * q.K)
        done += n
    return counts.reshape(q.G, q.K).numpy().astype(np.uint32)


@torch.no_grad()
def grid_index_tables(model, cache: ImageCache, crops: int, crop: int, seed: int, batch: int = 16):
    """Grid models: (order0 [G][K] uint32, classes [G][K] uint8, context tables [G][25][K] uint32, weights [G][K]
    uint8, channel tables [G][L+2][K] uint32, prediction coefficients [G][N+5] int32, residual tables
    [G][(L+2)*(M+1)][K] uint32), all from the same random training crops (counts +1 each); the context tables use
    the classes and the channel tables (CHANNEL_WINDOW, CHANNEL_THRESHOLDS) the weights derived from order0; the
    predictor (PREDICT_WINDOW, PREDICT_SHIFT) is fitted on the crops' indices in the first pass and the residual
    tables (PREDICT_ACTIVITY) are counted with its rounded coefficients in the second."""
    q = model.quantiser
    sampler = CropSampler(cache, crop=crop, seed=seed)
    grids, done = [], 0
    while done < crops:
        n = min(batch, crops - done)
        z = model.encoder(sampler.batch(n))
        b, _, h, w = z.shape
        idx = nearest_codewords(to_groups(z, q.d), q.codebooks.detach())  # [b*h*w, G]
        grids.append(idx.reshape(b, h, w, q.G).permute(0, 3, 1, 2).numpy().astype(np.uint16))
        done += n
    order0 = np.ones((q.G, q.K), dtype=np.int64)
    fit = PredictorFit(q.G, q.K, PREDICT_WINDOW)
    for gr in grids:
        for one in gr:
            np.add.at(order0, (np.arange(q.G)[:, None], one.reshape(q.G, -1)), 1)
            fit.add(one)
    classes = symbol_classes(order0)
    counter = ContextCounter(classes)
    weights = channel_weights(order0)
    channel = ChannelCounter(weights, CHANNEL_WINDOW, CHANNEL_THRESHOLDS)
    coeffs = fit.coefficients(PREDICT_SHIFT)
    residual = PredictionCounter(coeffs, weights, CHANNEL_WINDOW, CHANNEL_THRESHOLDS, PREDICT_SHIFT, PREDICT_ACTIVITY)
    for gr in grids:
        for one in gr:
            counter.add(one.astype(np.int64))
            channel.add(one.astype(np.int64))
            residual.add(one)
    return (order0.astype(np.uint32), classes, counter.tables(), weights, channel.tables(), coeffs,
            residual.tables())


@torch.no_grad()
def verify(bundle_path: Path, model, image: torch.Tensor, tol: float = 1e-4) -> dict:
    """ORT encoder -> numpy nearest-codeword quantise -> ORT decoder must match PyTorch within tol, per prefix."""
    b = Bundle(bundle_path)
    enc, dec = b.sessions()
    x = image.numpy().astype(np.float32)
    z_ort = enc.run(None, {b.manifest["io.encoder.input"]: x})[0]
    z_pt = model.encoder(image)
    enc_err = float(np.abs(z_ort - z_pt.numpy()).max())
    idx, _ = quantise_np(z_ort[0], b.codebooks)
    idx_pt = nearest_codewords(to_groups(z_pt, b.d), model.quantiser.codebooks).numpy().T  # [G,M]
    agree = float((idx == idx_pt).mean())
    worst = 0.0
    h, w = z_ort.shape[2:]
    for g in sorted({b.ladder[0], b.ladder[len(b.ladder) // 2], b.ladder[-1]}):
        qn = dequantise_np(idx, b.codebooks, g, h, w)[None]
        y_ort = dec.run(None, {b.manifest["io.decoder.input"]: qn})[0]
        y_pt = model.decoder(torch.from_numpy(qn)).numpy()
        worst = max(worst, float(np.abs(y_ort - y_pt).max()))
    # float32 differences between ORT and PyTorch scale with the latent's magnitude (EMA codebooks let it grow)
    enc_tol = tol * max(1.0, float(np.abs(z_ort).max()))
    res = {"encoder_max_abs": enc_err, "index_agreement": agree, "decoder_max_abs": worst,
           "ok": worst <= tol and enc_err <= enc_tol and agree > 0.999}
    if not res["ok"]:
        raise AssertionError(f"bundle verification failed: {res}")
    return res


@torch.no_grad()
def verify_global(bundle_path: Path, model, image: torch.Tensor, tol: float = 1e-4) -> dict:
    b = Bundle(bundle_path)
    enc, dec = b.sessions()
    t_ort = enc.run(None, {b.manifest["io.encoder.input"]: image.numpy().astype(np.float32)})[0]
    t_pt = model.encoder(image)
    enc_err = float(np.abs(t_ort - t_pt.numpy()).max())
    idx = quantise_tokens_np(t_ort[0], b.codebooks)
    agree = float((idx == nearest_codewords(t_pt, model.quantiser.codebooks.detach()).numpy()[0]).mean())
    worst = 0.0
    for g in sorted({b.ladder[0], b.ladder[-1]}):
        qn = dequantise_tokens_np(idx, b.codebooks, g)[None]
        y_ort = dec.run(None, {b.manifest["io.decoder.input"]: qn})[0]
        worst = max(worst, float(np.abs(y_ort - model.decoder(torch.from_numpy(qn)).numpy()).max()))
    # as for grid models: float32 ORT vs PyTorch differences scale with the tokens' magnitude (EMA codebooks)
    enc_tol = tol * max(1.0, float(np.abs(t_ort).max()))
    res = {"encoder_max_abs": enc_err, "index_agreement": agree, "decoder_max_abs": worst,
           "ok": worst <= tol and enc_err <= enc_tol and agree > 0.99}
    if not res["ok"]:
        raise AssertionError(f"bundle verification failed: {res}")
    return res


def export_global(model, cfg: dict, out: Path, provenance: dict, cache: ImageCache | None,
                  order0_crops: int = 1024, eval_props: dict | None = None) -> dict:
    model = model.float().cpu().eval()
    T, N, K, d = model.tile, model.G, model.K, model.d
    enc = onnx_bytes(model.encoder, torch.rand(1, 3, T, T), "image", "latent", dynamic=False)
    dec = onnx_bytes(model.decoder, torch.randn(1, N, d), "latent", "image", dynamic=False)
    codebooks = model.quantiser.codebooks.detach().cpu().numpy().astype(np.float32)
    if cache is not None:
        order0 = order0_counts(model, cache, order0_crops, T, seed=provenance.get("seed", 0))
        order0_desc = f"{order0_crops} random {T}x{T} training crops"
    else:
        order0, order0_desc = np.ones((N, K), dtype=np.uint32), "uniform (no training data given)"
    manifest = _common_manifest(cfg, provenance, order0_desc)
    manifest.update({"quantiser": "global", "groups": str(N), "codebook.size": str(K), "codebook.dim": str(d),
                     "global.tile": str(T)})
    manifest.update(eval_props or {})
    readme = (f"qtk model bundle {cfg['name']} version {manifest['version']}\n"
              f"Global token model (QG-VAE style): {T}x{T} tiles -> N={N} tokens x d={d}, one K={K} codebook per "
              f"token position; raw {N * np.log2(K) / (T * T):.4f} bpp for all tokens.\n"
              f"Trained {provenance.get('step', 0)} steps on {provenance.get('data', '?')} (seed "
              f"{provenance.get('seed', '?')}, git {provenance.get('git', '?')}).\n"
              f"order0.bin: index counts over {order0_desc}, +1 each.\n")
    write_bundle(out, _ordered(manifest), enc, dec, codebooks, order0, readme)
    return manifest


def _common_manifest(cfg: dict, provenance: dict, order0_desc: str) -> dict:
    m = {
        "format": FORMAT,
        "name": cfg["name"],
        "version": str(cfg.get("version", "1")),
        "ladder": ",".join(str(g) for g in cfg["ladder"]),
        "io.encoder.input": "image",
        "io.encoder.output": "latent",
        "io.decoder.input": "latent",
        "io.decoder.output": "image",
        "training.data": provenance.get("data", ""),
        "training.steps": str(provenance.get("step", 0)),
        "training.seed": str(provenance.get("seed", "")),
        "training.git": provenance.get("git", ""),
        "training.config": json.dumps(cfg, separators=(",", ":"), sort_keys=True),
        "training.loss": provenance.get("loss_desc", "mse"),
        "training.script": provenance.get("script", "training/train.py"),
        "training.date": provenance.get("date", time.strftime("%Y-%m-%d")),
        "training.order0": order0_desc,
    }
    if provenance.get("final_loss") is not None:
        m["training.final_loss"] = f"{provenance['final_loss']:.6f}"
    return m


def _ordered(m: dict) -> dict:
    """Identity keys first (as in the spec's table), then the rest in insertion order."""
    first = ["format", "name", "version", "quantiser", "groups", "codebook.size", "codebook.dim", "latent.channels",
             "grid.factor", "global.tile", "halo", "ladder"]
    return {**{k: m[k] for k in first if k in m}, **{k: v for k, v in m.items() if k not in first}}


def export_grid(model, cfg: dict, out: Path, provenance: dict, cache: ImageCache | None, order0_crops: int = 1024,
                order0_crop: int = 256, readme_extra: str = "", eval_props: dict | None = None,
                order0: tuple[np.ndarray, str] | None = None) -> dict:
    """order0: precomputed (counts [G][K], description); else counted on crops from cache (uniform without)."""
    model = model.to(memory_format=torch.contiguous_format).float().cpu().eval()
    f, G, K, d = model.factor, model.G, model.K, model.d
    m = cfg["model"]
    enc = onnx_bytes(model.encoder, torch.rand(1, 3, 2 * f, 3 * f), "image", "latent")
    dec = onnx_bytes(model.decoder, torch.rand(1, G * d, 2, 3), "latent", "image")
    codebooks = model.quantiser.codebooks.detach().cpu().numpy().astype(np.float32)
    context = channel = predict = None
    if order0 is not None:
        order0, order0_desc = order0
    elif cache is not None:
        order0, classes, ctx_tables, weights, ch_tables, coeffs, residual = grid_index_tables(
            model, cache, order0_crops, order0_crop, seed=provenance.get("seed", 0))
        context = (classes, ctx_tables)
        channel = (weights, ch_tables)
        predict = (coeffs, residual)
        order0_desc = f"{order0_crops} random {order0_crop}x{order0_crop} training crops"
    else:
        order0 = np.ones((G, K), dtype=np.uint32)
        order0_desc = "uniform (no training data given)"
    ladder = cfg["ladder"]
    manifest = _common_manifest(cfg, provenance, order0_desc)
    manifest.update({"quantiser": "grid", "groups": str(G), "codebook.size": str(K), "codebook.dim": str(d),
                     "latent.channels": str(G * d), "grid.factor": str(f), "halo": str(cfg.get("halo", 2 * f))})
    if context is not None:
        manifest["entropy.context"] = SELECTOR
    if channel is not None:
        manifest["entropy.channel"] = CHANNEL_RULE
        manifest["entropy.channel.window"] = str(CHANNEL_WINDOW)
        manifest["entropy.channel.thresholds"] = ",".join(str(t) for t in CHANNEL_THRESHOLDS)
    if predict is not None:
        manifest["entropy.predict"] = PREDICT_RULE
        manifest["entropy.predict.window"] = str(PREDICT_WINDOW)
        manifest["entropy.predict.shift"] = str(PREDICT_SHIFT)
        manifest["entropy.predict.activity"] = ",".join(str(t) for t in PREDICT_ACTIVITY)
    manifest = _ordered(manifest)
    manifest.update(eval_props or {})
    bpp = [g * np.log2(K) / (f * f) for g in ladder]
    readme = (f"qtk model bundle {cfg['name']} version {manifest['version']}\n"
              f"Grid PQ / MGVQ autoencoder: f={f}, G={G} groups x K={K} codewords x d={d} dims "
              f"(C={G * d}); widths {m.get('widths')}, residual blocks {m.get('blocks')}.\n"
              f"Ladder (groups -> raw bpp): " + ", ".join(f"{g}->{b:.4f}" for g, b in zip(ladder, bpp)) + "\n"
              f"Trained {provenance.get('step', 0)} steps on {provenance.get('data', '?')} "
              f"(seed {provenance.get('seed', '?')}, git {provenance.get('git', '?')}), "
              f"loss {manifest['training.loss']}.\n"
              f"order0.bin: index counts over {order0_desc}, +1 each.\n"
              + (f"classes.bin / context.bin: {SELECTOR} context tables (coder 3) over the same crops, +1 each.\n"
                 if context is not None else "")
              + (f"weights.bin / channel.bin: {CHANNEL_RULE} channel tables (coder 4; window {CHANNEL_WINDOW}, "
                 f"weights = order-0 surprisal in quarter bits) over the same crops, +1 each.\n"
                 if channel is not None else "")
              + (f"predict.bin / residual.bin: {PREDICT_RULE} predictor (coder 5; window {PREDICT_WINDOW}, "
                 f"least squares with bias, coefficients in units of 2^-{PREDICT_SHIFT}) fitted on the same crops, "
                 f"and its residual tables (activity thresholds {','.join(str(t) for t in PREDICT_ACTIVITY)}) "
                 f"over them, +1 each.\n"
                 if predict is not None else "")
              + f"Made by training/export.py on {manifest['training.date']}.\n" + readme_extra)
    write_bundle(out, manifest, enc, dec, codebooks, order0, readme, context=context, channel=channel,
                 predict=predict)
    return manifest
