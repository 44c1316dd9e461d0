"""Context tables for token-stream coder 3 (qtk-format.md 9.2, model-bundle.md `entropy/context.bin`).

Every codeword gets a class 0..3 from how surprising it is under its group's order-0 table; the context of an index
is the grid-neighbours selector of entropy-coding.md section 5 over those classes (Q = 4):
  ctx = (left ? 1 + class[left] : 0) * 5 + (up ? 1 + class[up] : 0),  25 contexts per group.
Busy neighbourhoods (surprising neighbours) predict busy indices; the tables are counted on training crops.
"""
from __future__ import annotations

import numpy as np

SELECTOR = "grid-neighbours-4"
CLASSES = 4
CONTEXTS = (CLASSES + 1) ** 2
CLASS_EDGES_BITS = np.array([1.0, 3.0, 6.0])  # order-0 surprisal (bits) at which the class goes up


def symbol_classes(order0: np.ndarray) -> np.ndarray:
    """order0 counts [G][K] -> classes [G][K] uint8 in 0..3 (0: the most probable codewords)."""
    p = order0 / order0.sum(1, keepdims=True)
    return np.searchsorted(CLASS_EDGES_BITS, -np.log2(p), side="right").astype(np.uint8)


def grid_contexts(idx: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """indices [G][h][w] (raster token order) -> contexts [G][h][w] in [0, 25)."""
    G = idx.shape[0]
    cl = classes[np.arange(G)[:, None, None], idx].astype(np.int64)
    left = np.zeros_like(cl)
    left[:, :, 1:] = 1 + cl[:, :, :-1]
    up = np.zeros_like(cl)
    up[:, 1:, :] = 1 + cl[:, :-1, :]
    return left * (CLASSES + 1) + up


class ContextCounter:
    """Accumulates context tables [G][25][K] (+1 each) over index grids."""

    def __init__(self, classes: np.ndarray):
        self.classes = classes
        G, K = classes.shape
        self.counts = np.ones((G, CONTEXTS, K), dtype=np.int64)

    def add(self, idx: np.ndarray) -> None:
        G = idx.shape[0]
        ctx = grid_contexts(idx, self.classes)
        np.add.at(self.counts, (np.arange(G)[:, None, None], ctx, idx), 1)

    def tables(self) -> np.ndarray:
        c = self.counts
        if c.max() > 0xFFFFFFFF:  # uint32 in the bundle: halve (keeping >= 1) until it fits
            while c.max() > 0xFFFFFFFF:
                c = np.maximum(1, c // 2)
        return c.astype(np.uint32)


def ideal_bits(idx: np.ndarray, classes: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """Ideal code length per group (bits) of index grids [G][h][w] under the context tables (real coder: +~0.01 %)."""
    G = idx.shape[0]
    ctx = grid_contexts(idx, classes)
    t = tables.astype(np.float64)
    g = np.arange(G)[:, None, None]
    p = t[g, ctx, idx] / t.sum(-1)[g, ctx]
    return -np.log2(p).reshape(G, -1).sum(1)
