"""qtk_train.context_tables, coder 5 ("prediction", qtk 1.3): the integer prediction rule, the residual tables,
the least-squares fit, and the bundle entries entropy/predict.bin + entropy/residual.bin (coder5-design.md)."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from qtk_train.bundle import Bundle, parse_properties, properties_text, write_bundle
from qtk_train.context_tables import (CHANNEL_THRESHOLDS, CHANNEL_WINDOW, PREDICT_ACTIVITY, PREDICT_MAX_COEFF,
                                      PREDICT_RULE, PREDICT_SHIFT, PREDICT_WINDOW, PredictionCounter, PredictorFit,
                                      activity_buckets, channel_contexts, channel_weights, fit_predictor,
                                      prediction_contexts, predictions, predict_ideal_bits, predictor_features,
                                      residual_symbols)


# ---- a slow reference: the rule of the design, position by position, in Python integers ----

def _ref_predictions(x, a, K, S):
    G, rows, cols = x.shape
    N = a.shape[1] - 5
    pred = np.zeros(x.shape, np.int64)
    for g in range(G):
        for r in range(rows):
            for c in range(cols):
                acc = int(a[g][N + 4])
                for i in range(N):
                    if g - N + i >= 0:
                        acc += int(a[g][i]) * int(x[g - N + i][r][c])
                left = int(x[g][r][c - 1]) if c > 0 else K // 2
                up = int(x[g][r - 1][c]) if r > 0 else K // 2
                up_left = int(x[g][r - 1][c - 1]) if r > 0 and c > 0 else K // 2
                up_right = int(x[g][r - 1][c + 1]) if r > 0 and c < cols - 1 else K // 2
                acc += sum(int(a[g][N + k]) * v for k, v in enumerate((left, up, up_left, up_right)))
                pred[g][r][c] = min(max((acc + (1 << (S - 1))) >> S, 0), K - 1)  # >>: floor, like Java's
    return pred


def _ref_contexts_and_symbols(x, pred, K, w, window, thresholds, activity):
    G, rows, cols = x.shape
    ctx = np.zeros(x.shape, np.int64)
    sym = np.zeros(x.shape, np.int64)
    for g in range(G):
        for r in range(rows):
            for c in range(cols):
                p = r * cols + c
                if g == 0:
                    ch = 0
                else:
                    m = min(g, window)
                    s = sum(int(w[g - j][x[g - j][r][c]]) for j in range(1, m + 1))
                    ch = 1 + sum(s >= m * t for t in thresholds)
                act = (abs(int(x[g][r][c - 1]) - int(pred[g][r][c - 1])) if c > 0 else 0) + \
                      (abs(int(x[g][r - 1][c]) - int(pred[g][r - 1][c])) if r > 0 else 0)
                ctx[g][r][c] = ch * (len(activity) + 1) + sum(act >= t for t in activity)
                sym[g][r][c] = (int(x[g][r][c]) - int(pred[g][r][c])) % K
                assert p == r * cols + c
    return ctx, sym


def _random_coeffs(rng, G, N, big=False, garbage=False):
    """Random coefficients [G][N+5]; slots of groups before 0 are 0 (or garbage: the rule must skip them)."""
    lim = PREDICT_MAX_COEFF if big else 1 << 13
    a = rng.integers(-lim, lim + 1, (G, N + 5))
    for g in range(G):
        for i in range(N):
            if g - N + i < 0:
                a[g][i] = rng.integers(-lim, lim + 1) if garbage else 0
    return a.astype(np.int32)


def test_shipped_predict_constants():
    assert PREDICT_RULE == "linear-previous-groups-and-neighbours"
    assert (PREDICT_WINDOW, PREDICT_SHIFT, PREDICT_ACTIVITY, PREDICT_MAX_COEFF) == (16, 12, (1, 3), 1 << 24)


# A worked example (by hand): G = 2, K = 8, N = 1, S = 2 (coefficients in quarters), 2 x 2 positions.
# Group 0: a = [0 | L 1.0, U 0, UL 0, UR 0 | bias 0] -> pred = L (K/2 = 4 where absent) = [[4, 1], [4, 3]].
# Group 1: a = [x_0 1.0 | L 0, U -0.5, UL 0, UR 0 | bias 0.5] -> acc/4 = x_0 - U/2 + 1/2:
#   (0,0) 1 - 2 + .5 -> floor(0/4) = 0; (0,1) 2 - 2 + .5 -> 1; (1,0) 3 - 2.5 + .5 -> 1; (1,1) 4 - 3 + .5 -> 2.
# Symbols (x - pred) mod 8: [[5, 1], [7, 1]] and [[5, 5], [6, 6]].
# Activity (T' = 1, 3): errors [[3, 1], [1, 1]] -> A = 0, 3, 3, 1 + 1 -> r = 0, 2, 2, 1;
#                       errors [[5, 5], [6, 2]] -> A = 0, 5, 5, 6 + 5 -> r = 0, 2, 2, 2.
# Channel (N = 1, T = 2, W[0] = 0..7): g = 1: S = W[0][x_0] = 1, 2, 3, 4 -> 1, 2, 2, 2; contexts ch * 3 + r.
HX = np.array([[[1, 2], [3, 4]], [[5, 6], [7, 0]]])
HA = np.array([[0, 4, 0, 0, 0, 0], [4, 0, -2, 0, 0, 2]], dtype=np.int32)
HW = np.array([np.arange(8), np.zeros(8)], dtype=np.uint8)
HPRED = [[[4, 1], [4, 3]], [[0, 1], [1, 2]]]
HSYM = [[[5, 1], [7, 1]], [[5, 5], [6, 6]]]
HCTX = [[[0, 2], [2, 1]], [[3, 8], [8, 8]]]


def test_prediction_rule_by_hand():
    pred = predictions(HX, HA, 8, 2)
    assert pred.tolist() == HPRED
    assert residual_symbols(HX, pred, 8).tolist() == HSYM
    assert activity_buckets(HX, pred, (1, 3)).tolist() == [[[0, 2], [2, 1]], [[0, 2], [2, 2]]]
    assert prediction_contexts(HX, pred, HW, 1, (2,), (1, 3)).tolist() == HCTX
    assert ((residual_symbols(HX, pred, 8) + pred) % 8).tolist() == HX.tolist()  # decoding: x = (s + pred) mod K


CASES = ["random", "columns-1", "one-row", "g-below-window", "odd-K", "negative", "clamp", "big", "garbage-slots"]


@pytest.mark.parametrize("case", CASES)
def test_vectorised_rule_matches_the_reference(case):
    rng = np.random.default_rng(CASES.index(case))
    ends = set()
    for _ in range(12):
        G, N = int(rng.integers(1, 14)), int(rng.integers(1, 7))
        K = int(rng.integers(2, 70))
        rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 7))
        S = int(rng.integers(1, 20))
        if case == "columns-1":
            cols = 1
        elif case == "one-row":
            rows = 1
        elif case == "g-below-window":
            N, G = int(rng.integers(5, 12)), int(rng.integers(1, 5))  # every group has slots before group 0
        elif case == "odd-K":
            K = int(rng.integers(1, 30)) * 2 + 1  # the neutral index K / 2 rounds down
        elif case in ("big", "clamp"):
            S = int(rng.integers(1, 31))
        a = _random_coeffs(rng, G, N, big=case in ("big", "clamp"), garbage=case == "garbage-slots")
        if case == "negative":
            a = -np.abs(a)
            a[:, N + 4] = rng.integers(0, K << S, G)  # a positive bias so that not everything clamps to 0
        if case == "clamp":
            S = int(rng.integers(1, 6))  # huge accumulators against a small shift: both ends of the clamp
        x = rng.integers(0, K, (G, rows, cols))
        pred = predictions(x, a, K, S)
        ref = _ref_predictions(x, a, K, S)
        assert pred.dtype == np.int64 and np.array_equal(pred, ref), case
        ends |= {"low"} if (pred == 0).any() and (ref == 0).any() else set()
        ends |= {"high"} if (pred == K - 1).any() else set()
        # contexts and symbols, with a random channel rule and activity thresholds
        w = rng.integers(0, 256, (G, K)).astype(np.uint8)
        cw = int(rng.integers(1, 5))
        ct = tuple(np.cumsum(rng.integers(1, 40, int(rng.integers(1, 6)))).tolist())
        act = tuple(np.cumsum(rng.integers(1, 5, int(rng.integers(1, 5)))).tolist())
        ctx_ref, sym_ref = _ref_contexts_and_symbols(x, ref, K, w, cw, ct, act)
        ctx = prediction_contexts(x, pred, w, cw, ct, act)
        assert np.array_equal(ctx, ctx_ref) and np.array_equal(residual_symbols(x, pred, K), sym_ref)
        assert ctx.min() >= 0 and ctx.max() < (len(ct) + 2) * (len(act) + 1)
    if case == "clamp":
        assert ends == {"low", "high"}  # both ends of the clamp were exercised


def test_neutral_neighbours_are_k_over_2():
    # a predictor that is just "left" gives K // 2 in column 0, "up" gives K // 2 in row 0, UR also in the last column
    K, N = 11, 2
    x = np.arange(2 * 3 * 4).reshape(2, 3, 4) % K
    for k, where in [(0, np.s_[:, :, 0]), (1, np.s_[:, 0, :]), (2, np.s_[:, 0, :]), (3, np.s_[:, :, -1])]:
        a = np.zeros((2, N + 5), np.int32)
        a[:, N + k] = 1 << PREDICT_SHIFT
        pred = predictions(x, a, K)
        assert (pred[where] == K // 2).all()
    a = np.zeros((2, N + 5), np.int32)
    a[:, N + 2] = 1 << PREDICT_SHIFT  # UL is present only with both r > 0 and c > 0
    assert (predictions(x, a, K)[:, 1:, 1:] == x[:, :-1, :-1]).all()


def test_counter_and_ideal_bits_follow_the_reference():
    rng = np.random.default_rng(7)
    G, K, N = 6, 12, 3
    a = _random_coeffs(rng, G, N)
    a[:, N + 4] += (K // 2) << PREDICT_SHIFT
    w = rng.integers(0, 64, (G, K)).astype(np.uint8)
    cw, ct, act = 2, (10, 40, 90), (1, 3)
    counter = PredictionCounter(a, w, cw, ct, PREDICT_SHIFT, act)
    want = np.ones((G, (len(ct) + 2) * (len(act) + 1), K), np.int64)
    grids = [rng.integers(0, K, (G, int(rng.integers(1, 5)), int(rng.integers(1, 5)))) for _ in range(6)]
    for x in grids:
        counter.add(x.astype(np.uint16))  # any integer dtype
        ctx, sym = _ref_contexts_and_symbols(x, _ref_predictions(x, a, K, PREDICT_SHIFT), K, w, cw, ct, act)
        for g in range(G):
            for c, s in zip(ctx[g].ravel(), sym[g].ravel()):
                want[g, c, s] += 1
    t = counter.tables()
    assert t.dtype == np.uint32 and np.array_equal(t, want)
    for x in grids[:3]:
        ctx, sym = _ref_contexts_and_symbols(x, _ref_predictions(x, a, K, PREDICT_SHIFT), K, w, cw, ct, act)
        bits = predict_ideal_bits(x, a, w, t, cw, ct, PREDICT_SHIFT, act)
        for g in range(G):
            ref = -sum(np.log2(t[g, c, s] / t[g, c].sum()) for c, s in zip(ctx[g].ravel(), sym[g].ravel()))
            assert abs(bits[g] - ref) < 1e-9
    # uint32 in the bundle: halved (keeping >= 1) until it fits
    counter.counts[0, 0, 0] = 3 << 32
    big = counter.tables()
    assert big.max() <= 0xFFFFFFFF and big.min() >= 1 and big[0, 0, 0] == (3 << 32) >> 2


def test_fit_recovers_an_exact_linear_rule():
    # x_2 = x_0 + 2 x_1 exactly (groups 0 and 1 independent noise): a[2] = 2^12 * (1, 2 | 0 0 0 0 | 0)
    rng = np.random.default_rng(5)
    K = 64
    grids = []
    for _ in range(20):
        x = rng.integers(0, 16, (3, 5, 7))
        x[2] = x[0] + 2 * x[1]
        grids.append(x)
    a = fit_predictor(grids, K, window=2)
    assert a.dtype == np.int32 and a.shape == (3, 7)
    assert a[2].tolist() == [4096, 8192, 0, 0, 0, 0, 0]
    assert a[0, :2].tolist() == [0, 0] and a[1, 0] == 0  # no groups before group 0
    for x in grids:
        assert np.array_equal(predictions(x, a, K)[2], x[2])


def test_fit_is_least_squares_with_bias():
    rng = np.random.default_rng(9)
    G, K, N = 5, 40, 3
    grids = [rng.integers(0, K, (G, 6, 6)) for _ in range(15)]
    for x in grids:  # some structure: each group leans on the previous one and on its left neighbour
        for g in range(1, G):
            x[g] = np.clip((x[g - 1] + np.roll(x[g], 1, 1) + rng.integers(-3, 4, x[g].shape)) // 2 + 5, 0, K - 1)
    fit = PredictorFit(G, K, N)
    for x in grids:
        fit.add(x)
    a = fit.coefficients()
    f = np.concatenate([predictor_features(x, K, N) for x in grids], 1).astype(np.float64)  # [G][n][N+5]
    y = np.concatenate([x.reshape(G, -1) for x in grids], 1).astype(np.float64)
    for g in range(G):
        cols = [i for i in range(N + 5) if i >= N or g - N + i >= 0]
        sol = np.linalg.lstsq(f[g][:, cols], y[g], rcond=None)[0]
        want = np.zeros(N + 5)
        want[cols] = sol
        assert np.abs(a[g] - want * 4096).max() <= 0.5 + 1e-6, g  # the rounded least-squares solution
        assert (a[g, :N][np.arange(N) < N - g] == 0).all()
    assert fit_predictor(grids, K, N).tolist() == a.tolist()


def test_fit_clamps_and_keeps_constant_features_at_zero():
    # a one-row grid: U, UL, UR are always the neutral index (no variance) and get 0, the bias takes it all
    rng = np.random.default_rng(4)
    K = 16
    grids = [rng.integers(0, K, (2, 1, 9)) for _ in range(10)]
    a = fit_predictor(grids, K, window=1)
    assert (a[:, 2:5] == 0).all() and a[0, 0] == 0
    # a huge slope (x_1 = 3000 x_0 with tiny x_0, 1 << 24 = 4096 * 4096) is clamped to |a| <= 2^24
    x0 = rng.integers(0, 2, (40, 1, 4, 4))
    grids = [np.concatenate([x, x * 5000]) for x in x0]
    a = fit_predictor(grids, 1 << 14, window=1)
    assert a[1, 0] == PREDICT_MAX_COEFF and np.abs(a.astype(np.int64)).max() <= PREDICT_MAX_COEFF


def test_fit_and_residual_tables_help_on_linear_data():
    # correlated groups: coder 5's tables should beat the plain channel tables' symbol entropy by far
    rng = np.random.default_rng(11)
    G, K = 6, 32

    def sample():
        base = rng.integers(4, K - 4, (1, 8, 8))
        return np.clip(base + rng.integers(-1, 2, (G, 8, 8)), 0, K - 1)

    train = [sample() for _ in range(30)]
    a = fit_predictor(train, K, window=4)
    order0 = np.ones((G, K))
    for x in train:
        np.add.at(order0, (np.arange(G)[:, None], x.reshape(G, -1)), 1)
    w = channel_weights(order0)
    counter = PredictionCounter(a, w, 4, (4, 8), PREDICT_SHIFT, PREDICT_ACTIVITY)
    for x in train:
        counter.add(x)
    x = sample()
    bits5 = predict_ideal_bits(x, a, w, counter.tables(), 4, (4, 8))
    p0 = order0 / order0.sum(1, keepdims=True)
    bits0 = -np.log2(p0[np.arange(G)[:, None], x.reshape(G, -1)]).sum(1)
    assert bits5[2:].sum() < 0.6 * bits0[2:].sum()


# ---- bundle entries ----

def _channel_and_predict(rng, G, K, window=3, thresholds=(2, 5, 9), pwindow=4, activity=(1, 3)):
    weights = rng.integers(0, 256, (G, K)).astype(np.uint8)
    ch = rng.integers(1, 1 << 32, (G, len(thresholds) + 2, K), dtype=np.uint64).astype(np.uint32)
    coeffs = _random_coeffs(rng, G, pwindow, big=True)
    residual = rng.integers(1, 1 << 32, (G, (len(thresholds) + 2) * (len(activity) + 1), K),
                            dtype=np.uint64).astype(np.uint32)
    keys = {"entropy.channel": "previous-groups", "entropy.channel.window": str(window),
            "entropy.channel.thresholds": ",".join(map(str, thresholds)),
            "entropy.predict": PREDICT_RULE, "entropy.predict.window": str(pwindow),
            "entropy.predict.shift": "12", "entropy.predict.activity": ",".join(map(str, activity))}
    return (weights, ch), (coeffs, residual), keys


def _rewrite(path, out, drop=(), manifest=None):
    """A copy of a bundle without the entries in drop and with another manifest (the reader's checks)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w") as zout:
        for name in zin.namelist():
            if name in drop:
                continue
            data = zin.read(name)
            if name == "manifest.properties" and manifest is not None:
                data = properties_text(manifest)
            zout.writestr(name, data)
    out.write_bytes(buf.getvalue())
    return out


def test_bundle_round_trip_with_prediction_tables(tmp_path, tiny_bundle):
    src = Bundle(tiny_bundle["path"])
    G, K = src.G, src.K
    rng = np.random.default_rng(3)
    channel, predict, keys = _channel_and_predict(rng, G, K)
    man = {k: v for k, v in src.manifest.items() if not k.startswith("entropy.")}
    man.update(keys)
    out = tmp_path / "pr.qtkm"
    args = (src.encoder_onnx, src.decoder_onnx, src.codebooks, src.order0.astype(np.uint32), "")
    write_bundle(out, man, *args, channel=channel, predict=predict)
    b = Bundle(out)
    assert (b.predict_window, b.predict_shift, b.predict_activity) == (4, 12, (1, 3))
    assert b.coeffs.dtype == np.int32 and np.array_equal(b.coeffs, predict[0])
    assert b.residual.shape == (G, 5 * 3, K) and np.array_equal(b.residual, predict[1])
    assert np.array_equal(b.channel, channel[1])
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist()[-3:] == ["entropy/predict.bin", "entropy/residual.bin", "README.txt"]
        assert len(zf.read("entropy/predict.bin")) == 4 * G * 9
        assert np.array_equal(np.frombuffer(zf.read("entropy/predict.bin"), "<i4").reshape(G, 9), predict[0])
    # without: none of it
    man_ch = {k: v for k, v in man.items() if not k.startswith("entropy.predict")}
    write_bundle(out, man_ch, *args, channel=channel)
    assert Bundle(out).coeffs is None and Bundle(out).residual is None and Bundle(out).channel is not None

    # the writer checks the tables and the keys
    coeffs, residual = predict
    unused = coeffs.copy()
    unused[0, 0] = 1  # group 0 has no group -4
    too_big = coeffs.copy()
    too_big[G - 1, 4] = PREDICT_MAX_COEFF + 1
    bad = [(man, channel, (coeffs[:, :8], residual)), (man, channel, (unused, residual)),
           (man, channel, (too_big, residual)), (man, channel, (coeffs, residual[:, :14])),
           (man, channel, (coeffs, np.zeros_like(residual))),
           (man, None, predict),  # prediction tables need the channel tables
           (man_ch, channel, predict),  # and the keys
           (dict(man, **{"entropy.predict": "linear"}), channel, predict),
           (dict(man, **{"entropy.predict.shift": "31"}), channel, predict),
           (dict(man, **{"entropy.predict.window": "0"}), channel, predict),
           (dict(man, **{"entropy.predict.activity": "3,1"}), channel, predict),
           (dict(man, **{"entropy.predict.activity": "0,1"}), channel, predict)]
    for bad_man, ch, pr in bad:
        with pytest.raises((AssertionError, KeyError, ValueError)):
            write_bundle(tmp_path / "bad.qtkm", bad_man, *args, channel=ch, predict=pr)


def test_bundle_reader_wants_all_or_none(tmp_path, tiny_bundle):
    src = Bundle(tiny_bundle["path"])
    G, K = src.G, src.K
    channel, predict, keys = _channel_and_predict(np.random.default_rng(8), G, K)
    man = {k: v for k, v in src.manifest.items() if not k.startswith("entropy.")}
    man.update(keys)
    good = tmp_path / "good.qtkm"
    write_bundle(good, man, src.encoder_onnx, src.decoder_onnx, src.codebooks, src.order0.astype(np.uint32), "",
                 channel=channel, predict=predict)
    assert Bundle(_rewrite(good, tmp_path / "same.qtkm")).coeffs is not None
    assert Bundle(_rewrite(good, tmp_path / "none.qtkm", drop=("entropy/predict.bin", "entropy/residual.bin"),
                           manifest={k: v for k, v in man.items() if not k.startswith("entropy.predict")})
                  ).coeffs is None
    cases = [dict(drop=("entropy/predict.bin",)), dict(drop=("entropy/residual.bin",)),
             dict(drop=("entropy/predict.bin", "entropy/residual.bin"))]
    cases += [dict(manifest={k: v for k, v in man.items() if k != key}) for key in keys
              if key.startswith("entropy.predict")]
    cases += [dict(manifest=dict(man, **{"entropy.predict": "linear-previous-groups"})),  # another rule
              dict(manifest=dict(man, **{"entropy.predict.window": "5"})),  # sizes no longer match
              dict(manifest=dict(man, **{"entropy.predict.activity": "1"})),
              dict(drop=("entropy/weights.bin", "entropy/channel.bin"),  # no channel tables
                   manifest={k: v for k, v in man.items() if not k.startswith("entropy.channel")})]
    for i, case in enumerate(cases):
        with pytest.raises(ValueError):
            Bundle(_rewrite(good, tmp_path / f"bad{i}.qtkm", **case))


def test_exported_tiny_bundle_carries_prediction_tables(tiny_bundle):
    from qtk_train.export import grid_index_tables
    b = Bundle(tiny_bundle["path"])
    m = b.manifest
    assert (m["entropy.predict"], m["entropy.predict.window"], m["entropy.predict.shift"],
            m["entropy.predict.activity"]) == (PREDICT_RULE, "16", "12", "1,3")
    with zipfile.ZipFile(tiny_bundle["path"]) as zf:
        assert parse_properties(zf.read("manifest.properties")) == m
        raw = zf.read("entropy/predict.bin")
        assert len(raw) == 4 * b.G * (PREDICT_WINDOW + 5)
        assert len(zf.read("entropy/residual.bin")) == 4 * b.G * (len(CHANNEL_THRESHOLDS) + 2) * 3 * b.K
    a = b.coeffs
    assert a.shape == (b.G, PREDICT_WINDOW + 5) and np.abs(a.astype(np.int64)).max() <= PREDICT_MAX_COEFF
    for g in range(b.G):  # G = 4 < N = 16: only the last g previous-group slots can be used
        assert (a[g, :PREDICT_WINDOW - g] == 0).all()
    assert a[1:, PREDICT_WINDOW - 1].any() or a[:, PREDICT_WINDOW:].any()  # something was fitted
    assert b.residual.shape == (b.G, (len(CHANNEL_THRESHOLDS) + 2) * 3, b.K) and b.residual.min() >= 1
    # counted on the same crops as order0
    assert (b.residual.sum((1, 2)) - b.residual.shape[1] * b.K == b.order0.sum(1) - b.K).all()
    # what the export computed from those crops (same seed: the same crops)
    kw = tiny_bundle["kwargs"]
    tables = grid_index_tables(tiny_bundle["model"], tiny_bundle["cache"], kw["order0_crops"], kw["order0_crop"],
                               seed=int(m["training.seed"]))
    assert np.array_equal(tables[5], a) and np.array_equal(tables[6], b.residual)
    assert np.array_equal(tables[0], b.order0) and np.array_equal(tables[3], b.weights)
    # ideal bits of the bundle's tables on an index grid: finite, per group
    x = np.random.default_rng(0).integers(0, b.K, (b.G, 3, 4))
    bits = predict_ideal_bits(x, a, b.weights, b.residual, b.channel_window, b.channel_thresholds,
                              b.predict_shift, b.predict_activity)
    assert bits.shape == (b.G,) and np.isfinite(bits).all() and (bits > 0).all()
    assert channel_contexts(x, b.weights).shape == x.shape and CHANNEL_WINDOW == b.channel_window


def test_rule_matches_the_golden_coder5_vectors():
    """The Java encoder's coder-5 and coder-6 streams (testdata/golden/tokens/tiny-predict-*.qtk, decoded by the
    independent decode_tokens.py): the trainer's vectorised rule gives the same contexts and symbols, position by
    position."""
    import importlib.util

    from conftest import REPO
    tokens = REPO / "testdata" / "golden" / "tokens"
    if not (tokens / "qtk-test-tiny-pred.qtkm").exists():
        pytest.skip("no coder-5 token vectors in testdata/golden/tokens")
    spec = importlib.util.spec_from_file_location("decode_tokens_c5", tokens / "decode_tokens.py")
    dt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dt)  # a private copy of the module: the instrumentation below stays local
    b = Bundle(tokens / "qtk-test-tiny-pred.qtkm")
    bundle = dt.read_bundle(str(tokens / "qtk-test-tiny-pred.qtkm"))
    assert np.array_equal(np.array(bundle["predict"]["a"]), b.coeffs)
    seen, symbols, mine = [], [], []  # (group, context) of every coder-5 symbol; every decoded symbol; coder 5's
    decode_predict, decode = dt.decode_predict, dt.RangeDecoder.decode

    def logged_predict(D, n, g, columns, groups, K, window, shift, activity, a, channel_ctx, tables, adaptive=False):
        class Logged:
            def __getitem__(self, c):
                seen.append((g, c))
                return tables[c]
        start = len(symbols)
        x = decode_predict(D, n, g, columns, groups, K, window, shift, activity, a, channel_ctx, Logged(),
                           adaptive=adaptive)
        mine.extend(symbols[start:])
        return x

    def logged_decode(self, f):
        s = decode(self, f)
        symbols.append(s)
        return s

    dt.decode_predict, dt.RangeDecoder.decode = logged_predict, logged_decode
    checked = 0
    for f in sorted(tokens.glob("tiny-predict-*.qtk")):
        seen.clear()
        mine.clear()
        h, groups, _, _ = dt.decode_file(f.read_bytes(), bundle)
        if not seen:
            continue
        rows, cols = h["rows"], h["columns"]
        x = np.zeros((b.G, rows, cols), np.int64)  # absent groups: never used by the groups before them
        x[:len(groups)] = np.array(groups).reshape(-1, rows, cols)
        pred = predictions(x, b.coeffs, b.K, b.predict_shift)
        ctx = prediction_contexts(x, pred, b.weights, b.channel_window, b.channel_thresholds, b.predict_activity)
        sym = residual_symbols(x, pred, b.K)
        gs = sorted({g for g, _ in seen})
        assert [c for _, c in seen] == np.concatenate([ctx[g].ravel() for g in gs]).tolist(), f.name
        assert mine == np.concatenate([sym[g].ravel() for g in gs]).tolist(), f.name
        checked += 1
    assert checked >= 3
