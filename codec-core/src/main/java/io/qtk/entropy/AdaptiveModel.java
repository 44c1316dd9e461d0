package io.qtk.entropy;

/**
 * An adaptive frequency model: every symbol starts with frequency 1, each coded symbol adds {@code increment} to its
 * own frequency, and when the total exceeds {@code limit} every frequency is halved, rounding up
 * ({@code f = (f + 1) >> 1}, so none drops to 0). Normative in {@code format-spec/entropy-coding.md} section
 * "Adaptive model". Immutable: the running counts live in {@link AdaptiveFrequencies}, made fresh for each stream.
 *
 * <p>The total is not a power of two, so adaptive coding pays a division per symbol; cumulative frequencies are kept
 * in a binary sum tree, O(log K) per symbol.
 *
 * @param alphabetSize K, in {@code [1, 65536]}
 * @param increment added to a symbol's frequency each time it is coded, in {@code [1, 2^20]}
 * @param limit the total above which the frequencies are halved, in
 *     {@code [2 * (alphabetSize + increment), 2^24]} (so one halving always brings the total back under it)
 */
public record AdaptiveModel(int alphabetSize, int increment, int limit) implements EntropyModel {

    /** Default increment: 32 (adapts within a few hundred symbols, keeps halvings rare). */
    public static final int DEFAULT_INCREMENT = 32;
    /** Largest increment: 2^20 (coder id 6 primes with a 2^B table and adds 2^(B-6), up to 2^18). */
    public static final int MAX_INCREMENT = 1 << 20;
    /** Largest limit (the coder's largest total). */
    public static final int MAX_LIMIT = 1 << FrequencyTable.MAX_TOTAL_BITS;

    /**
     * Checks the parameters.
     *
     * @param alphabetSize K, in {@code [1, 65536]}
     * @param increment in {@code [1, 2^20]}
     * @param limit in {@code [2 * (alphabetSize + increment), 2^24]}
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public AdaptiveModel {
        FrequencyTable.checkAlphabet(alphabetSize);
        if (increment < 1 || increment > MAX_INCREMENT) {
            throw new IllegalArgumentException("increment " + increment + " out of range [1, " + MAX_INCREMENT + "]");
        }
        long min = 2L * (alphabetSize + increment);
        if (limit < min || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " out of range [" + min + ", " + MAX_LIMIT + "]");
        }
    }

    /**
     * The model with the default parameters: increment {@value #DEFAULT_INCREMENT}, limit
     * {@link #defaultLimit(int) defaultLimit(K)}.
     *
     * @param alphabetSize K in {@code [1, 65536]}
     * @return the model
     */
    public static AdaptiveModel of(int alphabetSize) {
        return new AdaptiveModel(alphabetSize, DEFAULT_INCREMENT, defaultLimit(alphabetSize));
    }

    /**
     * The default limit: {@code min(2^24, max(2^16, 64 K))} (2^16 up to K = 1024, 2^18 for K = 4096, 2^22 for
     * K = 65536): about 32 K symbols between halvings, so large alphabets keep a long enough memory.
     *
     * @param alphabetSize K in {@code [1, 65536]}
     * @return the limit
     */
    public static int defaultLimit(int alphabetSize) {
        FrequencyTable.checkAlphabet(alphabetSize);
        return Math.min(MAX_LIMIT, Math.max(1 << 16, 64 * alphabetSize));
    }

    /** @return fresh running counts in the model's initial state (every frequency 1) */
    public AdaptiveFrequencies newState() {
        return new AdaptiveFrequencies(this);
    }

    /**
     * Fresh running counts primed with a static table: every frequency starts at the table's
     * ({@code entropy-coding.md} section 4, "primed"), so the model starts from what the table knows and adapts from
     * there.
     *
     * @param initial a table of K symbols whose total is at most the limit
     * @return the running counts
     * @throws IllegalArgumentException if the table has another K or a total above the limit
     */
    public AdaptiveFrequencies newState(FrequencyTable initial) {
        AdaptiveFrequencies f = new AdaptiveFrequencies(this);
        f.reset(initial);
        return f;
    }
}
