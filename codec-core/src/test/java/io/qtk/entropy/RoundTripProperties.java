package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RoundTripProperties {

    /** Shapes of count tables, from benign to extreme. */
    enum Shape { RANDOM, ZIPF, ONE_DOMINANT, SPARSE, EXTREME_SKEW, UNIFORM }

    @Provide
    Arbitrary<Integer> alphabets() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(2, 300)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(301, 65536)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(2, 3, 255, 256, 257, 4096, 65535, 65536)));
    }

    static long[] counts(int k, Shape shape, SplittableRandom rnd) {
        long[] c = new long[k];
        switch (shape) {
            case RANDOM -> {
                for (int i = 0; i < k; i++) {
                    c[i] = rnd.nextLong(1_000_000);
                }
            }
            case ZIPF -> c = TestSupport.zipfCounts(k, 0.5 + 2.5 * rnd.nextDouble());
            case ONE_DOMINANT -> {
                for (int i = 0; i < k; i++) {
                    c[i] = rnd.nextInt(3);
                }
                c[rnd.nextInt(k)] = FrequencyTable.MAX_COUNT;
            }
            case SPARSE -> {
                for (int i = 0; i < k; i++) {
                    c[i] = rnd.nextInt(20) == 0 ? rnd.nextLong(1L << 32) : 0;
                }
            }
            case EXTREME_SKEW -> {
                c[rnd.nextInt(k)] = FrequencyTable.MAX_COUNT;
                c[rnd.nextInt(k)] = 1;
            }
            case UNIFORM -> java.util.Arrays.fill(c, 1);
        }
        return c;
    }

    /** Mostly drawn from the table (realistic), with some uniform picks so rare and zero-count symbols occur. */
    static int[] symbols(FrequencyTable t, int n, SplittableRandom rnd) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = rnd.nextInt(10) == 0 ? rnd.nextInt(t.alphabetSize()) : t.symbolAt(rnd.nextInt(t.total()));
        }
        return s;
    }

    static int totalBits(int k, SplittableRandom rnd) {
        int min = FrequencyTable.ceilLog2(k);
        return rnd.nextBoolean() ? FrequencyTable.defaultTotalBits(k) : min + rnd.nextInt(25 - min);
    }

    @Property(tries = 200)
    void staticTablesRoundTrip(@ForAll("alphabets") int k, @ForAll Shape shape, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        FrequencyTable t = FrequencyTable.fromCounts(counts(k, shape, rnd), totalBits(k, rnd));
        int[] symbols = symbols(t, n, rnd);
        byte[] coded = IndexStreamCodec.encode(symbols, t);
        assertArrayEquals(symbols, IndexStreamCodec.decode(coded, n, t));
        assertTrue(coded.length == 0 || coded[coded.length - 1] != 0, "trailing zero byte");
        // the stream is never longer than the ideal code length plus the flush byte (and the 2^-24 rounding)
        double ideal = IndexStreamCodec.idealCodeLength(symbols, 0, n, t);
        assertTrue(coded.length * 8.0 <= ideal * (1 + 1e-6) + 16, coded.length * 8 + " bits vs ideal " + ideal);
    }

    @Property(tries = 150)
    void bytesEqualTheExactArithmeticReference(@ForAll("alphabets") int k, @ForAll Shape shape, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 400) int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FrequencyTable t = FrequencyTable.fromCounts(counts(k, shape, rnd), totalBits(k, rnd));
        int[] symbols = symbols(t, n, rnd);
        TestSupport.ReferenceEncoder ref = new TestSupport.ReferenceEncoder();
        for (int s : symbols) {
            ref.encode(t.cumulative(s), t.frequency(s), t.total());
        }
        assertEquals(TestSupport.hex(ref.finish()), TestSupport.hex(IndexStreamCodec.encode(symbols, t)));
    }

    /** Streams that keep low near the top of the window produce runs of 0xFF bytes and long carry chains. */
    @Property(tries = 150)
    void carryChainsMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int n)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 2 + rnd.nextInt(6);
        long[] c = new long[k];
        java.util.Arrays.fill(c, 1);
        c[k - 1] = 1L << (10 + rnd.nextInt(20)); // the last symbol (top of the interval) dominates
        FrequencyTable t = FrequencyTable.fromCounts(c, Math.max(FrequencyTable.ceilLog2(k), 8 + rnd.nextInt(17)));
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = rnd.nextInt(200) == 0 ? rnd.nextInt(k) : k - 1;
        }
        TestSupport.ReferenceEncoder ref = new TestSupport.ReferenceEncoder();
        for (int s : symbols) {
            ref.encode(t.cumulative(s), t.frequency(s), t.total());
        }
        byte[] coded = IndexStreamCodec.encode(symbols, t);
        assertEquals(TestSupport.hex(ref.finish()), TestSupport.hex(coded));
        assertArrayEquals(symbols, IndexStreamCodec.decode(coded, n, t));
    }

    @Property(tries = 150)
    void adaptiveRoundTrip(@ForAll("alphabets") int k, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        AdaptiveModel m = randomAdaptive(k, rnd);
        FrequencyTable source = FrequencyTable.fromCounts(counts(k, Shape.values()[rnd.nextInt(6)], rnd));
        int[] symbols = symbols(source, n, rnd);
        byte[] coded = IndexStreamCodec.encode(symbols, m);
        assertArrayEquals(symbols, IndexStreamCodec.decode(coded, n, m));
        if (n <= 400) {
            // same bytes as the exact-arithmetic reference driven by a naive implementation of the adaptive rule
            TestSupport.ReferenceEncoder ref = new TestSupport.ReferenceEncoder();
            long[] f = new long[k];
            java.util.Arrays.fill(f, 1);
            long total = k;
            for (int s : symbols) {
                long cum = 0;
                for (int i = 0; i < s; i++) {
                    cum += f[i];
                }
                ref.encode((int) cum, (int) f[s], (int) total);
                f[s] += m.increment();
                total += m.increment();
                if (total > m.limit()) {
                    total = 0;
                    for (int i = 0; i < k; i++) {
                        f[i] = (f[i] + 1) >> 1;
                        total += f[i];
                    }
                }
            }
            assertEquals(TestSupport.hex(ref.finish()), TestSupport.hex(coded));
        }
    }

    static AdaptiveModel randomAdaptive(int k, SplittableRandom rnd) {
        if (rnd.nextBoolean()) {
            return AdaptiveModel.of(k);
        }
        int inc = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 65536);
        int min = 2 * (k + inc);
        int limit = min + rnd.nextInt(AdaptiveModel.MAX_LIMIT - min + 1) / (1 + rnd.nextInt(1000));
        return new AdaptiveModel(k, inc, limit);
    }

    @Property(tries = 150)
    void contextSelectedRoundTrip(@ForAll @IntRange(min = 1, max = 2000) int k, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        int contexts = 1 + rnd.nextInt(8);
        List<EntropyModel> tables = new ArrayList<>();
        for (int c = 0; c < contexts; c++) {
            tables.add(rnd.nextBoolean() ? randomAdaptive(k, rnd)
                    : FrequencyTable.fromCounts(counts(k, Shape.values()[rnd.nextInt(6)], rnd), totalBits(k, rnd)));
        }
        long salt = rnd.nextLong();
        // A selector of previous symbols and position, different for every seed.
        ContextSelector selector = (symbols, offset, position) -> {
            long h = salt ^ position * 0x9E3779B97F4A7C15L;
            if (position > 0) {
                h ^= symbols[offset + position - 1] * 0xC2B2AE3D27D4EB4FL;
            }
            if (position > 2) {
                h += symbols[offset + position - 3];
            }
            return (int) Long.remainderUnsigned(h ^ (h >>> 29), contexts);
        };
        ContextModel model = ContextModel.of(selector, tables);
        FrequencyTable source = FrequencyTable.fromCounts(counts(k, Shape.ZIPF, rnd));
        int[] symbols = symbols(source, n, rnd);
        // code from the middle of a bigger array, so offsets matter
        int[] padded = new int[n + 10];
        System.arraycopy(symbols, 0, padded, 5, n);
        byte[] coded = IndexStreamCodec.encode(padded, 5, n, model);
        int[] out = new int[n + 4];
        java.util.Arrays.fill(out, -7);
        IndexStreamCodec.decode(coded, 0, coded.length, out, 3, n, model);
        assertArrayEquals(symbols, java.util.Arrays.copyOfRange(out, 3, 3 + n));
        assertEquals(-7, out[2]);
        assertEquals(-7, out[n + 3]);
    }

    @Property(tries = 60)
    void builtInSelectorsRoundTrip(@ForAll @IntRange(min = 2, max = 5000) int k, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 64) int width) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = width * (1 + rnd.nextInt(40));
        FrequencyTable source = FrequencyTable.fromCounts(counts(k, Shape.ZIPF, rnd));
        int[] symbols = symbols(source, n, rnd);
        int buckets = 1 + rnd.nextInt(4);
        int[] bucket = new int[k];
        for (int s = 0; s < k; s++) {
            bucket[s] = Math.min(buckets - 1, s * buckets / Math.max(1, k / 8));
        }
        int[] side = symbols(source, n, rnd);
        List<ContextSelector> selectors = List.of(
                ContextSelector.previousSymbol(bucket, buckets),
                ContextSelector.gridNeighbours(width, bucket, buckets),
                ContextSelector.sideInformation(side, bucket));
        for (ContextSelector sel : selectors) {
            List<EntropyModel> tables = new ArrayList<>();
            for (int c = 0; c < sel.contextCount(); c++) {
                tables.add(c % 2 == 0 ? AdaptiveModel.of(k) : source);
            }
            ContextModel model = ContextModel.of(sel, tables);
            byte[] coded = IndexStreamCodec.encode(symbols, model);
            assertArrayEquals(symbols, IndexStreamCodec.decode(coded, n, model));
        }
    }

    @Property(tries = 100)
    void emptyAndSingleSymbolStreams(@ForAll("alphabets") int k, @ForAll long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        FrequencyTable t = FrequencyTable.fromCounts(counts(k, Shape.values()[rnd.nextInt(6)], rnd), totalBits(k, rnd));
        for (EntropyModel m : List.of(t, AdaptiveModel.of(k))) {
            assertEquals(0, IndexStreamCodec.encode(new int[0], m).length);
            assertEquals(0, IndexStreamCodec.decode(new byte[0], 0, m).length);
            int[] one = {rnd.nextInt(k)};
            byte[] coded = IndexStreamCodec.encode(one, m);
            assertTrue(coded.length <= 3 + (FrequencyTable.MAX_TOTAL_BITS + 7) / 8, "one symbol took " + coded.length);
            assertArrayEquals(one, IndexStreamCodec.decode(coded, 1, m));
        }
    }

    @Property(tries = 20)
    void oneSymbolAlphabetCostsNothing(@ForAll @IntRange(min = 0, max = 5000) int n,
            @ForAll @IntRange(min = 0, max = 24) int bits) throws Exception {
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {3}, bits);
        int[] zeros = new int[n];
        for (EntropyModel m : List.of(t, AdaptiveModel.of(1))) {
            byte[] coded = IndexStreamCodec.encode(zeros, m);
            assertEquals(0, coded.length);
            assertArrayEquals(zeros, IndexStreamCodec.decode(coded, n, m));
        }
    }

    @Property(tries = 100)
    void encodingIsDeterministic(@ForAll("alphabets") int k, @ForAll Shape shape, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] c = counts(k, shape, rnd);
        int bits = totalBits(k, rnd);
        int[] symbols = symbols(FrequencyTable.fromCounts(c, bits), 500, rnd);
        byte[] a = IndexStreamCodec.encode(symbols, FrequencyTable.fromCounts(c, bits));
        byte[] b = IndexStreamCodec.encode(symbols.clone(), FrequencyTable.fromCounts(c.clone(), bits));
        assertArrayEquals(a, b);
        assertArrayEquals(IndexStreamCodec.encode(symbols, AdaptiveModel.of(k)),
                IndexStreamCodec.encode(symbols, AdaptiveModel.of(k)));
    }

    @Property(tries = 100)
    void lowLevelApiProducesTheSameStream(@ForAll @IntRange(min = 2, max = 3000) int k, @ForAll long seed)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        FrequencyTable t = FrequencyTable.fromCounts(counts(k, Shape.RANDOM, rnd), totalBits(k, rnd));
        int[] symbols = symbols(t, 1 + rnd.nextInt(1000), rnd);
        RangeEncoder enc = new RangeEncoder(0);
        for (int s : symbols) {
            enc.encode(t.cumulative(s), t.frequency(s), t.total());
        }
        byte[] low = enc.finish();
        assertArrayEquals(IndexStreamCodec.encode(symbols, t), low);
        RangeDecoder dec = new RangeDecoder(low);
        for (int expected : symbols) {
            int target = dec.target(t.total());
            int s = t.symbolAt(target);
            dec.consume(t.cumulative(s), t.frequency(s));
            assertEquals(expected, s);
        }
        // the per-symbol decoder agrees with the bulk one
        RangeDecoder single = new RangeDecoder(low);
        for (int expected : symbols) {
            assertEquals(expected, single.decode(t));
        }
    }
}
