package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrequencyTableTest {

    @Test
    void workedExampleNormalisation() {
        // Spec, worked example 1: S = 8, R = 12; floors 7,3,0,1 (+1 each); remainders 4,0,0,4; the one leftover unit
        // goes to symbol 0 (tie with symbol 3, lower index wins); the zero count still gets 1.
        assertArrayEquals(new int[] {9, 4, 1, 2}, FrequencyTable.normalise(new long[] {5, 2, 0, 1}, 4));
    }

    @Test
    void leftoverGoesToLargestRemainder() {
        // S = 10, R = 12: floors 7,3,0,1 with remainders 2,6,0,2: symbol 1 has the largest remainder.
        assertArrayEquals(new int[] {8, 5, 1, 2}, FrequencyTable.normalise(new long[] {6, 3, 0, 1}, 4));
    }

    @Test
    void allZeroCountsGiveTheUniformTable() {
        assertArrayEquals(new int[] {2, 1, 1}, FrequencyTable.normalise(new long[] {0, 0, 0}, 2));
        assertArrayEquals(FrequencyTable.uniform(300).frequencies(),
                FrequencyTable.fromCounts(new long[300]).frequencies());
    }

    @Test
    void exactTotalLeavesOnlyTheFloor() {
        // K = T: every symbol gets exactly 1 whatever the counts.
        int[] f = FrequencyTable.normalise(new long[] {100, 0, 0, 7}, 2);
        assertArrayEquals(new int[] {1, 1, 1, 1}, f);
    }

    @Test
    void largestCountsDoNotOverflow() {
        long[] counts = new long[65536];
        Arrays.fill(counts, FrequencyTable.MAX_COUNT);
        counts[7] = 0;
        FrequencyTable t = FrequencyTable.fromCounts(counts, 24);
        assertEquals(1 << 24, Arrays.stream(t.frequencies()).asLongStream().sum());
        assertEquals(1, t.frequency(7));
        assertTrue(t.frequency(0) >= 256);
    }

    @Test
    void defaultTotalBits() {
        assertEquals(16, FrequencyTable.defaultTotalBits(1));
        assertEquals(16, FrequencyTable.defaultTotalBits(2));
        assertEquals(16, FrequencyTable.defaultTotalBits(256));
        assertEquals(17, FrequencyTable.defaultTotalBits(257));
        assertEquals(20, FrequencyTable.defaultTotalBits(4096));
        assertEquals(24, FrequencyTable.defaultTotalBits(65536));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new long[65537]));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new long[5], 2));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new long[5], 25));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new long[] {1, -1}, 4));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromCounts(new int[] {1, -1}));
        assertThrows(IllegalArgumentException.class,
                () -> FrequencyTable.fromCounts(new long[] {1, 1L << 32}, 4));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromFrequencies(new int[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.fromFrequencies(new int[] {0, 4}));
        assertThrows(IllegalArgumentException.class,
                () -> FrequencyTable.fromFrequencies(new int[] {1 << 24, 1 << 24}));
        FrequencyTable t = FrequencyTable.fromFrequencies(new int[] {3, 5});
        assertThrows(IllegalArgumentException.class, () -> t.frequency(2));
        assertThrows(IllegalArgumentException.class, () -> t.frequency(-1));
        assertThrows(IllegalArgumentException.class, () -> t.symbolAt(8));
        assertThrows(IllegalArgumentException.class, () -> t.cumulative(3));
    }

    @Test
    void fromFrequenciesKeepsThemAsGiven() {
        FrequencyTable t = FrequencyTable.fromFrequencies(new int[] {3, 5, 8});
        assertEquals(4, t.totalBits());
        assertEquals(16, t.total());
        assertEquals(8, t.cumulative(2));
        assertEquals(16, t.cumulative(3));
        assertEquals(1.0, t.codeLength(2), 1e-12);
        assertEquals(t, FrequencyTable.fromFrequencies(new int[] {3, 5, 8}));
        assertEquals(t.hashCode(), FrequencyTable.fromFrequencies(new int[] {3, 5, 8}).hashCode());
        assertNotEquals(t, FrequencyTable.fromFrequencies(new int[] {5, 3, 8}));
    }

    @Test
    void symbolAtAgreesWithALinearScanForEveryTarget() {
        for (FrequencyTable t : new FrequencyTable[] {
                FrequencyTable.fromFrequencies(new int[] {1, 7, 1, 1, 2, 3, 1}),
                FrequencyTable.fromCounts(TestSupport.zipfCounts(256, 1.3), 16),
                FrequencyTable.fromCounts(TestSupport.zipfCounts(5000, 0.9), 18),
                FrequencyTable.fromCounts(new long[] {0, 0, 1_000_000, 0, 0}, 12),
                FrequencyTable.fromCounts(new long[] {1}, 0)}) {
            int s = 0;
            for (int v = 0; v < t.total(); v++) {
                while (t.cumulative(s + 1) <= v) {
                    s++;
                }
                if (t.symbolAt(v) != s) {
                    throw new AssertionError(t + ": target " + v + " gave " + t.symbolAt(v) + ", expected " + s);
                }
            }
        }
    }

    @Test
    void zeroCountSymbolsAreCodable() throws Exception {
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {1000, 0, 0, 500, 0});
        int[] symbols = {1, 2, 4, 0, 3, 4, 4, 1};
        assertArrayEquals(symbols, IndexStreamCodec.decode(IndexStreamCodec.encode(symbols, t), symbols.length, t));
        assertEquals(t.totalBits(), t.codeLength(1), 1e-9);
    }
}
