package io.qtk.entropy;

import java.util.Objects;

/**
 * Picks, for each symbol of a stream, which of a {@link ContextModel}'s tables codes it. The hook for context
 * modelling: the choice may depend on the symbols already coded in the same stream and on side information both
 * ends hold (for example the indices of an earlier group at the same grid position).
 *
 * <p>Contract (the encoder and the decoder must make the same choices): {@link #select} is a pure function of
 * {@code position}, of {@code symbols[offset + j]} for {@code 0 <= j < position} and of the selector's own
 * (immutable) data. It MUST NOT read other elements of {@code symbols}: in the encoder they hold the symbols still to
 * come, in the decoder whatever the output array held. It must return a context in {@code [0, contexts)} for every
 * possible history, including garbage decoded from corrupt input; otherwise coding fails with
 * {@link IllegalStateException}.
 *
 * <p>The built-in selectors below are normative (spec section "Context selection").
 */
@FunctionalInterface
public interface ContextSelector {

    /**
     * @param symbols the stream's symbol array; only {@code symbols[offset .. offset+position)} may be read
     * @param offset where the stream starts in {@code symbols}
     * @param position 0-based index of the symbol about to be coded
     * @return the index of the table for that symbol
     */
    int select(int[] symbols, int offset, int position);

    /**
     * The number of contexts this selector can return, when it knows it; a {@link ContextModel} then checks that it
     * has that many tables. Default: -1, unknown (only the returned values are checked).
     *
     * @return the context count, or -1
     */
    default int contextCount() {
        return -1;
    }

    /**
     * Order-1 selection: the context is {@code symbolContext[previous symbol]}, and {@code firstContext} for the
     * first symbol.
     *
     * @param symbolContext context per symbol value, length K, values {@code >= 0}
     * @param firstContext the context of position 0, {@code >= 0}
     * @return the selector (it keeps a copy of the array)
     */
    static ContextSelector previousSymbol(int[] symbolContext, int firstContext) {
        int[] map = symbolContext.clone();
        int count = checkMap(map, firstContext);
        return new ContextSelector() {
            @Override
            public int select(int[] symbols, int offset, int position) {
                if (position == 0) {
                    return firstContext;
                }
                int prev = symbols[offset + position - 1];
                return prev >= 0 && prev < map.length ? map[prev] : -1;
            }

            @Override
            public int contextCount() {
                return count;
            }
        };
    }

    /**
     * Causal neighbours on a raster grid of the given width (the stream is the grid in raster order): with
     * {@code x = position mod width}, {@code y = position / width}, {@code B = buckets + 1},
     * {@code left = x > 0 ? 1 + symbolBucket[symbol at position-1] : 0},
     * {@code up = y > 0 ? 1 + symbolBucket[symbol at position-width] : 0}, the context is {@code left * B + up};
     * {@code B * B} contexts in all.
     *
     * @param width grid width, {@code >= 1}
     * @param symbolBucket bucket per symbol value, length K, values in {@code [0, buckets)}
     * @param buckets number of buckets, {@code >= 1}, with {@code (buckets + 1)^2 <= 2^20}
     * @return the selector (it keeps a copy of the array)
     */
    static ContextSelector gridNeighbours(int width, int[] symbolBucket, int buckets) {
        if (width < 1) {
            throw new IllegalArgumentException("width " + width + " < 1");
        }
        if (buckets < 1 || (long) (buckets + 1) * (buckets + 1) > 1 << 20) {
            throw new IllegalArgumentException("buckets " + buckets + " out of range [1, 1022]");
        }
        int[] map = symbolBucket.clone();
        for (int b : map) {
            if (b < 0 || b >= buckets) {
                throw new IllegalArgumentException("bucket " + b + " out of range [0, " + buckets + ")");
            }
        }
        int stride = buckets + 1;
        return new ContextSelector() {
            @Override
            public int select(int[] symbols, int offset, int position) {
                int x = position % width;
                int left = x > 0 ? bucket(symbols[offset + position - 1]) : 0;
                int up = position >= width ? bucket(symbols[offset + position - width]) : 0;
                return (left | up) < 0 ? -1 : left * stride + up;
            }

            private int bucket(int symbol) {
                return symbol >= 0 && symbol < map.length ? 1 + map[symbol] : -1;
            }

            @Override
            public int contextCount() {
                return stride * stride;
            }
        };
    }

    /**
     * Side information: the context is {@code sideContext[side[position]]}, for example with {@code side} the
     * decoded indices of an earlier group at the same grid positions.
     *
     * @param side one value per stream position (the stream may be shorter), values in
     *     {@code [0, sideContext.length)}
     * @param sideContext context per side value, values {@code >= 0}
     * @return the selector (it keeps copies of both arrays); coding a position {@code >= side.length} fails with
     *     {@link IllegalStateException}
     */
    static ContextSelector sideInformation(int[] side, int[] sideContext) {
        int[] values = side.clone();
        int[] map = sideContext.clone();
        int count = checkMap(map, 0);
        for (int v : values) {
            if (v < 0 || v >= map.length) {
                throw new IllegalArgumentException("side value " + v + " out of range [0, " + map.length + ")");
            }
        }
        return new ContextSelector() {
            @Override
            public int select(int[] symbols, int offset, int position) {
                if (position >= values.length) {
                    throw new IllegalStateException(
                            "position " + position + " beyond the side information (" + values.length + ")");
                }
                return map[values[position]];
            }

            @Override
            public int contextCount() {
                return count;
            }
        };
    }

    /** Checks a context map and returns 1 + its largest value (or of {@code first}). */
    private static int checkMap(int[] map, int first) {
        Objects.requireNonNull(map, "map");
        if (first < 0) {
            throw new IllegalArgumentException("context " + first + " < 0");
        }
        int max = first;
        for (int c : map) {
            if (c < 0) {
                throw new IllegalArgumentException("context " + c + " < 0");
            }
            max = Math.max(max, c);
        }
        return max + 1;
    }
}
