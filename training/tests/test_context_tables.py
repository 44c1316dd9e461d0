"""qtk_train.context_tables: the coder-3 context rule and tables (qtk-format.md 9.2, entropy-coding.md 5)."""
from __future__ import annotations

import numpy as np

from qtk_train.bundle import Bundle
from qtk_train.context_tables import ContextCounter, grid_contexts, ideal_bits, symbol_classes


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
