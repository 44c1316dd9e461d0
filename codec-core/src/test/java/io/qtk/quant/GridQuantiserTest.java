package io.qtk.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties of the grid search: every kernel equals the brute-force definition, ties included. */
class GridQuantiserTest {

    /** Every kernel, and the adaptive one in each of its states. */
    static List<SearchKernel> kernels() {
        List<SearchKernel> ks = new ArrayList<>();
        ks.add(ScalarKernel.INSTANCE);
        ks.add(BlockKernel.INSTANCE);
        ks.add(new AdaptiveKernel()); // fresh: scalar only
        AdaptiveKernel sampling = new AdaptiveKernel();
        sampling.skipScalarStart(); // warming: a block sample + the scalar rest, for long runs
        ks.add(sampling);
        AdaptiveKernel hot = new AdaptiveKernel();
        hot.forceHot();
        ks.add(hot);
        return ks;
    }

    @Test
    void defaultKernelIsAdaptiveAndNeedsNoJvmFlag() {
        assertTrue(Kernels.defaultKernel() instanceof AdaptiveKernel, Kernels.defaultKernel().name());
        assertEquals("block", Kernels.choose("block").name());
        assertEquals("scalar", Kernels.choose("scalar").name());
        assertTrue(Kernels.choose("nonsense") instanceof AdaptiveKernel);
    }

    @Test
    void adaptiveKernelSwitchesOnceTheBlockKernelIsFastAndStaysExact() {
        // Long runs (>= 4 samples) are split between the two kernels while timing them; results must not change.
        // (The scalar-only start is skipped.)
        Random r = new Random(77);
        int d = 4;
        int k = 256;
        float[][][] cbs = codebooks(r, 1, k, d, i -> (float) r.nextGaussian());
        int h = 32;
        int w = 48;
        float[] chw = new float[d * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextGaussian();
        }
        int[][] expect = BruteForce.grid(cbs, chw, h * w);
        AdaptiveKernel adaptive = new AdaptiveKernel();
        adaptive.skipScalarStart();
        GridQuantiser q = new GridQuantiser(toCodebooks(cbs), adaptive);
        for (int call = 0; call < 1000 && !adaptive.isHot(); call++) {
            assertArrayEquals(expect, q.quantise(chw, h, w), "call " + call);
        }
        assertTrue(adaptive.isHot(), "block kernel should win within 1000 calls");
        assertArrayEquals(expect, q.quantise(chw, h, w));
        assertEquals("block", adaptive.name());
    }

    private static float[][][] codebooks(Random r, int g, int k, int d, IntFunction<Float> value) {
        float[][][] cbs = new float[g][k][d];
        for (int gi = 0; gi < g; gi++) {
            for (int ki = 0; ki < k; ki++) {
                for (int j = 0; j < d; j++) {
                    cbs[gi][ki][j] = value.apply(ki);
                }
            }
        }
        return cbs;
    }

    private static List<Codebook> toCodebooks(float[][][] cbs) {
        List<Codebook> list = new ArrayList<>();
        for (float[][] cb : cbs) {
            list.add(Codebook.of(cb));
        }
        return list;
    }

    private static void check(float[][][] cbs, float[] chw, int h, int w, String what) {
        int[][] expect = BruteForce.grid(cbs, chw, h * w);
        for (SearchKernel k : kernels()) {
            GridQuantiser q = new GridQuantiser(toCodebooks(cbs), k);
            int[][] got = q.quantise(chw, h, w);
            for (int g = 0; g < expect.length; g++) {
                assertArrayEquals(expect[g], got[g], what + ": kernel " + k.name() + " group " + g);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomGaussianMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        int g = 1 + r.nextInt(4);
        int k = 2 + r.nextInt(r.nextBoolean() ? 300 : 20);
        int d = r.nextInt(3) == 0 ? 4 : 1 + r.nextInt(9);
        int h = 1 + r.nextInt(12);
        int w = 1 + r.nextInt(40);
        double scale = Math.pow(10, r.nextInt(7) - 3);
        float[][][] cbs = codebooks(r, g, k, d, i -> (float) (r.nextGaussian() * scale));
        float[] chw = new float[g * d * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) (r.nextGaussian() * scale * 1.2);
        }
        check(cbs, chw, h, w, "seed " + seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void exactTiesOnIntegerLatticeGoToLowestIndex(long seed) {
        // Integer codewords, half-integer inputs: many exactly equidistant codewords, all arithmetic exact.
        Random r = new Random(seed);
        int g = 1 + r.nextInt(3);
        int k = 2 + r.nextInt(60);
        int d = r.nextBoolean() ? 4 : 1 + r.nextInt(6);
        int h = 1 + r.nextInt(6);
        int w = 1 + r.nextInt(40);
        float[][][] cbs = codebooks(r, g, k, d, i -> (float) (r.nextInt(5) - 2));
        float[] chw = new float[g * d * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (r.nextInt(11) - 5) * 0.5f;
        }
        check(cbs, chw, h, w, "lattice seed " + seed);
    }

    @Test
    void duplicateCodewordsPickLowestIndex() {
        float[][] cb = {{1, 1, 1, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}};
        float[] chw = new float[4 * 40];
        for (int p = 0; p < 40; p++) { // half the positions near zero, half near one
            float v = p % 2 == 0 ? 0.1f : 0.9f;
            for (int j = 0; j < 4; j++) {
                chw[j * 40 + p] = v;
            }
        }
        for (SearchKernel k : kernels()) {
            int[][] got = new GridQuantiser(List.of(Codebook.of(cb)), k).quantise(chw, 1, 40);
            for (int p = 0; p < 40; p++) {
                assertEquals(p % 2 == 0 ? 1 : 0, got[0][p], k.name() + " position " + p);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void nearTiesWithinRoundingMatchBruteForce(long seed) {
        // Pairs of codewords one ulp apart and inputs equidistant up to rounding: the fast score cannot separate
        // them, so this exercises the exact re-ranking.
        Random r = new Random(seed);
        int d = seed % 2 == 0 ? 4 : 3;
        int k = 64;
        float[][] cb = new float[k][d];
        for (int i = 0; i < k; i += 2) {
            for (int j = 0; j < d; j++) {
                cb[i][j] = (float) r.nextGaussian();
                cb[i + 1][j] = cb[i][j];
            }
            int j = r.nextInt(d);
            cb[i + 1][j] = r.nextBoolean() ? Math.nextUp(cb[i][j]) : Math.nextDown(cb[i][j]);
        }
        int hw = 200;
        float[] chw = new float[d * hw];
        for (int p = 0; p < hw; p++) {
            float[] c = cb[r.nextInt(k)];
            for (int j = 0; j < d; j++) {
                float v = c[j] + (float) (r.nextGaussian() * (p % 3 == 0 ? 1e-7 : 1e-3));
                chw[j * hw + p] = v;
            }
        }
        check(new float[][][] {cb}, chw, 1, hw, "near ties seed " + seed);
    }

    @Test
    void extremeMagnitudesMatchBruteForce() {
        Random r = new Random(99);
        for (double scale : new double[] {1e-30, 1e-22, 1e-20, 1e-19, 1e-10, 1e10, 1e17}) {
            float[][][] cbs = codebooks(r, 2, 33, 4, i -> (float) (r.nextGaussian() * scale));
            float[] chw = new float[2 * 4 * 3 * 17];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = (float) (r.nextGaussian() * scale);
            }
            check(cbs, chw, 3, 17, "scale " + scale);
        }
    }

    @Test
    void nonFiniteInputGivesValidIndicesLikeTheReference() {
        Random r = new Random(5);
        float[][][] cbs = codebooks(r, 1, 20, 4, i -> (float) r.nextGaussian());
        int hw = 40;
        float[] chw = new float[4 * hw];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextGaussian();
        }
        chw[3] = Float.NaN;
        chw[hw + 5] = Float.POSITIVE_INFINITY;
        chw[2 * hw + 6] = Float.NEGATIVE_INFINITY;
        chw[3 * hw + 30] = Float.MAX_VALUE;
        check(cbs, chw, 1, hw, "non-finite");
    }

    @Test
    void codewordsQuantiseToThemselvesAndDequantiseBack() {
        Random r = new Random(7);
        int g = 3;
        int d = 4;
        int k = 50;
        float[][][] cbs = codebooks(r, g, k, d, i -> (float) r.nextGaussian());
        int h = 5;
        int w = 7;
        int hw = h * w;
        int[][] idx = new int[g][hw];
        for (int gi = 0; gi < g; gi++) {
            for (int p = 0; p < hw; p++) {
                idx[gi][p] = r.nextInt(k);
            }
        }
        for (SearchKernel kern : kernels()) {
            GridQuantiser q = new GridQuantiser(toCodebooks(cbs), kern);
            float[] latent = q.dequantise(idx, g, hw);
            for (int gi = 0; gi < g; gi++) {
                for (int p = 0; p < hw; p++) {
                    for (int j = 0; j < d; j++) {
                        assertEquals(cbs[gi][idx[gi][p]][j], latent[(gi * d + j) * hw + p]);
                    }
                }
            }
            assertArrayEquals(idx, q.quantise(latent, h, w));
        }
    }

    @Test
    void missingGroupsDequantiseToZero() {
        Random r = new Random(8);
        float[][][] cbs = codebooks(r, 4, 9, 2, i -> 1f + i);
        GridQuantiser q = new GridQuantiser(toCodebooks(cbs));
        int hw = 6;
        int[][] idx = {{0, 1, 2, 3, 4, 5}, {8, 7, 6, 5, 4, 3}};
        float[] out = new float[8 * hw];
        java.util.Arrays.fill(out, 42f); // every element must be overwritten
        q.dequantise(idx, 2, out);
        for (int c = 0; c < 8; c++) {
            for (int p = 0; p < hw; p++) {
                float v = out[c * hw + p];
                if (c < 4) {
                    assertEquals(cbs[c / 2][idx[c / 2][p]][c % 2], v);
                } else {
                    assertEquals(0f, v, "channel " + c);
                }
            }
        }
        float[] none = q.dequantise(new int[0][], 0, hw);
        for (float v : none) {
            assertEquals(0f, v);
        }
    }

    @Test
    void prefixQuantisationAndPlanesAgreeWithFlat() {
        Random r = new Random(9);
        float[][][] cbs = codebooks(r, 4, 16, 4, i -> (float) r.nextGaussian());
        GridQuantiser q = new GridQuantiser(toCodebooks(cbs));
        int h = 6;
        int w = 9;
        int hw = h * w;
        float[] chw = new float[16 * hw];
        float[][] planes = new float[16][hw];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextGaussian();
            planes[i / hw][i % hw] = chw[i];
        }
        int[][] all = q.quantise(chw, h, w);
        assertArrayEquals(all, q.quantise(planes));
        int[][] two = q.quantise(chw, h, w, 2);
        assertEquals(2, two.length);
        assertArrayEquals(all[0], two[0]);
        assertArrayEquals(all[1], two[1]);
    }

    @Test
    void concurrentUseGivesTheSameIndices() throws Exception {
        Random r = new Random(10);
        float[][][] cbs = codebooks(r, 8, 256, 4, i -> (float) r.nextGaussian());
        GridQuantiser q = new GridQuantiser(toCodebooks(cbs));
        int h = 8;
        int w = 12;
        float[] chw = new float[32 * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextGaussian();
        }
        int[][] expect = q.quantise(chw, h, w);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[][]>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> q.quantise(chw, h, w)));
            }
            for (Future<int[][]> f : fs) {
                assertArrayEquals(expect, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsBadArguments() {
        GridQuantiser q = new GridQuantiser(List.of(Codebook.of(2, 2, new float[] {0, 0, 1, 1})));
        assertThrows(IllegalArgumentException.class, () -> q.quantise(new float[5], 1, 2));
        assertThrows(IllegalArgumentException.class, () -> q.quantise(new float[4], 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> q.quantise(new float[0], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> q.dequantise(new int[][] {{0, 2}}, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> q.dequantise(new int[][] {{0}}, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> q.dequantise(new int[0][], 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new GridQuantiser(List.of(Codebook.of(2, 2, new float[4]), Codebook.of(2, 1, new float[2]))));
        assertThrows(IllegalArgumentException.class, () -> new GridQuantiser(List.of()));
    }

    @Test
    void uniformLadderIsNamedOnlyForEvenlySpacedScalarCodebooks() {
        GridQuantiser q = new GridQuantiser(List.of(
                Codebook.of(4, 1, new float[] {-2, -1, 0, 1}), // the grid-sq levels
                Codebook.of(3, 1, new float[] {0.25f, 0.75f, 1.25f}), // another origin and step
                Codebook.of(3, 1, new float[] {0, 1, 3}), // sorted, uneven
                Codebook.of(3, 1, new float[] {1, 0, -1}), // even but descending
                Codebook.of(1, 1, new float[] {5}))); // one codeword: no step
        assertArrayEquals(new float[] {-2, 1}, q.uniformLadder(0));
        assertArrayEquals(new float[] {0.25f, 0.5f}, q.uniformLadder(1));
        assertNull(q.uniformLadder(2));
        assertNull(q.uniformLadder(3));
        assertNull(q.uniformLadder(4));
        assertNull(new GridQuantiser(List.of(Codebook.of(2, 2, new float[] {0, 0, 1, 1}))).uniformLadder(0));
        assertThrows(IndexOutOfBoundsException.class, () -> q.uniformLadder(5));
    }
}
