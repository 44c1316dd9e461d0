"""Context tables for token-stream coders 3, 4 and 5 (qtk-format.md 9.2, model-bundle.md "Context tables",
"Channel tables" and the coder-5 prediction tables).

Coder 3: every codeword gets a class 0..3 from how surprising it is under its group's order-0 table; the context of
an index is the grid-neighbours selector of entropy-coding.md section 5 over those classes (Q = 4):
  ctx = (left ? 1 + class[left] : 0) * 5 + (up ? 1 + class[up] : 0),  25 contexts per group.
Busy neighbourhoods (surprising neighbours) predict busy indices; the tables are counted on training crops.

Coder 4 ("channel context", format 1.2): every codeword gets a weight W[g][k] = its order-0 surprisal in quarter
bits (0..255); the context of x_g[p] is 0 for g = 0, else with m = min(g, N) and S the sum of the weights of the m
previous groups' indices at the same position p, 1 + #{i : S >= m * T_i}: L + 2 contexts per group. A position
whose coarse groups were surprising is likely surprising in the next group too; integer-only, so encoder and
decoder agree exactly.

Coder 5 ("prediction", format 1.3): an integer linear prediction of x_g[p] from the same position in the N previous
groups and the left / up / up-left / up-right indices of the same group (absent: the neutral index K / 2), with
coefficients a[g][N + 5] in units of 2^-shift fitted by least squares on training crops; the coded symbol is
(x - pred) mod K, in the context channel context * (M + 1) + r, r the activity bucket of the left and upper
neighbours' absolute prediction errors against the M thresholds (the scalar model's indices are values, so a linear
prediction of the index captures the value correlation coders 3/4 miss).
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


# ------------------------------------------------------------------------------------------------ coder 5

PREDICT_RULE = "linear-previous-groups-and-neighbours"
PREDICT_WINDOW = 16
PREDICT_SHIFT = 12
PREDICT_ACTIVITY = (1, 3)
PREDICT_MAX_COEFF = 1 << 24


def _neighbours(x: np.ndarray, K: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """[G][h][w] int64 -> left, up, up-left, up-right (same shape), the neutral index K // 2 where absent."""
    pad = np.pad(x, ((0, 0), (1, 0), (1, 1)), constant_values=K // 2)
    return pad[:, 1:, :-2], pad[:, :-1, 1:-1], pad[:, :-1, :-2], pad[:, :-1, 2:]


def _as_grid(idx: np.ndarray) -> np.ndarray:
    x = np.asarray(idx).astype(np.int64)
    assert x.ndim == 3, "coder 5 needs index grids [G][rows][columns]"
    return x


def predictor_features(idx: np.ndarray, K: int, window: int = PREDICT_WINDOW) -> np.ndarray:
    """Index grid [G][h][w] -> features [G][h*w][N + 5] int64 in the coefficient layout: slot i < N holds
    x_{g-N+i} (0 where g-N+i < 0), then L, U, UL, UR (K // 2 where absent) and 1 (the bias)."""
    x = _as_grid(idx)
    G, h, w = x.shape
    N = window
    f = np.zeros((G, h * w, N + 5), np.int64)
    flat = x.reshape(G, -1)
    for j in range(1, min(N, G - 1) + 1):  # j groups back -> slot N - j
        f[j:, :, N - j] = flat[:-j]
    for k, nb in enumerate(_neighbours(x, K)):
        f[:, :, N + k] = nb.reshape(G, -1)
    f[:, :, N + 4] = 1
    return f


class PredictorFit:
    """Least squares (with bias) of x_g[p] on the causal features of predictor_features, accumulated over index
    grids [G][h][w] as exact integer moment sums; coefficients() -> int32 [G][N + 5] = round(a * 2^shift), clamped
    to |a| <= 2^24, the slots of groups before group 0 zero."""

    def __init__(self, G: int, K: int, window: int = PREDICT_WINDOW):
        self.G, self.K, self.window = G, K, window
        self.gram = np.zeros((G, window + 5, window + 5), np.int64)  # sum of f f^T (includes the bias column)
        self.xty = np.zeros((G, window + 5), np.int64)  # sum of f x

    def add(self, idx: np.ndarray) -> None:
        x = _as_grid(idx)
        assert x.shape[0] == self.G
        f = predictor_features(x, self.K, self.window).astype(np.float64)  # integers < 2^53: exact in float64
        y = x.reshape(self.G, -1).astype(np.float64)
        self.gram += np.rint(np.matmul(f.transpose(0, 2, 1), f)).astype(np.int64)
        self.xty += np.rint(np.einsum("gnf,gn->gf", f, y)).astype(np.int64)

    def coefficients(self, shift: int = PREDICT_SHIFT) -> np.ndarray:
        N, F = self.window, self.window + 5
        out = np.zeros((self.G, F), np.int64)  # groups without data (none added) predict 0
        for g in range(self.G):
            gram = self.gram[g].astype(object)  # Python integers: the centred moments below are exact
            n = int(gram[F - 1, F - 1])
            if n == 0:
                continue
            s, sy = gram[F - 1, :F - 1], int(self.xty[g, F - 1])
            # n^2 * covariance of the features and n^2 * their covariance with x: exact integers
            cov = n * gram[:F - 1, :F - 1] - np.outer(s, s)
            cxy = n * self.xty[g, :F - 1].astype(object) - s * sy
            used = [i for i in range(F - 1) if (i >= N or g - N + i >= 0) and cov[i, i] != 0]
            a = np.zeros(F - 1)
            if used:
                c = np.array([[float(cov[i, j]) for j in used] for i in used])
                a[used] = np.linalg.lstsq(c, np.array([float(cxy[i]) for i in used]), rcond=None)[0]
            bias = (sy - float(np.dot(a, s.astype(np.float64)))) / n
            v = np.append(a, bias) * (1 << shift)
            out[g] = np.clip(np.round(v), -PREDICT_MAX_COEFF, PREDICT_MAX_COEFF)
        return out.astype(np.int32)


def fit_predictor(grids, K: int, window: int = PREDICT_WINDOW, shift: int = PREDICT_SHIFT) -> np.ndarray:
    """Index grids [G][h][w] (an iterable) -> coefficients int32 [G][N + 5] (PredictorFit)."""
    fit = None
    for x in grids:
        if fit is None:
            fit = PredictorFit(np.asarray(x).shape[0], K, window)
        fit.add(x)
    assert fit is not None, "no index grids to fit the predictor on"
    return fit.coefficients(shift)


def predictions(idx: np.ndarray, coeffs: np.ndarray, K: int, shift: int = PREDICT_SHIFT) -> np.ndarray:
    """Index grid [G][h][w] -> the coder-5 predictions [G][h][w] int64 (the integer rule of qtk-format.md 9.2):
    acc = bias + sum_i a[g][i] x_{g-N+i}[p] (groups >= 0) + a[g][N..N+3] . (L, U, UL, UR) (absent: K // 2),
    pred = clamp((acc + 2^(shift-1)) >> shift, 0, K - 1). A group's prediction uses indices only, never earlier
    predictions, so every group is computed at once."""
    x = _as_grid(idx)
    G = x.shape[0]
    a = np.asarray(coeffs).astype(np.int64)
    N = a.shape[1] - 5
    assert a.shape == (G, N + 5) and N >= 1
    acc = np.broadcast_to(a[:, N + 4, None, None], x.shape).copy()
    for j in range(1, min(N, G - 1) + 1):  # j groups back: slot N - j
        acc[j:] += a[j:, N - j, None, None] * x[:-j]
    for k, nb in enumerate(_neighbours(x, K)):
        acc += a[:, N + k, None, None] * nb
    return np.clip((acc + (1 << (shift - 1))) >> shift, 0, K - 1)


def residual_symbols(idx: np.ndarray, pred: np.ndarray, K: int) -> np.ndarray:
    """The symbols coder 5 codes: (x - pred) mod K, in 0..K-1."""
    return np.mod(np.asarray(idx).astype(np.int64) - pred, K)


def activity_buckets(idx: np.ndarray, pred: np.ndarray, activity=PREDICT_ACTIVITY) -> np.ndarray:
    """r = #{j : A >= T'_j}, A = |L - pred(L)| (c > 0) + |U - pred(U)| (r > 0) in the same group: [G][h][w]."""
    err = np.abs(_as_grid(idx) - pred)
    a = np.zeros_like(err)
    a[:, :, 1:] += err[:, :, :-1]
    a[:, 1:, :] += err[:, :-1, :]
    return np.searchsorted(np.asarray(activity, np.int64), a, side="right")


def prediction_contexts(idx: np.ndarray, pred: np.ndarray, weights: np.ndarray, channel_window: int = CHANNEL_WINDOW,
                        channel_thresholds=CHANNEL_THRESHOLDS, activity=PREDICT_ACTIVITY) -> np.ndarray:
    """Coder-5 contexts [G][h][w] in [0, (L + 2) * (M + 1)): channel context * (M + 1) + activity bucket."""
    x = _as_grid(idx)
    ch = channel_contexts(x, weights, channel_window, channel_thresholds)
    return ch * (len(activity) + 1) + activity_buckets(x, pred, activity)


class PredictionCounter:
    """Accumulates the residual tables [G][(L + 2) * (M + 1)][K] (+1 each) of coder 5 over index grids [G][h][w]."""

    def __init__(self, coeffs: np.ndarray, weights: np.ndarray, channel_window: int = CHANNEL_WINDOW,
                 channel_thresholds=CHANNEL_THRESHOLDS, shift: int = PREDICT_SHIFT, activity=PREDICT_ACTIVITY):
        self.coeffs, self.weights = coeffs, weights
        self.channel_window, self.channel_thresholds = channel_window, tuple(channel_thresholds)
        self.shift, self.activity = shift, tuple(activity)
        G, K = weights.shape
        self.K = K
        C5 = (len(self.channel_thresholds) + 2) * (len(self.activity) + 1)
        self.counts = np.ones((G, C5, K), dtype=np.int64)

    def add(self, idx: np.ndarray) -> None:
        x = _as_grid(idx)
        G = x.shape[0]
        pred = predictions(x, self.coeffs, self.K, self.shift)
        ctx = prediction_contexts(x, pred, self.weights, self.channel_window, self.channel_thresholds, self.activity)
        np.add.at(self.counts, (np.arange(G)[:, None], ctx.reshape(G, -1),
                                residual_symbols(x, pred, self.K).reshape(G, -1)), 1)

    def tables(self) -> np.ndarray:
        c = self.counts
        while c.max() > 0xFFFFFFFF:  # uint32 in the bundle: halve (keeping >= 1) until it fits
            c = np.maximum(1, c // 2)
        return c.astype(np.uint32)


def predict_ideal_bits(idx: np.ndarray, coeffs: np.ndarray, weights: np.ndarray, tables: np.ndarray,
                       channel_window: int = CHANNEL_WINDOW, channel_thresholds=CHANNEL_THRESHOLDS,
                       shift: int = PREDICT_SHIFT, activity=PREDICT_ACTIVITY) -> np.ndarray:
    """Ideal code length per group (bits) of an index grid [G][h][w] under the residual tables (coder 5)."""
    x = _as_grid(idx)
    G, K = x.shape[0], tables.shape[-1]
    pred = predictions(x, coeffs, K, shift)
    ctx = prediction_contexts(x, pred, weights, channel_window, channel_thresholds, activity).reshape(G, -1)
    s = residual_symbols(x, pred, K).reshape(G, -1)
    t = tables.astype(np.float64)
    g = np.arange(G)[:, None]
    return -np.log2(t[g, ctx, s] / t.sum(-1)[g, ctx]).sum(1)
