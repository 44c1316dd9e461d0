package io.qtk.entropy;

import java.util.Arrays;

/**
 * The running counts of an {@link AdaptiveModel}; mutable, not thread-safe. An encoder and a decoder each hold one,
 * and both call {@link #update(int)} after each symbol (the coder methods that take an {@code AdaptiveFrequencies}
 * do this themselves), so their states stay equal.
 *
 * <p>Frequencies are the leaves of a complete binary sum tree (implicit heap layout): prefix sums, updates and the
 * decoder's search each walk one root-to-leaf path, a fixed log2(K) steps without data-dependent branches (unlike a
 * Fenwick tree, whose loop lengths vary with the symbol and mispredict). Halving rebuilds the tree in O(K); it
 * happens once per about {@code (limit - K) / (2 * increment)} symbols.
 */
public final class AdaptiveFrequencies {
    private final AdaptiveModel model;
    final int k;
    private final int increment;
    private final int limit;
    /** P: the smallest power of two >= K; leaves are tree[P + s], symbols from K on have frequency 0. */
    private final int size;
    /** log2(P): the depth of the tree. */
    private final int depth;
    /** Sum tree: tree[i] = tree[2i] + tree[2i+1] for 1 <= i < P; tree[P + s] = f[s]. tree[1] = total. */
    private final int[] tree;
    int total;
    /** Cumulative frequency of the symbol of the last {@link #find}, {@link #findAndAdd} or {@link #prefixAndAdd}. */
    int foundCumulative;
    /** Its frequency before the update, set by {@link #findAndAdd} and {@link #prefixAndAdd}. */
    int foundFrequency;

    AdaptiveFrequencies(AdaptiveModel model) {
        this.model = model;
        this.k = model.alphabetSize();
        this.increment = model.increment();
        this.limit = model.limit();
        this.size = k == 1 ? 1 : Integer.highestOneBit(k - 1) << 1;
        this.depth = Integer.numberOfTrailingZeros(size);
        this.tree = new int[2 * size];
        reset();
    }

    /** @return the model these counts belong to */
    public AdaptiveModel model() {
        return model;
    }

    /** Back to the initial state: every frequency 1. */
    public void reset() {
        Arrays.fill(tree, 0);
        Arrays.fill(tree, size, size + k, 1);
        rebuild();
    }

    /**
     * Back to a primed initial state: every frequency that of {@code initial} ({@code entropy-coding.md} section 4,
     * "primed"; coder id 6 starts each context from coder 5's static table).
     *
     * @param initial a table of K symbols whose total is at most the model's limit
     * @throws IllegalArgumentException if the table has another K or a total above the limit
     */
    public void reset(FrequencyTable initial) {
        if (initial.alphabetSize() != k) {
            throw new IllegalArgumentException("table of " + initial.alphabetSize() + " symbols for K = " + k);
        }
        if (initial.total() > limit) {
            throw new IllegalArgumentException("table total " + initial.total() + " above the limit " + limit);
        }
        int[] t = tree;
        Arrays.fill(t, 0, size, 0);
        System.arraycopy(initial.freq, 0, t, size, k);
        Arrays.fill(t, size + k, 2 * size, 0);
        rebuild();
    }

    /** @return K */
    public int alphabetSize() {
        return k;
    }

    /** @return the current total (sum of all frequencies), at most the model's limit */
    public int total() {
        return total;
    }

    /**
     * @param symbol a symbol in {@code [0, K)}
     * @return its current frequency (at least 1)
     */
    public int frequency(int symbol) {
        checkSymbol(symbol);
        return tree[size + symbol];
    }

    /**
     * @param symbol a symbol in {@code [0, K]}
     * @return the sum of the current frequencies of the symbols below it
     */
    public int cumulative(int symbol) {
        if (symbol < 0 || symbol > k) {
            throw new IllegalArgumentException("symbol " + symbol + " out of range [0, " + k + "]");
        }
        return symbol == k ? total : prefix(symbol);
    }

    /**
     * @param symbol a symbol in {@code [0, K)}
     * @return its ideal code length under the current counts, {@code log2(total / frequency)}, in bits
     */
    public double codeLength(int symbol) {
        checkSymbol(symbol);
        return Math.log((double) total / tree[size + symbol]) / Math.log(2);
    }

    /**
     * The normative update after coding {@code symbol}: add the increment to its frequency; if the total then
     * exceeds the limit, halve every frequency rounding up.
     *
     * @param symbol a symbol in {@code [0, K)}
     */
    public void update(int symbol) {
        checkSymbol(symbol);
        add(symbol);
    }

    /** Unchecked frequency of a valid symbol. */
    int freq(int symbol) {
        return tree[size + symbol];
    }

    /** Sum of f[0 .. symbol-1] for symbol in [0, K): adds the left sibling at every level where the path goes right. */
    int prefix(int symbol) {
        int[] t = tree;
        int sum = 0;
        for (int i = size + symbol, d = depth; d > 0; d--, i >>>= 1) {
            sum += t[i ^ 1] & -(i & 1);
        }
        return sum;
    }

    /** Update of a valid symbol: the increment on its leaf-to-root path, then the total and halving. */
    void add(int symbol) {
        int inc = increment;
        int[] t = tree;
        for (int i = size + symbol, d = depth; d >= 0; d--, i >>>= 1) {
            t[i] += inc;
        }
        finishAdd();
    }

    /**
     * Encoder step, fused: sets {@link #foundCumulative} and {@link #foundFrequency} of a valid symbol (as they were
     * before), then applies the update. One leaf-to-root walk does both: the left siblings summed for the prefix are
     * off the path, so the increments on the path do not change them.
     */
    void prefixAndAdd(int symbol) {
        int inc = increment;
        int[] t = tree;
        int i = size + symbol;
        foundFrequency = t[i];
        int sum = 0;
        for (int d = depth; d > 0; d--, i >>>= 1) {
            sum += t[i ^ 1] & -(i & 1);
            t[i] += inc;
        }
        t[i] += inc; // the root (also the leaf when K = 1)
        foundCumulative = sum;
        finishAdd();
    }

    /**
     * Decoder step, fused: the symbol holding {@code target} (in [0, total)), with {@link #foundCumulative} and
     * {@link #foundFrequency} as they were before, then the update. The descent visits exactly the path of the found
     * leaf, so it adds the increment on the way down; each comparison reads a child before it is incremented.
     */
    int findAndAdd(int target) {
        int inc = increment;
        int[] t = tree;
        int i = 1;
        int rem = target;
        for (int d = depth; d > 0; d--) {
            t[i] += inc;
            int left = t[2 * i];
            // Branch-free (the comparison is unpredictable); values < 2^25, so the sign of rem - left is exact.
            int right = ~((rem - left) >> 31) & 1;
            rem -= left & -right;
            i = 2 * i + right;
        }
        foundFrequency = t[i];
        t[i] += inc;
        foundCumulative = target - rem;
        finishAdd();
        return i - size;
    }

    /** The rest of an update whose path increments are done: the total, and halving when it passes the limit. */
    private void finishAdd() {
        total += increment;
        if (total > limit) {
            int[] t = tree;
            for (int i = size, end = size + k; i < end; i++) {
                t[i] = (t[i] + 1) >>> 1;
            }
            rebuild();
        }
    }

    private void rebuild() {
        int[] t = tree;
        for (int i = size - 1; i >= 1; i--) {
            t[i] = t[2 * i] + t[2 * i + 1];
        }
        total = t[1];
    }

    void checkSymbol(int symbol) {
        if (symbol < 0 || symbol >= k) {
            throw new IllegalArgumentException("symbol " + symbol + " out of range [0, " + k + ")");
        }
    }

    @Override
    public String toString() {
        return "AdaptiveFrequencies[K=" + k + ", total=" + total + "]";
    }
}
