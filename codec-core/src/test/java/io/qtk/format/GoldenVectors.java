package io.qtk.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generator of the container conformance vectors in {@code testdata/golden/container/}. Deterministic: the same
 * bytes on every JDK (payloads come from {@link Random} with fixed seeds, and alpha planes use zlib "stored" blocks
 * built here rather than the platform's deflate, whose output may vary between zlib versions).
 *
 * <p>Run {@code java -cp codec-core/target/classes:codec-core/target/test-classes io.qtk.format.GoldenVectors
 * testdata/golden/container} from the repository root to rewrite the files; {@code GoldenVectorsTest} checks the
 * committed files equal what this class generates.
 */
public final class GoldenVectors {
    private GoldenVectors() {
    }

    /** One vector: its bytes, the intended outcome and, for decodable files, the intended content. */
    record Vector(String name, byte[] bytes, QtkFile expected, String rejectReason, String rejectPhrase,
                  String note) {
        boolean rejected() {
            return expected == null;
        }
    }

    static final ModelId MODEL_GRID = ModelId.of("qtk-grid-f16", "1", sha256("synthetic model qtk-grid-f16/1"));
    static final ModelId MODEL_GLOBAL = ModelId.of("qtk-global-t16", "2.0-rc1",
            sha256("synthetic model qtk-global-t16/2.0-rc1"));

    static List<Vector> build() {
        List<Vector> v = new ArrayList<>();

        // 1. minimal: gray, one stream
        QtkHeader h1 = QtkHeader.builder().size(17, 9).channels(Channels.GRAY).model(MODEL_GRID)
                .quantiser(new GridLayout(8, 4, 256, 4)).streamLayout(4).build();
        QtkFile f1 = QtkFile.builder(h1).addStream(QtkFormat.CODER_RAW, payloads(1, 4, 5)).build();
        v.add(ok("grid-gray-1stream.qtk", QtkWriter.toBytes(f1), f1, "smallest shape: gray, one stream, no metadata"));

        // 2. RGB, three streams, a comment
        QtkHeader h2 = QtkHeader.builder().size(64, 48).channels(Channels.RGB).model(MODEL_GRID)
                .quantiser(new GridLayout(16, 16, 1024, 8)).streamLayout(1, 2, 4).build();
        QtkFile f2 = QtkFile.builder(h2).metadata(ImageMetadata.builder().comment("golden vector 2").build())
                .addStream(QtkFormat.CODER_STATIC, payloads(2, 1, 24))
                .addStream(QtkFormat.CODER_STATIC, payloads(3, 2, 20))
                .addStream(QtkFormat.CODER_ADAPTIVE, payloads(4, 4, 16)).build();
        byte[] b2 = QtkWriter.toBytes(f2);
        v.add(ok("grid-rgb-3streams.qtk", b2, f2, "7 of 16 groups in streams of 1, 2, 4; coders 1, 1, 2"));

        // 3. RGBA from a 16-bit source, rotated, every metadata chunk, alpha plane
        int w3 = 13;
        int h3 = 7;
        byte[] alpha3 = new byte[w3 * h3];
        for (int y = 0; y < h3; y++) {
            for (int x = 0; x < w3; x++) {
                alpha3[y * w3 + x] = (byte) (255 - 19 * x - 7 * y);
            }
        }
        QtkHeader h3h = QtkHeader.builder().size(w3, h3).channels(Channels.RGBA).sourceBitDepth(16).orientation(6)
                .model(MODEL_GRID).quantiser(new GridLayout(4, 8, 64, 2)).streamLayout(2, 3).build();
        ImageMetadata m3 = ImageMetadata.builder().icc(pseudo(5, 200)).exif(exifOrientation6())
                .xmp("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><!-- Grüße, 東京 --></x:xmpmeta>")
                .comment("comment: café \uD83D\uDE00 line1\nline2").build();
        QtkFile f3 = QtkFile.builder(h3h).metadata(m3).alpha(storedAlpha(w3, h3, alpha3))
                .addStream(QtkFormat.CODER_ADAPTIVE, payloads(6, 2, 8))
                .addStream(QtkFormat.CODER_CONTEXT_FIRST, payloads(7, 3, 8)).build();
        // Version 1.0, as made before 1.1 assigned coder id 3 (QtkWriter now writes 01 01 for a coder-3 stream): the
        // container accepts every coder id 0..15 at any minor version. The version bytes are outside every CRC.
        byte[] b3 = QtkWriter.toBytes(f3);
        b3[9] = 0;
        v.add(ok("grid-rgba16-meta.qtk", b3, f3,
                "16-bit RGBA source, orientation 6, iCCP eXIf xMPd cMNt QALP, coders 2 and 3"));

        // 4. global model, gray + alpha, empty payloads allowed
        int w4 = 40;
        int h4 = 30;
        byte[] alpha4 = new byte[w4 * h4];
        Arrays.fill(alpha4, (byte) 255);
        for (int i = 0; i < 40; i++) {
            alpha4[i * 7 % alpha4.length] = 0;
        }
        QtkHeader h4h = QtkHeader.builder().size(w4, h4).channels(Channels.GRAY_ALPHA).model(MODEL_GLOBAL)
                .quantiser(new GlobalLayout(16, 32, 4096, 16)).streamLayout(8, 24).build();
        List<byte[]> p4 = payloads(8, 8, 6);
        p4.set(3, new byte[0]);
        QtkFile f4 = QtkFile.builder(h4h).alpha(storedAlpha(w4, h4, alpha4))
                .addStream(QtkFormat.CODER_RAW, p4).addStream(QtkFormat.CODER_STATIC, payloads(9, 24, 3)).build();
        v.add(ok("global-graya-2streams.qtk", QtkWriter.toBytes(f4), f4,
                "global model, 3x2 tiles, gray+alpha, group 3 has an empty payload"));

        // 5. minor version 3 and private ancillary chunks before and between the token streams
        List<byte[]> c2 = TestFiles.splitChunks(b2);
        byte[] anc1 = TestFiles.chunk("zqXt", "ignored by readers".getBytes(StandardCharsets.US_ASCII));
        byte[] anc2 = TestFiles.chunk("vpAd", new byte[] {1, 2, 3});
        byte[] b5 = TestFiles.concat(TestFiles.preamble(1, 3), c2.get(0), c2.get(1), anc1, c2.get(2), anc2,
                c2.get(3), c2.get(4), c2.get(5));
        v.add(ok("minor3-ancillary.qtk", b5, f2,
                "vector 2 as version 1.3 with unknown ancillary chunks zqXt and vpAd: decodes as vector 2"));

        // 6. progressive truncation: vector 2 cut in the middle of its third stream
        ChunkListing l2 = listing(b2);
        ChunkInfo tok3 = l2.chunks().get(4);
        byte[] b6 = Arrays.copyOf(b2, (int) (tok3.offset() + 8 + tok3.dataLength() / 2));
        QtkFile f6 = new QtkFile(h2, f2.metadata(), null, f2.streams().subList(0, 2), true);
        v.add(ok("truncated-progressive.qtk", b6, f6,
                "vector 2 cut inside its third QTOK: decodes streams 0 and 1 (groups 0..2), truncated"));

        // 7.. files a reader must reject
        byte[] b1 = QtkWriter.toBytes(f1);
        byte[] bad = b1.clone();
        bad[bad.length - 20] ^= 0x01;
        v.add(reject("bad-crc.qtk", bad, "CRC-32C mismatch in the QTOK chunk (one payload bit flipped)",
                "CRC-32C mismatch"));
        List<byte[]> c1 = TestFiles.splitChunks(b1);
        v.add(reject("bad-unknown-critical.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c1.get(0),
                TestFiles.chunk("QFUT", new byte[] {0}), c1.get(1), c1.get(2)),
                "unknown critical chunk QFUT before the tokens", "unknown critical chunk"));
        v.add(reject("bad-trailing.qtk", TestFiles.concat(b1, new byte[] {0}), "one byte after QEND",
                "after the QEND"));
        v.add(reject("bad-truncated-header.qtk", Arrays.copyOf(b1, 40), "file cut inside QHDR",
                "file ends at offset 40"));
        v.add(reject("bad-major.qtk", TestFiles.concat(TestFiles.preamble(2, 0), c1.get(0), c1.get(1), c1.get(2)),
                "major version 2", "major version 2"));
        byte[] hdr = TestFiles.data(c1.get(0));
        int latentWidthAt = hdr.length - 14;   // latent width field: 14 bytes before the end of a 1-stream QHDR
        TestFiles.putU32(hdr, latentWidthAt, 2);
        v.add(reject("bad-header-latent.qtk", TestFiles.concat(TestFiles.preamble(1, 0), TestFiles.chunk("QHDR", hdr),
                c1.get(1), c1.get(2)), "latent width 2, but ceil(17 / 8) = 3 (CRC is valid)",
                "latent width 2 does not match"));
        List<byte[]> c3 = TestFiles.splitChunks(QtkWriter.toBytes(f3));
        v.add(reject("bad-duplicate-icc.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c3.get(0), c3.get(1),
                c3.get(1), c3.get(2), c3.get(3), c3.get(4), c3.get(5), c3.get(6), c3.get(7), c3.get(8)),
                "two iCCP chunks", "duplicate iCCP"));
        v.add(reject("bad-order.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c2.get(0), c2.get(2), c2.get(1),
                c2.get(3), c2.get(4), c2.get(5)), "cMNt after the first QTOK", "must precede the first QTOK"));
        byte[] bomb = storedZlib(new byte[w4 * h4 + 1]);
        List<byte[]> c4 = TestFiles.splitChunks(QtkWriter.toBytes(f4));
        v.add(reject("bad-alpha-overflow.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c4.get(0),
                TestFiles.chunk("QALP", TestFiles.concat(new byte[] {0}, bomb)), c4.get(2), c4.get(3), c4.get(4)),
                "QALP inflates to W*H + 1 bytes", "inflates to more than"));
        v.add(reject("bad-alpha-short.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c4.get(0),
                TestFiles.chunk("QALP", TestFiles.concat(new byte[] {0}, storedZlib(new byte[w4 * h4 - 1]))),
                c4.get(2), c4.get(3), c4.get(4)), "QALP inflates to W*H - 1 bytes", "zlib stream ends after"));
        v.add(reject("bad-alpha-bomb.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c4.get(0),
                TestFiles.chunk("QALP", TestFiles.concat(new byte[] {0}, fixedHuffmanZeros(1 << 20))), c4.get(2),
                c4.get(3), c4.get(4)), "QALP is a zip bomb: about 1 MiB of zeros from a few KiB (W*H is 1200)",
                "inflates to more than"));
        v.add(reject("bad-missing-alpha.qtk", TestFiles.concat(TestFiles.preamble(1, 0), c4.get(0), c4.get(2),
                c4.get(3), c4.get(4)), "channels 2 (gray+alpha) without a QALP chunk", "need a QALP"));
        return v;
    }

    private static Vector ok(String name, byte[] b, QtkFile f, String note) {
        return new Vector(name, b, f, null, null, note);
    }

    private static Vector reject(String name, byte[] b, String reason, String phrase) {
        return new Vector(name, b, null, reason, phrase, reason);
    }

    private static ChunkListing listing(byte[] b) {
        try {
            return QtkReader.listChunks(b);
        } catch (QtkFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} payloads of {@code len} pseudo-random bytes, from seed {@code seed}. */
    static List<byte[]> payloads(long seed, int count, int len) {
        Random r = new Random(seed);
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[len + i % 3];
            r.nextBytes(b);
            l.add(b);
        }
        return l;
    }

    static byte[] pseudo(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A big-endian TIFF header with one IFD holding Orientation = 6. */
    static byte[] exifOrientation6() {
        return new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // tag 0x0112 SHORT count 1 value 6
            0, 0, 0, 0}; // no next IFD
    }

    /** An alpha plane whose zlib stream uses stored blocks only (independent of the platform's deflate). */
    static AlphaPlane storedAlpha(int w, int h, byte[] samples) {
        byte[] filtered = new byte[samples.length];
        for (int y = 0; y < h; y++) {
            int prev = 0;
            for (int x = 0; x < w; x++) {
                int a = samples[y * w + x] & 0xFF;
                filtered[y * w + x] = (byte) (a - prev);
                prev = a;
            }
        }
        try {
            return AlphaPlane.fromChunkData(w, h, TestFiles.concat(new byte[] {0}, storedZlib(filtered)));
        } catch (QtkFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00). */
    static byte[] storedZlib(byte[] data) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(new byte[] {0x78, 0x01});
        int at = 0;
        do {
            int n = Math.min(65535, data.length - at);
            boolean last = at + n == data.length;
            parts.add(new byte[] {(byte) (last ? 1 : 0), (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)});
            parts.add(Arrays.copyOfRange(data, at, at + n));
            at += n;
        } while (at < data.length);
        java.util.zip.Adler32 adler = new java.util.zip.Adler32();
        adler.update(data);
        byte[] a = new byte[4];
        TestFiles.putU32(a, 0, adler.getValue());
        parts.add(a);
        return TestFiles.concat(parts.toArray(new byte[0][]));
    }

    /**
     * A zlib stream of one fixed-Huffman deflate block: a literal 0, then matches of length 258 at distance 1,
     * inflating to at least {@code n} zero bytes (about 158 output bytes per input byte).
     */
    static byte[] fixedHuffmanZeros(int n) {
        BitWriter w = new BitWriter();
        w.bits(1, 1); // BFINAL
        w.bits(1, 2); // BTYPE 01 = fixed Huffman (stored LSB first)
        w.code(0x30, 8); // literal 0: codes 0..143 are 8 bits, 00110000 + value
        for (int done = 1; done < n; done += 258) {
            w.code(0xC5, 8); // length code 285 (= 258): codes 280..287 are 8 bits, 11000000 + (code - 280)
            w.code(0, 5); // distance code 0 (= 1), 5 bits
        }
        w.code(0, 7); // end of block, code 256: 7 bits 0000000
        byte[] body = w.toBytes();
        int produced = 1 + 258 * ((n - 1 + 257) / 258);
        java.util.zip.Adler32 adler = new java.util.zip.Adler32();
        adler.update(new byte[produced]);
        byte[] a = new byte[4];
        TestFiles.putU32(a, 0, adler.getValue());
        return TestFiles.concat(new byte[] {0x78, 0x01}, body, a);
    }

    /** Deflate bit packing: fields LSB first, Huffman codes most significant bit first. */
    private static final class BitWriter {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private int acc;
        private int count;

        void bits(int value, int n) {
            for (int i = 0; i < n; i++) {
                bit((value >>> i) & 1);
            }
        }

        void code(int code, int n) {
            for (int i = n - 1; i >= 0; i--) {
                bit((code >>> i) & 1);
            }
        }

        private void bit(int b) {
            acc |= b << count;
            if (++count == 8) {
                out.write(acc);
                acc = 0;
                count = 0;
            }
        }

        byte[] toBytes() {
            if (count > 0) {
                out.write(acc);
                acc = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }

    static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The text of {@code expected.txt}. */
    static String expected(List<Vector> vectors) {
        StringBuilder s = new StringBuilder();
        s.append("# qtk container conformance vectors: expected results (generated by io.qtk.format.GoldenVectors;\n");
        s.append("# format described in README.md). One block per file.\n");
        for (Vector v : vectors) {
            s.append('\n').append("== ").append(v.name()).append('\n');
            s.append("bytes ").append(v.bytes().length).append('\n');
            s.append("sha256 ").append(hex(sha256(v.bytes()))).append('\n');
            s.append("note ").append(v.note()).append('\n');
            if (v.rejected()) {
                s.append("expect reject\n");
                continue;
            }
            s.append("expect decode\n");
            describe(s, v.expected());
        }
        return s.toString();
    }

    static void describe(StringBuilder s, QtkFile f) {
        QtkHeader h = f.header();
        QuantiserLayout q = h.quantiser();
        boolean grid = q instanceof GridLayout;
        s.append("truncated ").append(f.truncated() ? "yes" : "no").append('\n');
        s.append("width ").append(h.width()).append('\n');
        s.append("height ").append(h.height()).append('\n');
        s.append("channels ").append(h.channels().code()).append('\n');
        s.append("source_bit_depth ").append(h.sourceBitDepth()).append('\n');
        s.append("coded_bit_depth ").append(h.codedBitDepth()).append('\n');
        s.append("orientation ").append(h.orientation()).append('\n');
        s.append("model_name ").append(h.model().name()).append('\n');
        s.append("model_version ").append(h.model().version()).append('\n');
        s.append("model_sha256 ").append(h.model().sha256Hex()).append('\n');
        s.append("quantiser ").append(q.kindName()).append('\n');
        s.append(grid ? "f " : "T ").append(q.cellSize()).append('\n');
        s.append(grid ? "G " : "N ").append(q.groups()).append('\n');
        s.append("K ").append(q.codebookSize()).append('\n');
        s.append("d ").append(q.codewordDim()).append('\n');
        s.append(grid ? "latent_width " : "tiles_across ").append(h.tokenColumns()).append('\n');
        s.append(grid ? "latent_height " : "tiles_down ").append(h.tokenRows()).append('\n');
        s.append("groups_coded ").append(h.groupsCoded()).append('\n');
        s.append("stream_layout");
        for (int n : h.streamLayout()) {
            s.append(' ').append(n);
        }
        s.append('\n');
        ImageMetadata m = f.metadata();
        item(s, "icc", m.icc().orElse(null));
        item(s, "exif", m.exif().orElse(null));
        item(s, "xmp", m.xmp().map(x -> x.getBytes(StandardCharsets.UTF_8)).orElse(null));
        item(s, "comment", m.comment().map(x -> x.getBytes(StandardCharsets.UTF_8)).orElse(null));
        if (f.alpha().isPresent()) {
            byte[] a = f.alpha().get().decode();
            s.append("alpha samples ").append(a.length).append(" sha256 ").append(hex(sha256(a))).append('\n');
        } else {
            s.append("alpha -\n");
        }
        s.append("groups_present ").append(f.groupsPresent()).append('\n');
        for (int i = 0; i < f.streams().size(); i++) {
            TokenStream t = f.streams().get(i);
            s.append("stream ").append(i).append(" first_group ").append(t.firstGroup()).append(" groups ")
                    .append(t.groupCount()).append(" coder ").append(t.coderId()).append('\n');
            for (int g = 0; g < t.groupCount(); g++) {
                s.append("  group ").append(t.firstGroup() + g).append(" length ").append(t.payloadLength(g))
                        .append(" sha256 ").append(hex(sha256(t.payload(g)))).append('\n');
            }
        }
    }

    private static void item(StringBuilder s, String name, byte[] b) {
        s.append(name);
        if (b == null) {
            s.append(" -\n");
        } else {
            s.append(" length ").append(b.length).append(" sha256 ").append(hex(sha256(b))).append('\n');
        }
    }

    static Map<String, byte[]> files(List<Vector> vectors) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (Vector v : vectors) {
            m.put(v.name(), v.bytes());
        }
        m.put("expected.txt", expected(vectors).getBytes(StandardCharsets.UTF_8));
        return m;
    }

    /**
     * Writes the vectors and {@code expected.txt} into a directory.
     *
     * @param args the target directory (default {@code testdata/golden/container})
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "testdata/golden/container");
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files(build()).entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println("wrote " + dir.resolve(e.getKey()) + " (" + e.getValue().length + " bytes)");
        }
    }
}
