package io.qtk.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BlockKernel} (and its dimension-specialised loops) against the brute-force definition, for every d in 1..9
 * and codebook sizes around the chunk and block boundaries, on random data, exact ties and near ties.
 */
class BlockKernelTest {
    /** Two blocks, the second short (not a multiple of 8 either), plus the 2-group layout's base offset. */
    private static final int POSITIONS = BlockKernel.BLOCK + 21;

    static Stream<Arguments> shapes() {
        return IntStream.rangeClosed(1, 9).boxed()
                .flatMap(d -> IntStream.of(2, 3, 16, 255, 256, 1024).mapToObj(k -> Arguments.of(d, k)));
    }

    /** Quantises a 2-group latent (the second group's planes start at an offset) with every kernel; checks all. */
    private static void check(float[][][] cbs, float[] chw, int hw, String what) {
        int[][] expect = BruteForce.grid(cbs, chw, hw);
        List<Codebook> list = new ArrayList<>();
        for (float[][] cb : cbs) {
            list.add(Codebook.of(cb));
        }
        for (SearchKernel k : GridQuantiserTest.kernels()) {
            int[][] got = new GridQuantiser(list, k).quantise(chw, 1, hw);
            for (int g = 0; g < expect.length; g++) {
                assertArrayEquals(expect[g], got[g], what + ": kernel " + k.name() + " group " + g);
            }
        }
    }

    @ParameterizedTest(name = "d={0} K={1}")
    @MethodSource("shapes")
    void randomGaussian(int d, int k) {
        Random r = new Random(1000L * d + k);
        float[][][] cbs = new float[2][k][d];
        for (float[][] cb : cbs) {
            for (float[] c : cb) {
                for (int j = 0; j < d; j++) {
                    c[j] = (float) r.nextGaussian();
                }
            }
        }
        float[] chw = new float[2 * d * POSITIONS];
        for (int g = 0; g < 2; g++) {
            for (int p = 0; p < POSITIONS; p++) {
                float[] c = cbs[g][r.nextInt(k)];
                for (int j = 0; j < d; j++) {
                    // mostly near a codeword (like a trained latent), some far away, some exactly on one
                    double noise = p % 7 == 0 ? 3 : p % 11 == 0 ? 0 : 0.3;
                    chw[(g * d + j) * POSITIONS + p] = c[j] + (float) (r.nextGaussian() * noise);
                }
            }
        }
        check(cbs, chw, POSITIONS, "random d=" + d + " K=" + k);
    }

    @ParameterizedTest(name = "d={0} K={1}")
    @MethodSource("shapes")
    void exactTiesGoToLowestIndex(int d, int k) {
        // Small integer codewords (many duplicates) and half-integer inputs: exact ties everywhere, exact arithmetic.
        Random r = new Random(2000L * d + k);
        float[][][] cbs = new float[2][k][d];
        for (float[][] cb : cbs) {
            for (float[] c : cb) {
                for (int j = 0; j < d; j++) {
                    c[j] = r.nextInt(5) - 2;
                }
            }
        }
        float[] chw = new float[2 * d * POSITIONS];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (r.nextInt(11) - 5) * 0.5f;
        }
        check(cbs, chw, POSITIONS, "ties d=" + d + " K=" + k);
    }

    @ParameterizedTest(name = "d={0} K={1}")
    @MethodSource("shapes")
    void nearTiesAreReRankedExactly(int d, int k) {
        // Codewords in pairs one ulp apart (and a few exact duplicates, also across chunks), inputs next to them:
        // the fast scores cannot separate the pairs.
        Random r = new Random(3000L * d + k);
        float[][][] cbs = new float[2][k][d];
        for (float[][] cb : cbs) {
            for (int i = 0; i < k; i++) {
                int twin = i % 2 == 1 ? i - 1 : i >= 16 && r.nextInt(8) == 0 ? r.nextInt(i) : -1;
                for (int j = 0; j < d; j++) {
                    cb[i][j] = twin >= 0 ? cb[twin][j] : (float) r.nextGaussian();
                }
                if (i % 2 == 1) {
                    int j = r.nextInt(d);
                    cb[i][j] = r.nextBoolean() ? Math.nextUp(cb[i][j]) : Math.nextDown(cb[i][j]);
                }
            }
        }
        float[] chw = new float[2 * d * POSITIONS];
        for (int g = 0; g < 2; g++) {
            for (int p = 0; p < POSITIONS; p++) {
                float[] c = cbs[g][r.nextInt(k)];
                for (int j = 0; j < d; j++) {
                    chw[(g * d + j) * POSITIONS + p] = c[j] + (float) (r.nextGaussian() * (p % 3 == 0 ? 1e-7 : 1e-4));
                }
            }
        }
        check(cbs, chw, POSITIONS, "near ties d=" + d + " K=" + k);
    }

    @Test
    void everyRunLengthAroundTheThresholds() {
        Random r = new Random(4);
        int d = 4;
        int k = 64;
        float[][][] cbs = new float[1][k][d];
        for (float[] c : cbs[0]) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        for (int hw : new int[] {1, BlockKernel.MIN_RUN - 1, BlockKernel.MIN_RUN, 17, BlockKernel.BLOCK - 1,
                BlockKernel.BLOCK, BlockKernel.BLOCK + 1, 2 * BlockKernel.BLOCK + BlockKernel.MIN_RUN - 1}) {
            float[] chw = new float[d * hw];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = (float) r.nextGaussian();
            }
            check(cbs, chw, hw, "positions " + hw);
        }
    }

    @Test
    void hugeFiniteInputIsReRankedExactly() {
        // Scores near or beyond float range: the block search must not trust overflowed (infinite/NaN) scores.
        Random r = new Random(5);
        int d = 4;
        int k = 32;
        for (float scale : new float[] {1e18f, 1e19f, 1e20f, 3e37f}) {
            float[][][] cbs = new float[1][k][d];
            for (float[] c : cbs[0]) {
                for (int j = 0; j < d; j++) {
                    c[j] = (float) (r.nextGaussian() * scale);
                }
            }
            int hw = 40;
            float[] chw = new float[d * hw];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = (float) (r.nextGaussian() * scale);
            }
            chw[5] = Float.MAX_VALUE;
            chw[hw + 6] = -Float.MAX_VALUE;
            check(cbs, chw, hw, "scale " + scale);
        }
    }

    @Test
    void nonFiniteInputMatchesTheReference() {
        Random r = new Random(6);
        int d = 3;
        int k = 40;
        float[][][] cbs = new float[1][k][d];
        for (float[] c : cbs[0]) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        int hw = 64;
        float[] chw = new float[d * hw];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextGaussian();
        }
        chw[1] = Float.NaN;
        chw[hw + 2] = Float.POSITIVE_INFINITY;
        chw[2 * hw + 3] = Float.NEGATIVE_INFINITY;
        chw[4] = Float.POSITIVE_INFINITY;
        chw[hw + 4] = Float.NEGATIVE_INFINITY;
        check(cbs, chw, hw, "non-finite");
    }

    @Test
    void scoreLoopsMatchTheScalarScore() {
        // The re-score relies on ScoreLoops.score giving the vector loops' bits: check every specialised loop.
        Random r = new Random(7);
        int np = 40;
        for (int d = 1; d <= 13; d++) {
            float[] m = new float[3 * d];
            float[] n = new float[3];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) r.nextGaussian();
            }
            float[][] x = new float[d + 1][np];
            for (int j = 0; j < d; j++) {
                for (int p = 0; p < np; p++) {
                    x[j][p] = (float) (r.nextGaussian() * 10);
                }
            }
            for (int kk = 0; kk < 3; kk++) {
                float[] set = new float[np];
                float[] min = new float[np];
                java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
                ScoreLoops.score(m, n, d, kk, x, set, np, true);
                ScoreLoops.score(m, n, d, kk, x, min, np, false);
                for (int p = 0; p < np; p++) {
                    float expect = ScoreLoops.score(m, n, d, kk, x, p);
                    assertEquals(Float.floatToIntBits(expect), Float.floatToIntBits(set[p]), "set d=" + d);
                    assertEquals(Float.floatToIntBits(expect), Float.floatToIntBits(min[p]), "min d=" + d);
                }
            }
        }
    }
}
