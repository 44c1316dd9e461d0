package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkException;
import io.qtk.entropy.AdaptiveFrequencies;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.RangeEncoder;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Coder id 6, "adaptive prediction" ({@code qtk-format.md} 9.2, format 1.4): coder 5's symbols and contexts coded with
 * adaptive tables primed with coder 5's static ones. Against a reference written from the spec (symbols and contexts
 * from {@link PredictionTables.Coder#symbols}, per context plain-array counts primed from the static table, fresh per
 * payload), including the halving when a context's total passes 2^24; round trips in files mixing all coders, prefixes,
 * corrupt payloads, missing tables and the version byte.
 */
class AdaptivePredictionTest {

    /**
     * The payload coder 6 must produce, written out from the spec's words with plain arrays (not
     * {@link AdaptiveFrequencies}): per context a copy of the static table's frequencies made at its first symbol,
     * each symbol coded with the current frequencies, then {@code f[s] += 2^(B-6)} and, when the total passes 2^24,
     * {@code f = (f + 1) >> 1} for all.
     */
    static byte[] reference(PredictionTables pt, IndexGrid grid, int g, int columns) {
        int n = grid.positions();
        int k = pt.codebookSize();
        int[] ctx = new int[n];
        int[] sym = new int[n];
        pt.newCoder(n, columns).symbols(grid, g, ctx, sym);
        int inc = 1 << (FrequencyTable.defaultTotalBits(k) - 6);
        int[][] f = new int[pt.contexts()][];
        RangeEncoder enc = new RangeEncoder();
        for (int p = 0; p < n; p++) {
            int[] t = f[ctx[p]];
            if (t == null) {
                t = pt.table(g, ctx[p]).frequencies();
                f[ctx[p]] = t;
            }
            int cum = 0;
            long total = 0;
            for (int s = 0; s < k; s++) {
                cum += s < sym[p] ? t[s] : 0;
                total += t[s];
            }
            enc.encode(cum, t[sym[p]], (int) total);
            t[sym[p]] += inc;
            if (total + inc > 1 << 24) {
                for (int s = 0; s < k; s++) {
                    t[s] = (t[s] + 1) >> 1;
                }
            }
        }
        return enc.finish();
    }

    static PredictionTables randomTables(Random r, int groups, int k, int window) {
        ChannelTables ch = ChannelTables.fromCounts(1 + r.nextInt(3), new int[] {4, 12, 30},
                ChannelTablesTest.randomWeights(r, groups, k), PredictionTablesTest.randomCounts(r, groups, 5, k));
        int[] activity = PredictionTablesTest.randomActivity(r);
        return PredictionTables.fromCounts(ch, window, 12, activity,
                PredictionTablesTest.randomCoefficients(r, groups, window, 12),
                PredictionTablesTest.randomCounts(r, groups, 5 * (activity.length + 1), k));
    }

    @Test
    void payloadsAreTheSpecsPrimedAdaptiveCodingAndDecode() throws Exception {
        Random r = new Random(61);
        for (int trial = 0; trial < 60; trial++) {
            int k = new int[] {2, 16, 128, 300, 4096}[trial % 5];
            int groups = 1 + r.nextInt(4);
            int columns = 1 + r.nextInt(15);
            int rows = 1 + r.nextInt(12);
            int[][] x = PredictionTablesTest.smooth(r, groups, columns, rows, k);
            IndexGrid grid = ChannelTablesTest.grid(x, k);
            PredictionTables pt = randomTables(r, groups, k, 1 + r.nextInt(3));
            PredictionTables.Coder coder = pt.newCoder(columns * rows, columns);
            PredictionTables.Coder dec = pt.newCoder(columns * rows, columns);
            for (int g = 0; g < groups; g++) {
                byte[][] both = coder.encodeBoth(grid, g);
                assertArrayEquals(reference(pt, grid, g, columns), both[1], "trial " + trial + " group " + g);
                int[] out = new int[columns * rows];
                dec.decode(grid, g, both[1], 0, both[1].length, out, true);
                assertArrayEquals(x[g], out, "trial " + trial + " group " + g);
            }
        }
    }

    @Test
    void aContextPastTheLimitIsHalvedLikeTheSpecSays() throws Exception {
        // one group, one context used (constant indices, the left neighbour predicts them): 2^16 + 1024 t passes
        // 2^24 after 16321 symbols, so 20000 positions halve once
        int k = 16;
        int columns = 200;
        int rows = 100;
        int[][] x = new int[1][columns * rows];
        java.util.Arrays.fill(x[0], 8);
        x[0][123] = 3; // and a few others
        x[0][17000] = 11;
        IndexGrid grid = ChannelTablesTest.grid(x, k);
        ChannelTables ch = ChannelTables.fromCounts(1, new int[] {4}, new int[][] {new int[k]},
                ChannelTablesTest.uniformCounts(1, 3, k));
        int[][] a = {{0, 4096, 0, 0, 0, 0}}; // pred = left (K / 2 = 8 at the row starts)
        PredictionTables pt = PredictionTables.fromCounts(ch, 1, 12, new int[] {1, 3}, a,
                PredictionTablesTest.randomCounts(new Random(2), 1, 9, k));
        byte[][] both = pt.newCoder(columns * rows, columns).encodeBoth(grid, 0);
        assertArrayEquals(reference(pt, grid, 0, columns), both[1]);
        int[] out = new int[columns * rows];
        pt.newCoder(columns * rows, columns).decode(grid, 0, both[1], 0, both[1].length, out, true);
        assertArrayEquals(x[0], out);
        // adaptation pays here: the static table has no idea the residual is almost always 0
        assertTrue(both[1].length * 4 < both[0].length, both[1].length + " vs " + both[0].length + " bytes");
        assertEquals(1024, pt.adaptiveModel().increment());
        assertEquals(1 << 24, pt.adaptiveModel().limit());
    }

    @Test
    void mixedCoderFilesRoundTripAndEveryPrefixDecodes() throws Exception {
        Random r = new Random(71);
        for (int trial = 0; trial < 60; trial++) {
            int k = new int[] {2, 16, 128, 300}[trial % 4];
            int groups = 1 + r.nextInt(8);
            int columns = 1 + r.nextInt(10);
            int rows = 1 + r.nextInt(8);
            PredictionTables pt = randomTables(r, groups, k, 1 + r.nextInt(4));
            FrequencyTable[] order0 = new FrequencyTable[groups];
            ContextTables[] ctx = new ContextTables[groups];
            for (int g = 0; g < groups; g++) {
                order0[g] = FrequencyTable.fromCounts(PredictionTablesTest.randomCounts(r, 1, 1, k)[0][0]);
                ctx[g] = TokenCodingTest.randomTables(r, k);
            }
            int[] lay = CoderTestSupport.randomLayout(r, groups);
            int[] coders = new int[lay.length];
            for (int s = 0; s < lay.length; s++) {
                coders[s] = r.nextInt(2) == 0 ? r.nextInt(6) : 6;
            }
            int[][] x = PredictionTablesTest.smooth(r, groups, columns, rows, k);
            QtkFile f = PredictionTablesTest.file(k, columns, rows, lay, coders, x, order0, ctx, pt.channel(), pt);
            CoderTestSupport.assertEveryPrefixDecodes(r, f, x, (file, used) -> TokenCoding.decodeGroups(file, used,
                    g -> order0[g], g -> ctx[g], pt.channel(), pt), "trial " + trial);
        }
    }

    @Test
    void corruptPayloadsFailCleanlyAndGroup1ReadsGroup0() throws Exception {
        Random r = new Random(29);
        int failures = 0;
        for (int k : new int[] {2, 16, 256}) {
            PredictionTables pt = randomTables(r, 2, k, 1);
            FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
            for (int trial = 0; trial < 150; trial++) {
                int columns = 1 + r.nextInt(20);
                int rows = 1 + r.nextInt(10);
                int[][] x = PredictionTablesTest.smooth(r, 2, columns, rows, k);
                QtkFile f = PredictionTablesTest.file(k, columns, rows, new int[] {1, 1}, new int[] {1, 6}, x,
                        order0, null, pt.channel(), pt);
                byte[] bad = CoderTestSupport.corrupted(r, f.streams().get(1).payload(0), trial % 4);
                if (CoderTestSupport.corruptGroup1FailsCleanly(f, bad, 6, k, (file, used) ->
                        TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, pt.channel(), pt))) {
                    failures++;
                }
            }
        }
        assertTrue(failures > 0, "no corrupt payload was detected");
        // group 1 predicted by group 0 (window 1, a = 1), group 0 by the mean of left and up
        int k = 16;
        int[][] x = PredictionTablesTest.smooth(r, 2, 10, 10, k);
        ChannelTables ch = ChannelTables.fromCounts(1, new int[] {4, 8}, ChannelTablesTest.randomWeights(r, 2, k),
                PredictionTablesTest.randomCounts(r, 2, 4, k));
        int[][] a = {{0, 2048, 2048, 0, 0, 0}, {4096, 0, 0, 0, 0, 0}};
        PredictionTables pt = PredictionTables.fromCounts(ch, 1, 12, new int[] {1, 3}, a,
                PredictionTablesTest.randomCounts(r, 2, 12, k));
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = PredictionTablesTest.file(k, 10, 10, new int[] {1, 1}, new int[] {0, 6}, x, order0, null, ch, pt);
        assertArrayEquals(x[1], TokenCoding.decodeGroups(f, 2, g -> order0[g], g -> null, ch, pt).group(1));
        CoderTestSupport.assertGroup1ReadsGroup0(f, x, k, y -> PredictionTablesTest.file(k, 10, 10,
                new int[] {1, 1}, new int[] {0, 6}, y, order0, null, ch, pt),
                (file, used) -> TokenCoding.decodeGroups(file, used, g -> order0[g], g -> null, ch, pt));
    }

    @Test
    void withoutPredictionTablesCoder6FailsNamingItAndTheVersionIs14() throws Exception {
        Random r = new Random(5);
        int k = 16;
        int[][] x = PredictionTablesTest.smooth(r, 3, 5, 6, k);
        PredictionTables pt = randomTables(r, 3, k, 2);
        FrequencyTable[] order0 = {FrequencyTable.uniform(k), FrequencyTable.uniform(k), FrequencyTable.uniform(k)};
        QtkFile f = PredictionTablesTest.file(k, 5, 6, new int[] {1, 1, 1}, new int[] {1, 5, 6}, x, order0, null,
                pt.channel(), pt);
        assertEquals(2, TokenCoding.decodeGroups(f, 2, g -> order0[g], g -> null, pt.channel(), pt).groups());
        QtkException e = assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(f, 3, g -> order0[g],
                g -> null, pt.channel(), null));
        CoderTestSupport.assertMessageNames(e, "coder id 5"); // group 1 (coder 5) is needed first
        QtkFile only6 = PredictionTablesTest.file(k, 5, 6, new int[] {3}, new int[] {6}, x, order0, null,
                pt.channel(), pt);
        e = assertThrows(QtkException.class, () -> TokenCoding.decodeGroups(only6, 3, g -> order0[g], g -> null,
                pt.channel(), null));
        CoderTestSupport.assertMessageNames(e, "coder id 6", "adaptive prediction", "entropy/predict.bin",
                "entropy/residual.bin", "groups 0..2");
        assertEquals(0, TokenCoding.decodeGroups(only6, 0, g -> order0[g], g -> null, pt.channel(), null).groups());
        // version: 1.4 with a coder-6 stream, the lower versions for the prefixes without one
        byte[] b = QtkWriter.toBytes(f);
        assertEquals(1, b[8]);
        assertEquals(4, b[9]);
        assertEquals(3, QtkWriter.toBytes(f.prefix(2))[9]);
        assertEquals(0, QtkWriter.toBytes(f.prefix(1))[9]);
        assertEquals(4, QtkWriter.toBytes(only6)[9]);
        // the per-payload methods refuse coder 6 (it needs the earlier groups)
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(6, x[1], k, 5, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.decode(6, new byte[0], 0, 0, new int[30], 0,
                30, k, 5, null, null, null));
        assertTrue(List.of(5, 6).stream().allMatch(TokenCoding::supported));
    }
}
