package io.qtk.entropy;

import java.util.Arrays;

/**
 * The range encoder of {@code format-spec/entropy-coding.md}: 56-bit window, byte-wise output, carries propagated
 * into the bytes already written, a one-byte (at most) flush and no trailing zero bytes.
 *
 * <p>State: {@code low} (the interval's lower end inside the current 56-bit window, plus one carry bit) and
 * {@code range} (the interval's width, kept in {@code [2^48, 2^56]}). Coding {@code (c, f)} against total T does
 * {@code r = floor(range / T); low += r * c; range = r * f}, then shifts whole bytes out while
 * {@code range < 2^48}. Totals are at most 2^24, so {@code r >= 2^24} and the rounding waste is below 2^-24 of the
 * range per symbol.
 *
 * <p>Not thread-safe. Use: any number of {@code encode} calls, then {@link #finish()} once (or {@link #reset()}).
 * Arguments are checked ({@link IllegalArgumentException}); a symbol is never written wrongly without an exception.
 */
public final class RangeEncoder {
    static final long TOP = 1L << 56;
    static final long BOTTOM = 1L << 48;
    static final long WINDOW_MASK = TOP - 1;

    private byte[] buf;
    private int pos;
    private long low;
    private long range;
    private boolean finished;

    /** An encoder with a small initial buffer (it grows as needed). */
    public RangeEncoder() {
        this(64);
    }

    /**
     * @param initialCapacity the initial output buffer size in bytes (a hint; the buffer grows as needed)
     */
    public RangeEncoder(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity " + initialCapacity + " < 0");
        }
        buf = new byte[Math.max(16, initialCapacity)];
        reset();
    }

    /** Starts a new stream (the buffer is kept). */
    public void reset() {
        pos = 0;
        low = 0;
        range = TOP;
        finished = false;
    }

    /**
     * Codes {@code symbol} with a static table.
     *
     * @param table the table
     * @param symbol a symbol in {@code [0, table.alphabetSize())}
     * @throws IllegalStateException after {@link #finish()}
     */
    public void encode(FrequencyTable table, int symbol) {
        checkOpen();
        if (symbol < 0 || symbol >= table.k) {
            table.checkSymbol(symbol);
        }
        // T = 2^totalBits, so floor(range / T) is a shift.
        long r = range >>> table.totalBits;
        low += r * table.cum[symbol];
        range = r * table.freq[symbol];
        normalise();
    }

    /**
     * Codes {@code symbols[offset .. offset+length)} with one static table: the same bytes as {@code length} calls
     * of {@link #encode(FrequencyTable, int)}, faster (the state stays in registers).
     *
     * @param table the table
     * @param symbols array holding the symbols, each in {@code [0, table.alphabetSize())}
     * @param offset index of the first symbol
     * @param length number of symbols
     * @throws IllegalArgumentException for a symbol out of range (the symbols before it are coded)
     */
    public void encode(FrequencyTable table, int[] symbols, int offset, int length) {
        checkOpen();
        if (offset < 0 || length < 0 || offset > symbols.length - length) {
            throw new IllegalArgumentException(
                    "slice [" + offset + ", +" + length + ") outside an array of " + symbols.length);
        }
        final int bits = table.totalBits;
        final int k = table.k;
        final int[] cum = table.cum;
        final int[] freq = table.freq;
        long lo = low;
        long rng = range;
        byte[] b = buf;
        int p = pos;
        for (int i = offset, end = offset + length; i < end; i++) {
            int s = symbols[i];
            if (s < 0 || s >= k) {
                low = lo;
                range = rng;
                pos = p;
                table.checkSymbol(s);
            }
            long r = rng >>> bits;
            lo += r * cum[s];
            rng = r * freq[s];
            if (lo >= TOP) {
                carry(b, p);
                lo -= TOP;
            }
            if (rng < BOTTOM) {
                if (p + 3 > b.length) {
                    pos = p;
                    grow();
                    b = buf;
                }
                do {
                    b[p++] = (byte) (lo >>> 48);
                    lo = (lo << 8) & WINDOW_MASK;
                    rng <<= 8;
                } while (rng < BOTTOM);
            }
        }
        low = lo;
        range = rng;
        pos = p;
    }

    /**
     * Codes {@code symbol} with adaptive counts, then updates them ({@link AdaptiveFrequencies#update(int)}).
     *
     * @param model the running counts (the decoder must hold counts in the same state)
     * @param symbol a symbol in {@code [0, model.alphabetSize())}
     */
    public void encode(AdaptiveFrequencies model, int symbol) {
        checkOpen();
        model.checkSymbol(symbol);
        long r = range / model.total;
        model.prefixAndAdd(symbol); // the interval as it was before the update, and the update
        low += r * model.foundCumulative;
        range = r * model.foundFrequency;
        normalise();
    }

    /**
     * Codes the interval {@code [cumulative, cumulative + frequency)} of {@code [0, total)}: the low-level entry for
     * models of one's own.
     *
     * @param cumulative the interval's start, {@code >= 0}
     * @param frequency the interval's width, {@code >= 1}, with {@code cumulative + frequency <= total}
     * @param total the model's total, in {@code [1, 2^24]}
     */
    public void encode(int cumulative, int frequency, int total) {
        checkOpen();
        if (total < 1 || total > 1 << FrequencyTable.MAX_TOTAL_BITS || frequency < 1 || cumulative < 0
                || cumulative > total - frequency) {
            throw new IllegalArgumentException("bad interval: cumulative " + cumulative + ", frequency " + frequency
                    + ", total " + total);
        }
        long r = range / total;
        low += r * cumulative;
        range = r * frequency;
        normalise();
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("encoder already finished; reset() starts a new stream");
        }
    }

    private void normalise() {
        if (low >= TOP) {
            // The addition carried out of the window: add 1 to the bytes already written.
            propagateCarry();
            low -= TOP;
        }
        if (range < BOTTOM) {
            // range >= 2^24 here (r >= 2^24, f >= 1): at most 3 bytes.
            if (pos + 3 > buf.length) {
                grow();
            }
            do {
                buf[pos++] = (byte) (low >>> 48);
                low = (low << 8) & WINDOW_MASK;
                range <<= 8;
            } while (range < BOTTOM);
        }
    }

    private void propagateCarry() {
        carry(buf, pos);
    }

    /** Adds 1 to b[0 .. p) read as a big-endian number. */
    private static void carry(byte[] b, int p) {
        // Cannot run off the front: the coded interval always lies inside [0, 1), so some earlier byte is < 0xFF.
        int i = p - 1;
        while (b[i] == (byte) 0xFF) {
            b[i] = 0;
            i--;
        }
        b[i]++;
    }

    private void grow() {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + 16));
    }

    /**
     * Flushes and returns the stream: the fewest bytes that pin a value inside the final interval (at most one byte
     * after those already shifted out), without trailing zero bytes (the decoder reads zeros past the end) except
     * those needed so that the decoder reads at most {@link RangeDecoder#MAX_BYTES_PAST_END} bytes past the end.
     *
     * @return the coded bytes (empty for an empty stream)
     * @throws IllegalStateException if called twice without {@link #reset()}
     */
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        finished = true;
        int shifted = pos; // the decoder reads 7 + shifted bytes of the stream, zeros past its end
        if (low != 0) {
            if (low + range > TOP) {
                // The value 2^56 (window all zero, carry into the written bytes) is inside the interval.
                propagateCarry();
            } else {
                // The smallest multiple of 2^48 >= low is below low + range (range >= 2^48): one byte pins it.
                if (pos + 1 > buf.length) {
                    grow();
                }
                buf[pos++] = (byte) ((low + BOTTOM - 1) >>> 48);
            }
        }
        // Drop trailing zeros, but keep those the decoder would otherwise read past the end beyond its margin.
        int keep = Math.max(0, shifted + 7 - RangeDecoder.MAX_BYTES_PAST_END);
        int n = pos;
        while (n > keep && buf[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(buf, n);
    }

    /** Window value of low, for tests and the spec's worked example. */
    long low() {
        return low;
    }

    /** Current range, for tests and the spec's worked example. */
    long range() {
        return range;
    }

    /** @return bytes shifted out so far (before {@link #finish()}); trailing zero bytes may be dropped later */
    public int bytesWritten() {
        return pos;
    }
}
