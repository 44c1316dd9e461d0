package io.qtk.entropy;

import java.util.Arrays;

/**
 * A static frequency table: K symbols with integer frequencies that sum to a power of two {@code T = 2^totalBits}.
 * Immutable and thread-safe.
 *
 * <p>Tables are usually made from measured counts (a model bundle's {@code entropy/order0.bin}) by
 * {@link #fromCounts(long[], int)}, which runs the normative normalisation of {@code format-spec/entropy-coding.md}
 * section "Normalisation": every symbol gets a frequency of at least 1, so <b>every symbol is codable, including
 * those whose count is 0</b>; the rest of the total is shared out in proportion to the counts, leftover units by
 * largest remainder (ties: lower symbol first). The algorithm is integer-only so that encoders and decoders in any
 * language derive the same table from the same counts.
 *
 * <p>For decoding, the table keeps a lookup table from the top bits of a target value to the first candidate
 * symbol, refined by binary search over the cumulative frequencies, so a lookup costs O(1) for frequent symbols and
 * O(log K) at worst.
 */
public final class FrequencyTable implements EntropyModel {

    /** Largest alphabet size K. */
    public static final int MAX_ALPHABET_SIZE = 1 << 16;
    /** Largest {@code totalBits}: totals are at most 2^24 so that the coder keeps 24 bits of precision. */
    public static final int MAX_TOTAL_BITS = 24;
    /** Largest count accepted by {@link #fromCounts(long[], int)}: counts are uint32 in model bundles. */
    public static final long MAX_COUNT = 0xFFFF_FFFFL;

    final int k;
    final int totalBits;
    final int total;
    /** freq[s], s in [0, K). */
    final int[] freq;
    /** cum[s] = freq[0] + ... + freq[s-1], s in [0, K]; cum[K] = total. */
    final int[] cum;
    /** lut[b] = symbol whose interval contains b << lutShift; lut[2^lutBits] = K-1 (sentinel for the search). */
    final char[] lut;
    final int lutShift;

    private FrequencyTable(int[] freq, int totalBits) {
        this.k = freq.length;
        this.totalBits = totalBits;
        this.total = 1 << totalBits;
        this.freq = freq;
        this.cum = new int[k + 1];
        for (int s = 0; s < k; s++) {
            cum[s + 1] = cum[s] + freq[s];
        }
        // About 16 buckets per symbol, at most 2^14 (32 KiB): frequent symbols resolve without search, and the
        // table stays in L1/L2 (measured faster than 2^10..2^12 for K = 4096 and than 2^16 for K = 65536).
        int lutBits = Math.min(totalBits, Math.min(14, ceilLog2(k) + 4));
        this.lutShift = totalBits - lutBits;
        int buckets = 1 << lutBits;
        this.lut = new char[buckets + 1];
        int s = 0;
        for (int b = 0; b < buckets; b++) {
            int value = b << lutShift;
            while (cum[s + 1] <= value) {
                s++;
            }
            lut[b] = (char) s;
        }
        lut[buckets] = (char) (k - 1);
    }

    /**
     * Normalises counts with the default precision {@link #defaultTotalBits(int) defaultTotalBits(counts.length)}.
     *
     * @param counts K counts, each in {@code [0, 2^32-1]}; K in {@code [1, 65536]}
     * @return the normalised table
     * @throws IllegalArgumentException if K or a count is out of range
     */
    public static FrequencyTable fromCounts(long[] counts) {
        return fromCounts(counts, defaultTotalBits(checkAlphabet(counts.length)));
    }

    /**
     * Normalises counts to the total {@code 2^totalBits} (see {@link #normalise(long[], int)}).
     *
     * @param counts K counts, each in {@code [0, 2^32-1]}; K in {@code [1, 65536]}
     * @param totalBits log2 of the total, in {@code [ceil(log2 K), 24]}
     * @return the normalised table
     * @throws IllegalArgumentException if K, a count or {@code totalBits} is out of range
     */
    public static FrequencyTable fromCounts(long[] counts, int totalBits) {
        return new FrequencyTable(normalise(counts, totalBits), totalBits);
    }

    /**
     * Same as {@link #fromCounts(long[])} for {@code int} counts (each must be {@code >= 0}).
     *
     * @param counts K non-negative counts
     * @return the normalised table
     */
    public static FrequencyTable fromCounts(int[] counts) {
        return fromCounts(toLongs(counts));
    }

    /**
     * Same as {@link #fromCounts(long[], int)} for {@code int} counts (each must be {@code >= 0}).
     *
     * @param counts K non-negative counts
     * @param totalBits log2 of the total
     * @return the normalised table
     */
    public static FrequencyTable fromCounts(int[] counts, int totalBits) {
        return fromCounts(toLongs(counts), totalBits);
    }

    /**
     * A table from frequencies that are already normalised: each {@code >= 1}, summing to a power of two
     * {@code <= 2^24}. The frequencies are taken as they are (no normalisation).
     *
     * @param frequencies K frequencies
     * @return the table
     * @throws IllegalArgumentException if a frequency is below 1 or the sum is not a power of two {@code <= 2^24}
     */
    public static FrequencyTable fromFrequencies(int[] frequencies) {
        checkAlphabet(frequencies.length);
        long sum = 0;
        for (int f : frequencies) {
            if (f < 1) {
                throw new IllegalArgumentException("frequency " + f + " < 1");
            }
            sum += f;
        }
        if (sum > (1L << MAX_TOTAL_BITS) || Long.bitCount(sum) != 1) {
            throw new IllegalArgumentException("frequencies sum to " + sum + ", not a power of two <= 2^24");
        }
        return new FrequencyTable(frequencies.clone(), Long.numberOfTrailingZeros(sum));
    }

    /**
     * The uniform table over K symbols at the default precision (the normalisation of K equal counts).
     *
     * @param alphabetSize K in {@code [1, 65536]}
     * @return the table
     */
    public static FrequencyTable uniform(int alphabetSize) {
        long[] ones = new long[checkAlphabet(alphabetSize)];
        Arrays.fill(ones, 1);
        return fromCounts(ones);
    }

    /**
     * The default precision for an alphabet of K symbols: {@code min(24, max(16, ceil(log2 K) + 8))}, which gives
     * every symbol about 256 units on average (16 for K up to 256, 20 for K = 4096, 24 for K = 65536).
     *
     * @param alphabetSize K in {@code [1, 65536]}
     * @return {@code totalBits}
     */
    public static int defaultTotalBits(int alphabetSize) {
        checkAlphabet(alphabetSize);
        return Math.min(MAX_TOTAL_BITS, Math.max(16, ceilLog2(alphabetSize) + 8));
    }

    /**
     * The normative normalisation (spec section "Normalisation"): counts to frequencies summing to
     * {@code T = 2^totalBits}, every frequency {@code >= 1}.
     *
     * <ol>
     *   <li>S = sum of counts; if S = 0, every count is taken as 1 (S = K).</li>
     *   <li>R = T - K (the units left after the floor of 1 per symbol).</li>
     *   <li>f[s] = 1 + floor(c[s] * R / S); rem[s] = (c[s] * R) mod S.</li>
     *   <li>L = T - sum f (0 &lt;= L &lt; K); the L symbols with the largest rem, ties by lower symbol index,
     *       get one more unit.</li>
     * </ol>
     * All products fit in 64 bits (c &lt; 2^32, R &lt; 2^24, S &lt; 2^48).
     *
     * @param counts K counts, each in {@code [0, 2^32-1]}; K in {@code [1, 65536]}
     * @param totalBits log2 T, in {@code [ceil(log2 K), 24]}
     * @return the K frequencies
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static int[] normalise(long[] counts, int totalBits) {
        int k = checkAlphabet(counts.length);
        if (totalBits < 0 || totalBits > MAX_TOTAL_BITS || (1 << totalBits) < k) {
            throw new IllegalArgumentException(
                    "totalBits " + totalBits + " out of range [" + ceilLog2(k) + ", " + MAX_TOTAL_BITS
                            + "] for K=" + k);
        }
        long sum = 0;
        for (long c : counts) {
            if (c < 0 || c > MAX_COUNT) {
                throw new IllegalArgumentException("count " + c + " out of range [0, 2^32-1]");
            }
            sum += c;
        }
        boolean allZero = sum == 0;
        if (allZero) {
            sum = k;
        }
        int total = 1 << totalBits;
        long rest = total - k;
        int[] freq = new int[k];
        long[] rem = new long[k];
        long assigned = 0;
        for (int s = 0; s < k; s++) {
            long product = (allZero ? 1 : counts[s]) * rest;
            long share = product / sum;
            freq[s] = (int) (1 + share);
            rem[s] = product % sum;
            assigned += 1 + share;
        }
        int leftover = (int) (total - assigned);
        if (leftover > 0) {
            // Largest remainder first, lower index on ties. One sortable key per symbol: (sum - 1 - rem) in the high
            // 48 bits (rem < sum < 2^48), the index in the low 16; the sign flip makes signed order = unsigned order.
            long[] keys = new long[k];
            for (int s = 0; s < k; s++) {
                keys[s] = (((sum - 1 - rem[s]) << 16) | s) ^ Long.MIN_VALUE;
            }
            Arrays.sort(keys);
            for (int i = 0; i < leftover; i++) {
                freq[(int) (keys[i] & 0xFFFF)]++;
            }
        }
        return freq;
    }

    @Override
    public int alphabetSize() {
        return k;
    }

    /** @return log2 of the total */
    public int totalBits() {
        return totalBits;
    }

    /** @return the total {@code 2^totalBits} */
    public int total() {
        return total;
    }

    /**
     * @param symbol a symbol in {@code [0, K)}
     * @return its frequency (at least 1)
     */
    public int frequency(int symbol) {
        checkSymbol(symbol);
        return freq[symbol];
    }

    /**
     * @param symbol a symbol in {@code [0, K]}
     * @return the sum of the frequencies of the symbols below it ({@code total()} for K)
     */
    public int cumulative(int symbol) {
        if (symbol < 0 || symbol > k) {
            throw new IllegalArgumentException("symbol " + symbol + " out of range [0, " + k + "]");
        }
        return cum[symbol];
    }

    /** @return a copy of the K frequencies */
    public int[] frequencies() {
        return freq.clone();
    }

    /**
     * @param symbol a symbol in {@code [0, K)}
     * @return its ideal code length under this table, {@code totalBits - log2(frequency)}, in bits
     */
    public double codeLength(int symbol) {
        checkSymbol(symbol);
        return totalBits - Math.log(freq[symbol]) / Math.log(2);
    }

    /**
     * The symbol whose interval {@code [cumulative(s), cumulative(s) + frequency(s))} holds {@code target}.
     *
     * @param target a value in {@code [0, total)}
     * @return the symbol
     */
    public int symbolAt(int target) {
        if (target < 0 || target >= total) {
            throw new IllegalArgumentException("target " + target + " out of range [0, " + total + ")");
        }
        return lookup(target);
    }

    /** Lookup without argument checks; target must be in [0, total). */
    int lookup(int target) {
        int b = target >>> lutShift;
        int lo = lut[b];
        int hi = lut[b + 1];
        // Largest s in [lo, hi] with cum[s] <= target; most buckets hold one symbol (lo == hi).
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cum[mid] <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    void checkSymbol(int symbol) {
        if (symbol < 0 || symbol >= k) {
            throw new IllegalArgumentException("symbol " + symbol + " out of range [0, " + k + ")");
        }
    }

    /** Two tables are equal when their frequencies (and so their totals) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FrequencyTable t && Arrays.equals(freq, t.freq);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(freq);
    }

    @Override
    public String toString() {
        return "FrequencyTable[K=" + k + ", total=2^" + totalBits + "]";
    }

    static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    static int checkAlphabet(int k) {
        if (k < 1 || k > MAX_ALPHABET_SIZE) {
            throw new IllegalArgumentException("alphabet size " + k + " out of range [1, " + MAX_ALPHABET_SIZE + "]");
        }
        return k;
    }

    private static long[] toLongs(int[] counts) {
        long[] out = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("count " + counts[i] + " < 0");
            }
            out[i] = counts[i];
        }
        return out;
    }
}
