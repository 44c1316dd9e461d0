package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkException;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Coder id 4, "channel context" ({@code qtk-format.md} 9.2, format 1.2), below the engine: the context rule against
 * a hand-computed example and against the definition, payload round trips in files that mix coders (the contexts of
 * a coder-4 group come from earlier groups whatever their streams' coders), prefixes, corrupt payloads, missing
 * tables, the version byte, and the encoder's per-stream choice.
 */
class ChannelTablesTest {

    // ------------------------------------------------------------------------------------ the worked example

    /** W of the worked example: G = 4, K = 4. */
    static final int[][] W = {{0, 2, 4, 8}, {1, 3, 5, 7}, {0, 6, 6, 10}, {1, 1, 1, 1}};
    /** Indices of the worked example: 3 positions per group. */
    static final int[][] X = {{0, 3, 1}, {2, 3, 0}, {1, 0, 0}, {3, 2, 1}};
    /**
     * Contexts by hand, N = 2, T = 2, 5 (C = 4). g = 1: m = 1, S = W0[x0] = 0, 8, 2, against 2, 5: 1, 3, 2. g = 2:
     * m = 2, S = W1[x1] + W0[x0] = 5 + 0, 7 + 8, 1 + 2 = 5, 15, 3, against 4, 10: 2, 3, 1. g = 3: m = 2 (group 0
     * has left the window), S = W2[x2] + W1[x1] = 6 + 5, 0 + 7, 0 + 1 = 11, 7, 1: 3, 2, 1.
     */
    static final int[][] CTX = {{0, 0, 0}, {1, 3, 2}, {2, 3, 1}, {3, 2, 1}};

    static long[][][] uniformCounts(int groups, int contexts, int k) {
        long[][][] c = new long[groups][contexts][k];
        for (long[][] g : c) {
            for (long[] row : g) {
                Arrays.fill(row, 1);
            }
        }
        return c;
    }

    static IndexGrid grid(int[][] x, int k) {
        IndexGrid g = new IndexGrid(x.length, x[0].length, k);
        for (int i = 0; i < x.length; i++) {
            g.setGroup(i, x[i]);
        }
        return g;
    }

    @Test
    void theRuleGivesTheHandComputedContexts() {
        ChannelTables t = ChannelTables.fromCounts(2, new int[] {2, 5}, W, uniformCounts(4, 4, 4));
        assertEquals(4, t.contexts());
        for (int g = 0; g < 4; g++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(CTX[g][p], t.context(X, g, p), "definition, group " + g + " position " + p);
            }
        }
        ChannelTables.Window w = t.newWindow(3);
        IndexGrid grid = grid(X, 4);
        for (int g = 0; g < 4; g++) {
            assertArrayEquals(CTX[g], w.contexts(grid, g, new int[3]), "window, group " + g);
        }
        // a window of 3 keeps group 0 for group 3: S = 11 + 0, 7 + 8, 1 + 2 = 11, 15, 3 against 6, 15
        ChannelTables t3 = ChannelTables.fromCounts(3, new int[] {2, 5}, W, uniformCounts(4, 4, 4));
        assertArrayEquals(new int[] {2, 3, 1}, t3.newWindow(3).contexts(grid, 3, new int[3]));
        // the window can skip groups but not go back
        ChannelTables.Window skip = t.newWindow(3);
        assertArrayEquals(CTX[3], skip.contexts(grid, 3, new int[3]));
        assertArrayEquals(CTX[3], skip.contexts(grid, 3, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> skip.contexts(grid, 2, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> t.newWindow(4).contexts(grid, 1, new int[4]));
    }

    /** The spec's context, written out independently: 0 for g = 0, else 1 + #{i : S >= m T_i}. */
    static int specContext(int[][] w, int window, int[] thresholds, int[][] x, int g, int p) {
        if (g == 0) {
            return 0;
        }
        int m = Math.min(g, window);
        long s = 0;
        for (int j = 1; j <= m; j++) {
            s += w[g - j][x[g - j][p]];
        }
        int c = 1;
        for (int t : thresholds) {
            c += s >= (long) m * t ? 1 : 0;
        }
        return c;
    }

    static int[] randomThresholds(Random r) {
        int l = 1 + r.nextInt(r.nextBoolean() ? 4 : 62);
        int[] t = new int[l];
        int v = 0;
        for (int i = 0; i < l; i++) {
            v += 1 + r.nextInt(i == 0 || r.nextBoolean() ? 3 : 40);
            t[i] = Math.min(v, 65535 - (l - 1 - i));
        }
        return t;
    }

    static int[][] randomWeights(Random r, int groups, int k) {
        int[][] w = new int[groups][k];
        for (int[] row : w) {
            for (int s = 0; s < k; s++) {
                row[s] = r.nextInt(4) == 0 ? 255 : r.nextInt(r.nextBoolean() ? 40 : 256);
            }
        }
        return w;
    }

    static long[][][] randomCounts(Random r, int groups, int contexts, int k) {
        long[][][] c = new long[groups][contexts][k];
        for (long[][] g : c) {
            for (long[] row : g) {
                int peak = r.nextInt(k);
                for (int s = 0; s < k; s++) {
                    row[s] = 1 + r.nextInt(50) + (Math.abs(s - peak) <= 1 ? 3000 : 0);
                }
            }
        }
        if (k > 2) {
            c[0][0][1] = 0xFFFF_FFFFL;
        }
        return c;
    }

    @Test
    void theRunningWindowIsTheDefinition() {
        Random r = new Random(41);
        for (int trial = 0; trial < 300; trial++) {
            int groups = 1 + r.nextInt(trial < 100 ? 6 : 40);
            int k = 2 + r.nextInt(trial % 3 == 0 ? 3 : 300);
            int window = 1 + r.nextInt(trial % 5 == 0 ? 255 : 8);
            int[] thresholds = randomThresholds(r);
            int[][] w = randomWeights(r, groups, k);
            int n = 1 + r.nextInt(30);
            int[][] x = new int[groups][n];
            for (int[] row : x) {
                for (int p = 0; p < n; p++) {
                    row[p] = r.nextInt(k);
                }
            }
            ChannelTables t = ChannelTables.of(window, thresholds, w, g -> uniformCounts(1, thresholds.length + 2,
                    k)[0]);
            ChannelTables.Window win = t.newWindow(n);
            IndexGrid grid = grid(x, k);
            int[] out = new int[n];
            for (int g = 0; g < groups; g += 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0)) {
                win.contexts(grid, g, out);
                for (int p = 0; p < n; p++) {
                    int want = specContext(w, window, thresholds, x, g, p);
                    assertEquals(want, out[p], "trial " + trial + " group " + g + " position " + p);
                    assertEquals(want, t.context(x, g, p));
                    assertTrue(want >= 0 && want < t.contexts());
                }
            }
        }
    }

    @Test
    void tablesAreTheSpecsNormalisedRowsAndInputsAreChecked() {
        Random r = new Random(5);
        int[] thresholds = {1, 2, 3};
        long[][][] counts = randomCounts(r, 2, 5, 16);
        ChannelTables t = ChannelTables.fromCounts(16, thresholds, randomWeights(r, 2, 16), counts);
        for (int g = 0; g < 2; g++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(FrequencyTable.fromCounts(counts[g][c]), t.table(g, c));
                assertEquals(16, t.table(g, c).totalBits());
            }
        }
        int[][] w = new int[2][16];
        long[][][] c5 = uniformCounts(2, 5, 16);
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(0, thresholds, w, c5));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(256, thresholds, w, c5));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, new int[] {2, 2, 3}, w, c5));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, new int[] {0, 2, 3}, w, c5));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, new int[] {1, 2, 65536}, w,
                c5));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, new int[0], w,
                uniformCounts(2, 2, 16)));
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, new int[] {1, 2}, w, c5));
        int[][] heavy = new int[2][16];
        heavy[1][3] = 256;
        assertThrows(IllegalArgumentException.class, () -> ChannelTables.fromCounts(1, thresholds, heavy, c5));
    }

    // ------------------------------------------------------------------------------------------- payloads

    /** A file of n positions (a row of n latent columns), G groups, the given layout and coders (none 5). */
    static QtkFile file(int k, int n, int[] layout, int[] coders, int[][] x, FrequencyTable[] order0,
            ContextTables[] ctx, ChannelTables ch) {
        return PredictionTablesTest.file(k, n, 1, layout, coders, x, order0, ctx, ch, null);
    }

    /** Indices where each group repeats much of the previous one: what channel contexts are for. */
    static int[][] correlated(Random r, int groups, int n, int k) {
        int[][] x = new int[groups][n];
        for (int p = 0; p < n; p++) {
            x[0][p] = r.nextInt(k);
        }
        for (int g = 1; g < groups; g++) {
            for (int p = 0; p < n; p++) {
                x[g][p] = r.nextInt(4) == 0 ? r.nextInt(k) : x[g - 1][p];
            }
        }
        return x;
    }

    @Test
    void mixedCoderFilesRoundTripAndEveryPrefixDecodes() throws Exception {
        Random r = new Random(7);
        for (int trial = 0; trial < 120; trial++) {
            int k = new int[] {2, 16, 128, 300}[trial % 4];
            int groups = 1 + r.nextInt(9);
            int n = 1 + r.nextInt(trial % 7 == 0 ? 700 : 40);
            int window = 1 + r.nextInt(5);
            int[] thresholds = randomThresholds(r);
            int c = thresholds.length + 2;
            ChannelTables ch = ChannelTables.fromCounts(window, thresholds, randomWeights(r, groups, k),
                    randomCounts(r, groups, c, k));
            FrequencyTable[] order0 = new FrequencyTable[groups];
            ContextTables[] ctx = new ContextTables[groups];
            for (int g = 0; g < groups; g++) {
                order0[g] = FrequencyTable.fromCounts(randomCounts(r, 1, 1, k)[0][0]);
                ctx[g] = TokenCodingTest.randomTables(r, k);
            }
            int[] lay = CoderTestSupport.randomLayout(r, groups);
            int[] coders = new int[lay.length];
            for (int s = 0; s < lay.length; s++) {
                coders[s] = r.nextInt(3) == 0 ? new int[] {0, 1, 2, 3}[r.nextInt(4)] : 4;
            }
            int[][] x = r.nextBoolean() ? correlated(r, groups, n, k) : ramp(r, groups, n, k);
            QtkFile f = file(k, n, lay, coders, x, order0, ctx, ch);
            // and a truncated file: the streams present are a prefix, decoded alone
            CoderTestSupport.assertEveryPrefixDecodes(r, f, x,
                    (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> ctx[g], ch),
                    "trial " + trial);
        }
    }

    static int[][] ramp(Random r, int groups, int n, int k) {
        int[][] x = new int[groups][n];
        for (int g = 0; g < groups; g++) {
            for (int p = 0; p < n; p++) {
                x[g][p] = r.nextInt(3) == 0 ? r.nextInt(k) : (3 * p + 5 * g) % k;
            }
        }
        return x;
    }

    @Test
    void theDecoderUsesTheEarlierGroupsIndicesWhateverTheirCoder() throws Exception {
        // group 1 (coder 4) decoded with group 0 changed: other contexts, other indices (or a corrupt payload)
        Random r = new Random(9);
        int k = 16;
        int n = 200;
        int[][] x = correlated(r, 2, n, k);
        int[][] w = new int[2][k];
        for (int s = 0; s < k; s++) {
            w[0][s] = s;
            w[1][s] = s;
        }
        ChannelTables ch = ChannelTables.fromCounts(1, new int[] {4, 8, 12}, w, randomCounts(r, 2, 5, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = file(k, n, new int[] {1, 1}, new int[] {0, 4}, x, order0, null, ch);
        assertArrayEquals(x[1], TokenCoding.decodeGroups(f, 2, g -> order0[g], g -> null, ch).group(1));
        CoderTestSupport.assertGroup1ReadsGroup0(f, x, k,
                y -> file(k, n, new int[] {1, 1}, new int[] {0, 4}, y, order0, null, ch),
                (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, ch));
    }

    @Test
    void corruptAndTruncatedChannelPayloadsFailCleanly() throws Exception {
        Random r = new Random(23);
        int failures = 0;
        for (int k : new int[] {2, 16, 256}) {
            ChannelTables ch = ChannelTables.fromCounts(2, new int[] {3, 9, 20}, randomWeights(r, 2, k),
                    randomCounts(r, 2, 5, k));
            FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
            for (int trial = 0; trial < 200; trial++) {
                int n = 1 + r.nextInt(200);
                int[][] x = correlated(r, 2, n, k);
                QtkFile f = file(k, n, new int[] {1, 1}, new int[] {1, 4}, x, order0, null, ch);
                byte[] bad = CoderTestSupport.corrupted(r, f.streams().get(1).payload(0), trial % 4);
                if (CoderTestSupport.corruptGroup1FailsCleanly(f, bad, 4, k,
                        (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, ch))) {
                    failures++;
                }
                // the payload alone
                int[] contexts = ch.newWindow(n).contexts(grid(x, k), 1, new int[n]);
                try {
                    TokenCoding.decode(4, bad, 0, bad.length, new int[n], 0, n, k, n, null, null,
                            ch.model(1, contexts));
                } catch (EntropyCodingException expected) {
                    // fine
                }
            }
        }
        assertTrue(failures > 0, "no corrupt payload was detected");
        System.out.println("[coder 4] corrupt payloads detected as corrupt: " + failures);
    }

    @Test
    void withoutChannelTablesCoder4FailsNamingItAndPrefixesBeforeItDecode() throws Exception {
        Random r = new Random(3);
        int k = 16;
        int n = 30;
        int[][] x = correlated(r, 3, n, k);
        ChannelTables ch = ChannelTables.fromCounts(2, new int[] {8, 16}, randomWeights(r, 3, k),
                randomCounts(r, 3, 4, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = file(k, n, new int[] {1, 2}, new int[] {1, 4}, x, order0, null, ch);
        assertEquals(1, TokenCoding.decodeGroups(f, 1, g -> order0[g]).groups());
        assertEquals(1, TokenCoding.decodeGroups(f, 1, g -> order0[g], g -> null, null).groups());
        for (QtkException e : List.of(
                assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 2, g -> order0[g])),
                assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null,
                        null)))) {
            CoderTestSupport.assertMessageNames(e, "coder id 4", "channel", "entropy/weights.bin",
                    "entropy/channel.bin", "groups 1..2");
        }
        // tables of another K or another G
        ChannelTables k32 = ChannelTables.fromCounts(2, new int[] {8, 16}, randomWeights(r, 3, 32),
                randomCounts(r, 3, 4, 32));
        ChannelTables g2 = ChannelTables.fromCounts(2, new int[] {8, 16}, randomWeights(r, 2, k),
                randomCounts(r, 2, 4, k));
        assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null, k32));
        assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null, g2));
        // and the payload coder needs its model
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(4, x[1], k, n, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(4, x[1], k, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(4, x[1], 32, n, null, null,
                ch.model(1, new int[n])));
    }

    @Test
    void aFileWithACoder4StreamIsVersion12() {
        Random r = new Random(1);
        int k = 16;
        int n = 6;
        int[][] x = correlated(r, 3, n, k);
        ChannelTables ch = ChannelTables.fromCounts(2, new int[] {8, 16}, randomWeights(r, 3, k),
                randomCounts(r, 3, 4, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        ContextTables[] ctx = {TokenCodingTest.randomTables(r, k), TokenCodingTest.randomTables(r, k),
            TokenCodingTest.randomTables(r, k)};
        QtkFile f = file(k, n, new int[] {1, 1, 1}, new int[] {1, 3, 4}, x, order0, ctx, ch);
        byte[] b = QtkWriter.toBytes(f);
        assertEquals(1, b[8]);
        assertEquals(2, b[9]);
        assertEquals(1, QtkWriter.toBytes(f.prefix(2))[9]); // coders 1 and 3: still a 1.1 file
        assertEquals(0, QtkWriter.toBytes(f.prefix(1))[9]);
        QtkFile only4 = file(k, n, new int[] {3}, new int[] {4}, x, order0, ctx, ch);
        assertEquals(2, QtkWriter.toBytes(only4)[9]);
    }

    // ------------------------------------------------------------------------------------------- the encoder

    @Test
    void theEncoderKeepsTheSmallestCoderPerStreamAndTheLowestIdOnATie() throws Exception {
        Random r = new Random(17);
        int k = 16;
        int n = 400;
        int groups = 4;
        int[][] x = correlated(r, groups, n, k);
        for (int p = 0; p < n; p++) { // a skewed group 0, which its own measured table codes well
            x[0][p] = r.nextInt(8) == 0 ? r.nextInt(k) : r.nextInt(3);
            x[1][p] = r.nextInt(4) == 0 ? r.nextInt(k) : x[0][p];
        }
        x[3] = new int[n]; // all zeros
        // weights: the codeword itself (so S tells which codeword the previous group had)
        int[][] w = new int[groups][k];
        for (int[] row : w) {
            for (int s = 0; s < k; s++) {
                row[s] = 16 * s;
            }
        }
        int[] thresholds = new int[k - 1];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = 16 * (i + 1);
        }
        int c = thresholds.length + 2;
        // measured tables for groups 0..1 (good), tables peaked on the wrong codewords for group 2 (bad), all mass
        // on 0 for group 3 (coder 1 gives an empty payload too: a tie)
        long[][][] counts = uniformCounts(groups, c, k);
        ChannelTables probe = ChannelTables.fromCounts(1, thresholds, w, counts);
        for (int g = 0; g < 3; g++) {
            for (int p = 0; p < n; p++) {
                int ctx = probe.context(x, g, p);
                counts[g][ctx][g == 2 ? (x[g][p] + 8) % k : x[g][p]] += 50;
            }
        }
        for (long[] row : counts[3]) {
            row[0] = 1L << 30;
        }
        ChannelTables ch = ChannelTables.fromCounts(1, thresholds, w, counts);
        long[] zeroHeavy = new long[k];
        Arrays.fill(zeroHeavy, 1);
        zeroHeavy[0] = 1L << 30;
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k), FrequencyTable.uniform(k),
            FrequencyTable.fromCounts(zeroHeavy)};
        CodecModel m = FakeModels.tablesOnly(k, order0, null, ch, null);
        IndexGrid grid = grid(x, k);
        List<TokenStream> chosen = CodecEngine.codeStreams(grid, m, new int[] {1, 1, 1, 1}, n, false, ch);
        assertEquals(List.of(4, 4, 1, 1), chosen.stream().map(TokenStream::coderId).toList());
        // group 0 has one context: its tables are order-0 tables measured on the group itself
        int[] ctx1 = ch.newWindow(n).contexts(grid, 1, new int[n]);
        assertArrayEquals(TokenCoding.encode(4, x[1], k, n, null, null, ch.model(1, ctx1)), chosen.get(1).payload(0));
        assertEquals(0, chosen.get(3).payloadLength(0));
        int[] ctx3 = ch.newWindow(n).contexts(grid, 3, new int[n]);
        assertEquals(0, TokenCoding.encode(4, x[3], k, n, null, null, ch.model(3, ctx3)).length);
        // the file decodes, with the cross-stream contexts
        QtkFile.Builder fb = QtkFile.builder(PredictionTablesTest.header(k, n, 1, groups, 1, 1, 1, 1));
        chosen.forEach(fb::addStream);
        assertArrayEquals(x, CoderTestSupport.rows(TokenCoding.decodeGroups(fb.build(), groups, g -> order0[g],
                g -> null, ch)));
        // one stream of groups 1..3 after group 0: the coder of the smallest sum, for every payload
        List<TokenStream> two = CodecEngine.codeStreams(grid, m, new int[] {1, 3}, n, false, ch);
        long c1 = 0;
        long c4 = 0;
        ChannelTables.Window win = ch.newWindow(n);
        for (int g = 1; g < groups; g++) {
            c1 += TokenCoding.encode(1, x[g], k, order0[g]).length;
            c4 += TokenCoding.encode(4, x[g], k, n, null, null, ch.model(g, win.contexts(grid, g, new int[n])))
                    .length;
        }
        assertEquals(c4 < c1 ? 4 : 1, two.get(1).coderId());
        // without channel tables: no coder 4
        assertTrue(CodecEngine.codeStreams(grid, m, new int[] {1, 1, 1, 1}, n, false).stream()
                .allMatch(t -> t.coderId() == 1));
    }
}
