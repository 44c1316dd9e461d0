package io.qtk.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodebookTest {

    @Test
    void readsBundleLayoutLittleEndian() {
        int g = 2;
        int k = 3;
        int d = 2;
        ByteBuffer b = ByteBuffer.allocate(g * k * d * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < g * k * d; i++) {
            b.putFloat(i * 0.5f);
        }
        List<Codebook> cbs = Codebook.fromLittleEndian(b.array(), g, k, d);
        assertEquals(2, cbs.size());
        assertEquals(3, cbs.get(1).size());
        assertEquals(2, cbs.get(1).dim());
        assertEquals(0.5f, cbs.get(0).get(0, 1));
        assertEquals((k * d + 2 * d + 1) * 0.5f, cbs.get(1).get(2, 1));
        assertArrayEquals(new float[] {3.0f, 3.5f}, cbs.get(1).codeword(0));
        assertThrows(IllegalArgumentException.class, () -> Codebook.fromLittleEndian(new byte[47], g, k, d));
    }

    @Test
    void rejectsNonFiniteAndBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Codebook.of(1, 2, new float[] {0, Float.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> Codebook.of(1, 2, new float[] {Float.POSITIVE_INFINITY, 0}));
        assertThrows(IllegalArgumentException.class, () -> Codebook.of(2, 2, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Codebook.of(new float[][] {{1, 2}, {3}}));
        assertThrows(IndexOutOfBoundsException.class, () -> Codebook.of(2, 1, new float[2]).codeword(2));
    }

    @Test
    void immutableCopies() {
        float[] flat = {1, 2, 3, 4};
        Codebook cb = Codebook.of(2, 2, flat);
        flat[0] = 99;
        assertEquals(1f, cb.get(0, 0));
        cb.toArray()[1] = 99;
        cb.codeword(0)[1] = 99;
        assertEquals(2f, cb.get(0, 1));
        assertEquals(Codebook.of(2, 2, new float[] {1, 2, 3, 4}), cb);
        assertNotEquals(Codebook.of(2, 2, new float[] {1, 2, 3, 5}), cb);
    }

    @Test
    void nearestMatchesBruteForceForSingleVectors() {
        Random r = new Random(3);
        for (int t = 0; t < 200; t++) {
            int k = 2 + r.nextInt(100);
            int d = 1 + r.nextInt(40);
            float[][] words = new float[k][d];
            for (float[] w : words) {
                for (int j = 0; j < d; j++) {
                    w[j] = t % 4 == 0 ? r.nextInt(3) : (float) r.nextGaussian();
                }
            }
            float[] x = new float[d];
            for (int j = 0; j < d; j++) {
                x[j] = t % 4 == 0 ? r.nextInt(5) * 0.5f : (float) r.nextGaussian();
            }
            Codebook cb = Codebook.of(words);
            assertEquals(BruteForce.nearest(words, x), cb.nearest(x), "trial " + t);
        }
    }

    @Test
    void distanceIsTheCanonicalDouble() {
        Codebook cb = Codebook.of(new float[][] {{1, 2}, {0.1f, 0.2f}});
        float[] x = {0.3f, -0.7f};
        double dx = (double) 0.3f - 0.1f;
        double dy = (double) -0.7f - 0.2f;
        assertEquals(dx * dx + dy * dy, cb.distance(1, x, 0));
    }
}
