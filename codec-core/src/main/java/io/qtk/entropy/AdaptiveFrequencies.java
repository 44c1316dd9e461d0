package io.qtk.entropy;

import java.util.Arrays;

/**
 * The running counts of an {@link AdaptiveModel}; mutable, not thread-safe. An encoder and a decoder each hold one,
 * and both call {@link #update(int)} after each symbol (the coder methods that take an {@code AdaptiveFrequencies}
 * do this themselves), so their states stay equal.
 *
 * <p>Cumulative frequencies are kept in a Fenwick (binary indexed) tree: prefix sums, updates and the decoder's
 * search are O(log K). Halving rebuilds the tree in O(K); it happens once per about
 * {@code (limit - K) / (2 * increment)} symbols.
 */
public final class AdaptiveFrequencies {
    private final AdaptiveModel model;
    final int k;
    private final int increment;
    private final int limit;
    private final int[] freq;
    /**
     * Fenwick tree, 1-based, over P = the smallest power of two >= K symbols (those from K on have frequency 0):
     * tree[i] = sum of freq over (i - lowbit(i), i]. The padding lets the search skip bounds tests.
     */
    private final int[] tree;
    /** P. */
    private final int size;
    int total;
    /** Cumulative frequency of the symbol last returned by {@link #find(int)}. */
    int foundCumulative;

    AdaptiveFrequencies(AdaptiveModel model) {
        this.model = model;
        this.k = model.alphabetSize();
        this.increment = model.increment();
        this.limit = model.limit();
        this.freq = new int[k];
        this.size = k == 1 ? 1 : Integer.highestOneBit(k - 1) << 1;
        this.tree = new int[size + 1];
        reset();
    }

    /** @return the model these counts belong to */
    public AdaptiveModel model() {
        return model;
    }

    /** Back to the initial state: every frequency 1. */
    public void reset() {
        Arrays.fill(freq, 1);
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
        return freq[symbol];
    }

    /**
     * @param symbol a symbol in {@code [0, K]}
     * @return the sum of the current frequencies of the symbols below it
     */
    public int cumulative(int symbol) {
        if (symbol < 0 || symbol > k) {
            throw new IllegalArgumentException("symbol " + symbol + " out of range [0, " + k + "]");
        }
        return prefix(symbol);
    }

    /**
     * @param symbol a symbol in {@code [0, K)}
     * @return its ideal code length under the current counts, {@code log2(total / frequency)}, in bits
     */
    public double codeLength(int symbol) {
        checkSymbol(symbol);
        return Math.log((double) total / freq[symbol]) / Math.log(2);
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
        return freq[symbol];
    }

    /** Sum of freq[0 .. symbol-1]. */
    int prefix(int symbol) {
        int sum = 0;
        for (int i = symbol; i > 0; i &= i - 1) {
            sum += tree[i];
        }
        return sum;
    }

    /** Update of a valid symbol. */
    void add(int symbol) {
        int inc = increment;
        freq[symbol] += inc;
        int[] t = tree;
        for (int i = symbol + 1, n = size; i <= n; i += i & -i) {
            t[i] += inc;
        }
        total += inc;
        if (total > limit) {
            for (int s = 0, n = k; s < n; s++) {
                freq[s] = (freq[s] + 1) >>> 1;
            }
            rebuild();
        }
    }

    /**
     * The symbol s with {@code prefix(s) <= target < prefix(s + 1)}, by descending the tree; also sets
     * {@link #foundCumulative}. target must be in [0, total).
     */
    int find(int target) {
        int[] t = tree;
        int pos = 0;
        int rem = target;
        // Branch-free descent: the comparisons are unpredictable. All values < 2^25, so the sign trick is exact.
        for (int step = size >>> 1; step > 0; step >>>= 1) {
            int v = t[pos + step];
            int take = ~((rem - v) >> 31);
            pos += step & take;
            rem -= v & take;
        }
        foundCumulative = target - rem;
        return pos;
    }

    private void rebuild() {
        int[] t = tree;
        int n = size;
        long sum = 0;
        Arrays.fill(t, 0);
        for (int i = 1; i <= k; i++) {
            t[i] = freq[i - 1];
            sum += freq[i - 1];
        }
        for (int i = 1; i <= n; i++) {
            int j = i + (i & -i);
            if (j <= n) {
                t[j] += t[i];
            }
        }
        total = (int) sum;
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
