"""qtk_train.scalar_model: the grid-sq family (PQ with d = 1, integer codebooks, rate-distortion training)."""
from __future__ import annotations

import numpy as np
import torch

from qtk_train.bundle import Bundle, quantise_np
from qtk_train.export import export_grid, verify
from qtk_train.models import build_model
from qtk_train.scalar_model import GDN, FactorizedDensity, ScalarGridModel


def tiny_sq_config() -> dict:
    return {"name": "qtk-test-sq", "version": "1",
            "model": {"kind": "grid-sq", "factor": 4, "groups": 6, "levels": 16, "width": 8,
                      "lam_lo": 0.01, "lam_hi": 0.1},
            "ladder": [2, 4, 6], "halo": 8, "train": {"seed": 1}}


def test_codebooks_are_the_integers_and_nearest_codeword_is_rounding():
    m = ScalarGridModel(factor=4, groups=3, levels=16, width=8, ladder=[1, 3])
    cb = m.quantiser.codebooks
    assert cb.shape == (3, 16, 1)
    assert cb[0, :, 0].tolist() == list(range(-8, 8))
    z = np.array([[[-9.3, -2.6, 0.4, 1.5001, 7.49, 30.0]]] * 3, dtype=np.float32).reshape(3, 2, 3)
    idx, _ = quantise_np(z, cb.numpy())
    values = cb.numpy()[0, :, 0][idx[0]]
    assert values.tolist() == [-8, -3, 0, 2, 7, 7]  # clamped at the ends, rounded inside
    y = torch.tensor([[-9.3, -2.6, 0.4, 1.5001, 7.49, 30.0]]).view(1, 1, 2, 3).repeat(1, 3, 1, 1)
    assert m.quantise(y)[0, 0].flatten().tolist() == [-8, -3, 0, 2, 7, 7]


def test_density_is_a_distribution_over_the_integers():
    torch.manual_seed(0)
    d = FactorizedDensity(2)
    # the initial density is wide; the sum over all integers telescopes to 1
    k = torch.arange(-20000, 20001, dtype=torch.float32).view(1, 1, 1, -1).repeat(1, 2, 1, 1)
    p = d.likelihood(k)
    assert torch.all(p > 0)
    assert torch.allclose(p.sum(-1), torch.ones(1, 2, 1), atol=1e-3)


def test_gdn_and_inverse_start_near_inverse_of_each_other():
    torch.manual_seed(0)
    x = torch.randn(2, 4, 5, 5)
    y = GDN(4, inverse=True)(GDN(4)(x))
    # not exact (the normaliser sees different inputs), but the pair preserves sign and rough scale
    assert torch.all(torch.sign(y) == torch.sign(x))
    assert 0.5 < float(y.detach().abs().mean() / x.abs().mean()) < 2.0


def test_lambda_grows_with_the_prefix():
    m = ScalarGridModel(factor=4, groups=8, levels=16, width=8, lam_lo=0.001, lam_hi=0.1, ladder=[1, 2, 4, 8])
    lam = m.lam(torch.tensor([1, 2, 4, 8]))
    assert torch.allclose(lam[[0, -1]], torch.tensor([0.001, 0.1]))
    assert torch.all(lam[1:] > lam[:-1])


def test_masked_groups_cost_no_bits_and_reach_the_decoder_as_zeros():
    torch.manual_seed(0)
    m = ScalarGridModel(factor=4, groups=6, levels=16, width=8, ladder=[2, 6]).train()
    x = torch.rand(2, 3, 16, 16)
    keep = torch.tensor([2, 6])
    _, _, stats, q = m(x, keep)
    assert stats["bpp"][0] < stats["bpp"][1]
    m.eval()
    with torch.no_grad():
        full = m.decode_prefix(q, 2)
        masked = q.clone()
        masked[:, 2:] = 0
        assert torch.equal(full, m.decoder(masked))


def test_a_few_steps_lower_the_rate_distortion_loss():
    torch.manual_seed(0)
    m = ScalarGridModel(factor=4, groups=6, levels=16, width=8, ladder=[2, 4, 6]).train()
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    x = torch.rand(4, 3, 16, 16)
    keep = torch.tensor([6, 6, 4, 2])
    losses = []
    for _ in range(60):
        torch.manual_seed(1)  # same noise every step: a fair before/after comparison
        y, _, stats, _ = m(x, keep)
        loss = m.rd_loss(x, y, stats, keep)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0]


def test_exported_bundle_matches_pytorch_in_onnx_runtime(tmp_path):
    torch.manual_seed(0)
    cfg = tiny_sq_config()
    m = build_model(cfg)
    with torch.no_grad():  # make the latent span several levels so rounding is exercised
        m.encoder.net[-1].weight.mul_(20)
    path = tmp_path / "sq.qtkm"
    manifest = export_grid(m, cfg, path, {"step": 0, "seed": 1}, cache=None)
    assert manifest["codebook.dim"] == "1" and manifest["codebook.size"] == "16"
    res = verify(path, m, torch.rand(1, 3, 12, 20))
    assert res["ok"]
    b = Bundle(path)
    assert b.G == 6 and b.K == 16 and b.d == 1


def test_predictive_rate_reproduces_the_coder5_prediction_over_values():
    """PredictiveRate started from integer coefficients predicts what the coder-5 rule predicts (up to the rule's
    final rounding and clamping), with the index offset K/2 folded into the bias and absent neighbours as 0."""
    from qtk_train.context_tables import predictions
    from qtk_train.scalar_model import PredictiveRate
    G, N, K, S = 7, 4, 16, 12
    rng = np.random.default_rng(5)
    a = rng.integers(-600, 600, size=(G, N + 5)).astype(np.int32)
    a[:, -1] = rng.integers(0, 8 << S, size=G)  # the bias keeps most predictions inside 0..K-1
    for g in range(G):
        a[g, :max(0, N - g)] = 0  # slots before group 0 must be 0
    idx = rng.integers(5, 11, size=(G, 5, 6))
    rate = PredictiveRate(G, N)
    rate.init_from_bundle(a, S, K)
    q = torch.tensor(idx - K // 2, dtype=torch.float32)[None]
    got = rate.predict(q)[0].detach().numpy() + K // 2
    acc = predictions(idx, a, K, S)  # clamped to 0..K-1: compare where the exact value stays inside
    exact = got.round()
    inside = (exact > 0) & (exact < K - 1)
    assert inside.mean() > 0.5
    assert np.abs(got - acc)[inside].max() <= 0.5 + 1e-4


def test_predictive_rate_bits_fall_when_the_latent_is_predictable():
    from qtk_train.scalar_model import PredictiveRate
    torch.manual_seed(0)
    G = 3
    rate = PredictiveRate(G, 2)
    with torch.no_grad():
        rate.coef.zero_(); rate.coef[1, 1] = 1.0; rate.coef[2, 1] = 1.0  # each group repeats the previous one
    base = torch.randint(-3, 4, (1, 1, 4, 4)).float()
    same = base.repeat(1, G, 1, 1)
    other = torch.cat([base, torch.randint(-3, 4, (1, G - 1, 4, 4)).float() * 3], 1)
    assert rate.bits(same, same)[:, 1:].sum() < rate.bits(other, other)[:, 1:].sum()


def test_finetune_predictive_runs_resumes_and_records_itself(tmp_path, monkeypatch):
    """finetune_predictive.py on a tiny model: prefit + 3 steps, then --resume to 5; the weights-only file is at the
    base step + 5 and its config says how it was fine-tuned (export.py copies that into the manifest)."""
    import sys
    import finetune_predictive
    from conftest import write_jpegs
    from qtk_train import checkpoint as ck
    from qtk_train.data import ImageCache
    data = tmp_path / "photos"
    write_jpegs(data, [(48, 40), (40, 40)])
    cfg = tiny_sq_config()
    torch.manual_seed(0)
    m = build_model(cfg)
    with torch.no_grad():
        m.encoder.net[-1].weight.mul_(20)
    export_grid(m, cfg, tmp_path / "sq.qtkm", {"step": 7, "seed": 1}, cache=ImageCache(data), order0_crops=4,
                order0_crop=16)
    ck.atomic_save(ck.weights_only(m, cfg, 7), tmp_path / "w.pt")
    out = tmp_path / "ft"
    common = ["finetune_predictive.py", "--init", str(tmp_path / "w.pt"), "--bundle", str(tmp_path / "sq.qtkm"),
              "--out", str(out), "--data", str(data), "--crop", "16", "--prefit", "2", "--threads", "1"]
    monkeypatch.setattr(sys, "argv", common + ["--steps", "3"])
    finetune_predictive.main()
    assert ck.load(out / "ft.pt")["step"] == 3
    monkeypatch.setattr(sys, "argv", common + ["--steps", "5", "--resume"])
    finetune_predictive.main()
    assert "resumed at step 3" in (out / "train.log").read_text()
    w = ck.load(out / ck.WEIGHTS)
    assert w["step"] == 7 + 5 and w["config"]["finetune"]["steps"] == 5
    assert set(w["model"]) == set(m.state_dict())  # the base model only: export.py loads it as any checkpoint
    # A fresh machine continues from the weights file alone: the earlier run's record is kept.
    monkeypatch.setattr(sys, "argv", [*common[:2], str(out / ck.WEIGHTS), *common[3:6], str(tmp_path / "ft2"),
                                      *common[7:], "--steps", "2"])
    finetune_predictive.main()
    w2 = ck.load(tmp_path / "ft2" / ck.WEIGHTS)
    assert w2["step"] == 12 + 2 and w2["config"]["finetune"]["total_steps"] == 7
    assert w2["config"]["finetune"]["previous"]["steps"] == 5
