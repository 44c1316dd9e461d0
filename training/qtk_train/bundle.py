"""The .qtkm model bundle (format-spec/model-bundle.md): write and read.

The ZIP is written reproducibly (fixed entry order and timestamps) so that re-exporting the same weights gives the
same bytes, hence the same model hash.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

from .context_tables import PREDICT_MAX_COEFF, PREDICT_RULE

FORMAT = "qtk-model-bundle/1"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _escape(s: str, key: bool) -> str:
    """java.util.Properties escaping; output is pure ASCII (non-ASCII as \\uXXXX)."""
    out = []
    for i, ch in enumerate(s):
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch in "=:#!" and (key or i == 0):
            out.append("\\" + ch)
        elif ch == " " and (key or i == 0):
            out.append("\\ ")
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            b = ch.encode("utf-16-be")  # UTF-16 code units, as Java expects
            out += ["\\u%04X" % int.from_bytes(b[j:j + 2], "big") for j in range(0, len(b), 2)]
        else:
            out.append(ch)
    return "".join(out)


def properties_text(props: dict[str, str], comment: str | None = None) -> bytes:
    lines = [f"# {comment}"] if comment else []
    lines += [f"{_escape(str(k), True)}={_escape(str(v), False)}" for k, v in props.items()]
    return ("\n".join(lines) + "\n").encode("ascii")


def _unescape(v: str) -> str:
    out, i = [], 0
    while i < len(v):
        ch = v[i]
        if ch == "\\" and i + 1 < len(v):
            nxt = v[i + 1]
            if nxt == "u":
                out.append(chr(int(v[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "r": "\r", "t": "\t", "f": "\f"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")


def parse_properties(text: bytes) -> dict[str, str]:
    """Enough of java.util.Properties to read back what properties_text writes (key=value lines)."""
    props = {}
    for raw in text.decode("latin-1").splitlines():
        line = raw.lstrip()
        if not line or line[0] in "#!":
            continue
        i, key = 0, []
        while i < len(line) and line[i] not in "=:":
            if line[i] == "\\":
                i += 1
            key.append(line[i])
            i += 1
        props["".join(key).strip()] = _unescape(line[i + 1:].lstrip()) if i < len(line) else ""
    return props


def write_bundle(path: Path, manifest: dict[str, str], encoder_onnx: bytes, decoder_onnx: bytes,
                 codebooks: np.ndarray, order0: np.ndarray, readme: str,
                 context: tuple[np.ndarray, np.ndarray] | None = None,
                 channel: tuple[np.ndarray, np.ndarray] | None = None,
                 predict: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """context: (classes [G][K] uint8 in 0..3, tables [G][25][K] counts >= 1) for coder 3, or None.
    channel: (weights [G][K] uint8, tables [G][L+2][K] counts >= 1) for coder 4, or None; the manifest must then
    hold entropy.channel=previous-groups, entropy.channel.window and entropy.channel.thresholds (L values).
    predict: (coefficients [G][N+5] int32, residual tables [G][(L+2)*(M+1)][K] counts >= 1) for coder 5, or None;
    needs channel, and the manifest must hold entropy.predict=linear-previous-groups-and-neighbours and
    entropy.predict.window (N), .shift and .activity (M values)."""
    G, K, d = codebooks.shape
    assert order0.shape == (G, K) and order0.min() >= 1, "order0 counts must be [G][K], each >= 1"
    entries = [
        ("manifest.properties", properties_text(manifest, "qtk model bundle")),
        ("encoder.onnx", encoder_onnx),
        ("decoder.onnx", decoder_onnx),
        ("codebooks.bin", np.ascontiguousarray(codebooks, dtype="<f4").tobytes()),
        ("entropy/order0.bin", np.ascontiguousarray(order0, dtype="<u4").tobytes()),
    ]
    if context is not None:
        classes, tables = context
        assert classes.shape == (G, K) and classes.max() <= 3, "classes must be [G][K] in 0..3"
        assert tables.shape == (G, 25, K) and tables.min() >= 1, "context tables must be [G][25][K], each >= 1"
        assert manifest.get("entropy.context") == "grid-neighbours-4", "manifest must name the context selector"
        entries += [("entropy/classes.bin", np.ascontiguousarray(classes, dtype="u1").tobytes()),
                    ("entropy/context.bin", np.ascontiguousarray(tables, dtype="<u4").tobytes())]
    if channel is not None:
        weights, tables = channel
        assert manifest.get("entropy.channel") == "previous-groups", "manifest must name the channel rule"
        window = int(manifest["entropy.channel.window"])
        thresholds = [int(v) for v in manifest["entropy.channel.thresholds"].split(",")]
        assert 1 <= window <= 255, "channel window must be 1..255"
        assert 1 <= len(thresholds) <= 62 and all(1 <= t <= 65535 for t in thresholds) and all(
            a < b for a, b in zip(thresholds, thresholds[1:])), "thresholds: 1..62 ascending integers in 1..65535"
        assert weights.shape == (G, K) and weights.max() <= 255, "weights must be [G][K] in 0..255"
        assert tables.shape == (G, len(thresholds) + 2, K) and tables.min() >= 1, \
            "channel tables must be [G][L+2][K], each >= 1"
        entries += [("entropy/weights.bin", np.ascontiguousarray(weights, dtype="u1").tobytes()),
                    ("entropy/channel.bin", np.ascontiguousarray(tables, dtype="<u4").tobytes())]
    if predict is not None:
        coeffs, residual = predict
        assert channel is not None, "coder-5 prediction tables need the coder-4 channel tables"
        window, shift, activity = predict_params(manifest)
        L = len(manifest["entropy.channel.thresholds"].split(","))
        check_predict(coeffs, residual, G, K, window, (L + 2) * (len(activity) + 1))
        entries += [("entropy/predict.bin", np.ascontiguousarray(coeffs, dtype="<i4").tobytes()),
                    ("entropy/residual.bin", np.ascontiguousarray(residual, dtype="<u4").tobytes())]
    entries.append(("README.txt", readme.encode("utf-8")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


PREDICT_KEYS = ("entropy.predict", "entropy.predict.window", "entropy.predict.shift", "entropy.predict.activity")
PREDICT_ENTRIES = ("entropy/predict.bin", "entropy/residual.bin")


def predict_params(manifest: dict[str, str]) -> tuple[int, int, tuple[int, ...]]:
    """(window N, shift S, activity thresholds) from the entropy.predict* keys; ValueError when out of range."""
    if manifest.get("entropy.predict") != PREDICT_RULE:
        raise ValueError(f"unknown prediction rule entropy.predict={manifest.get('entropy.predict')!r}")
    window, shift = int(manifest["entropy.predict.window"]), int(manifest["entropy.predict.shift"])
    activity = tuple(int(v) for v in manifest["entropy.predict.activity"].split(","))
    if not 1 <= window <= 255:
        raise ValueError("entropy.predict.window must be 1..255")
    if not 1 <= shift <= 30:
        raise ValueError("entropy.predict.shift must be 1..30")
    if not (1 <= len(activity) <= 16 and activity[0] >= 1 and all(a < b for a, b in zip(activity, activity[1:]))):
        raise ValueError("entropy.predict.activity: 1..16 strictly increasing positive integers")
    return window, shift, activity


def check_predict(coeffs: np.ndarray, residual: np.ndarray, G: int, K: int, window: int, contexts: int) -> None:
    """Coefficients [G][N+5] with |a| <= 2^24 and a[g][i] = 0 where g - N + i < 0; residual [G][C5][K] >= 1."""
    if coeffs.shape != (G, window + 5):
        raise ValueError(f"predict.bin must be [G][N+5] = [{G}][{window + 5}], got {list(coeffs.shape)}")
    if np.abs(coeffs.astype(np.int64)).max() > PREDICT_MAX_COEFF:
        raise ValueError("prediction coefficients must satisfy |a| <= 2^24")
    g, i = np.meshgrid(np.arange(G), np.arange(window), indexing="ij")
    if (coeffs[:, :window][g - window + i < 0] != 0).any():
        raise ValueError("prediction coefficients of groups before group 0 must be 0")
    if residual.shape != (G, contexts, K) or residual.min() < 1:
        raise ValueError(f"residual.bin must be [G][C5][K] = [{G}][{contexts}][{K}], each >= 1")


class Bundle:
    """A bundle read back: manifest, ONNX bytes, codebooks [G][K][d] float32, order0 counts [G][K]."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as zf:
            self.manifest = parse_properties(zf.read("manifest.properties"))
            if self.manifest.get("format", "").split("/")[0] != FORMAT.split("/")[0]:
                raise ValueError(f"not a qtk model bundle: {self.manifest.get('format')}")
            self.encoder_onnx = zf.read("encoder.onnx")
            self.decoder_onnx = zf.read("decoder.onnx")
            G, K, d = (int(self.manifest[k]) for k in ("groups", "codebook.size", "codebook.dim"))
            self.codebooks = np.frombuffer(zf.read("codebooks.bin"), dtype="<f4").reshape(G, K, d).astype(np.float32)
            self.order0 = np.frombuffer(zf.read("entropy/order0.bin"), dtype="<u4").reshape(G, K).astype(np.int64)
            names = set(zf.namelist())
            self.classes = self.context = None  # coder 3 tables (optional)
            if "entropy/context.bin" in names:
                self.classes = np.frombuffer(zf.read("entropy/classes.bin"), dtype="u1").reshape(G, K)
                self.context = np.frombuffer(zf.read("entropy/context.bin"), dtype="<u4").reshape(G, 25, K)
            self.weights = self.channel = None  # coder 4 tables (optional)
            self.channel_window, self.channel_thresholds = 0, ()
            if "entropy/channel.bin" in names:
                self.channel_window = int(self.manifest["entropy.channel.window"])
                self.channel_thresholds = tuple(int(v) for v in self.manifest["entropy.channel.thresholds"].split(","))
                C = len(self.channel_thresholds) + 2
                self.weights = np.frombuffer(zf.read("entropy/weights.bin"), dtype="u1").reshape(G, K)
                self.channel = np.frombuffer(zf.read("entropy/channel.bin"), dtype="<u4").reshape(G, C, K)
            self.coeffs = self.residual = None  # coder 5 tables (optional; all of them or none)
            self.predict_window, self.predict_shift, self.predict_activity = 0, 0, ()
            present = [e in names for e in PREDICT_ENTRIES] + [k in self.manifest for k in PREDICT_KEYS]
            if any(present) and not all(present):
                raise ValueError("bundle has some but not all of the coder-5 prediction tables and keys")
            if all(present):
                if self.channel is None:
                    raise ValueError("coder-5 prediction tables need the coder-4 channel tables")
                N, S, T = predict_params(self.manifest)
                self.predict_window, self.predict_shift, self.predict_activity = N, S, T
                C5 = (len(self.channel_thresholds) + 2) * (len(T) + 1)
                self.coeffs = np.frombuffer(zf.read("entropy/predict.bin"), dtype="<i4")
                self.residual = np.frombuffer(zf.read("entropy/residual.bin"), dtype="<u4")
                if self.coeffs.size != G * (N + 5) or self.residual.size != G * C5 * K:
                    raise ValueError("predict.bin / residual.bin have the wrong size for the manifest")
                self.coeffs = self.coeffs.reshape(G, N + 5)
                self.residual = self.residual.reshape(G, C5, K)
                check_predict(self.coeffs, self.residual, G, K, N, C5)
        self.G, self.K, self.d = G, K, d
        self.kind = self.manifest["quantiser"]
        self.factor = int(self.manifest.get("grid.factor", 0))
        self.ladder = [int(v) for v in self.manifest["ladder"].split(",")]

    def sessions(self, threads: int = 2):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        prov = ["CPUExecutionProvider"]
        return (ort.InferenceSession(self.encoder_onnx, so, providers=prov),
                ort.InferenceSession(self.decoder_onnx, so, providers=prov))


def quantise_np(z: np.ndarray, codebooks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grid latent [C,h,w] -> (indices [G,h*w], de-quantised latent [C,h,w]); the spec's nearest-codeword rule."""
    G, K, d = codebooks.shape
    C, h, w = z.shape
    zg = z.reshape(G, d, h * w).transpose(0, 2, 1).astype(np.float64)  # [G,M,d]
    cb = codebooks.astype(np.float64)
    dist = (zg * zg).sum(-1)[:, :, None] - 2 * np.einsum("gmd,gkd->gmk", zg, cb) + (cb * cb).sum(-1)[:, None, :]
    idx = dist.argmin(-1)  # first minimum: ties go to the lowest index
    q = np.take_along_axis(cb[:, None, :, :], idx[:, :, None, None], axis=2)[:, :, 0, :]  # [G,M,d]
    return idx, q.transpose(0, 2, 1).reshape(C, h, w).astype(np.float32)


def dequantise_np(idx: np.ndarray, codebooks: np.ndarray, groups_kept: int, h: int, w: int) -> np.ndarray:
    G, K, d = codebooks.shape
    q = codebooks[np.arange(G)[:, None], idx]  # [G,M,d]
    q[groups_kept:] = 0.0
    return q.transpose(0, 2, 1).reshape(G * d, h, w).astype(np.float32)


def quantise_tokens_np(t: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    """Global tokens [N,d] -> indices [N] (token n against codebook n; ties: lowest index)."""
    tt, cb = t.astype(np.float64), codebooks.astype(np.float64)
    dist = (tt * tt).sum(-1)[:, None] - 2 * np.einsum("nd,nkd->nk", tt, cb) + (cb * cb).sum(-1)
    return dist.argmin(-1)


def dequantise_tokens_np(idx: np.ndarray, codebooks: np.ndarray, kept: int) -> np.ndarray:
    q = codebooks[np.arange(codebooks.shape[0]), idx].astype(np.float32)  # [N,d]
    q[kept:] = 0.0
    return q
