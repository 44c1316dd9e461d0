package io.qtk.entropy;

import java.util.Objects;

/**
 * The range decoder of {@code format-spec/entropy-coding.md}, over a slice of a byte array.
 *
 * <p>State: {@code range} (evolves exactly as in the encoder) and {@code code} (the coded value minus the
 * encoder's {@code low}, always in {@code [0, range)}). Bytes past the end of the slice read as zero, and nothing
 * outside the slice is ever read. Each decode call does a bounded amount of work (at most 3 byte reads, O(log K)
 * lookup), so decoding n symbols costs O(n log K) whatever the input.
 *
 * <p>A target value outside the model's total cannot come from a conforming encoder, nor can a stream that needs
 * more than {@link #MAX_BYTES_PAST_END} zero bytes past its end ({@code entropy-coding.md} 6.2: a few bytes of
 * payload cannot stand for a long stream); the decoder then throws {@link EntropyCodingException}. Not
 * thread-safe.
 */
public final class RangeDecoder {
    private static final long TOP = RangeEncoder.TOP;
    private static final long BOTTOM = RangeEncoder.BOTTOM;

    /**
     * The most zero bytes a decoder may supply past the end of a stream ({@code entropy-coding.md} 6.2): the 7 of
     * the initial window plus 9 more. A conforming encoder keeps trailing zero bytes rather than need more; a
     * stream that needs more is corrupt, which bounds the symbols a payload of L bytes can yield by the information
     * in L + 16 bytes.
     */
    public static final int MAX_BYTES_PAST_END = 16;

    private final byte[] in;
    private final int start;
    private final int end;
    private int pos;
    private long overrun;
    private long range;
    private long code;
    private long symbols;
    /** r of the last {@link #target(int)} call, 0 when none is pending. */
    private long pendingR;

    /**
     * A decoder over a whole array.
     *
     * @param in the coded bytes
     */
    public RangeDecoder(byte[] in) {
        this(in, 0, in.length);
    }

    /**
     * A decoder over {@code in[offset .. offset+length)}; reads 7 bytes at once (zeros past the end).
     *
     * @param in the array
     * @param offset start of the coded bytes
     * @param length number of coded bytes
     * @throws IllegalArgumentException if the slice is not inside the array
     */
    public RangeDecoder(byte[] in, int offset, int length) {
        Objects.requireNonNull(in, "in");
        if (offset < 0 || length < 0 || offset > in.length - length) {
            throw new IllegalArgumentException(
                    "slice [" + offset + ", +" + length + ") outside an array of " + in.length);
        }
        this.in = in;
        this.start = offset;
        this.pos = offset;
        this.end = offset + length;
        this.range = TOP;
        long c = 0;
        for (int i = 0; i < 7; i++) {
            c = (c << 8) | nextByte();
        }
        this.code = c;
    }

    private int nextByte() {
        if (pos < end) {
            return in[pos++] & 0xFF;
        }
        overrun++;
        return 0;
    }

    /**
     * Decodes one symbol with a static table.
     *
     * @param table the table the encoder used for this symbol
     * @return the symbol
     * @throws EntropyCodingException if the input is inconsistent with the table
     */
    public int decode(FrequencyTable table) throws EntropyCodingException {
        long r = range >>> table.totalBits;
        long q = code / r;
        if (q >= table.total) {
            throw corrupt(q, table.total);
        }
        int s = table.lookup((int) q);
        code -= r * table.cum[s];
        range = r * table.freq[s];
        normalise();
        return s;
    }

    /**
     * Decodes {@code count} symbols with one static table into {@code out[offset .. offset+count)}; the same as
     * {@code count} calls of {@link #decode(FrequencyTable)}, faster (the state stays in registers).
     *
     * @param table the table
     * @param out where the symbols go
     * @param offset index of the first symbol in {@code out}
     * @param count number of symbols
     * @throws EntropyCodingException if the input is inconsistent with the table ({@code out} then holds the
     *     symbols decoded before)
     */
    public void decode(FrequencyTable table, int[] out, int offset, int count) throws EntropyCodingException {
        if (offset < 0 || count < 0 || offset > out.length - count) {
            throw new IllegalArgumentException(
                    "slice [" + offset + ", +" + count + ") outside an array of " + out.length);
        }
        final int bits = table.totalBits;
        final long total = table.total;
        final int[] cum = table.cum;
        final int[] freq = table.freq;
        final char[] lut = table.lut;
        final int shift = table.lutShift;
        final byte[] buf = in;
        final int stop = end;
        long rng = range;
        long cd = code;
        int p = pos;
        for (int i = offset, e = offset + count; i < e; i++) {
            long r = rng >>> bits;
            long q = cd / r;
            if (q >= total) {
                range = rng;
                code = cd;
                pos = p;
                symbols = symbols + (i - offset);
                throw corrupt(q, (int) total);
            }
            int target = (int) q;
            int b = target >>> shift;
            int s = lut[b];
            int hi = lut[b + 1];
            while (s < hi) {
                int mid = (s + hi + 1) >>> 1;
                if (cum[mid] <= target) {
                    s = mid;
                } else {
                    hi = mid - 1;
                }
            }
            cd -= r * cum[s];
            rng = r * freq[s];
            while (rng < BOTTOM) {
                int next;
                if (p < stop) {
                    next = buf[p++] & 0xFF;
                } else {
                    next = 0;
                    if (++overrun > MAX_BYTES_PAST_END) {
                        range = rng;
                        code = cd;
                        pos = p;
                        symbols = symbols + (i - offset) + 1;
                        throw pastEnd();
                    }
                }
                cd = (cd << 8) | next;
                rng <<= 8;
            }
            out[i] = s;
        }
        range = rng;
        code = cd;
        pos = p;
        symbols += count;
    }

    /**
     * Decodes one symbol with adaptive counts, then updates them as the encoder did.
     *
     * @param model the running counts, in the state the encoder's were in
     * @return the symbol
     * @throws EntropyCodingException if the input is inconsistent with the counts
     */
    public int decode(AdaptiveFrequencies model) throws EntropyCodingException {
        int total = model.total;
        long r = range / total;
        long q = code / r;
        if (q >= total) {
            throw corrupt(q, total);
        }
        int s = model.findAndAdd((int) q); // the interval as it was before the update, and the update
        code -= r * model.foundCumulative;
        range = r * model.foundFrequency;
        normalise();
        return s;
    }

    /**
     * Low-level decoding, step 1: the target value in {@code [0, total)} that identifies the next symbol's interval.
     * Must be followed by {@link #consume(int, int)} with the interval holding it.
     *
     * @param total the model's total, in {@code [1, 2^24]}
     * @return the target
     * @throws EntropyCodingException if the input is inconsistent with the total
     */
    public int target(int total) throws EntropyCodingException {
        if (total < 1 || total > 1 << FrequencyTable.MAX_TOTAL_BITS) {
            throw new IllegalArgumentException("total " + total + " out of range [1, 2^24]");
        }
        long r = range / total;
        long q = code / r;
        if (q >= total) {
            throw corrupt(q, total);
        }
        pendingR = r;
        return (int) q;
    }

    /**
     * Low-level decoding, step 2: removes the interval {@code [cumulative, cumulative + frequency)} that holds the
     * value {@link #target(int)} returned.
     *
     * @param cumulative the interval's start
     * @param frequency the interval's width
     * @throws IllegalArgumentException if no target is pending or the interval does not hold it
     * @throws EntropyCodingException if the stream then needs more than {@link #MAX_BYTES_PAST_END} bytes past its
     *     end
     */
    public void consume(int cumulative, int frequency) throws EntropyCodingException {
        long r = pendingR;
        if (r == 0) {
            throw new IllegalArgumentException("consume without a pending target");
        }
        long q = code / r;
        if (frequency < 1 || cumulative < 0 || q < cumulative || q - cumulative >= frequency) {
            throw new IllegalArgumentException("interval [" + cumulative + ", +" + frequency
                    + ") does not hold the target " + q);
        }
        pendingR = 0;
        code -= r * cumulative;
        range = r * frequency;
        normalise();
    }

    private void normalise() throws EntropyCodingException {
        symbols++;
        // code < range < 2^48 before each shift, so it stays below 2^56: no overflow even for hostile input.
        while (range < BOTTOM) {
            code = (code << 8) | nextByte();
            range <<= 8;
        }
        if (overrun > MAX_BYTES_PAST_END) {
            throw pastEnd();
        }
    }

    private EntropyCodingException pastEnd() {
        return new EntropyCodingException("corrupt entropy-coded stream: symbol " + (symbols - 1) + " needs more than "
                + MAX_BYTES_PAST_END + " bytes past the end of its " + (end - start) + "-byte stream", symbols - 1);
    }

    private EntropyCodingException corrupt(long target, int total) {
        return new EntropyCodingException("corrupt entropy-coded stream: target " + target + " >= total " + total
                + " at symbol " + symbols + ", byte " + bytesConsumed(), symbols);
    }

    /** @return bytes of the slice read so far (the first 7 are read by the constructor) */
    public int bytesConsumed() {
        return pos - start;
    }

    /** @return zero bytes supplied past the end of the slice so far (normal: up to 7 at the end of a stream) */
    public long bytesPastEnd() {
        return overrun;
    }

    /** @return number of symbols decoded so far */
    public long symbolsDecoded() {
        return symbols;
    }
}
