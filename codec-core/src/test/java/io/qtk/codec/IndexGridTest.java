package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IndexGrid keeps indices in bytes (K <= 256) or shorts; both must read back unsigned, also via addScaled. */
class IndexGridTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 256, 257, 65536})
    void storesTheFullRangeOfIndicesAndAddsThemScaled(int k) {
        Random rnd = new Random(k);
        IndexGrid grid = new IndexGrid(3, 50, k);
        int[][] x = new int[3][50];
        for (int g = 0; g < 3; g++) {
            for (int p = 0; p < 50; p++) {
                x[g][p] = p == 0 ? k - 1 : p == 1 ? 0 : rnd.nextInt(k); // the extremes, then random
            }
            grid.setGroup(g, x[g]);
        }
        long[] acc = new long[50];
        long[] expected = new long[50];
        for (int g = 0; g < 3; g++) {
            assertArrayEquals(x[g], grid.group(g));
            long a = g == 1 ? -4097 : 3L << 20; // negative and large coefficients, as predictions use
            grid.addScaled(g, a, acc);
            for (int p = 0; p < 50; p++) {
                assertEquals(x[g][p], grid.get(g, p));
                expected[p] += a * x[g][p];
            }
        }
        assertArrayEquals(expected, acc);
    }

    @Test
    void addScaledRefusesShortAccumulators() {
        IndexGrid grid = new IndexGrid(1, 8, 16);
        assertThrows(IllegalArgumentException.class, () -> grid.addScaled(0, 1, new long[7]));
    }

    @Test
    void aCopyIsDeepForBothWidths() {
        for (int k : new int[] {16, 300}) {
            IndexGrid grid = new IndexGrid(2, 3, k);
            grid.set(1, 2, k - 1);
            IndexGrid copy = grid.copy();
            assertEquals(k - 1, copy.get(1, 2));
            copy.set(1, 2, 0);
            assertEquals(k - 1, grid.get(1, 2));
            assertEquals(2, copy.groups());
            assertEquals(3, copy.positions());
        }
    }
}
