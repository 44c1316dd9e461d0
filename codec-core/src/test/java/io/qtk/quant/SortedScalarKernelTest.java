package io.qtk.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortedScalarKernelTest {

    private static float[][] column(float... v) {
        float[][] cb = new float[v.length][1];
        for (int k = 0; k < v.length; k++) {
            cb[k][0] = v[k];
        }
        return cb;
    }

    private static float[] integers(int lo, int hi) {
        float[] v = new float[hi - lo + 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + i;
        }
        return v;
    }

    @Test
    void appliesOnlyToStrictlyAscendingScalarCodebooks() {
        assertTrue(SortedScalarKernel.accepts(Codebook.of(column(-2, -1, 0, 1))));
        assertTrue(SortedScalarKernel.accepts(Codebook.of(column(5))));
        assertFalse(SortedScalarKernel.accepts(Codebook.of(column(0, 0, 1))), "duplicates");
        assertFalse(SortedScalarKernel.accepts(Codebook.of(column(-0f, 0f))), "-0 and +0 are equal");
        assertFalse(SortedScalarKernel.accepts(Codebook.of(column(1, 0))), "descending");
        assertFalse(SortedScalarKernel.accepts(Codebook.of(new float[][] {{0, 1}, {1, 2}})), "d = 2");
    }

    @Test
    void matchesTheDefinitionOnIntegerLevelsIncludingMidpointsAndFarValues() {
        float[] levels = integers(-64, 63);
        float[][] cb = column(levels);
        List<Float> xs = new ArrayList<>(List.of(0f, -0f, 0.5f, -0.5f, 1.5f, -63.5f, 62.5f, 63.5f, -64.5f, 1e9f,
                -1e9f, 3e38f, -3e38f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 1e30f, 2.5e-8f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        Random r = new Random(7);
        for (int i = 0; i < 20000; i++) {
            xs.add((float) (r.nextGaussian() * 40));
            xs.add(Math.round(r.nextGaussian() * 30) + 0.5f); // exact ties between two levels
        }
        for (float x : xs) {
            assertEquals(BruteForce.nearest(cb, new float[] {x}), SortedScalarKernel.nearest(levels, x), "x = " + x);
        }
    }

    @Test
    void matchesTheDefinitionOnIrregularCodebooksWithRoundingTies() {
        Random r = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int k = 1 + r.nextInt(40);
            float[] v = new float[k];
            float c = (float) (r.nextGaussian() * (trial % 3 == 0 ? 1e-30 : 10));
            for (int i = 0; i < k; i++) {
                v[i] = c;
                c = Math.nextUp(c + (float) Math.abs(r.nextGaussian() * (trial % 5 == 0 ? 1e-6 : 3)));
            }
            float[][] cb = column(v);
            for (int i = 0; i < 200; i++) {
                float x = switch (i % 4) {
                    case 0 -> (float) (r.nextGaussian() * 20);
                    case 1 -> (v[r.nextInt(k)] + v[r.nextInt(k)]) / 2; // near-midpoints
                    case 2 -> (float) (r.nextGaussian() * 1e25); // far away: many equal rounded distances
                    default -> v[r.nextInt(k)];
                };
                assertEquals(BruteForce.nearest(cb, new float[] {x}), SortedScalarKernel.nearest(v, x),
                        "x = " + x + " trial " + trial);
            }
        }
    }

    @Test
    void gridQuantiserUsesItForScalarLevelsAndAgreesWithTheScan() {
        int g = 3;
        int hw = 500;
        List<Codebook> books = new ArrayList<>();
        float[][][] raw = new float[g][][];
        for (int i = 0; i < g; i++) {
            raw[i] = column(integers(-8 - i, 7 + i));
            books.add(Codebook.of(raw[i]));
        }
        float[] chw = new float[g * hw];
        Random r = new Random(3);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) (r.nextGaussian() * 6);
        }
        GridQuantiser q = new GridQuantiser(books);
        assertEquals("sorted-scalar", q.searchImplementation());
        int[][] want = BruteForce.grid(raw, chw, hw);
        int[][] got = q.quantise(chw, 20, 25);
        for (int i = 0; i < g; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(want[i], got[i], "group " + i);
        }
    }
}
