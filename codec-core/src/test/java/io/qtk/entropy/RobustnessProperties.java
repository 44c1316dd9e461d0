package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Corrupt, truncated and hostile input: symbols or EntropyCodingException, nothing else, never a hang. */
class RobustnessProperties {

    static EntropyModel model(int kind, int k, SplittableRandom rnd) {
        FrequencyTable t = FrequencyTable.fromCounts(
                RoundTripProperties.counts(k, RoundTripProperties.Shape.values()[rnd.nextInt(6)], rnd),
                RoundTripProperties.totalBits(k, rnd));
        return switch (kind % 3) {
            case 0 -> t;
            case 1 -> RoundTripProperties.randomAdaptive(k, rnd);
            default -> ContextModel.of(ContextSelector.previousSymbol(new int[k], 1), t, AdaptiveModel.of(k));
        };
    }

    /** Decodes and checks the contract: every symbol in range, or the documented exception. */
    static void decodeWithinContract(byte[] data, int offset, int length, int count, EntropyModel m) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                int[] out = IndexStreamCodec.decode(data, offset, length, count, m);
                assertEquals(count, out.length);
                for (int s : out) {
                    assertTrue(s >= 0 && s < m.alphabetSize(), "symbol " + s + " outside the alphabet");
                }
            } catch (EntropyCodingException expected) {
                assertTrue(expected.symbolIndex() >= 0 && expected.symbolIndex() < count);
            } catch (RuntimeException e) {
                fail("undocumented exception " + e, e);
            }
        });
    }

    @Property(tries = 200)
    void randomBytesDecodeWithinTheContract(@ForAll @Size(max = 64) byte[] data,
            @ForAll @IntRange(min = 0, max = 20000) int count, @ForAll @IntRange(min = 2, max = 65536) int k,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        decodeWithinContract(data, 0, data.length, count, model(kind, k, new SplittableRandom(seed)));
    }

    @Property(tries = 150)
    void truncatedAndCorruptedStreamsDecodeWithinTheContract(@ForAll @IntRange(min = 2, max = 65536) int k,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3000) int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        EntropyModel m = model(kind, k, rnd);
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(k) : rnd.nextInt(Math.min(k, 8));
        }
        byte[] coded = IndexStreamCodec.encode(symbols, m);
        assertArrayEquals(symbols, IndexStreamCodec.decode(coded, n, m));
        // truncated: any prefix
        int cut = coded.length == 0 ? 0 : rnd.nextInt(coded.length);
        decodeWithinContract(coded, 0, cut, n, m);
        // corrupted: flipped bits, and a longer count than was coded
        byte[] bad = coded.clone();
        for (int i = 0, flips = 1 + rnd.nextInt(4); i < flips && bad.length > 0; i++) {
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        decodeWithinContract(bad, 0, bad.length, n + rnd.nextInt(1000), m);
    }

    @Property(tries = 150)
    void neverReadsOutsideTheSlice(@ForAll @Size(max = 40) byte[] data, @ForAll @IntRange(min = 2, max = 4096) int k,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2000) int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        EntropyModel m = model(kind, k, rnd);
        // The same bytes with non-zero neighbours must decode exactly as the bytes alone (zeros past the end).
        byte[] framed = new byte[data.length + 16];
        for (int i = 0; i < framed.length; i++) {
            framed[i] = (byte) (0x5A + i);
        }
        System.arraycopy(data, 0, framed, 8, data.length);
        Object alone = outcome(data, 0, data.length, count, m);
        Object inFrame = outcome(framed, 8, data.length, count, m);
        if (alone instanceof int[] a) {
            assertArrayEquals(a, (int[]) inFrame);
        } else {
            assertEquals(alone, inFrame);
        }
    }

    private static Object outcome(byte[] data, int off, int len, int count, EntropyModel m) {
        try {
            return IndexStreamCodec.decode(data, off, len, count, m);
        } catch (EntropyCodingException e) {
            return "ECE@" + e.symbolIndex();
        }
    }

    @Example
    void inconsistentInputRaisesTheCheckedException() {
        // Adaptive K = 3 starts with total 3: r = floor(2^56 / 3) and r * 3 = 2^56 - 1, so the first target of an
        // all-0xFF stream is 3 >= total, which no encoder can produce.
        byte[] ff = {-1, -1, -1, -1, -1, -1, -1};
        EntropyCodingException e = assertThrows(EntropyCodingException.class,
                () -> IndexStreamCodec.decode(ff, 5, AdaptiveModel.of(3)));
        assertEquals(0, e.symbolIndex());
        assertThrows(EntropyCodingException.class, () -> new RangeDecoder(ff).target(3));
    }

    @Example
    void badArgumentsAreIllegalArguments() {
        FrequencyTable t = FrequencyTable.uniform(4);
        byte[] data = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.decode(data, -1, t));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.decode(data, 2, 2, 5, t));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.decode(data, -1, 1, 5, t));
        assertThrows(IllegalArgumentException.class,
                () -> IndexStreamCodec.decode(data, 0, 3, new int[4], 2, 3, t));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.encode(new int[] {0, 4}, t));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.encode(new int[] {-1}, t));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.encode(new int[] {4}, AdaptiveModel.of(4)));
        assertThrows(IllegalArgumentException.class, () -> IndexStreamCodec.encode(new int[3], 1, 3, t));
        assertThrows(NullPointerException.class, () -> IndexStreamCodec.decode(null, 1, t));
        assertThrows(NullPointerException.class, () -> IndexStreamCodec.encode(new int[1], null));
        assertThrows(IllegalArgumentException.class, () -> new RangeDecoder(data, 1, 3));
        RangeEncoder enc = new RangeEncoder();
        assertThrows(IllegalArgumentException.class, () -> enc.encode(3, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(0, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(0, 1, (1 << 24) + 1));
        enc.finish();
        assertThrows(IllegalStateException.class, enc::finish);
        assertThrows(IllegalStateException.class, () -> enc.encode(t, 1));
        enc.reset();
        enc.encode(t, 1);
        assertThrows(IllegalArgumentException.class, () -> new RangeEncoder().encode(t, new int[2], 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new RangeEncoder().encode(t, new int[2], -1, 1));
        RangeDecoder dec = new RangeDecoder(data);
        assertThrows(IllegalArgumentException.class, () -> dec.consume(0, 1));
        assertThrows(IllegalArgumentException.class, () -> dec.decode(t, new int[2], 1, 2));
        assertThrows(IllegalArgumentException.class, () -> dec.decode(t, new int[2], 0, -1));
    }

    @Example
    void decodeWorkIsBoundedByTheCount() {
        // Huge counts of a one-symbol-dominant table from an empty or tiny input: linear in the count, no allocation
        // by input; the stream either decodes within the bytes it has (plus the margin) or is refused as corrupt.
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {FrequencyTable.MAX_COUNT, 0, 0}, 24);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (EntropyModel m : List.of(t, AdaptiveModel.of(3))) {
                int[] out = new int[2_000_000];
                for (byte[] in : List.of(new byte[0], new byte[] {-1, -1, -1})) {
                    try {
                        IndexStreamCodec.decode(in, 0, in.length, out, 0, out.length, m);
                    } catch (EntropyCodingException e) {
                        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
                    }
                }
            }
        });
    }

    @Example
    void aStreamNeedingMoreThanTheMarginPastItsEndIsCorrupt() throws EntropyCodingException {
        // uniform over 256 symbols: n symbols read the 7 bytes of the window and n - 1 more, so an empty stream
        // holds at most 10 of them
        FrequencyTable t = FrequencyTable.uniform(256);
        int[] out = new int[64];
        IndexStreamCodec.decode(new byte[0], 0, 0, out, 0, RangeDecoder.MAX_BYTES_PAST_END - 6, t);
        EntropyCodingException e = assertThrows(EntropyCodingException.class,
                () -> IndexStreamCodec.decode(new byte[0], 0, 0, out, 0, RangeDecoder.MAX_BYTES_PAST_END - 5, t));
        assertTrue(e.getMessage().contains("more than 16 bytes past the end of its 0-byte stream"), e.getMessage());
        // the same count with its bytes present decodes
        byte[] one = new byte[RangeDecoder.MAX_BYTES_PAST_END - 5];
        java.util.Arrays.fill(one, (byte) 7);
        IndexStreamCodec.decode(one, 0, one.length, out, 0, one.length, t);
        assertEquals(7, out[0]);
        // and the encoder never needs more: long zero runs keep the zero bytes the decoder would otherwise miss
        for (int n : new int[] {0, 1, 9, 10, 11, 40, 1000}) {
            int[] zeros = new int[n];
            byte[] b = IndexStreamCodec.encode(zeros, t);
            assertEquals(Math.max(0, n - (RangeDecoder.MAX_BYTES_PAST_END - 6)), b.length, "n = " + n);
            int[] back = new int[n];
            IndexStreamCodec.decode(b, 0, b.length, back, 0, n, t);
            assertArrayEquals(zeros, back);
        }
    }
}
