package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.format.Channels;
import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Coder id 5, "prediction" ({@code qtk-format.md} 9.2, format 1.3), below the engine: the rule against the spec's
 * worked example and against a straightforward reference implementation on random index grids (one column, one row,
 * group 0, groups before the window is full, absent neighbours, clamping, extreme coefficients and shifts), payload
 * round trips in files that mix coders, prefixes and truncations, corrupt payloads, missing tables, the version byte,
 * input checks and the encoder's per-stream choice.
 */
class PredictionTablesTest {

    // ------------------------------------------------------------------------------------ the reference rule

    /**
     * The rule of 9.2 written out directly ({@link GoldenTokenVectors#predictionRule}, shared with the generator of
     * the coder-5 vectors): {@code [pred, ctx, s]} of every position of group g.
     */
    static int[][] reference(int[][] x, int g, int columns, int k, int window, int shift, int[] activity, int[] a,
            int[] channelContext) {
        int n = x[g].length;
        int[] pred = new int[n];
        int[] ctx = new int[n];
        int[] sym = new int[n];
        for (int p = 0; p < n; p++) {
            int q = GoldenTokenVectors.predictionRule(x, g, p, columns, k, window, shift, activity, a, pred);
            ctx[p] = channelContext[p] * (activity.length + 1) + q;
            sym[p] = Math.floorMod(x[g][p] - pred[p], k);
        }
        return new int[][] {pred, ctx, sym};
    }

    static int[] channelContexts(ChannelTables ch, int[][] x, int g) {
        int[] out = new int[x[g].length];
        for (int p = 0; p < out.length; p++) {
            out[p] = ch.context(x, g, p);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ the worked example

    /** The worked example of 9.2: K = 8, 3 columns x 2 rows, G = 2. */
    static final int[][] X = {{1, 2, 6, 3, 3, 0}, {2, 3, 7, 4, 2, 1}};
    /** N = 1: a[0] = {x_{-1}, L, U, UL, UR, bias} (pred = L), a[1] = {2, 2, 1, -1, 0, 1} in quarters (S = 2). */
    static final int[][] A = {{0, 4, 0, 0, 0, 0}, {2, 2, 1, -1, 0, 1}};

    static ChannelTables exampleChannel() {
        // channel window 1, threshold 3, weights of group 0 = the index: ch = 1 + (x_0[p] >= 3) for g = 1
        int[][] w = {{0, 1, 2, 3, 4, 5, 6, 7}, {0, 0, 0, 0, 0, 0, 0, 0}};
        return ChannelTables.fromCounts(1, new int[] {3}, w, ChannelTablesTest.uniformCounts(2, 3, 8));
    }

    @Test
    void theRuleGivesTheWorkedExample() {
        ChannelTables ch = exampleChannel();
        PredictionTables pt = PredictionTables.fromCounts(ch, 1, 2, new int[] {1, 3}, A,
                ChannelTablesTest.uniformCounts(2, 9, 8));
        assertEquals(9, pt.contexts());
        PredictionTables.Coder coder = pt.newCoder(6, 3);
        IndexGrid grid = ChannelTablesTest.grid(X, 8);
        int[] ctx = new int[6];
        int[] sym = new int[6];
        coder.symbols(grid, 0, ctx, sym);
        assertArrayEquals(new int[] {4, 1, 2, 4, 3, 3}, coder.predictions());
        assertArrayEquals(new int[] {0, 2, 1, 2, 1, 2}, ctx);
        assertArrayEquals(new int[] {5, 1, 4, 7, 0, 5}, sym);
        coder.symbols(grid, 1, ctx, sym);
        assertArrayEquals(new int[] {3, 2, 5, 3, 4, 2}, coder.predictions());
        assertArrayEquals(new int[] {3, 4, 7, 7, 7, 5}, ctx);
        assertArrayEquals(new int[] {7, 1, 2, 1, 6, 7}, sym);
    }

    static int[] randomActivity(Random r) {
        int m = 1 + r.nextInt(r.nextInt(4) == 0 ? 16 : 3);
        int[] t = new int[m];
        int v = 0;
        for (int i = 0; i < m; i++) {
            v += 1 + r.nextInt(i == 0 ? 3 : 6);
            t[i] = v;
        }
        return t;
    }

    /** Coefficients: mostly small multiples of 2^S / 4, sometimes huge or at the bounds; unused slots zero. */
    static int[][] randomCoefficients(Random r, int groups, int window, int shift) {
        int[][] a = new int[groups][window + 5];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < window + 5; i++) {
                if (i < window && g - window + i < 0) {
                    continue;
                }
                switch (r.nextInt(8)) {
                    case 0 -> a[g][i] = 0;
                    case 1 -> a[g][i] = r.nextBoolean() ? PredictionTables.MAX_COEFFICIENT
                            : -PredictionTables.MAX_COEFFICIENT;
                    case 2 -> a[g][i] = r.nextInt(2 * PredictionTables.MAX_COEFFICIENT + 1)
                            - PredictionTables.MAX_COEFFICIENT;
                    default -> a[g][i] = (int) Math.max(-PredictionTables.MAX_COEFFICIENT, Math.min(
                            PredictionTables.MAX_COEFFICIENT, (r.nextInt(9) - 3) * ((1L << shift) / 4 + 1)));
                }
            }
        }
        return a;
    }

    static long[][][] randomCounts(Random r, int groups, int contexts, int k) {
        long[][][] c = new long[groups][contexts][k];
        for (long[][] g : c) {
            for (long[] row : g) {
                for (int s = 0; s < k; s++) {
                    row[s] = 1 + (r.nextInt(3) == 0 ? r.nextInt(1000) : r.nextInt(4));
                }
            }
        }
        return c;
    }

    /** Indices that are smooth in space and repeat across groups, with noise: what the prediction is for. */
    static int[][] smooth(Random r, int groups, int columns, int rows, int k) {
        int[][] x = new int[groups][columns * rows];
        for (int g = 0; g < groups; g++) {
            for (int p = 0; p < x[g].length; p++) {
                int base = g > 0 ? x[g - 1][p] : (p % columns + p / columns) * Math.max(1, k / 16);
                int v = r.nextInt(5) == 0 ? r.nextInt(k) : base + r.nextInt(3) - 1;
                x[g][p] = Math.floorMod(v, k);
            }
        }
        return x;
    }

    @Test
    void theCoderIsTheReferenceRuleOnRandomGrids() {
        Random r = new Random(11);
        int[] ks = {2, 3, 16, 255, 256, 300, 65536};
        for (int trial = 0; trial < 400; trial++) {
            int k = ks[trial % ks.length];
            int groups = 1 + r.nextInt(6);
            int columns = trial % 5 == 0 ? 1 : 1 + r.nextInt(7);
            int rows = trial % 7 == 0 ? 1 : 1 + r.nextInt(5);
            int n = columns * rows;
            int window = 1 + r.nextInt(trial % 3 == 0 ? 8 : 3); // often larger than g
            int shift = r.nextInt(3) == 0 ? 1 + r.nextInt(30) : 12;
            int[] activity = randomActivity(r);
            int[] thresholds = {1 + r.nextInt(10), 20 + r.nextInt(10)};
            int[][] w = ChannelTablesTest.randomWeights(r, groups, k);
            ChannelTables ch = ChannelTables.of(1 + r.nextInt(3), thresholds, w, g -> null);
            int[][] a = randomCoefficients(r, groups, window, shift);
            PredictionTables pt = PredictionTables.of(ch, window, shift, activity, a, g -> null);
            int[][] x = r.nextBoolean() ? smooth(r, groups, columns, rows, k)
                    : ChannelTablesTest.ramp(r, groups, n, k);
            IndexGrid grid = ChannelTablesTest.grid(x, k);
            PredictionTables.Coder all = pt.newCoder(n, columns);
            PredictionTables.Coder some = pt.newCoder(n, columns);
            int[] ctx = new int[n];
            int[] sym = new int[n];
            for (int g = 0; g < groups; g++) {
                int[][] want = reference(x, g, columns, k, window, shift, activity, a[g], channelContexts(ch, x, g));
                all.symbols(grid, g, ctx, sym);
                String where = "trial " + trial + " g " + g + " K " + k + " columns " + columns;
                assertArrayEquals(want[0], all.predictions(), where);
                assertArrayEquals(want[1], ctx, where);
                assertArrayEquals(want[2], sym, where);
                if (r.nextInt(3) == 0) { // a coder that skips groups catches up
                    some.symbols(grid, g, ctx, sym);
                    assertArrayEquals(want[1], ctx, where);
                    assertArrayEquals(want[2], sym, where);
                }
                for (int v : ctx) {
                    assertTrue(v >= 0 && v < pt.contexts());
                }
            }
        }
    }

    @Test
    void neutralNeighboursAreHalfOfK() {
        // K = 9: the neutral index is 4; a prediction of only "up" is 4 on the first row, then the row above
        int k = 9;
        int[][] x = {{8, 7, 6, 0, 1, 2}};
        ChannelTables ch = ChannelTables.fromCounts(1, new int[] {1}, new int[1][k],
                ChannelTablesTest.uniformCounts(1, 3, k));
        for (int slot = 0; slot < 4; slot++) {
            int[] a = new int[6];
            a[1 + slot] = 1 << 12;
            PredictionTables pt = PredictionTables.fromCounts(ch, 1, 12, new int[] {1}, new int[][] {a},
                    ChannelTablesTest.uniformCounts(1, 6, k));
            PredictionTables.Coder c = pt.newCoder(6, 3);
            c.symbols(ChannelTablesTest.grid(x, k), 0, new int[6], new int[6]);
            int[][] want = {{4, 8, 7, 4, 0, 1}, {4, 4, 4, 8, 7, 6}, {4, 4, 4, 4, 8, 7}, {4, 4, 4, 7, 6, 4}};
            assertArrayEquals(want[slot], c.predictions(), "slot " + slot);
        }
    }

    @Test
    void tablesAreTheSpecsNormalisedRowsAndInputsAreChecked() {
        Random r = new Random(5);
        int k = 16;
        ChannelTables ch = ChannelTables.fromCounts(2, new int[] {3, 9}, ChannelTablesTest.randomWeights(r, 3, k),
                ChannelTablesTest.uniformCounts(3, 4, k));
        long[][][] counts = randomCounts(r, 3, 12, k);
        int[][] a = randomCoefficients(r, 3, 2, 12);
        PredictionTables t = PredictionTables.fromCounts(ch, 2, 12, new int[] {1, 3}, a, counts);
        assertEquals(12, t.contexts());
        for (int g = 0; g < 3; g++) {
            assertArrayEquals(a[g], t.coefficients(g));
            for (int c = 0; c < 12; c++) {
                assertEquals(FrequencyTable.fromCounts(counts[g][c]), t.table(g, c));
            }
        }
        int[] act = {1, 3};
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 0, 12, act, a, g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 256, 12, act, a, g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 0, act, a, g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 31, act, a, g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 12, new int[0], a,
                g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 12, new int[17], a,
                g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 12, new int[] {0, 3}, a,
                g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 12, new int[] {3, 3}, a,
                g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 3, 12, act, a, g -> null));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.of(ch, 2, 12, act,
                Arrays.copyOf(a, 2), g -> null));
        int[][] big = {a[0].clone(), a[1].clone(), a[2].clone()};
        big[2][6] = PredictionTables.MAX_COEFFICIENT + 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionTables.of(ch, 2, 12, act, big, g -> null));
        assertTrue(e.getMessage().contains("coefficient 6 of group 2"), e.getMessage());
        int[][] unused = {a[0].clone(), a[1].clone(), a[2].clone()};
        unused[1][0] = 1; // group 1, slot 0 multiplies group -1
        e = assertThrows(IllegalArgumentException.class,
                () -> PredictionTables.of(ch, 2, 12, act, unused, g -> null));
        assertTrue(e.getMessage().contains("must be 0"), e.getMessage());
        unused[1][0] = 0;
        unused[2][0] = 7; // group 2, slot 0 multiplies group 0: allowed
        PredictionTables.of(ch, 2, 12, act, unused, g -> null);
        // wrong count shapes are found when the tables are made
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.fromCounts(ch, 2, 12, act, a,
                randomCounts(r, 3, 11, k)));
        assertThrows(IllegalArgumentException.class, () -> PredictionTables.fromCounts(ch, 2, 12, act, a,
                randomCounts(r, 3, 12, 15)));
        // a coder needs whole rows
        assertThrows(IllegalArgumentException.class, () -> t.newCoder(10, 3));
        assertThrows(IllegalArgumentException.class, () -> t.newCoder(10, 0));
        // groups in ascending order
        PredictionTables.Coder c = t.newCoder(6, 3);
        IndexGrid grid = new IndexGrid(3, 6, k);
        c.encode(grid, 1);
        assertThrows(IllegalArgumentException.class, () -> c.encode(grid, 1));
        assertThrows(IllegalArgumentException.class, () -> c.encode(grid, 3));
    }

    // ------------------------------------------------------------------------------------------- payloads

    /** The header of a gray test file: a latent {@code columns x rows}, f 4, G groups of K codewords, d 1. */
    static QtkHeader header(int k, int columns, int rows, int groups, int... layout) {
        return QtkHeader.builder().size(4 * columns, 4 * rows).channels(Channels.GRAY)
                .model(ModelId.of("m", "1", new byte[32])).quantiser(new GridLayout(4, groups, k, 1))
                .streamLayout(layout).build();
    }

    /** A file of a latent {@code columns x rows}, G groups, the given layout and coders (5 among them). */
    static QtkFile file(int k, int columns, int rows, int[] layout, int[] coders, int[][] x, FrequencyTable[] order0,
            ContextTables[] ctx, ChannelTables ch, PredictionTables pt) {
        return GoldenTokenVectors.codedFile(header(k, columns, rows, x.length, layout), coders,
                ChannelTablesTest.grid(x, k), g -> order0[g], g -> ctx == null ? null : ctx[g], ch, pt);
    }

    @Test
    void mixedCoderFilesRoundTripAndEveryPrefixDecodes() throws Exception {
        Random r = new Random(7);
        for (int trial = 0; trial < 120; trial++) {
            int k = new int[] {2, 16, 128, 300}[trial % 4];
            int groups = 1 + r.nextInt(9);
            int columns = trial % 6 == 0 ? 1 : 1 + r.nextInt(12);
            int rows = trial % 5 == 0 ? 1 : 1 + r.nextInt(trial % 7 == 0 ? 30 : 6);
            int n = columns * rows;
            int window = 1 + r.nextInt(5);
            int shift = r.nextInt(4) == 0 ? 1 + r.nextInt(30) : 12;
            int[] thresholds = {4, 12, 30};
            ChannelTables ch = ChannelTables.fromCounts(1 + r.nextInt(3), thresholds,
                    ChannelTablesTest.randomWeights(r, groups, k), randomCounts(r, groups, 5, k));
            int[] activity = randomActivity(r);
            PredictionTables pt = PredictionTables.fromCounts(ch, window, shift, activity,
                    randomCoefficients(r, groups, window, shift), randomCounts(r, groups, 5 * (activity.length + 1),
                    k));
            FrequencyTable[] order0 = new FrequencyTable[groups];
            ContextTables[] ctx = new ContextTables[groups];
            for (int g = 0; g < groups; g++) {
                order0[g] = FrequencyTable.fromCounts(randomCounts(r, 1, 1, k)[0][0]);
                ctx[g] = TokenCodingTest.randomTables(r, k);
            }
            int[] lay = CoderTestSupport.randomLayout(r, groups);
            int[] coders = new int[lay.length];
            for (int s = 0; s < lay.length; s++) {
                coders[s] = r.nextInt(2) == 0 ? new int[] {0, 1, 2, 3, 4}[r.nextInt(5)] : 5;
            }
            int[][] x = r.nextBoolean() ? smooth(r, groups, columns, rows, k) : ChannelTablesTest.ramp(r, groups, n, k);
            QtkFile f = file(k, columns, rows, lay, coders, x, order0, ctx, ch, pt);
            CoderTestSupport.assertEveryPrefixDecodes(r, f, x,
                    (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> ctx[g], ch, pt),
                    "trial " + trial);
        }
    }

    @Test
    void theDecoderUsesTheEarlierGroupsIndicesWhateverTheirCoder() throws Exception {
        Random r = new Random(9);
        int k = 16;
        int[][] x = smooth(r, 2, 10, 10, k);
        ChannelTables ch = ChannelTables.fromCounts(1, new int[] {4, 8}, ChannelTablesTest.randomWeights(r, 2, k),
                randomCounts(r, 2, 4, k));
        // window 2: group 0 predicted by the mean of left and up, group 1 by group 0
        int[][] a1 = {{0, 0, 2048, 2048, 0, 0, 0}, {0, 4096, 0, 0, 0, 0, 0}};
        PredictionTables pt = PredictionTables.fromCounts(ch, 2, 12, new int[] {1, 3}, a1,
                randomCounts(r, 2, 12, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = file(k, 10, 10, new int[] {1, 1}, new int[] {0, 5}, x, order0, null, ch, pt);
        assertArrayEquals(x[1], TokenCoding.decodeGroups(f, 2, g -> order0[g], g -> null, ch, pt).group(1));
        CoderTestSupport.assertGroup1ReadsGroup0(f, x, k,
                y -> file(k, 10, 10, new int[] {1, 1}, new int[] {0, 5}, y, order0, null, ch, pt),
                (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, ch, pt));
    }

    @Test
    void corruptAndTruncatedPredictionPayloadsFailCleanly() throws Exception {
        Random r = new Random(23);
        int failures = 0;
        for (int k : new int[] {2, 16, 256}) {
            ChannelTables ch = ChannelTables.fromCounts(2, new int[] {3, 9, 20},
                    ChannelTablesTest.randomWeights(r, 2, k), randomCounts(r, 2, 5, k));
            PredictionTables pt = PredictionTables.fromCounts(ch, 1, 12, new int[] {1, 3},
                    randomCoefficients(r, 2, 1, 12), randomCounts(r, 2, 15, k));
            FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
            for (int trial = 0; trial < 200; trial++) {
                int columns = 1 + r.nextInt(20);
                int rows = 1 + r.nextInt(10);
                int[][] x = smooth(r, 2, columns, rows, k);
                QtkFile f = file(k, columns, rows, new int[] {1, 1}, new int[] {1, 5}, x, order0, null, ch, pt);
                byte[] bad = CoderTestSupport.corrupted(r, f.streams().get(1).payload(0), trial % 4);
                if (CoderTestSupport.corruptGroup1FailsCleanly(f, bad, 5, k,
                        (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, ch, pt))) {
                    failures++;
                }
            }
        }
        assertTrue(failures > 0, "no corrupt payload was detected");
        System.out.println("[coder 5] corrupt payloads detected as corrupt: " + failures);
    }

    @Test
    void withoutPredictionTablesCoder5FailsNamingItAndPrefixesBeforeItDecode() throws Exception {
        Random r = new Random(3);
        int k = 16;
        int[][] x = smooth(r, 3, 5, 6, k);
        ChannelTables ch = ChannelTables.fromCounts(2, new int[] {8, 16}, ChannelTablesTest.randomWeights(r, 3, k),
                randomCounts(r, 3, 4, k));
        PredictionTables pt = PredictionTables.fromCounts(ch, 2, 12, new int[] {1, 3},
                randomCoefficients(r, 3, 2, 12), randomCounts(r, 3, 12, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = file(k, 5, 6, new int[] {1, 2}, new int[] {1, 5}, x, order0, null, ch, pt);
        assertEquals(1, TokenCoding.decodeGroups(f, 1, g -> order0[g]).groups());
        assertEquals(1, TokenCoding.decodeGroups(f, 1, g -> order0[g], g -> null, ch, null).groups());
        for (QtkException e : List.of(
                assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 2, g -> order0[g])),
                assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null,
                        ch)),
                assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null,
                        ch, null)))) {
            CoderTestSupport.assertMessageNames(e, "coder id 5", "prediction", "entropy/predict.bin",
                    "entropy/residual.bin", "groups 1..2");
        }
        // tables of another K or another G
        ChannelTables ch32 = ChannelTables.fromCounts(2, new int[] {8, 16}, ChannelTablesTest.randomWeights(r, 3, 32),
                randomCounts(r, 3, 4, 32));
        PredictionTables k32 = PredictionTables.fromCounts(ch32, 2, 12, new int[] {1, 3},
                randomCoefficients(r, 3, 2, 12), randomCounts(r, 3, 12, 32));
        ChannelTables ch2 = ChannelTables.fromCounts(2, new int[] {8, 16}, ChannelTablesTest.randomWeights(r, 2, k),
                randomCounts(r, 2, 4, k));
        PredictionTables g2 = PredictionTables.fromCounts(ch2, 2, 12, new int[] {1, 3},
                randomCoefficients(r, 2, 2, 12), randomCounts(r, 2, 12, k));
        assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null, ch, k32));
        assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g], g -> null, ch, g2));
        // the per-payload methods refuse coder 5 (it needs the earlier groups)
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(5, x[1], k, 5, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.decode(5, new byte[0], 0, 0, new int[30], 0,
                30, k, 5, null, null, null));
        assertTrue(TokenCoding.supported(5));
    }

    @Test
    void aFileWithACoder5StreamIsVersion13() {
        Random r = new Random(1);
        int k = 16;
        int[][] x = smooth(r, 4, 3, 2, k);
        ChannelTables ch = ChannelTables.fromCounts(2, new int[] {8, 16}, ChannelTablesTest.randomWeights(r, 4, k),
                randomCounts(r, 4, 4, k));
        PredictionTables pt = PredictionTables.fromCounts(ch, 2, 12, new int[] {1, 3},
                randomCoefficients(r, 4, 2, 12), randomCounts(r, 4, 12, k));
        FrequencyTable[] order0 = new FrequencyTable[4];
        ContextTables[] ctx = new ContextTables[4];
        for (int g = 0; g < 4; g++) {
            order0[g] = FrequencyTable.uniform(k);
            ctx[g] = TokenCodingTest.randomTables(r, k);
        }
        QtkFile f = file(k, 3, 2, new int[] {1, 1, 1, 1}, new int[] {1, 3, 4, 5}, x, order0, ctx, ch, pt);
        byte[] b = QtkWriter.toBytes(f);
        assertEquals(1, b[8]);
        assertEquals(3, b[9]);
        assertEquals(2, QtkWriter.toBytes(f.prefix(3))[9]);
        assertEquals(1, QtkWriter.toBytes(f.prefix(2))[9]);
        assertEquals(0, QtkWriter.toBytes(f.prefix(1))[9]);
        QtkFile only5 = file(k, 3, 2, new int[] {4}, new int[] {5}, x, order0, ctx, ch, pt);
        assertEquals(3, QtkWriter.toBytes(only5)[9]);
    }

    // ------------------------------------------------------------------------------------------- the encoder

    @Test
    void theEncoderKeepsTheSmallestOfCoders13456PerStream() throws Exception {
        Random r = new Random(17);
        int k = 32;
        int columns = 20;
        int rows = 15;
        int n = columns * rows;
        int groups = 5;
        int[][] x = smooth(r, groups, columns, rows, k);
        IndexGrid grid = ChannelTablesTest.grid(x, k);
        int[][] w = ContextBundles.weights(grid, k);
        int[] thresholds = {8, 16};
        ChannelTables ch = ChannelTables.fromCounts(2, thresholds, w,
                ContextBundles.channelCounts(grid, 2, thresholds, w, k));
        int[][] a = ContextBundles.fitPrediction(grid, columns, 2, 12, k);
        int[] act = {1, 3};
        PredictionTables pt = PredictionTables.fromCounts(ch, 2, 12, act, a,
                ContextBundles.residualCounts(grid, columns, ch, 2, 12, act, a));
        FrequencyTable[] order0 = new FrequencyTable[groups];
        for (int g = 0; g < groups; g++) {
            long[] c = new long[k];
            Arrays.fill(c, 1);
            for (int v : x[g]) {
                c[v]++;
            }
            order0[g] = FrequencyTable.fromCounts(c);
        }
        // a predictor that the last group defeats: group 4 is noise
        for (int p = 0; p < n; p++) {
            x[4][p] = r.nextInt(k);
        }
        IndexGrid noisy = ChannelTablesTest.grid(x, k);
        CodecModel m = FakeModels.tablesOnly(k, order0, null, ch, pt);
        int[] layout = {1, 1, 1, 1, 1};
        List<TokenStream> chosen = CodecEngine.codeStreams(noisy, m, layout, columns, false, ch, pt);
        ChannelTables.Window win = ch.newWindow(n);
        PredictionTables.Coder coder = pt.newCoder(n, columns);
        int used56 = 0;
        for (int g = 0; g < groups; g++) {
            int c1 = TokenCoding.encode(1, x[g], k, order0[g]).length;
            int c4 = TokenCoding.encode(4, x[g], k, columns, null, null,
                    ch.model(g, win.contexts(noisy, g, new int[n]))).length;
            byte[][] both = coder.encodeBoth(noisy, g);
            int c5 = both[0].length;
            int c6 = both[1].length;
            int best = Math.min(Math.min(c1, c4), Math.min(c5, c6));
            int want = c1 == best ? 1 : c4 == best ? 4 : c5 == best ? 5 : 6;
            assertEquals(want, chosen.get(g).coderId(), "group " + g + ": " + c1 + ", " + c4 + ", " + c5 + ", " + c6);
            assertEquals(best, chosen.get(g).payloadLength(0));
            used56 += want >= 5 ? 1 : 0;
        }
        assertTrue(used56 > 0, "coders 5 and 6 never chosen");
        QtkFile.Builder fb = QtkFile.builder(header(k, columns, rows, groups, layout));
        chosen.forEach(fb::addStream);
        assertArrayEquals(x, CoderTestSupport.rows(TokenCoding.decodeGroups(fb.build(), groups, g -> order0[g],
                g -> null, ch, pt)));
        // without prediction tables: no coder 5 or 6
        List<TokenStream> no5 = CodecEngine.codeStreams(noisy, m, layout, columns, false, ch);
        assertTrue(no5.stream().noneMatch(t -> t.coderId() >= 5));
        // one stream of groups 1..4: the coder of the smallest sum
        List<TokenStream> two = CodecEngine.codeStreams(noisy, m, new int[] {1, 4}, columns, false, ch, pt);
        long s1 = 0;
        long s4 = 0;
        long s5 = 0;
        long s6 = 0;
        ChannelTables.Window win2 = ch.newWindow(n);
        PredictionTables.Coder coder2 = pt.newCoder(n, columns);
        PredictionTables.Coder coder3 = pt.newCoder(n, columns);
        for (int g = 1; g < groups; g++) {
            s1 += TokenCoding.encode(1, x[g], k, order0[g]).length;
            s4 += TokenCoding.encode(4, x[g], k, columns, null, null,
                    ch.model(g, win2.contexts(noisy, g, new int[n]))).length;
            s5 += coder2.encode(noisy, g).length;
            s6 += coder3.encode(noisy, g, true).length;
        }
        long best = Math.min(Math.min(s1, s4), Math.min(s5, s6));
        assertEquals(s1 == best ? 1 : s4 == best ? 4 : s5 == best ? 5 : 6, two.get(1).coderId());
    }
}
