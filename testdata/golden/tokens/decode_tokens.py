#!/usr/bin/env python3
"""Independent token-level decoder for .qtk files, written from the specifications only (informative).

qtk-format.md sections 5, 6, 9.2 (coders 0 to 6), 9.3 and 12.2; entropy-coding.md sections 3, 4, 5 and 6 (its
section 9 code); model-bundle.md for the bundle (with its context, channel and prediction tables). No Java involved.
Python 3.8+, standard library only.

    python3 testdata/golden/tokens/decode_tokens.py testdata/models/qtk-test-tiny.qtkm \
            testdata/golden/tokens/qtk-test-tiny-ctx.qtkm testdata/golden/tokens/qtk-test-tiny-ch.qtkm \
            testdata/golden/tokens/qtk-test-tiny-pred.qtkm testdata/golden/tokens/*.qtk
        prints, per file, the lines of expected.txt it can reproduce (groups_present, indices_sha256, latent_sha256);
        arguments ending in .qtkm are bundles, each file is decoded with the one its header names (6.1)
    ... --check testdata/golden/tokens/expected.txt
        compares them with expected.txt and exits 1 on any difference

It checks CRCs but is not a validating container reader (qtk-format.md section 12 lists the rules it skips).
"""
import hashlib
import struct
import sys
import zipfile

SIGNATURE = bytes.fromhex("8A51544B0D0A1A0A")
TOP, BOT = 1 << 56, 1 << 48


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


# ---------------------------------------------------------------- entropy-coding.md

def normalise(C, B):
    K, T = len(C), 1 << B
    S = sum(C)
    if S == 0:
        C, S = [1] * K, K
    R = T - K
    f = [1 + c * R // S for c in C]
    rem = [c * R % S for c in C]
    for s in sorted(range(K), key=lambda s: (-rem[s], s))[:T - sum(f)]:
        f[s] += 1
    return f


def default_precision(K):
    return min(24, max(16, (K - 1).bit_length() + 8))


MAX_PAST_END = 16  # entropy-coding.md 6.2


class RangeDecoder:
    def __init__(self, D):
        self.D, self.p, self.range, self.code = D, 0, TOP, 0
        for _ in range(7):
            self.code = (self.code << 8) | self._byte()

    def _byte(self):
        b = self.D[self.p] if self.p < len(self.D) else 0
        self.p += 1
        return b

    def decode(self, f):
        T = sum(f)
        r = self.range // T
        q = self.code // r
        if q >= T:
            raise ValueError("corrupt stream")
        c = 0
        for s, fs in enumerate(f):
            if q < c + fs:
                break
            c += fs
        self.code -= r * c
        self.range = r * f[s]
        while self.range < BOT:
            self.code = (self.code << 8) | self._byte()
            self.range <<= 8
        if self.p - len(self.D) > MAX_PAST_END:
            # entropy-coding.md 6.2: a stream needing more zero bytes past its end is corrupt
            raise ValueError("corrupt stream: reads more than %d bytes past its end" % MAX_PAST_END)
        return s


def decode_static(D, n, f):
    dec = RangeDecoder(D)
    return [dec.decode(f) for _ in range(n)]


def decode_adaptive(D, n, K, inc=32, M=None):
    if M is None:
        M = min(1 << 24, max(1 << 16, 64 * K))
    f = [1] * K
    dec = RangeDecoder(D)
    out = []
    for _ in range(n):
        s = dec.decode(f)
        out.append(s)
        f[s] += inc
        if sum(f) > M:
            f = [(v + 1) >> 1 for v in f]
    return out


# ---------------------------------------------------------------- qtk-format.md 9.2, coder 3

def grid_neighbours_context(x, p, width, bucket):
    """entropy-coding.md 5, grid neighbours with Q = 4 (P = 5); qtk-format.md 9.2, coder 3."""
    u = p % width
    left = 1 + bucket[x[p - 1]] if u > 0 else 0
    up = 1 + bucket[x[p - width]] if p >= width else 0
    return left * 5 + up


def decode_context(D, n, width, classes, tables):
    """Coder 3: one range-coded stream; x[p] is coded with tables[ctx], ctx from the earlier indices."""
    dec = RangeDecoder(D)
    x = []
    for p in range(n):
        x.append(dec.decode(tables[grid_neighbours_context(x, p, width, classes)]))
    return x


# ---------------------------------------------------------------- qtk-format.md 9.2, coder 4

def channel_context(groups, g, p, weights, window, thresholds):
    """Coder 4: 0 for g = 0; else m = min(g, N), S = sum of W[g-j][x_{g-j}[p]] for j = 1..m,
    ctx = 1 + #{i : S >= m * T_i}. groups holds the decoded indices of the groups before g."""
    if g == 0:
        return 0
    m = min(g, window)
    S = sum(weights[g - j][groups[g - j][p]] for j in range(1, m + 1))
    return 1 + sum(1 for t in thresholds if S >= m * t)


def decode_channel(D, n, g, groups, weights, window, thresholds, tables):
    """Coder 4: one range-coded stream; x[p] is coded with tables[ctx], ctx from the earlier groups at p."""
    dec = RangeDecoder(D)
    return [dec.decode(tables[channel_context(groups, g, p, weights, window, thresholds)]) for p in range(n)]


# ---------------------------------------------------------------- qtk-format.md 9.2, coder 5

def decode_predict(D, n, g, columns, groups, K, window, shift, activity, a, channel_ctx, tables, adaptive=False):
    """Coder 5: one range-coded stream of residuals s; x[p] = (s + pred) mod K. pred from the N previous groups at p
    (groups holds the decoded groups before g), the left/up/up-left/up-right neighbours in group g (K // 2 when
    absent) and the bias: pred = clamp((acc + 2^(S-1)) >> S, 0, K-1). The table: ctx = ch * (M + 1) + q, ch the
    coder-4 channel context at p, q = #{j : A >= T'_j} with A the neighbours' absolute prediction errors.
    Coder 6 (adaptive=True): each table is an adaptive model primed with it (entropy-coding.md 4): after each
    symbol f[s] += 2^(B-6) (B = log2 of the table's total), halved rounding up when the total passes 2^24; fresh per
    payload."""
    dec = RangeDecoder(D)
    running = {}  # coder 6: context -> (this payload's copy of its table, increment 2^(B-6))
    half, M = K // 2, len(activity)
    x, pred = [], []
    for p in range(n):
        r, c = divmod(p, columns)
        acc = a[window + 4]
        for i in range(window):
            if g - window + i >= 0:
                acc += a[i] * groups[g - window + i][p]
        L = x[p - 1] if c > 0 else half
        U = x[p - columns] if r > 0 else half
        UL = x[p - columns - 1] if r > 0 and c > 0 else half
        UR = x[p - columns + 1] if r > 0 and c < columns - 1 else half
        acc += a[window] * L + a[window + 1] * U + a[window + 2] * UL + a[window + 3] * UR
        pr = min(max((acc + (1 << (shift - 1))) >> shift, 0), K - 1)  # >> on Python ints is a floor shift
        pred.append(pr)
        A = (abs(L - pred[p - 1]) if c > 0 else 0) + (abs(U - pred[p - columns]) if r > 0 else 0)
        q = sum(1 for t in activity if A >= t)
        ctx = channel_ctx(p) * (M + 1) + q
        f = tables[ctx]
        if adaptive:
            if ctx not in running:
                running[ctx] = (list(f), sum(f) >> 6)  # primed with the static table, total 2^B
            f, inc = running[ctx]
        s = dec.decode(f)
        if adaptive:
            f[s] += inc
            if sum(f) > 1 << 24:
                f[:] = [(v + 1) >> 1 for v in f]
        x.append((s + pr) % K)
    return x


# ---------------------------------------------------------------- qtk-format.md 9.2, coder 0

def decode_raw(D, n, K):
    b = (K - 1).bit_length()
    if len(D) != (n * b + 7) // 8:
        raise ValueError("raw payload length %d, expected %d" % (len(D), (n * b + 7) // 8))
    V = int.from_bytes(D, "big")
    L = 8 * len(D)
    out = [(V >> (L - b * (i + 1))) & ((1 << b) - 1) for i in range(n)]
    if V & ((1 << (L - n * b)) - 1):
        raise ValueError("non-zero padding")
    if any(x >= K for x in out):
        raise ValueError("index >= K")
    return out


# ---------------------------------------------------------------- container (qtk-format.md 5, 6, 9.1, 12.2)

def read_qtk(data):
    if data[:8] != SIGNATURE or data[8] != 1:
        raise ValueError("not a qtk 1.x file")
    pos, hdr, streams, truncated = 10, None, [], False
    while True:
        if pos + 8 > len(data):
            truncated = True
            break
        length, ctype = struct.unpack(">I", data[pos:pos + 4])[0], data[pos + 4:pos + 8]
        if pos + 12 + length > len(data):
            truncated = True
            break
        body = data[pos + 8:pos + 8 + length]
        if crc32c(ctype + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            raise ValueError("CRC mismatch")
        pos += 12 + length
        if ctype == b"QHDR":
            hdr = parse_qhdr(body)
        elif ctype == b"QTOK":
            first, m, coder = struct.unpack(">HHB", body[:5])
            at, payloads = 5, []
            for _ in range(m):
                ln = struct.unpack(">I", body[at:at + 4])[0]
                payloads.append(body[at + 4:at + 4 + ln])
                at += 4 + ln
            streams.append((first, coder, payloads))
        elif ctype == b"QEND":
            break
    if hdr is None:
        raise ValueError("no QHDR")
    return hdr, streams, truncated


def parse_qhdr(b):
    h = {}
    h["width"], h["height"], h["channels"] = struct.unpack(">IIB", b[:9])
    n = b[12]
    h["model_name"] = b[13:13 + n].decode("ascii")
    v = b[13 + n]
    h["model_version"] = b[14 + n:14 + n + v].decode("ascii")
    at = 14 + n + v
    h["model_sha256"] = b[at:at + 32].hex()
    at += 32
    (h["kind"], h["cell"], h["groups"], h["K"], h["d"], h["columns"], h["rows"], h["groups_coded"],
     h["S"]) = struct.unpack(">BHHIHIIHH", b[at:at + 23])
    return h


# ---------------------------------------------------------------- model-bundle.md

def read_bundle(path):
    raw = open(path, "rb").read()
    z = zipfile.ZipFile(path)
    man = {}
    for line in z.read("manifest.properties").decode("latin-1").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            man[k.strip()] = v.strip()
    G, K, d = int(man["groups"]), int(man["codebook.size"]), int(man["codebook.dim"])
    counts = struct.unpack("<%dI" % (G * K), z.read("entropy/order0.bin"))
    cbits = struct.unpack("<%dI" % (G * K * d), z.read("codebooks.bin"))  # exact bit patterns
    bundle = {
        "sha256": hashlib.sha256(raw).hexdigest(), "name": man["name"], "version": man["version"],
        "G": G, "K": K, "d": d,
        "counts": [list(counts[g * K:(g + 1) * K]) for g in range(G)],
        "codebook_bits": cbits, "classes": None, "context": None, "weights": None, "channel": None,
        "predict": None,
    }
    # "Context tables": entropy/classes.bin uint8 [G][K], entropy/context.bin uint32 LE [G][25][K], and the key
    names = set(z.namelist())
    have = ("entropy/classes.bin" in names, "entropy/context.bin" in names, "entropy.context" in man)
    if any(have):
        if not all(have) or man["entropy.context"] != "grid-neighbours-4":
            raise ValueError("%s: invalid context tables %r" % (path, have))
        cl = z.read("entropy/classes.bin")
        cx = z.read("entropy/context.bin")
        if len(cl) != G * K or len(cx) != G * 25 * K * 4 or max(cl) > 3:
            raise ValueError("%s: bad context table sizes or classes" % path)
        cx = struct.unpack("<%dI" % (G * 25 * K), cx)
        if min(cx) < 1:
            raise ValueError("%s: context count 0" % path)
        bundle["classes"] = [list(cl[g * K:(g + 1) * K]) for g in range(G)]
        bundle["context"] = [[list(cx[(g * 25 + c) * K:(g * 25 + c + 1) * K]) for c in range(25)] for g in range(G)]
    # "Channel tables": entropy/weights.bin uint8 [G][K], entropy/channel.bin uint32 LE [G][C][K], C = L + 2, and
    # the keys entropy.channel (previous-groups), entropy.channel.window (N), entropy.channel.thresholds (T_1..T_L)
    have = ("entropy/weights.bin" in names, "entropy/channel.bin" in names, "entropy.channel" in man)
    if any(have):
        if not all(have) or man["entropy.channel"] != "previous-groups":
            raise ValueError("%s: invalid channel tables %r" % (path, have))
        window = int(man["entropy.channel.window"])
        thresholds = [int(t) for t in man["entropy.channel.thresholds"].split(",")]
        if not 1 <= window <= 255 or not 1 <= len(thresholds) <= 62 or any(
                not 1 <= t <= 65535 for t in thresholds) or any(a >= b for a, b in zip(thresholds, thresholds[1:])):
            raise ValueError("%s: bad channel window or thresholds" % path)
        C = len(thresholds) + 2
        w = z.read("entropy/weights.bin")
        ch = z.read("entropy/channel.bin")
        if len(w) != G * K or len(ch) != G * C * K * 4:
            raise ValueError("%s: bad channel table sizes" % path)
        ch = struct.unpack("<%dI" % (G * C * K), ch)
        if min(ch) < 1:
            raise ValueError("%s: channel count 0" % path)
        bundle["window"], bundle["thresholds"] = window, thresholds
        bundle["weights"] = [list(w[g * K:(g + 1) * K]) for g in range(G)]
        bundle["channel"] = [[list(ch[(g * C + c) * K:(g * C + c + 1) * K]) for c in range(C)] for g in range(G)]
    # "Prediction tables": entropy/predict.bin int32 LE [G][N+5], entropy/residual.bin uint32 LE [G][C5][K],
    # C5 = (L + 2)(M + 1), and the keys entropy.predict (linear-previous-groups-and-neighbours),
    # entropy.predict.window (N), entropy.predict.shift (S), entropy.predict.activity (T'_1..T'_M); only with the
    # channel tables
    have = ("entropy/predict.bin" in names, "entropy/residual.bin" in names, "entropy.predict" in man)
    if any(have):
        if not all(have) or man["entropy.predict"] != "linear-previous-groups-and-neighbours" or \
                bundle["channel"] is None:
            raise ValueError("%s: invalid prediction tables %r" % (path, have))
        N, S = int(man["entropy.predict.window"]), int(man["entropy.predict.shift"])
        act = [int(t) for t in man["entropy.predict.activity"].split(",")]
        if not 1 <= N <= 255 or not 1 <= S <= 30 or not 1 <= len(act) <= 16 or any(
                not 1 <= t <= 65535 for t in act) or any(a >= b for a, b in zip(act, act[1:])):
            raise ValueError("%s: bad prediction window, shift or activity thresholds" % path)
        C5 = (len(bundle["thresholds"]) + 2) * (len(act) + 1)
        pr = z.read("entropy/predict.bin")
        rs = z.read("entropy/residual.bin")
        if len(pr) != G * (N + 5) * 4 or len(rs) != G * C5 * K * 4:
            raise ValueError("%s: bad prediction table sizes" % path)
        pr = struct.unpack("<%di" % (G * (N + 5)), pr)
        rs = struct.unpack("<%dI" % (G * C5 * K), rs)
        a = [list(pr[g * (N + 5):(g + 1) * (N + 5)]) for g in range(G)]
        if min(rs) < 1 or any(abs(v) > 1 << 24 for v in pr) or any(
                a[g][i] != 0 for g in range(G) for i in range(N) if g - N + i < 0):
            raise ValueError("%s: bad prediction coefficients or residual counts" % path)
        bundle["predict"] = {"window": N, "shift": S, "activity": act, "a": a,
                             "residual": [[list(rs[(g * C5 + c) * K:(g * C5 + c + 1) * K]) for c in range(C5)]
                                          for g in range(G)]}
    return bundle


# ---------------------------------------------------------------- 9.2 / 9.3

def decode_file(data, bundle):
    h, streams, truncated = read_qtk(data)
    if (h["model_sha256"], h["model_name"], h["model_version"]) != (bundle["sha256"], bundle["name"],
                                                                    bundle["version"]):
        raise LookupError("no bundle for model %s %s sha256 %s" % (h["model_name"], h["model_version"],
                                                                   h["model_sha256"]))
    K, G, d = h["K"], h["groups"], h["d"]
    n = h["columns"] * h["rows"]
    B = default_precision(K)
    groups = []
    for first, coder, payloads in streams:
        for j, D in enumerate(payloads):
            g = first + j
            if coder == 0:
                x = decode_raw(D, n, K)
            elif coder == 1:
                x = decode_static(D, n, normalise(bundle["counts"][g], B))
            elif coder == 2:
                x = decode_adaptive(D, n, K)
            elif coder == 3:
                if bundle["context"] is None:
                    raise LookupError("coder id 3 needs the context tables of model %s, and its bundle has none"
                                      % h["model_name"])
                tables = [normalise(c, B) for c in bundle["context"][g]]
                x = decode_context(D, n, h["columns"], bundle["classes"][g], tables)
            elif coder == 4:
                if bundle["channel"] is None:
                    raise LookupError("coder id 4 needs the channel tables of model %s, and its bundle has none"
                                      % h["model_name"])
                tables = [normalise(c, B) for c in bundle["channel"][g]]
                x = decode_channel(D, n, g, groups, bundle["weights"], bundle["window"], bundle["thresholds"],
                                   tables)
            elif coder in (5, 6):
                pt = bundle["predict"]
                if pt is None:
                    raise LookupError("coder id %d needs the prediction tables of model %s, and its bundle has none"
                                      % (coder, h["model_name"]))
                tables = [normalise(c, B) for c in pt["residual"][g]]
                x = decode_predict(D, n, g, h["columns"], groups, K, pt["window"], pt["shift"], pt["activity"],
                                   pt["a"][g], lambda p: channel_context(groups, g, p, bundle["weights"],
                                                                         bundle["window"], bundle["thresholds"]),
                                   tables, adaptive=coder == 6)
            else:
                raise ValueError("coder id %d is reserved" % coder)
            groups.append(x)
    # latent [C][rows][columns], float32 big-endian bit patterns; missing groups +0.0
    lat = bytearray()
    for g in range(G):
        for j in range(d):
            for p in range(n):
                bits = bundle["codebook_bits"][(g * K + groups[g][p]) * d + j] if g < len(groups) else 0
                lat += struct.pack(">I", bits)
    return h, groups, truncated, hashlib.sha256(bytes(lat)).hexdigest()


def main(argv):
    check = None
    if "--check" in argv:
        i = argv.index("--check")
        check = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    bundles = [read_bundle(a) for a in argv if a.endswith(".qtkm")]
    lines = {}
    for path in [a for a in argv if not a.endswith(".qtkm")]:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        data = open(path, "rb").read()
        want = read_qtk(data)[0]["model_sha256"]
        bundle = next((b for b in bundles if b["sha256"] == want), bundles[0])  # decode_file checks the identity
        h, groups, truncated, lat = decode_file(data, bundle)
        out = ["truncated " + ("yes" if truncated else "no"), "groups_present %d" % len(groups)]
        for g, x in enumerate(groups):
            out.append("group %d indices_sha256 %s" % (g, hashlib.sha256(
                b"".join(struct.pack(">H", v) for v in x)).hexdigest()))
            if len(x) <= 256:
                for y in range(h["rows"]):
                    row = x[y * h["columns"]:(y + 1) * h["columns"]]
                    out.append("  row %d: %s" % (y, " ".join(map(str, row))))
        out.append("latent_sha256 " + lat)
        lines[name] = out
        if check is None:
            print("== " + name)
            print("\n".join(out))
    if check is not None:
        blocks, cur = {}, None
        for line in open(check, encoding="utf-8").read().splitlines():
            if line.startswith("== "):
                cur = blocks.setdefault(line[3:], [])
            elif cur is not None:
                cur.append(line)
        bad = 0
        for name, out in lines.items():
            want = [ln for ln in blocks.get(name, []) if ln.startswith(
                ("truncated ", "groups_present ", "  row ", "latent_sha256 ")) or
                (ln.startswith("group ") and "indices_sha256" in ln)]
            if want != out:
                bad += 1
                print("MISMATCH " + name)
            else:
                print("ok " + name)
        return 1 if bad or not lines else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
