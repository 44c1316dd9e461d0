package io.qtk.codec;

import io.qtk.entropy.ContextModel;
import io.qtk.entropy.ContextSelector;
import io.qtk.entropy.FrequencyTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The tables of coder id 4, "channel context" ({@code format-spec/qtk-format.md} 9.2, format 1.2), for all groups of
 * a model: the weight of every codeword ({@code entropy/weights.bin}, {@code W[g][k]} in 0..255, the order-0
 * surprisal in quarter bits), the window N and the thresholds {@code T_1 < ... < T_L}, and per group
 * {@code C = L + 2} static tables, the rows {@code channel[g][c]} of {@code entropy/channel.bin} normalised at the
 * default precision ({@code entropy-coding.md} section 3), exactly like coder 1's order-0 row.
 *
 * <p>The context of index {@code x_g[p]} depends on the earlier groups at the same position (the side information
 * of {@code entropy-coding.md} section 5): 0 for g = 0, else with {@code m = min(g, N)} and
 * {@code S = W[g-1][x_{g-1}[p]] + ... + W[g-m][x_{g-m}[p]]}, {@code 1 + #{i : S >= m * T_i}}. It is integer-only,
 * so encoder and decoder agree bit for bit. Because {@code W <= 255} and the T are integers,
 * {@code S >= m T} exactly when {@code floor(S / m) >= T}, so the context is a 256-entry lookup on
 * {@code floor(S / m)}; the sums are kept per position in a running {@link Window}, O(positions) per group whatever N.
 *
 * <p>Immutable and thread-safe; the tables of a group are made on first use.
 */
public final class ChannelTables {
    /** Largest window N. */
    public static final int MAX_WINDOW = 255;
    /** Largest number of thresholds L (so at most 64 contexts). */
    public static final int MAX_THRESHOLDS = 62;
    /** Largest threshold value. */
    public static final int MAX_THRESHOLD = 65535;
    /** Largest codeword weight (one byte). */
    public static final int MAX_WEIGHT = 255;

    private final int groups;
    private final int k;
    private final int window;
    private final int[] thresholds;
    private final byte[] weights; // [G][K]
    /** ctxOfMean[v] = 1 + #{i : T_i <= v}, v = floor(S / m) in 0..255. */
    private final int[] ctxOfMean;
    private final IntFunction<long[][]> counts;
    private final AtomicReferenceArray<List<FrequencyTable>> tables;

    private ChannelTables(int groups, int k, int window, int[] thresholds, byte[] weights,
            IntFunction<long[][]> counts) {
        this.groups = groups;
        this.k = k;
        this.window = window;
        this.thresholds = thresholds;
        this.weights = weights;
        this.counts = counts;
        this.tables = new AtomicReferenceArray<>(groups);
        this.ctxOfMean = new int[MAX_WEIGHT + 1];
        for (int v = 0; v <= MAX_WEIGHT; v++) {
            int c = 1;
            for (int t : thresholds) {
                if (v >= t) {
                    c++;
                }
            }
            ctxOfMean[v] = c;
        }
    }

    /**
     * Tables whose counts are fetched per group on first use (a model bundle's).
     *
     * @param window N, 1..{@value #MAX_WINDOW}
     * @param thresholds {@code T_1..T_L}, strictly ascending, each 1..{@value #MAX_THRESHOLD}, L
     *     1..{@value #MAX_THRESHOLDS}
     * @param weights {@code [G][K]}, each 0..{@value #MAX_WEIGHT}
     * @param counts group g to its {@code [L + 2][K]} counts (each in {@code [0, 2^32 - 1]}; bundles hold counts
     *     {@code >= 1}); called at most about once per group
     * @return the tables
     * @throws IllegalArgumentException if a shape or value is out of range (the counts are checked when fetched)
     */
    public static ChannelTables of(int window, int[] thresholds, int[][] weights, IntFunction<long[][]> counts) {
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(counts, "counts");
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window " + window + " outside [1, " + MAX_WINDOW + "]");
        }
        checkThresholds(thresholds);
        int g = weights.length;
        if (g < 1) {
            throw new IllegalArgumentException("no groups");
        }
        int kk = weights[0].length;
        if (kk < 2 || kk > FrequencyTable.MAX_ALPHABET_SIZE) {
            throw new IllegalArgumentException("K = " + kk + " outside [2, 65536]");
        }
        byte[] w = new byte[Math.multiplyExact(g, kk)];
        for (int i = 0; i < g; i++) {
            if (weights[i].length != kk) {
                throw new IllegalArgumentException("group " + i + " has " + weights[i].length + " weights, K = " + kk);
            }
            for (int s = 0; s < kk; s++) {
                int v = weights[i][s];
                if (v < 0 || v > MAX_WEIGHT) {
                    throw new IllegalArgumentException("weight " + v + " of group " + i + " index " + s
                            + " outside [0, " + MAX_WEIGHT + "]");
                }
                w[i * kk + s] = (byte) v;
            }
        }
        return new ChannelTables(g, kk, window, thresholds.clone(), w, counts);
    }

    /**
     * Tables from all counts at once (tests and tools).
     *
     * @param window N
     * @param thresholds {@code T_1..T_L}
     * @param weights {@code [G][K]}
     * @param counts {@code [G][L + 2][K]}
     * @return the tables (all checked now)
     * @throws IllegalArgumentException as {@link #of}, or for counts of the wrong shape
     */
    public static ChannelTables fromCounts(int window, int[] thresholds, int[][] weights, long[][][] counts) {
        Objects.requireNonNull(counts, "counts");
        if (counts.length != weights.length) {
            throw new IllegalArgumentException(counts.length + " groups of counts, " + weights.length
                    + " of weights");
        }
        long[][][] copy = new long[counts.length][][];
        for (int g = 0; g < counts.length; g++) {
            copy[g] = new long[counts[g].length][];
            for (int c = 0; c < counts[g].length; c++) {
                copy[g][c] = counts[g][c].clone();
            }
        }
        ChannelTables t = of(window, thresholds, weights, g -> copy[g]);
        for (int g = 0; g < t.groups; g++) {
            t.tables(g);
        }
        return t;
    }

    private static void checkThresholds(int[] t) {
        if (t.length < 1 || t.length > MAX_THRESHOLDS) {
            throw new IllegalArgumentException(t.length + " thresholds, need 1.." + MAX_THRESHOLDS);
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 1 || t[i] > MAX_THRESHOLD) {
                throw new IllegalArgumentException("threshold " + t[i] + " outside [1, " + MAX_THRESHOLD + "]");
            }
            if (i > 0 && t[i] <= t[i - 1]) {
                throw new IllegalArgumentException("thresholds must be strictly ascending: " + Arrays.toString(t));
            }
        }
    }

    /** @return G, the groups (grid) or token positions (global) */
    public int groups() {
        return groups;
    }

    /** @return K */
    public int codebookSize() {
        return k;
    }

    /** @return N, the previous groups the context looks at */
    public int window() {
        return window;
    }

    /** @return {@code T_1..T_L} (a copy) */
    public int[] thresholds() {
        return thresholds.clone();
    }

    /** @return C = L + 2, the tables per group */
    public int contexts() {
        return thresholds.length + 2;
    }

    /**
     * @param g group
     * @param s codeword
     * @return {@code W[g][s]}, 0..255
     */
    public int weight(int g, int s) {
        Objects.checkIndex(g, groups);
        Objects.checkIndex(s, k);
        return weights[g * k + s] & 0xFF;
    }

    /**
     * @param g group
     * @param c context, 0..C-1
     * @return the static table of that context of group g
     */
    public FrequencyTable table(int g, int c) {
        return tables(g).get(c);
    }

    private List<FrequencyTable> tables(int g) {
        Objects.checkIndex(g, groups);
        List<FrequencyTable> t = tables.get(g);
        if (t == null) {
            long[][] c = counts.apply(g);
            int n = contexts();
            if (c == null || c.length != n) {
                throw new IllegalArgumentException("group " + g + " has " + (c == null ? 0 : c.length)
                        + " context rows, need " + n);
            }
            List<FrequencyTable> made = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (c[i].length != k) {
                    throw new IllegalArgumentException("group " + g + " context " + i + " has " + c[i].length
                            + " counts, K = " + k);
                }
                made.add(FrequencyTable.fromCounts(c[i]));
            }
            t = List.copyOf(made);
            tables.compareAndSet(g, null, t);
        }
        return t;
    }

    /**
     * The context of a position of group g from the window sum over its previous groups.
     *
     * @param g group, {@code >= 0}
     * @param sum {@code S}, the sum of the weights of the {@code min(g, N)} previous groups' indices at the position
     * @return the context, 0..C-1
     */
    public int context(int g, int sum) {
        if (g == 0) {
            return 0;
        }
        int m = Math.min(g, window);
        return ctxOfMean[Math.min(MAX_WEIGHT, sum / m)];
    }

    /**
     * The context of {@code x[g][p]} by the definition, summing the window directly (for tests and tools; coding uses a
     * {@link Window}).
     *
     * @param x indices {@code [group][position]}; rows {@code g - min(g, N) .. g - 1} are read
     * @param g group
     * @param p position
     * @return the context, 0..C-1
     */
    public int context(int[][] x, int g, int p) {
        if (g == 0) {
            return 0;
        }
        int m = Math.min(g, window);
        long s = 0;
        for (int j = 1; j <= m; j++) {
            s += weight(g - j, x[g - j][p]);
        }
        int c = 1;
        for (int t : thresholds) {
            if (s >= (long) m * t) {
                c++;
            }
        }
        return c;
    }

    /**
     * The context model coder 4 codes one payload of group g with.
     *
     * @param g group
     * @param contexts the context of every position (from {@link Window#contexts}); not copied, and must not change
     *     while the model is in use
     * @return the model: the group's C tables, position p coded with table {@code contexts[p]}
     */
    public ContextModel model(int g, int[] contexts) {
        Objects.requireNonNull(contexts, "contexts");
        int n = contexts();
        ContextSelector selector = new ContextSelector() {
            @Override
            public int select(int[] symbols, int offset, int position) {
                return contexts[position];
            }

            @Override
            public int contextCount() {
                return n;
            }
        };
        return ContextModel.of(selector, tables(g));
    }

    /**
     * @param positions the indices per group ({@code columns * rows})
     * @return a fresh running window over the groups of one image
     */
    public Window newWindow(int positions) {
        return new Window(positions);
    }

    /**
     * The running window sums of one image: for every position p, {@code S[p]} over the groups
     * {@code max(0, g - N) .. g - 1} of the group g it was last advanced to. Advancing adds the newest group's weights
     * and subtracts the one that leaves the window, so walking through all groups costs O(positions) per group. Groups
     * must be visited in ascending order. Not thread-safe.
     */
    public final class Window {
        private final int[] sum;
        /** The groups [0, next) have been added (and those before next - N removed). */
        private int next;

        private Window(int positions) {
            if (positions < 1) {
                throw new IllegalArgumentException("positions " + positions + " < 1");
            }
            this.sum = new int[positions];
        }

        /**
         * The contexts of group g's positions; needs the indices of the groups {@code max(0, g - N) .. g - 1} (and
         * of any group this window has not yet added since its last call).
         *
         * @param indices the image's indices; groups below g are read
         * @param g the group, at least the last one asked for
         * @param out receives the context of every position, length {@code >= positions}
         * @return {@code out}
         */
        public int[] contexts(IndexGrid indices, int g, int[] out) {
            if (g < next || g >= groups) {
                throw new IllegalArgumentException("group " + g + " (window at " + next + ", G = " + groups + ")");
            }
            if (indices.positions() != sum.length) {
                throw new IllegalArgumentException(indices.positions() + " positions, window of " + sum.length);
            }
            for (; next < g; next++) {
                int add = next * k;
                int gone = next - window;
                int sub = gone * k;
                for (int p = 0; p < sum.length; p++) {
                    int s = sum[p] + (weights[add + indices.get(next, p)] & 0xFF);
                    if (gone >= 0) {
                        s -= weights[sub + indices.get(gone, p)] & 0xFF;
                    }
                    sum[p] = s;
                }
            }
            if (g == 0) {
                Arrays.fill(out, 0, sum.length, 0);
                return out;
            }
            int m = Math.min(g, window);
            for (int p = 0; p < sum.length; p++) {
                out[p] = ctxOfMean[sum[p] / m];
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "ChannelTables[G=" + groups + ", K=" + k + ", window=" + window + ", thresholds="
                + Arrays.toString(thresholds) + "]";
    }
}
