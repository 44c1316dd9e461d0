package io.qtk.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobalQuantiserTest {

    private static float[][][] randomCodebooks(Random r, int n, int k, int d, boolean lattice) {
        float[][][] cbs = new float[n][k][d];
        for (float[][] cb : cbs) {
            for (float[] w : cb) {
                for (int j = 0; j < d; j++) {
                    w[j] = lattice ? r.nextInt(3) - 1 : (float) r.nextGaussian();
                }
            }
        }
        return cbs;
    }

    private static List<Codebook> of(float[][][] cbs) {
        List<Codebook> l = new ArrayList<>();
        for (float[][] cb : cbs) {
            l.add(Codebook.of(cb));
        }
        return l;
    }

    @Test
    void tilesAndBatchesMatchBruteForce() {
        Random r = new Random(11);
        for (int trial = 0; trial < 8; trial++) {
            boolean lattice = trial % 2 == 1;
            int n = 1 + r.nextInt(12);
            int k = 2 + r.nextInt(70);
            int d = 1 + r.nextInt(10);
            int tiles = 1 + r.nextInt(40);
            float[][][] cbs = randomCodebooks(r, n, k, d, lattice);
            List<float[]> batch = new ArrayList<>();
            for (int t = 0; t < tiles; t++) {
                float[] tile = new float[n * d];
                for (int i = 0; i < tile.length; i++) {
                    tile[i] = lattice ? (r.nextInt(5) - 2) * 0.5f : (float) r.nextGaussian();
                }
                batch.add(tile);
            }
            for (SearchKernel kern : GridQuantiserTest.kernels()) {
                GlobalQuantiser q = new GlobalQuantiser(of(cbs), kern);
                int[][] got = q.quantise(batch);
                assertEquals(n, got.length);
                for (int t = 0; t < tiles; t++) {
                    int[] one = q.quantiseTile(batch.get(t));
                    for (int tok = 0; tok < n; tok++) {
                        float[] x = java.util.Arrays.copyOfRange(batch.get(t), tok * d, tok * d + d);
                        int expect = BruteForce.nearest(cbs[tok], x);
                        assertEquals(expect, one[tok], "tile " + t + " token " + tok);
                        assertEquals(expect, got[tok][t], kern.name() + " batch tile " + t + " token " + tok);
                    }
                }
            }
        }
    }

    @Test
    void dequantiseWritesCodewordsThenZeros() {
        Random r = new Random(12);
        float[][][] cbs = randomCodebooks(r, 4, 8, 3, false);
        GlobalQuantiser q = new GlobalQuantiser(of(cbs));
        int[] idx = {7, 0, 3, 5};
        float[] tile = q.dequantiseTile(idx, 3);
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(n < 3 ? cbs[n][idx[n]][j] : 0f, tile[n * 3 + j]);
            }
        }
        assertArrayEquals(idx, q.quantiseTile(q.dequantiseTile(idx, 4)));
        int[][] batchIdx = {{1, 2}, {3, 4}, {5, 6}, {7, 0}};
        List<float[]> tiles = q.dequantise(batchIdx, 4, 2);
        assertArrayEquals(batchIdx, q.quantise(tiles));
        assertThrows(IllegalArgumentException.class, () -> q.quantiseTile(new float[11]));
        assertThrows(IllegalArgumentException.class, () -> q.dequantiseTile(new int[2], 3));
        assertThrows(IllegalArgumentException.class, () -> q.dequantise(batchIdx, 4, 3));
    }
}
