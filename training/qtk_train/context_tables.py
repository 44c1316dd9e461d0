"""Context tables for token-stream coders 3 and 4 (qtk-format.md 9.2, model-bundle.md "Context tables" and
"Channel tables").

Coder 3: every codeword gets a class 0..3 from how surprising it is under its group's order-0 table; the context of
an index is the grid-neighbours selector of entropy-coding.md section 5 over those classes (Q = 4):
  ctx = (left ? 1 + class[left] : 0) * 5 + (up ? 1 + class[up] : 0),  25 contexts per group.
Busy neighbourhoods (surprising neighbours) predict busy indices; the tables are counted on training crops.

Coder 4 ("channel context", format 1.2): every codeword gets a weight W[g][k] = its order-0 surprisal in quarter
bits (0..255); the context of x_g[p] is 0 for g = 0, else with m = min(g, N) and S the sum of the weights of the m
previous groups' indices at the same position p, 1 + #{i : S >= m * T_i}: L + 2 contexts per group. A position
whose coarse groups were surprising is likely surprising in the next group too; integer-only, so encoder and
decoder agree exactly.
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


# ------------------------------------------------------------------------------------------------ coder 4

CHANNEL_RULE = "previous-groups"
CHANNEL_WINDOW = 16
CHANNEL_THRESHOLDS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32)


def channel_weights(order0: np.ndarray) -> np.ndarray:
    """order0 counts [G][K] -> weights [G][K] uint8: min(255, round(4 * -log2(p))), the surprisal in quarter bits."""
    p = order0 / order0.sum(1, keepdims=True)
    return np.minimum(255, np.floor(4.0 * -np.log2(p) + 0.5)).astype(np.uint8)


def channel_contexts(idx: np.ndarray, weights: np.ndarray, window: int = CHANNEL_WINDOW,
                     thresholds=CHANNEL_THRESHOLDS) -> np.ndarray:
    """indices [G][...] (any position shape, token order) -> contexts of the same shape, in [0, L + 2)."""
    G = idx.shape[0]
    flat = idx.reshape(G, -1).astype(np.int64)
    w = weights.astype(np.int64)[np.arange(G)[:, None], flat]  # [G][n]
    cs = np.concatenate([np.zeros((1, flat.shape[1]), np.int64), np.cumsum(w, 0)])  # cs[g] = sum of groups < g
    g = np.arange(G)
    m = np.minimum(g, window)
    s = cs[g] - cs[g - m]  # the m previous groups
    t = np.asarray(thresholds, np.int64)
    ctx = 1 + (s[:, :, None] >= m[:, None, None] * t[None, None, :]).sum(-1)
    ctx[0] = 0
    return ctx.reshape(idx.shape)


class ChannelCounter:
    """Accumulates channel tables [G][L + 2][K] (+1 each) over index arrays [G][...]."""

    def __init__(self, weights: np.ndarray, window: int = CHANNEL_WINDOW, thresholds=CHANNEL_THRESHOLDS):
        self.weights, self.window, self.thresholds = weights, window, tuple(thresholds)
        G, K = weights.shape
        self.counts = np.ones((G, len(self.thresholds) + 2, K), dtype=np.int64)

    def add(self, idx: np.ndarray) -> None:
        G = idx.shape[0]
        ctx = channel_contexts(idx, self.weights, self.window, self.thresholds).reshape(G, -1)
        np.add.at(self.counts, (np.arange(G)[:, None], ctx, idx.reshape(G, -1)), 1)

    def tables(self) -> np.ndarray:
        c = self.counts
        while c.max() > 0xFFFFFFFF:  # uint32 in the bundle: halve (keeping >= 1) until it fits
            c = np.maximum(1, c // 2)
        return c.astype(np.uint32)


def channel_ideal_bits(idx: np.ndarray, weights: np.ndarray, tables: np.ndarray, window: int = CHANNEL_WINDOW,
                       thresholds=CHANNEL_THRESHOLDS) -> np.ndarray:
    """Ideal code length per group (bits) of indices [G][...] under the channel tables (coder 4)."""
    G = idx.shape[0]
    flat = idx.reshape(G, -1)
    ctx = channel_contexts(flat, weights, window, thresholds)
    t = tables.astype(np.float64)
    g = np.arange(G)[:, None]
    p = t[g, ctx, flat] / t.sum(-1)[g, ctx]
    return -np.log2(p).sum(1)
