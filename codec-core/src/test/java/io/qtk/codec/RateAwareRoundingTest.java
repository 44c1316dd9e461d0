package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rate-aware rounding (encoder only): the margin byte of a scalar value, the greedy choice of
 * {@link PredictionTables.Coder#refine} against a direct reference of the rule on random grids, tables and margins,
 * and the weight per ladder point.
 */
class RateAwareRoundingTest {

    @Test
    void marginsNameTheOtherNeighbouringCodewordAndTheExtraError() {
        int k = 8; // codewords -4..3 (c0 = -4, step 1): index x <-> value x - 4
        // on a codeword: runner-up one up, a full step of extra error
        int m = RoundingMargins.of(0f, 4, -4f, 1f, k);
        assertEquals(5, RoundingMargins.runnerUp(4, m, k));
        assertEquals(1.0, RoundingMargins.extraDistortion(m), 1e-9);
        // 0.3 above index 4: runner-up 5, extra (1 - 0.3)^2 - 0.3^2 = 0.4
        m = RoundingMargins.of(0.3f, 4, -4f, 1f, k);
        assertEquals(5, RoundingMargins.runnerUp(4, m, k));
        assertEquals(0.4, RoundingMargins.extraDistortion(m), 1.0 / 254);
        // 0.45 below index 4: runner-up 3, extra 0.1
        m = RoundingMargins.of(-0.45f, 4, -4f, 1f, k);
        assertEquals(3, RoundingMargins.runnerUp(4, m, k));
        assertEquals(0.1, RoundingMargins.extraDistortion(m), 1.0 / 254);
        // half-way: a tie, no extra error
        m = RoundingMargins.of(0.5f, 4, -4f, 1f, k);
        assertEquals(0.0, RoundingMargins.extraDistortion(m), 1e-9);
        // a step of 0.5 and another origin: z = 1.1 is index 2 of {0, 0.5, 1, 1.5, ...} plus 0.2 steps
        m = RoundingMargins.of(1.1f, 2, 0f, 0.5f, k);
        assertEquals(3, RoundingMargins.runnerUp(2, m, k));
        assertEquals(0.6, RoundingMargins.extraDistortion(m), 1.0 / 254);
    }

    @Test
    void atTheEndsAndForNonFiniteValuesTheRunnerUpStaysInsideAndIsDear() {
        int k = 8;
        int m = RoundingMargins.of(-9f, 0, -4f, 1f, k); // far below the lowest codeword
        assertEquals(1, RoundingMargins.runnerUp(0, m, k));
        assertEquals(1.0, RoundingMargins.extraDistortion(m), 1e-9);
        m = RoundingMargins.of(9f, 7, -4f, 1f, k); // far above the highest
        assertEquals(6, RoundingMargins.runnerUp(7, m, k));
        assertEquals(1.0, RoundingMargins.extraDistortion(m), 1e-9);
        for (float z : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int x : new int[] {0, 3, 7}) {
                m = RoundingMargins.of(z, x, -4f, 1f, k);
                int alt = RoundingMargins.runnerUp(x, m, k);
                assertTrue(alt >= 0 && alt < k && alt != x, z + " " + x);
                assertEquals(1.0, RoundingMargins.extraDistortion(m), 1e-9);
            }
        }
        for (int b = 0; b < 256; b++) { // any byte (K = 2 too) names an index in range
            for (int x = 0; x < 2; x++) {
                int alt = RoundingMargins.runnerUp(x, b, 2);
                assertTrue(alt >= 0 && alt < 2 && alt != x);
            }
        }
    }

    /** The rule written out: per group, per position in order, keep or move under the current predictions. */
    static int[][] reference(int[][] x0, int[][] margins, PredictionTables pt, ChannelTables ch, int columns,
            double weight) {
        return reference(x0, margins, pt, ch, columns, weight, false);
    }

    /**
     * As above; with {@code adaptive} the bits are those of coder 6: per group and context a copy of the static
     * table's frequencies (made at its first use in the group), the move priced at {@code log2(f[keep] / f[move])},
     * then {@code f[chosen] += 2^(B-6)}, halved rounding up past 2^24.
     */
    static int[][] reference(int[][] x0, int[][] margins, PredictionTables pt, ChannelTables ch, int columns,
            double weight, boolean adaptive) {
        int k = pt.codebookSize();
        int inc = 1 << (io.qtk.entropy.FrequencyTable.defaultTotalBits(k) - 6);
        int[][] x = new int[x0.length][];
        for (int g = 0; g < x0.length; g++) {
            x[g] = x0[g].clone();
        }
        int n = x[0].length;
        int[] pred = new int[n];
        for (int g = 0; g < x.length; g++) {
            int[] a = pt.coefficients(g);
            int[] chCtx = PredictionTablesTest.channelContexts(ch, x, g);
            int[][] f = new int[pt.contexts()][];
            for (int p = 0; p < n; p++) {
                int q = GoldenTokenVectors.predictionRule(x, g, p, columns, k, pt.window(), pt.shift(),
                        pt.activity(), a, pred);
                int ctx = chCtx[p] * (pt.activity().length + 1) + q;
                var t = pt.table(g, ctx);
                int alt = RoundingMargins.runnerUp(x[g][p], margins[g][p], k);
                int sKeep = Math.floorMod(x[g][p] - pred[p], k);
                int sMove = Math.floorMod(alt - pred[p], k);
                boolean move;
                if (adaptive) {
                    if (weight <= 0) {
                        continue;
                    }
                    if (f[ctx] == null) {
                        f[ctx] = t.frequencies();
                    }
                    double delta = Math.log((double) f[ctx][sKeep] / f[ctx][sMove]) * (1 / Math.log(2));
                    move = RoundingMargins.extraDistortion(margins[g][p]) + weight * delta < 0;
                    int chosen = move ? sMove : sKeep;
                    f[ctx][chosen] += inc;
                    if (java.util.Arrays.stream(f[ctx]).asLongStream().sum() > 1 << 24) {
                        for (int s = 0; s < k; s++) {
                            f[ctx][s] = (f[ctx][s] + 1) >> 1;
                        }
                    }
                } else {
                    double keep = weight * (float) t.codeLength(sKeep);
                    double mv = RoundingMargins.extraDistortion(margins[g][p]) + weight * (float) t.codeLength(sMove);
                    move = weight > 0 && mv < keep;
                }
                if (move) {
                    x[g][p] = alt;
                }
            }
        }
        return x;
    }

    @Test
    void refineIsTheGreedyRuleOnRandomGrids() {
        greedyRuleOnRandomGrids(false);
    }

    @Test
    void refineWithCoder6sTablesIsTheGreedyRuleOnRandomGrids() {
        greedyRuleOnRandomGrids(true);
    }

    private static void greedyRuleOnRandomGrids(boolean adaptive) {
        Random r = new Random(adaptive ? 6 : 5);
        int[] ks = {2, 3, 16, 128, 300};
        int movedSomewhere = 0;
        for (int trial = 0; trial < 200; trial++) {
            int k = ks[trial % ks.length];
            int groups = 1 + r.nextInt(5);
            int columns = 1 + r.nextInt(6);
            int rows = 1 + r.nextInt(5);
            int n = columns * rows;
            int window = 1 + r.nextInt(3);
            int[] activity = PredictionTablesTest.randomActivity(r);
            int[][] w = ChannelTablesTest.randomWeights(r, groups, k);
            ChannelTables ch = ChannelTables.fromCounts(1 + r.nextInt(2), new int[] {1 + r.nextInt(10), 20},
                    w, ChannelTablesTest.uniformCounts(groups, 4, k));
            int[][] a = PredictionTablesTest.randomCoefficients(r, groups, window, 12);
            PredictionTables pt = PredictionTables.fromCounts(ch, window, 12, activity, a,
                    PredictionTablesTest.randomCounts(r, groups, ch.contexts() * (activity.length + 1), k));
            int[][] x = PredictionTablesTest.smooth(r, groups, columns, rows, k);
            int[][] margins = new int[groups][n];
            for (int[] row : margins) {
                for (int p = 0; p < n; p++) {
                    row[p] = r.nextInt(256);
                }
            }
            double weight = trial % 10 == 0 ? 0 : r.nextDouble() * 2;
            int[][] want = reference(x, margins, pt, ch, columns, weight, adaptive);
            IndexGrid grid = ChannelTablesTest.grid(x, k);
            IndexGrid m = ChannelTablesTest.grid(margins, 256);
            PredictionTables.Coder coder = pt.newCoder(n, columns);
            int moved = 0;
            for (int g = 0; g < groups; g++) {
                moved += coder.refine(grid, g, m, weight, adaptive);
            }
            int changed = 0;
            for (int g = 0; g < groups; g++) {
                assertArrayEquals(want[g], grid.group(g), "trial " + trial + " group " + g);
                for (int p = 0; p < n; p++) {
                    if (want[g][p] != x[g][p]) {
                        changed++;
                        assertEquals(RoundingMargins.runnerUp(x[g][p], margins[g][p], k), want[g][p]);
                    }
                }
            }
            assertEquals(changed, moved, "trial " + trial);
            if (weight == 0) {
                assertEquals(0, moved);
            }
            movedSomewhere += moved;
        }
        assertTrue(movedSomewhere > 100, "the random cases exercise moves: " + movedSomewhere);
    }

    @Test
    void refineChecksItsMargins() {
        int k = 8;
        ChannelTables ch = PredictionTablesTest.exampleChannel();
        PredictionTables pt = PredictionTables.fromCounts(ch, 1, 2, new int[] {1, 3}, PredictionTablesTest.A,
                ChannelTablesTest.uniformCounts(2, 9, k));
        IndexGrid grid = ChannelTablesTest.grid(PredictionTablesTest.X, k);
        IndexGrid shortMargins = new IndexGrid(2, 5, 256);
        assertThrows(IllegalArgumentException.class, () -> pt.newCoder(6, 3).refine(grid, 0, shortMargins, 1));
        IndexGrid oneGroup = new IndexGrid(1, 6, 256);
        assertThrows(IllegalArgumentException.class, () -> {
            PredictionTables.Coder c = pt.newCoder(6, 3);
            c.refine(grid, 0, oneGroup, 1);
            c.refine(grid, 1, oneGroup, 1);
        });
    }

    @Test
    void theWeightIsZeroAtTheTopOfTheLadderAndGrowsForShorterPrefixesUpToACap() {
        assertEquals(0, CodecEngine.roundingWeight(1, 192, 192));
        assertEquals(0, CodecEngine.roundingWeight(0, 64, 192));
        double w64 = CodecEngine.RDO_WEIGHT_AT_TOP * Math.pow(3, CodecEngine.RDO_EXPONENT);
        assertEquals(w64, CodecEngine.roundingWeight(1, 64, 192), 1e-12);
        assertEquals(2 * w64, CodecEngine.roundingWeight(2, 64, 192), 1e-12);
        assertTrue(CodecEngine.roundingWeight(1, 48, 192) > w64);
        assertTrue(CodecEngine.roundingWeight(1, 160, 192) < w64);
        assertEquals(CodecEngine.RDO_MAX_WEIGHT, CodecEngine.roundingWeight(1, 1, 192), 1e-12);
    }
}
