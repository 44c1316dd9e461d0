"""qtk_train.context_tables: the coder-3 and coder-4 context rules and tables (qtk-format.md 9.2, entropy-coding.md 5)."""
from __future__ import annotations

import numpy as np
import pytest

from qtk_train.bundle import Bundle
from qtk_train.bundle import write_bundle
from qtk_train.context_tables import (CHANNEL_THRESHOLDS, CHANNEL_WINDOW, ChannelCounter, ContextCounter,
                                      channel_contexts, channel_ideal_bits, channel_weights, grid_contexts,
                                      ideal_bits, symbol_classes)


def test_classes_follow_order0_surprisal():
    order0 = np.array([[1000, 400, 100, 10, 1]])  # p = .66 .26 .066 .0066 .00066 -> 0.6 1.9 3.9 7.2 10.6 bits
    assert symbol_classes(order0).tolist() == [[0, 1, 2, 3, 3]]


def test_grid_neighbour_contexts_by_hand():
    classes = np.array([[0, 1, 2, 3]], dtype=np.uint8)
    idx = np.array([[[0, 3, 1],
                     [2, 1, 0]]])
    # first row: no up; first column: no left; left/up contribute 1 + class
    expect = [[0 * 5 + 0, (1 + 0) * 5 + 0, (1 + 3) * 5 + 0],
              [0 * 5 + (1 + 0), (1 + 2) * 5 + (1 + 3), (1 + 1) * 5 + (1 + 1)]]
    assert grid_contexts(idx, classes)[0].tolist() == expect


def test_context_tables_code_a_structured_field_in_fewer_bits_than_order0():
    rng = np.random.default_rng(0)
    G, K, h, w = 2, 8, 24, 32
    # busy and quiet regions: busy blocks draw from all codewords, quiet ones are mostly 0
    busy = np.kron(rng.random((G, h // 8, w // 8)) < 0.4, np.ones((1, 8, 8), dtype=bool))
    grids = [np.where(busy, rng.integers(0, K, (G, h, w)), np.where(rng.random((G, h, w)) < 0.9, 0, 1))
             for _ in range(20)]
    order0 = np.ones((G, K), dtype=np.int64)
    for gr in grids:
        np.add.at(order0, (np.arange(G)[:, None], gr.reshape(G, -1)), 1)
    classes = symbol_classes(order0)
    counter = ContextCounter(classes)
    for gr in grids[:10]:
        counter.add(gr)
    tables = counter.tables()
    assert tables.shape == (G, 25, K) and tables.min() >= 1 and tables.dtype == np.uint32
    p0 = order0 / order0.sum(1, keepdims=True)
    for gr in grids[10:]:
        bits0 = -np.log2(p0[np.arange(G)[:, None], gr.reshape(G, -1)]).sum(1)
        assert np.all(ideal_bits(gr, classes, tables) < 0.95 * bits0)


def test_exported_tiny_bundle_carries_context_tables(tiny_bundle):
    b = Bundle(tiny_bundle["path"])
    assert b.manifest["entropy.context"] == "grid-neighbours-4"
    assert b.classes.shape == (b.G, b.K) and b.classes.max() <= 3
    assert b.context.shape == (b.G, 25, b.K) and b.context.min() >= 1
    # the tables were counted with the classes derived from the bundle's own order0 table
    assert np.array_equal(b.classes, symbol_classes(b.order0))


# ---- coder 4, channel context ----

# The worked example of the Java ChannelTablesTest (and qtk-format.md 9.2): G = 4, K = 4, 3 positions, N = 2,
# T = 2, 5. g = 1: m = 1, S = 0, 8, 2 -> 1, 3, 2; g = 2: m = 2, S = 5 + 0, 7 + 8, 1 + 2 -> 2, 3, 1 (against 4, 10);
# g = 3: group 0 has left the window, S = 6 + 5, 0 + 7, 0 + 1 -> 3, 2, 1.
W = np.array([[0, 2, 4, 8], [1, 3, 5, 7], [0, 6, 6, 10], [1, 1, 1, 1]], dtype=np.uint8)
X = np.array([[0, 3, 1], [2, 3, 0], [1, 0, 0], [3, 2, 1]])
CTX = [[0, 0, 0], [1, 3, 2], [2, 3, 1], [3, 2, 1]]


def test_shipped_channel_constants():
    assert CHANNEL_WINDOW == 16
    assert CHANNEL_THRESHOLDS == (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32)


def test_channel_contexts_by_hand():
    assert channel_contexts(X, W, 2, (2, 5)).tolist() == CTX
    # any position shape: [G][h][w] gives the same contexts in token order
    assert channel_contexts(X.reshape(4, 1, 3), W, 2, (2, 5)).reshape(4, 3).tolist() == CTX
    # a window of 3 keeps group 0 for group 3: S = 11, 15, 3 against 6, 15
    assert channel_contexts(X, W, 3, (2, 5))[3].tolist() == [2, 3, 1]


def _spec_context(w, window, thresholds, x, g, p):
    if g == 0:
        return 0
    m = min(g, window)
    s = sum(int(w[g - j][x[g - j][p]]) for j in range(1, m + 1))
    return 1 + sum(s >= m * t for t in thresholds)


def test_channel_contexts_follow_the_definition():
    rng = np.random.default_rng(3)
    for _ in range(30):
        G, K, n = int(rng.integers(1, 12)), int(rng.integers(2, 40)), int(rng.integers(1, 20))
        window = int(rng.integers(1, 6))
        thresholds = tuple(np.cumsum(rng.integers(1, 30, int(rng.integers(1, 10)))).tolist())
        w = rng.integers(0, 256, (G, K)).astype(np.uint8)
        x = rng.integers(0, K, (G, n))
        ctx = channel_contexts(x, w, window, thresholds)
        assert ctx.min() >= 0 and ctx.max() < len(thresholds) + 2
        for g in range(G):
            for p in range(n):
                assert ctx[g, p] == _spec_context(w, window, thresholds, x, g, p)


def test_channel_weights_are_quarter_bit_surprisals():
    order0 = np.array([[1, 1, 2, 4], [1, 1 << 40, 1, 1]])
    # p = 1/8, 1/8, 1/4, 1/2 -> 3, 3, 2, 1 bits -> 12, 12, 8, 4; the rare codewords of row 1 are capped at 255
    assert channel_weights(order0).tolist() == [[12, 12, 8, 4], [160, 0, 160, 160]]
    assert channel_weights(np.array([[1, 1 << 62]])).tolist() == [[248, 0]]
    assert channel_weights(np.array([[1, 1 << 63]], dtype=np.uint64).astype(np.float64)).tolist() == [[252, 0]]
    assert channel_weights(np.array([[1.0, 2.0 ** 70]])).tolist() == [[255, 0]]


def test_channel_counter_counts_each_context():
    counter = ChannelCounter(W, 2, (2, 5))
    counter.add(X)
    counter.add(X.reshape(4, 1, 3))
    t = counter.tables()
    assert t.shape == (4, 4, 4) and t.dtype == np.uint32 and t.min() >= 1
    want = np.ones((4, 4, 4), np.int64)
    for g in range(4):
        for p in range(3):
            want[g, CTX[g][p], X[g, p]] += 2
    assert np.array_equal(t, want)
    # ideal bits: the definition, table by table
    bits = channel_ideal_bits(X, W, t, 2, (2, 5))
    for g in range(4):
        want_bits = -sum(np.log2(t[g, CTX[g][p], X[g, p]] / t[g, CTX[g][p]].sum()) for p in range(3))
        assert abs(bits[g] - want_bits) < 1e-9


def test_channel_tables_beat_order0_on_correlated_groups():
    rng = np.random.default_rng(1)
    G, K, n = 8, 16, 400

    def sample():
        busy = rng.random(n) < 0.3  # busy positions draw all codewords in every group, quiet ones mostly 0
        return np.stack([np.where(busy, rng.integers(0, K, n), np.where(rng.random(n) < 0.9, 0, 1))
                         for _ in range(G)])

    train = [sample() for _ in range(10)]
    order0 = np.ones((G, K), np.int64)
    for x in train:
        np.add.at(order0, (np.arange(G)[:, None], x), 1)
    w = channel_weights(order0)
    counter = ChannelCounter(w, 4, (4, 8, 12, 16))
    for x in train:
        counter.add(x)
    p0 = order0 / order0.sum(1, keepdims=True)
    for _ in range(5):
        x = sample()
        bits0 = -np.log2(p0[np.arange(G)[:, None], x]).sum(1)
        bits4 = channel_ideal_bits(x, w, counter.tables(), 4, (4, 8, 12, 16))
        assert np.all(bits4[1:] < 0.8 * bits0[1:])  # group 0 has a single context: about order-0
        assert bits4.sum() < 0.85 * bits0.sum()


def test_bundle_round_trip_with_channel_tables(tmp_path, tiny_bundle):
    src = Bundle(tiny_bundle["path"])
    G, K = src.G, src.K
    rng = np.random.default_rng(2)
    weights = rng.integers(0, 256, (G, K)).astype(np.uint8)
    tables = rng.integers(1, 1 << 32, (G, 5, K), dtype=np.uint64).astype(np.uint32)
    man = {k: v for k, v in src.manifest.items() if not k.startswith(("entropy.channel", "entropy.predict"))}
    man.update({"entropy.channel": "previous-groups", "entropy.channel.window": "3",
                "entropy.channel.thresholds": "2,5,9"})
    out = tmp_path / "ch.qtkm"
    write_bundle(out, man, src.encoder_onnx, src.decoder_onnx, src.codebooks, src.order0.astype(np.uint32), "",
                 channel=(weights, tables))
    b = Bundle(out)
    assert (b.channel_window, b.channel_thresholds) == (3, (2, 5, 9))
    assert np.array_equal(b.weights, weights) and np.array_equal(b.channel, tables)
    assert b.classes is None
    # without: none of it
    man = {k: v for k, v in man.items() if not k.startswith("entropy.")}
    write_bundle(out, man, src.encoder_onnx, src.decoder_onnx, src.codebooks, src.order0.astype(np.uint32), "")
    assert Bundle(out).channel is None and Bundle(out).weights is None
    # the writer checks shape, counts and the manifest keys
    man_ch = dict(man, **{"entropy.channel": "previous-groups", "entropy.channel.window": "3",
                          "entropy.channel.thresholds": "2,5,9"})
    for bad_man, bad in [(man_ch, (weights, tables[:, :4])), (man_ch, (weights, np.zeros_like(tables))),
                         (dict(man_ch, **{"entropy.channel.thresholds": "5,2,9"}), (weights, tables)),
                         (dict(man_ch, **{"entropy.channel.window": "0"}), (weights, tables)),
                         (man, (weights, tables))]:
        with pytest.raises((AssertionError, KeyError)):
            write_bundle(out, bad_man, src.encoder_onnx, src.decoder_onnx, src.codebooks,
                         src.order0.astype(np.uint32), "", channel=bad)


def test_exported_tiny_bundle_carries_channel_tables(tiny_bundle):
    b = Bundle(tiny_bundle["path"])
    assert b.manifest["entropy.channel"] == "previous-groups"
    assert b.channel_window == CHANNEL_WINDOW and b.channel_thresholds == CHANNEL_THRESHOLDS
    assert b.weights.shape == (b.G, b.K)
    assert b.channel.shape == (b.G, len(CHANNEL_THRESHOLDS) + 2, b.K) and b.channel.min() >= 1
    # the weights are the order-0 surprisals of the bundle's own order0 table
    assert np.array_equal(b.weights, channel_weights(b.order0))
    # counted on the same crops as order0: every crop adds the same number of indices to each group
    assert (b.channel.sum((1, 2)) - b.channel.shape[1] * b.K == b.order0.sum(1) - b.K).all()
