package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The worked examples of format-spec/entropy-coding.md, byte for byte and state for state. */
class WorkedExampleTest {

    private static final int[] STATIC_SYMBOLS = {0, 0, 1, 3, 0, 2, 0, 1, 0, 0};

    /** After each symbol: low and range (56-bit window, hex) and the bytes written so far. */
    private static final String[][] STATIC_TRACE = {
        {"00000000000000", "90000000000000", ""},
        {"00000000000000", "51000000000000", ""},
        {"2D900000000000", "14400000000000", ""},
        {"3F480000000000", "02880000000000", ""},
        {"3F480000000000", "016C8000000000", ""},
        {"70280000000000", "16C80000000000", "40"},
        {"70280000000000", "0CD08000000000", "40"},
        {"775D4800000000", "03342000000000", "40"},
        {"775D4800000000", "01CD5200000000", "40"},
        {"775D4800000000", "01037E20000000", "40"},
    };

    @Test
    void staticExample() throws Exception {
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {5, 2, 0, 1}, 4);
        assertArrayEquals(new int[] {9, 4, 1, 2}, t.frequencies());
        RangeEncoder enc = new RangeEncoder();
        for (int i = 0; i < STATIC_SYMBOLS.length; i++) {
            enc.encode(t, STATIC_SYMBOLS[i]);
            assertEquals(STATIC_TRACE[i][0], String.format("%014X", enc.low()), "low after symbol " + i);
            assertEquals(STATIC_TRACE[i][1], String.format("%014X", enc.range()), "range after symbol " + i);
            assertEquals(STATIC_TRACE[i][2].isEmpty() ? 0 : 1, enc.bytesWritten(), "bytes after symbol " + i);
        }
        byte[] out = enc.finish();
        assertEquals("40 78", TestSupport.hex(out));
        assertArrayEquals(out, IndexStreamCodec.encode(STATIC_SYMBOLS, t));
        assertArrayEquals(STATIC_SYMBOLS, IndexStreamCodec.decode(out, STATIC_SYMBOLS.length, t));
    }

    @Test
    void adaptiveExample() throws Exception {
        AdaptiveModel m = new AdaptiveModel(3, 4, 16);
        int[] symbols = {2, 2, 0, 2, 1, 2, 2, 2, 0, 2};
        // frequencies before each symbol (halvings after the 3rd, 5th and 8th symbols... as in the spec table)
        int[][] before = {
            {1, 1, 1}, {1, 1, 5}, {1, 1, 9}, {5, 1, 9}, {3, 1, 7},
            {3, 5, 7}, {2, 3, 6}, {2, 3, 10}, {1, 2, 7}, {5, 2, 7}};
        AdaptiveFrequencies f = m.newState();
        for (int i = 0; i < symbols.length; i++) {
            for (int s = 0; s < 3; s++) {
                assertEquals(before[i][s], f.frequency(s), "frequency of " + s + " before symbol " + i);
            }
            f.update(symbols[i]);
        }
        byte[] out = IndexStreamCodec.encode(symbols, m);
        assertEquals("C6 6D", TestSupport.hex(out));
        assertArrayEquals(symbols, IndexStreamCodec.decode(out, symbols.length, m));
    }

    /** Section 8.4: the adaptive model primed with a static table (coder id 6 of qtk 1.4 primes every context). */
    @Test
    void primedAdaptiveExample() throws Exception {
        AdaptiveModel m = new AdaptiveModel(3, 4, 24);
        FrequencyTable prior = FrequencyTable.fromFrequencies(new int[] {2, 4, 10});
        int[] symbols = {2, 2, 1, 2, 0, 2, 2, 1, 2, 2};
        // frequencies before each symbol; the total passes 24, and is halved, after symbols 2, 5 and 8
        int[][] before = {
            {2, 4, 10}, {2, 4, 14}, {2, 4, 18}, {1, 4, 9}, {1, 4, 13},
            {5, 4, 13}, {3, 2, 9}, {3, 2, 13}, {3, 6, 13}, {2, 3, 9}};
        AdaptiveFrequencies f = m.newState(prior);
        RangeEncoder enc = new RangeEncoder();
        for (int i = 0; i < symbols.length; i++) {
            for (int s = 0; s < 3; s++) {
                assertEquals(before[i][s], f.frequency(s), "frequency of " + s + " before symbol " + i);
            }
            enc.encode(f, symbols[i]);
        }
        byte[] out = enc.finish();
        assertEquals(PRIMED_BYTES, TestSupport.hex(out));
        AdaptiveFrequencies g = m.newState(prior);
        RangeDecoder dec = new RangeDecoder(out);
        for (int i = 0; i < symbols.length; i++) {
            assertEquals(symbols[i], dec.decode(g), "symbol " + i);
        }
        // primed with the uniform table of total K it is the plain adaptive model
        AdaptiveModel plain = new AdaptiveModel(4, 4, 16);
        AdaptiveFrequencies u = plain.newState(FrequencyTable.fromFrequencies(new int[] {1, 1, 1, 1}));
        RangeEncoder e2 = new RangeEncoder();
        int[] xs = {3, 3, 0, 1, 3, 2, 3, 3, 3, 0, 3};
        for (int x : xs) {
            e2.encode(u, x);
        }
        assertArrayEquals(IndexStreamCodec.encode(xs, plain), e2.finish());
    }

    private static final String PRIMED_BYTES = "A0 7A";
}
