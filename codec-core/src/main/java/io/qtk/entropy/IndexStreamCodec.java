package io.qtk.entropy;

import java.util.List;
import java.util.Objects;

/**
 * Whole index streams: an {@code int[]} of symbols in {@code [0, K)} to a {@code byte[]} and back, with any
 * {@link EntropyModel}. The decoder is told the symbol count (the container knows it from the image size); the
 * bytes carry no header of their own. An empty stream codes to zero bytes.
 *
 * <p>Exception contract of the decoders:
 * <ul>
 *   <li>{@link EntropyCodingException} (checked, an {@code IOException}): the bytes are provably not a stream of
 *       this model. Corrupt or truncated input may instead decode to garbage symbols, always within {@code [0, K)};
 *       the container's CRC is the integrity check.</li>
 *   <li>{@link IllegalArgumentException}: bad arguments (negative count, slice outside the array);
 *       {@link NullPointerException} for a null argument.</li>
 *   <li>{@link IllegalStateException}: a {@link ContextSelector} returned a context outside the model's tables
 *       (a bug in the selector); a selector's own exceptions pass through unchanged.</li>
 * </ul>
 * Nothing else is thrown; no byte outside the given slice is read; bytes past its end read as zero; the work is
 * O(count log K) plus O(K) per adaptive halving, whatever the bytes; the only allocation sized by an argument is
 * the {@code int[count]} of {@link #decode(byte[], int, EntropyModel)} (use the {@code out}-array overload to avoid
 * it). Encoders throw {@link IllegalArgumentException} for a symbol outside {@code [0, K)}.
 *
 * <p>Thread-safe: all state is local to a call.
 */
public final class IndexStreamCodec {

    private IndexStreamCodec() {
    }

    /**
     * @param symbols the symbols, each in {@code [0, K)}
     * @param model the model
     * @return the coded bytes
     */
    public static byte[] encode(int[] symbols, EntropyModel model) {
        return encode(symbols, 0, symbols.length, model);
    }

    /**
     * @param symbols array holding the stream
     * @param offset start of the stream in {@code symbols}
     * @param length number of symbols
     * @param model the model
     * @return the coded bytes
     * @throws IllegalArgumentException for a symbol outside {@code [0, K)} or a bad slice
     */
    public static byte[] encode(int[] symbols, int offset, int length, EntropyModel model) {
        Objects.requireNonNull(model, "model");
        checkSlice(symbols, offset, length);
        RangeEncoder enc = new RangeEncoder(Math.min(length, 1 << 20) + 16);
        if (model instanceof FrequencyTable table) {
            enc.encode(table, symbols, offset, length);
        } else if (model instanceof AdaptiveModel adaptive) {
            AdaptiveFrequencies counts = adaptive.newState();
            for (int i = offset, end = offset + length; i < end; i++) {
                enc.encode(counts, symbols[i]);
            }
        } else {
            ContextModel cm = (ContextModel) model;
            State state = new State(cm);
            ContextSelector selector = cm.selector();
            for (int i = 0; i < length; i++) {
                int ctx = state.check(selector.select(symbols, offset, i));
                FrequencyTable t = state.tables[ctx];
                if (t != null) {
                    enc.encode(t, symbols[offset + i]);
                } else {
                    enc.encode(state.counts(ctx), symbols[offset + i]);
                }
            }
        }
        return enc.finish();
    }

    /**
     * @param data the coded bytes
     * @param count the number of symbols to decode, {@code >= 0}
     * @param model the model the stream was coded with
     * @return the symbols
     * @throws EntropyCodingException if the bytes are provably not a stream of this model
     */
    public static int[] decode(byte[] data, int count, EntropyModel model) throws EntropyCodingException {
        return decode(data, 0, data.length, count, model);
    }

    /**
     * @param data array holding the coded bytes
     * @param offset start of the coded bytes
     * @param length number of coded bytes
     * @param count the number of symbols to decode, {@code >= 0}
     * @param model the model the stream was coded with
     * @return the symbols
     * @throws EntropyCodingException if the bytes are provably not a stream of this model
     */
    public static int[] decode(byte[] data, int offset, int length, int count, EntropyModel model)
            throws EntropyCodingException {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        int[] out = new int[count];
        decode(data, offset, length, out, 0, count, model);
        return out;
    }

    /**
     * Decodes into a caller's array.
     *
     * @param data array holding the coded bytes
     * @param offset start of the coded bytes
     * @param length number of coded bytes
     * @param out where the symbols go
     * @param outOffset index in {@code out} of the first symbol
     * @param count the number of symbols to decode, {@code >= 0}
     * @param model the model the stream was coded with
     * @throws EntropyCodingException if the bytes are provably not a stream of this model ({@code out} then holds
     *     the symbols decoded before the inconsistency)
     */
    public static void decode(byte[] data, int offset, int length, int[] out, int outOffset, int count,
            EntropyModel model) throws EntropyCodingException {
        Objects.requireNonNull(model, "model");
        checkSlice(out, outOffset, count);
        RangeDecoder dec = new RangeDecoder(data, offset, length);
        if (model instanceof FrequencyTable table) {
            dec.decode(table, out, outOffset, count);
        } else if (model instanceof AdaptiveModel adaptive) {
            AdaptiveFrequencies counts = adaptive.newState();
            for (int i = outOffset, end = outOffset + count; i < end; i++) {
                out[i] = dec.decode(counts);
            }
        } else {
            ContextModel cm = (ContextModel) model;
            State state = new State(cm);
            ContextSelector selector = cm.selector();
            for (int i = 0; i < count; i++) {
                int ctx = state.check(selector.select(out, outOffset, i));
                FrequencyTable t = state.tables[ctx];
                out[outOffset + i] = t != null ? dec.decode(t) : dec.decode(state.counts(ctx));
            }
        }
    }

    /**
     * The ideal code length of a stream under a model: the sum over its symbols of {@code -log2 p}, with p the
     * probability the coder uses for that symbol (for adaptive tables: the counts at that point of the stream).
     * The coded size in bits is this plus a small overhead (at most 8 bits of termination plus below
     * 2^-24 relative per symbol).
     *
     * @param symbols array holding the stream
     * @param offset start of the stream
     * @param length number of symbols
     * @param model the model
     * @return the ideal code length in bits
     */
    public static double idealCodeLength(int[] symbols, int offset, int length, EntropyModel model) {
        Objects.requireNonNull(model, "model");
        checkSlice(symbols, offset, length);
        double bits = 0;
        if (model instanceof FrequencyTable table) {
            for (int i = offset; i < offset + length; i++) {
                bits += table.codeLength(symbols[i]);
            }
        } else if (model instanceof AdaptiveModel adaptive) {
            AdaptiveFrequencies counts = adaptive.newState();
            for (int i = offset; i < offset + length; i++) {
                bits += counts.codeLength(symbols[i]);
                counts.update(symbols[i]);
            }
        } else {
            ContextModel cm = (ContextModel) model;
            State state = new State(cm);
            for (int i = 0; i < length; i++) {
                int ctx = state.check(cm.selector().select(symbols, offset, i));
                int s = symbols[offset + i];
                if (state.tables[ctx] != null) {
                    bits += state.tables[ctx].codeLength(s);
                } else {
                    AdaptiveFrequencies c = state.counts(ctx);
                    bits += c.codeLength(s);
                    c.update(s);
                }
            }
        }
        return bits;
    }

    private static void checkSlice(int[] a, int offset, int length) {
        Objects.requireNonNull(a, "array");
        if (offset < 0 || length < 0 || offset > a.length - length) {
            throw new IllegalArgumentException(
                    "slice [" + offset + ", +" + length + ") outside an array of " + a.length);
        }
    }

    /**
     * Per-stream state of a context model: the static table or the counts of each context. Counts are made on first
     * use, so many adaptive contexts cost memory only for those a stream visits.
     */
    private static final class State {
        final FrequencyTable[] tables;
        final AdaptiveModel[] adaptive;
        final AdaptiveFrequencies[] counts;

        State(ContextModel model) {
            List<EntropyModel> list = model.tables();
            tables = new FrequencyTable[list.size()];
            adaptive = new AdaptiveModel[list.size()];
            counts = new AdaptiveFrequencies[list.size()];
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof FrequencyTable t) {
                    tables[i] = t;
                } else {
                    adaptive[i] = (AdaptiveModel) list.get(i);
                }
            }
        }

        AdaptiveFrequencies counts(int ctx) {
            AdaptiveFrequencies c = counts[ctx];
            if (c == null) {
                c = adaptive[ctx].newState();
                counts[ctx] = c;
            }
            return c;
        }

        int check(int ctx) {
            if (ctx < 0 || ctx >= tables.length) {
                throw new IllegalStateException(
                        "context selector returned " + ctx + ", outside [0, " + tables.length + ")");
            }
            return ctx;
        }
    }
}
