package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class NormalisationProperties {

    /** Counts of any shape, and a totalBits that fits them. */
    record Case(long[] counts, int totalBits) {
        @Override
        public String toString() {
            return "Case[K=" + counts.length + ", totalBits=" + totalBits + ", counts="
                    + java.util.Arrays.toString(java.util.Arrays.copyOf(counts, Math.min(20, counts.length))) + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> count = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 20),
                Arbitraries.longs().between(0, FrequencyTable.MAX_COUNT),
                Arbitraries.of(0L, 1L, FrequencyTable.MAX_COUNT));
        Arbitrary<List<Long>> lists = count.list().ofMinSize(1).ofMaxSize(600);
        return Combinators.combine(lists, Arbitraries.integers().between(0, 24)).as((l, bits) -> {
            long[] c = l.stream().mapToLong(Long::longValue).toArray();
            int min = FrequencyTable.ceilLog2(c.length);
            return new Case(c, Math.max(min, bits));
        });
    }

    @Property(tries = 250)
    void matchesTheExactRationalDefinition(@ForAll("cases") Case c) {
        assertArrayEquals(reference(c.counts(), c.totalBits()), FrequencyTable.normalise(c.counts(), c.totalBits()));
    }

    @Property(tries = 250)
    void sumsToTheTotalFloorsAtOneAndIsMonotone(@ForAll("cases") Case c) {
        long[] counts = c.counts();
        int[] f = FrequencyTable.normalise(counts, c.totalBits());
        long sum = 0;
        long s = 0;
        for (long x : counts) {
            s += x;
        }
        for (int i = 0; i < f.length; i++) {
            assertTrue(f[i] >= 1, "frequency < 1");
            sum += f[i];
        }
        assertEquals(1L << c.totalBits(), sum);
        // More count never means less frequency, and each frequency is within one unit of 1 + c*R/S.
        long rest = (1L << c.totalBits()) - counts.length;
        for (int i = 0; i < f.length; i++) {
            if (s > 0) {
                double quota = 1 + (double) counts[i] * rest / s;
                assertTrue(Math.abs(f[i] - quota) < 1.0 + 1e-9, "frequency " + f[i] + " far from quota " + quota);
            }
            if (i > 0 && counts[i] > counts[i - 1]) {
                assertTrue(f[i] >= f[i - 1], "not monotone at " + i);
            }
        }
    }

    @Property(tries = 4)
    void largeAlphabets(@ForAll @IntRange(min = 4097, max = 65536) int k, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] counts = new long[k];
        for (int i = 0; i < k; i++) {
            counts[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(FrequencyTable.MAX_COUNT + 1) >>> rnd.nextInt(32);
        }
        int bits = FrequencyTable.defaultTotalBits(k);
        assertArrayEquals(reference(counts, bits), FrequencyTable.normalise(counts, bits));
    }

    /** The spec's definition in exact arithmetic, written independently: quota = 1 + c R / S as a fraction. */
    static int[] reference(long[] counts, int totalBits) {
        int k = counts.length;
        BigInteger s = BigInteger.ZERO;
        for (long c : counts) {
            s = s.add(BigInteger.valueOf(c));
        }
        BigInteger[] c = new BigInteger[k];
        for (int i = 0; i < k; i++) {
            c[i] = s.signum() == 0 ? BigInteger.ONE : BigInteger.valueOf(counts[i]);
        }
        if (s.signum() == 0) {
            s = BigInteger.valueOf(k);
        }
        BigInteger r = BigInteger.valueOf((1L << totalBits) - k);
        int[] f = new int[k];
        List<int[]> order = new ArrayList<>();
        BigInteger[] rem = new BigInteger[k];
        long given = 0;
        for (int i = 0; i < k; i++) {
            BigInteger[] qr = c[i].multiply(r).divideAndRemainder(s);
            f[i] = 1 + qr[0].intValueExact();
            rem[i] = qr[1];
            given += f[i];
            order.add(new int[] {i});
        }
        order.sort(Comparator.<int[], BigInteger>comparing(o -> rem[o[0]]).reversed()
                .thenComparingInt(o -> o[0]));
        long left = (1L << totalBits) - given;
        for (int i = 0; i < left; i++) {
            f[order.get(i)[0]]++;
        }
        return f;
    }
}
