"""compare_quantisers: equal raw bits per 16x16 block within each budget, global configs build, stale runs."""
from __future__ import annotations

import json
import math

import compare_quantisers as cq
from qtk_train.models import build_model


def bits_per_block(cfg: dict) -> float:
    m = cfg["model"]
    if m["kind"] == "grid":
        return m["groups"] * math.log2(m["codebook_size"])
    return m["tokens"] * math.log2(m["codebook_size"]) * (16 / m["tile"]) ** 2


def test_runs_share_bits_and_everything_but_the_quantiser():
    runs = cq.runs(123)
    budgets = {}
    for name, cfg in runs.items():
        m = cfg["model"]
        budgets.setdefault(round(bits_per_block(cfg)), []).append(name)
        assert cfg["train"]["steps"] == 123 and cfg["train"]["beta"] == cq.TRAIN["beta"]
        assert (m["factor"], m["widths"], m["blocks"]) == (cq.ARCH["factor"], cq.ARCH["widths"], cq.ARCH["blocks"])
        if m["kind"] == "grid":
            assert m["groups"] * m["dim"] == round(bits_per_block(cfg))  # d = bits / G: one latent channel per bit
    assert sorted(budgets) == [12, 16]
    assert {"vq-1x4096", "pq-12x2", "global-32x64"} <= set(budgets[12])
    assert {"vq-1x65536", "pq-2x256", "pq-4x16", "pq-8x4", "global-32x256"} <= set(budgets[16])


def test_global_runs_build_with_their_quantiser_options():
    for name in ("global-32x64", "global-32x256"):
        cfg = cq.runs(10)[name]
        m = build_model(cfg)
        assert (m.G, m.K, m.d, m.tile) == (32, int(name.split("x")[1]), 8, 64)
        assert m.quantiser.revive_every == cfg["model"]["quant"]["revive_every"]


def test_a_run_trained_with_another_config_is_stale(tmp_path):
    cfg = cq.runs(10)["pq-2x64"]
    assert not cq.same_config(tmp_path, cfg)  # never trained
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    assert cq.same_config(tmp_path, cfg)
    changed = json.loads(json.dumps(cfg))
    changed["model"]["quant"]["revive_noise"] = 0.02
    assert not cq.same_config(tmp_path, changed)
