package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkException;
import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.ContextModel;
import io.qtk.entropy.ContextSelector;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import io.qtk.format.Channels;
import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import io.qtk.format.TokenStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Payload content per coder id ({@code qtk-format.md} 9.2): the raw packing, the coders' parameters, the rules. */
class TokenCodingTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static int[] decode(int coder, byte[] b, int n, int k, FrequencyTable t) throws EntropyCodingException {
        int[] out = new int[n];
        TokenCoding.decode(coder, b, 0, b.length, out, 0, n, k, t);
        return out;
    }

    @Test
    void rawBitsAndLengths() {
        assertEquals(1, TokenCoding.rawBits(2));
        assertEquals(2, TokenCoding.rawBits(3));
        assertEquals(2, TokenCoding.rawBits(4));
        assertEquals(3, TokenCoding.rawBits(5));
        assertEquals(4, TokenCoding.rawBits(16));
        assertEquals(5, TokenCoding.rawBits(17));
        assertEquals(8, TokenCoding.rawBits(256));
        assertEquals(9, TokenCoding.rawBits(257));
        assertEquals(16, TokenCoding.rawBits(65535));
        assertEquals(16, TokenCoding.rawBits(65536));
        assertEquals(0, TokenCoding.rawLength(0, 16));
        assertEquals(8, TokenCoding.rawLength(15, 16));
        assertEquals(2, TokenCoding.rawLength(3, 5));
        assertEquals(2L * 5, TokenCoding.rawLength(5, 65536));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.rawBits(1));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.rawBits(65537));
    }

    /** The worked examples of the spec (qtk-format.md 9.2). */
    @Test
    void rawWorkedExamples() throws EntropyCodingException {
        assertArrayEquals(hex("1A F0"), TokenCoding.encode(0, new int[] {1, 10, 15}, 16, null));
        assertArrayEquals(hex("81 80"), TokenCoding.encode(0, new int[] {4, 0, 3}, 5, null));
        assertArrayEquals(hex("B0"), TokenCoding.encode(0, new int[] {1, 0, 1, 1}, 2, null));
        assertArrayEquals(hex("01 2C FF FF"), TokenCoding.encode(0, new int[] {300, 65535}, 65536, null));
        assertArrayEquals(new int[] {1, 10, 15}, decode(0, hex("1A F0"), 3, 16, null));
        assertArrayEquals(new int[] {4, 0, 3}, decode(0, hex("81 80"), 3, 5, null));
        assertArrayEquals(new int[0], decode(0, new byte[0], 0, 16, null));
    }

    @Test
    void rawRoundTripsForEveryWidth() throws EntropyCodingException {
        Random r = new Random(7);
        for (int k : new int[] {2, 3, 4, 5, 7, 16, 17, 100, 255, 256, 257, 1000, 4096, 40000, 65535, 65536}) {
            for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 63, 100}) {
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i % 5 == 0 ? k - 1 : r.nextInt(k);
                }
                byte[] b = TokenCoding.encode(0, x, k, null);
                assertEquals(TokenCoding.rawLength(n, k), b.length);
                assertArrayEquals(x, decode(0, b, n, k, null), "K=" + k + " n=" + n);
                // reference: the bit string written one bit at a time
                int bits = TokenCoding.rawBits(k);
                byte[] ref = new byte[b.length];
                int at = 0;
                for (int v : x) {
                    for (int j = bits - 1; j >= 0; j--, at++) {
                        ref[at >> 3] |= (byte) (((v >> j) & 1) << (7 - (at & 7)));
                    }
                }
                assertArrayEquals(ref, b, "K=" + k + " n=" + n);
            }
        }
    }

    @Test
    void rawRejectsWrongLengthPaddingAndOutOfRangeIndices() {
        // 3 indices of 4 bits: exactly 2 bytes
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A F0 00"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A F1"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("00"), 0, 16, null));
        // K = 5: 3 bits, values 5..7 are not indices
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("A0"), 1, 5, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("E0"), 1, 5, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(0, new int[] {5}, 5, null));
    }

    @Test
    void staticAndAdaptiveAreTheEntropyCodersWithTheSpecsParameters() throws EntropyCodingException {
        int k = 16;
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {5, 2, 0, 1, 9, 9, 9, 9, 1, 1, 1, 1, 3, 3, 3, 3});
        assertEquals(16, t.totalBits());
        int[] x = new int[500];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(6) == 0 ? r.nextInt(k) : 4 + r.nextInt(4);
        }
        assertArrayEquals(IndexStreamCodec.encode(x, t), TokenCoding.encode(1, x, k, t));
        assertArrayEquals(IndexStreamCodec.encode(x, new AdaptiveModel(k, 32, 65536)),
                TokenCoding.encode(2, x, k, null));
        assertEquals(new AdaptiveModel(65536, 32, 1 << 22), TokenCoding.adaptiveModel(65536));
        assertArrayEquals(x, decode(1, TokenCoding.encode(1, x, k, t), x.length, k, t));
        assertArrayEquals(x, decode(2, TokenCoding.encode(2, x, k, null), x.length, k, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(1, x, 17, t));
    }

    @Test
    void reservedCoderIds() {
        assertTrue(TokenCoding.supported(0));
        assertTrue(TokenCoding.supported(1));
        assertTrue(TokenCoding.supported(2));
        assertTrue(TokenCoding.supported(3));
        assertTrue(TokenCoding.supported(4));
        assertTrue(TokenCoding.supported(5));
        assertTrue(TokenCoding.supported(6));
        for (int id = 7; id <= 15; id++) {
            assertFalse(TokenCoding.supported(id));
            int c = id;
            assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(c, new int[] {1}, 16, null));
        }
    }

    static QtkFile file(int coder, List<byte[]> payloads) {
        QtkHeader h = QtkHeader.builder().size(8, 4).channels(Channels.GRAY)
                .model(ModelId.of("m", "1", new byte[32])).quantiser(new GridLayout(4, 2, 16, 2))
                .streamLayout(1, 1).build();
        return QtkFile.builder(h).addStream(TokenStream.of(0, 1, List.of(new byte[0])))
                .addStream(TokenStream.of(1, coder, payloads)).build();
    }

    @Test
    void decodeGroupsRefusesReservedCodersAndCorruptPayloads() throws Exception {
        FrequencyTable t = FrequencyTable.uniform(16);
        // 2 positions per group; group 0 is an empty static payload: two zeros
        QtkFile ok = file(0, List.of(hex("F3")));
        IndexGrid g = TokenCoding.decodeGroups(ok, 2, x -> t);
        assertArrayEquals(new int[] {0, 0}, g.group(0));
        assertArrayEquals(new int[] {15, 3}, g.group(1));
        // a prefix never reads later streams, whatever they hold
        assertEquals(1, TokenCoding.decodeGroups(file(9, List.of(hex("00"))), 1, x -> t).groups());
        QtkException reserved = assertThrows(QtkException.class,
                () -> TokenCoding.decodeGroups(file(9, List.of(hex("00"))), 2, x -> t));
        assertTrue(reserved.getMessage().contains("coder id 9"), reserved.getMessage());
        QtkFormatException corrupt = assertThrows(QtkFormatException.class,
                () -> TokenCoding.decodeGroups(file(0, List.of(hex("F3 00"))), 2, x -> t));
        assertTrue(corrupt.getMessage().contains("group 1"), corrupt.getMessage());
    }

    // ------------------------------------------------------------------------------------------- coder 3

    /** Context tables with random classes and counts (counts >= 1, some rows skewed so contexts matter). */
    static ContextTables randomTables(Random r, int k) {
        int[] classes = new int[k];
        for (int s = 0; s < k; s++) {
            classes[s] = r.nextInt(ContextTables.CLASSES);
        }
        long[][] counts = new long[ContextTables.CONTEXTS][k];
        for (int c = 0; c < counts.length; c++) {
            int peak = r.nextInt(k);
            for (int s = 0; s < k; s++) {
                counts[c][s] = 1 + r.nextInt(50) + (Math.abs(s - peak) <= 1 ? 2000L * (1 + c % 3) : 0);
            }
        }
        if (k > 2) {
            counts[7][0] = 0xFFFF_FFFFL; // the largest uint32 count a bundle can hold
        }
        return ContextTables.fromCounts(classes, counts);
    }

    /** The spec's context of position p (qtk-format.md 9.2), written out independently of the selector. */
    static int specContext(int[] x, int p, int width, int[] classes) {
        int u = p % width;
        int left = u > 0 ? 1 + classes[x[p - 1]] : 0;
        int up = p >= width ? 1 + classes[x[p - width]] : 0;
        return left * 5 + up;
    }

    /** Indices on a grid: uniform noise, or smooth patches (neighbours mostly equal). */
    static int[] grid(Random r, int n, int width, int k, boolean structured) {
        int[] x = new int[n];
        for (int p = 0; p < n; p++) {
            if (!structured) {
                x[p] = r.nextInt(k);
            } else {
                int u = p % width;
                int v = p / width;
                int base = ((u / 3) * 7 + (v / 2) * 5) % k;
                x[p] = r.nextInt(8) == 0 ? r.nextInt(k) : base;
            }
        }
        return x;
    }

    @Test
    void contextCoderRoundTripsOnRandomAndStructuredGrids() throws EntropyCodingException {
        Random r = new Random(11);
        for (int k : new int[] {2, 16, 128, 256}) {
            ContextTables t = randomTables(r, k);
            int[] classes = t.classes();
            for (int[] shape : new int[][] {{1, 1}, {1, 9}, {7, 50}, {10, 70}, {13, 100}, {64, 64}, {300, 300},
                {33, 1000}}) {
                int width = shape[0];
                int n = shape[1];
                for (boolean structured : new boolean[] {false, true}) {
                    int[] x = grid(r, n, width, k, structured);
                    String what = "K=" + k + " width=" + width + " n=" + n + (structured ? " structured" : " random");
                    byte[] b = TokenCoding.encode(3, x, k, width, null, t);
                    assertArrayEquals(x, decode3(b, n, k, width, t), what);
                    // the payload is the spec's: grid neighbours with left * 5 + up, tables by context
                    ContextSelector spec = (sym, off, p) -> specContext(x, p, width, classes);
                    List<FrequencyTable> tables = new java.util.ArrayList<>();
                    for (int c = 0; c < ContextTables.CONTEXTS; c++) {
                        tables.add(t.table(c));
                    }
                    assertArrayEquals(IndexStreamCodec.encode(x, ContextModel.of(spec, tables)), b, what);
                    for (int p = 0; p < n; p++) {
                        assertEquals(specContext(x, p, width, classes), t.context(x, p, width), what);
                    }
                }
            }
            // a width that does not match the encoder's gives other indices or an error, never a crash
            int[] x = grid(r, 60, 6, k, true);
            byte[] b = TokenCoding.encode(3, x, k, 6, null, t);
            try {
                decode3(b, 60, k, 7, t);
            } catch (EntropyCodingException expected) {
                // fine
            }
        }
    }

    @Test
    void contextTablesAreTheSpecsNormalisedRows() {
        Random r = new Random(5);
        int k = 16;
        int[] classes = new int[k];
        long[][] counts = new long[25][k];
        for (int c = 0; c < 25; c++) {
            for (int s = 0; s < k; s++) {
                counts[c][s] = 1 + r.nextInt(1000);
            }
        }
        classes[3] = 3;
        ContextTables t = ContextTables.fromCounts(classes, counts);
        for (int c = 0; c < 25; c++) {
            assertEquals(FrequencyTable.fromCounts(counts[c]), t.table(c), "context " + c);
            assertEquals(16, t.table(c).totalBits());
        }
        assertEquals(t, ContextTables.fromCounts(classes, counts));
        classes[3] = 4;
        assertThrows(IllegalArgumentException.class, () -> ContextTables.fromCounts(classes, counts));
        classes[3] = 0;
        assertThrows(IllegalArgumentException.class,
                () -> ContextTables.fromCounts(classes, java.util.Arrays.copyOf(counts, 24)));
    }

    static int[] decode3(byte[] b, int n, int k, int width, ContextTables t) throws EntropyCodingException {
        int[] out = new int[n];
        TokenCoding.decode(3, b, 0, b.length, out, 0, n, k, width, null, t);
        return out;
    }

    @Test
    void corruptAndTruncatedContextPayloadsFailCleanly() throws Exception {
        Random r = new Random(23);
        int failures = 0;
        for (int k : new int[] {2, 16, 256}) {
            ContextTables t = randomTables(r, k);
            for (int trial = 0; trial < 200; trial++) {
                int width = 1 + r.nextInt(12);
                int n = 1 + r.nextInt(200);
                int[] x = grid(r, n, width, k, trial % 2 == 0);
                byte[] b = TokenCoding.encode(3, x, k, width, null, t);
                byte[] bad = CoderTestSupport.corrupted(r, b, trial % 4);
                try {
                    int[] got = decode3(bad, n, k, width, t);
                    for (int v : got) {
                        assertTrue(v >= 0 && v < k, "index " + v + " outside [0, " + k + ")");
                    }
                } catch (EntropyCodingException e) {
                    failures++;
                }
                // the same through the file: QtkFormatException naming the group, or indices
                QtkFile f = file3(k, width, n, bad);
                try {
                    TokenCoding.decodeGroups(f, 2, g -> FrequencyTable.uniform(k), g -> t);
                } catch (QtkFormatException e) {
                    assertTrue(e.getMessage().contains("group 1"), e.getMessage());
                }
            }
        }
        System.out.println("[coder 3] corrupt payloads detected as corrupt: " + failures);
    }

    /** A file of grid width {@code width}, n = width * rows positions padded up: group 0 coder 1, group 1 coder 3. */
    static QtkFile file3(int k, int width, int n, byte[] payload1) {
        int rows = (n + width - 1) / width;
        QtkHeader h = QtkHeader.builder().size(4 * width, 4 * rows).channels(Channels.GRAY)
                .model(ModelId.of("m", "1", new byte[32])).quantiser(new GridLayout(4, 2, k, 2))
                .streamLayout(1, 1).build();
        // group 0: zeros under the uniform table the tests decode it with (an empty payload would need more than
        // RangeDecoder.MAX_BYTES_PAST_END zero bytes past its end)
        byte[] zeros = TokenCoding.encode(1, new int[width * rows], k, FrequencyTable.uniform(k));
        return QtkFile.builder(h).addStream(TokenStream.of(0, 1, List.of(zeros)))
                .addStream(TokenStream.of(1, 3, List.of(payload1))).build();
    }

    @Test
    void contextCoderInFilesUsesTheHeadersColumnsAndNeedsTheTables() throws Exception {
        Random r = new Random(3);
        int k = 16;
        ContextTables t = randomTables(r, k);
        int width = 7;
        int rows = 5;
        int[] x = grid(r, width * rows, width, k, true);
        QtkFile f = file3(k, width, width * rows, TokenCoding.encode(3, x, k, width, null, t));
        assertEquals(width, f.header().tokenColumns());
        IndexGrid g = TokenCoding.decodeGroups(f, 2, i -> FrequencyTable.uniform(k), i -> t);
        assertArrayEquals(x, g.group(1));
        // a prefix that ends before the coder-3 stream needs no context tables
        assertEquals(1, TokenCoding.decodeGroups(f, 1, i -> FrequencyTable.uniform(k)).groups());
        // without the tables: a clear error naming coder 3 and the tables, not a guess
        QtkException e = assertThrows(QtkException.class,
                () -> TokenCoding.decodeGroups(f, 2, i -> FrequencyTable.uniform(k)));
        assertTrue(e.getMessage().contains("coder id 3"), e.getMessage());
        assertTrue(e.getMessage().contains("context tables"), e.getMessage());
        assertTrue(e.getMessage().contains("entropy/context.bin"), e.getMessage());
        e = assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 2, i -> FrequencyTable.uniform(k),
                i -> null));
        assertTrue(e.getMessage().contains("coder id 3"), e.getMessage());
        // tables of another K
        assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 2, i -> FrequencyTable.uniform(k),
                i -> randomTables(r, 32)));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(3, x, k, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(3, x, k, 0, null, t));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(3, x, 32, 7, null, t));
    }

    @Test
    void aFileWithACoder3StreamIsVersion11() {
        QtkFile f3 = file3(16, 2, 4, new byte[0]);
        byte[] b = io.qtk.format.QtkWriter.toBytes(f3);
        assertEquals(1, b[8]);
        assertEquals(1, b[9]);
        byte[] b0 = io.qtk.format.QtkWriter.toBytes(f3.prefix(1)); // coder 1 only
        assertEquals(1, b0[8]);
        assertEquals(0, b0[9]);
        assertEquals(0, io.qtk.format.QtkWriter.minorVersion(file(2, List.of(new byte[0]))));
    }

    @Test
    void theEncoderKeepsTheSmallerCoderPerStreamAndCoder1OnATie() {
        int k = 16;
        int width = 10;
        int n = 80;
        Random r = new Random(17);
        IndexGrid grid = new IndexGrid(3, n, k);
        int[] smooth = grid(r, n, width, k, true);
        grid.setGroup(0, smooth);
        grid.setGroup(1, smooth);
        grid.setGroup(2, new int[n]); // all zeros
        // order-0: uniform, except group 2: almost all mass on 0
        long[] zeroHeavy = new long[k];
        Arrays.fill(zeroHeavy, 1);
        zeroHeavy[0] = 1L << 30;
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k),
            FrequencyTable.fromCounts(zeroHeavy)};
        // context tables: group 0 measured on its own indices (good), group 1 peaked on the wrong symbols (bad),
        // group 2 all mass on 0 as well (both coders give an empty payload: a tie)
        int[] classes = new int[k];
        for (int s = 0; s < k; s++) {
            classes[s] = s % 4;
        }
        long[][] good = new long[25][k];
        long[][] bad = new long[25][k];
        long[][] zeros = new long[25][k];
        for (int c = 0; c < 25; c++) {
            Arrays.fill(good[c], 1);
            Arrays.fill(bad[c], 1);
            Arrays.fill(zeros[c], 1);
            zeros[c][0] = 1L << 30;
        }
        ContextTables probe = ContextTables.fromCounts(classes, good);
        for (int p = 0; p < n; p++) {
            int c = probe.context(smooth, p, width);
            good[c][smooth[p]] += 50;
            bad[c][(smooth[p] + 8) % k] += 50;
        }
        ContextTables[] ctx = {ContextTables.fromCounts(classes, good), ContextTables.fromCounts(classes, bad),
            ContextTables.fromCounts(classes, zeros)};
        CodecModel m = FakeModels.tablesOnly(k, order0, ctx, null, null);
        int[] layout = {1, 1, 1};
        List<TokenStream> chosen = CodecEngine.codeStreams(grid, m, layout, width, true);
        assertEquals(List.of(3, 1, 1), chosen.stream().map(TokenStream::coderId).toList());
        assertArrayEquals(TokenCoding.encode(3, smooth, k, width, null, ctx[0]), chosen.get(0).payload(0));
        assertArrayEquals(TokenCoding.encode(1, smooth, k, order0[1]), chosen.get(1).payload(0));
        assertEquals(0, chosen.get(2).payloadLength(0));
        assertEquals(0, TokenCoding.encode(3, new int[n], k, width, null, ctx[2]).length);
        // one stream of all three groups: the coder of the smaller sum, for every payload
        List<TokenStream> one = CodecEngine.codeStreams(grid, m, new int[] {3}, width, true);
        long c1 = 0;
        long c3 = 0;
        for (int g = 0; g < 3; g++) {
            c1 += TokenCoding.encode(1, grid.group(g), k, order0[g]).length;
            c3 += TokenCoding.encode(3, grid.group(g), k, width, null, ctx[g]).length;
        }
        assertEquals(c3 < c1 ? 3 : 1, one.get(0).coderId());
        // without the context coder: coder 1 everywhere
        assertTrue(CodecEngine.codeStreams(grid, m, layout, width, false).stream().allMatch(t -> t.coderId() == 1));
    }
}
