package io.qtk.codec;

import io.qtk.entropy.AdaptiveFrequencies;
import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.RangeDecoder;
import io.qtk.entropy.RangeEncoder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The tables of coder id 5, "prediction" ({@code format-spec/qtk-format.md} 9.2, format 1.3), for all groups of a
 * model: per group g the integer coefficients {@code a[g][0..N+4]} of a linear prediction of the index
 * ({@code entropy/predict.bin}), the shift S, the activity thresholds {@code T'_1 < ... < T'_M}, the coder-4
 * {@link ChannelTables} (whose channel context coder 5 reuses) and per group {@code C5 = (L + 2)(M + 1)} static tables
 * of the residual symbols ({@code entropy/residual.bin}, rows normalised at the default precision like coder 1's).
 *
 * <p>The rule, integer-only (int64): for position {@code p = r * columns + c} of group g,
 * {@code acc = a[N+4] + sum_{i < N, g-N+i >= 0} a[i] x_{g-N+i}[p] + a[N] L + a[N+1] U + a[N+2] UL + a[N+3] UR}
 * with the same group's neighbours left, up, up-left, up-right (an absent one counts as {@code K / 2}),
 * {@code pred = clamp((acc + 2^(S-1)) >> S, 0, K-1)}; the symbol coded is {@code s = (x - pred) mod K}; the activity
 * {@code A = |L - pred[p-1]| (c > 0) + |U - pred[p-columns]| (r > 0)} gives {@code q = #{j : A >= T'_j}} and the
 * context {@code ctx = ch * (M + 1) + q}, ch the coder-4 channel context of the position.
 *
 * <p>The previous-group part of {@code acc} is summed once per group before the positions are visited (terms whose
 * coefficient is 0 skipped), so a group costs O(positions * (number of non-zero previous-group coefficients + 1)),
 * and the channel contexts come from the running {@link ChannelTables.Window}.
 *
 * <p>Coder id 6, "adaptive prediction" (format 1.4), is the same rule with each table an adaptive model primed with
 * the static table ({@code entropy-coding.md} section 4): increment {@code 2^(B-6)} (the table counts as 64 symbols),
 * limit 2^24, fresh at the start of every payload, so the probabilities follow the image.
 *
 * <p>Immutable and thread-safe; the tables of a group are made on first use. A {@link Coder} (one image's running
 * state) is not thread-safe.
 */
public final class PredictionTables {
    /** Largest window N. */
    public static final int MAX_WINDOW = 255;
    /** Smallest shift S. */
    public static final int MIN_SHIFT = 1;
    /** Largest shift S. */
    public static final int MAX_SHIFT = 30;
    /** Largest number of activity thresholds M. */
    public static final int MAX_ACTIVITY = 16;
    /** Largest magnitude of a coefficient: {@code |a| <= 2^24}. */
    public static final int MAX_COEFFICIENT = 1 << 24;
    /** Extra coefficients after the N previous-group ones: left, up, up-left, up-right, bias. */
    public static final int EXTRA = 5;
    /**
     * Coder 6: log2 of how many symbols the primed static table is worth; the increment is
     * {@code 2^(B - PRIOR_WEIGHT_BITS)} for a table of total 2^B (64 symbols was the best of 32, 64 and 128 on
     * training crops).
     */
    public static final int PRIOR_WEIGHT_BITS = 6;
    private static final double INV_LN2 = 1 / Math.log(2);
    /** Coder 6: the limit of its adaptive tables, 2^24. */
    public static final int ADAPTIVE_LIMIT = 1 << 24;

    private final ChannelTables channel;
    private final int groups;
    private final int k;
    private final int window;
    private final int shift;
    private final int[] activity;
    private final int[] coefficients; // [G][N + 5]
    private final IntFunction<long[][]> counts;
    private final AtomicReferenceArray<FrequencyTable[]> tables;
    private final AdaptiveModel adaptiveModel;

    private PredictionTables(ChannelTables channel, int window, int shift, int[] activity, int[] coefficients,
            IntFunction<long[][]> counts) {
        this.channel = channel;
        this.groups = channel.groups();
        this.k = channel.codebookSize();
        this.window = window;
        this.shift = shift;
        this.activity = activity;
        this.coefficients = coefficients;
        this.counts = counts;
        this.tables = new AtomicReferenceArray<>(groups);
        int b = FrequencyTable.defaultTotalBits(k);
        this.adaptiveModel = new AdaptiveModel(k, 1 << (b - PRIOR_WEIGHT_BITS), ADAPTIVE_LIMIT);
    }

    /**
     * Tables whose residual counts are fetched per group on first use (a model bundle's).
     *
     * @param channel the coder-4 tables (G, K and the channel context)
     * @param window N, 1..{@value #MAX_WINDOW}
     * @param shift S, {@value #MIN_SHIFT}..{@value #MAX_SHIFT}
     * @param activity {@code T'_1..T'_M}, strictly ascending positive integers, M 1..{@value #MAX_ACTIVITY}
     * @param coefficients {@code [G][N + 5]}, each {@code |a| <= 2^24}, the slots of groups before 0 zero
     * @param counts group g to its {@code [C5][K]} residual counts; called at most about once per group
     * @return the tables
     * @throws IllegalArgumentException if a shape or value is out of range (the counts are checked when fetched)
     */
    public static PredictionTables of(ChannelTables channel, int window, int shift, int[] activity,
            int[][] coefficients, IntFunction<long[][]> counts) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(coefficients, "coefficients");
        Objects.requireNonNull(counts, "counts");
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window " + window + " outside [1, " + MAX_WINDOW + "]");
        }
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " outside [" + MIN_SHIFT + ", " + MAX_SHIFT + "]");
        }
        checkActivity(activity);
        int g = channel.groups();
        if (coefficients.length != g) {
            throw new IllegalArgumentException(coefficients.length + " rows of coefficients for G = " + g);
        }
        int row = window + EXTRA;
        int[] a = new int[Math.multiplyExact(g, row)];
        for (int i = 0; i < g; i++) {
            String bad = checkRow(coefficients[i], i, window);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
            System.arraycopy(coefficients[i], 0, a, i * row, row);
        }
        return new PredictionTables(channel, window, shift, activity.clone(), a, counts);
    }

    /**
     * Checks one row of coefficients: its length, the bound {@code |a| <= 2^24} and that the slots of groups before
     * group 0 are zero.
     *
     * @param row {@code a[g][0..N+4]}
     * @param g the group
     * @param window N
     * @return null when valid, else what is wrong
     */
    public static String checkRow(int[] row, int g, int window) {
        if (row == null || row.length != window + EXTRA) {
            return "group " + g + " has " + (row == null ? 0 : row.length) + " coefficients, need N + 5 = "
                    + (window + EXTRA);
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] < -MAX_COEFFICIENT || row[i] > MAX_COEFFICIENT) {
                return "coefficient " + i + " of group " + g + " is " + row[i] + ", outside [-2^24, 2^24]";
            }
            if (i < window && g - window + i < 0 && row[i] != 0) {
                return "coefficient " + i + " of group " + g + " is " + row[i] + " but multiplies group "
                        + (g - window + i) + " (before group 0), so it must be 0";
            }
        }
        return null;
    }

    /**
     * Tables from all counts at once (tests and tools).
     *
     * @param channel the coder-4 tables
     * @param window N
     * @param shift S
     * @param activity {@code T'_1..T'_M}
     * @param coefficients {@code [G][N + 5]}
     * @param counts {@code [G][C5][K]}
     * @return the tables (all checked now)
     * @throws IllegalArgumentException as {@link #of}, or for counts of the wrong shape
     */
    public static PredictionTables fromCounts(ChannelTables channel, int window, int shift, int[] activity,
            int[][] coefficients, long[][][] counts) {
        Objects.requireNonNull(counts, "counts");
        long[][][] copy = new long[counts.length][][];
        for (int g = 0; g < counts.length; g++) {
            copy[g] = new long[counts[g].length][];
            for (int c = 0; c < counts[g].length; c++) {
                copy[g][c] = counts[g][c].clone();
            }
        }
        if (copy.length != channel.groups()) {
            throw new IllegalArgumentException(copy.length + " groups of counts, G = " + channel.groups());
        }
        PredictionTables t = of(channel, window, shift, activity, coefficients, g -> copy[g]);
        for (int g = 0; g < t.groups; g++) {
            t.tables(g);
        }
        return t;
    }

    private static void checkActivity(int[] t) {
        if (t.length < 1 || t.length > MAX_ACTIVITY) {
            throw new IllegalArgumentException(t.length + " activity thresholds, need 1.." + MAX_ACTIVITY);
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 1) {
                throw new IllegalArgumentException("activity threshold " + t[i] + " is not positive");
            }
            if (i > 0 && t[i] <= t[i - 1]) {
                throw new IllegalArgumentException("activity thresholds must be strictly ascending: "
                        + Arrays.toString(t));
            }
        }
    }

    /** @return the coder-4 tables whose channel context coder 5 reuses */
    public ChannelTables channel() {
        return channel;
    }

    /** @return G */
    public int groups() {
        return groups;
    }

    /** @return K */
    public int codebookSize() {
        return k;
    }

    /** @return N, the previous groups the prediction looks at */
    public int window() {
        return window;
    }

    /** @return S */
    public int shift() {
        return shift;
    }

    /** @return {@code T'_1..T'_M} (a copy) */
    public int[] activity() {
        return activity.clone();
    }

    /** @return C5 = (L + 2)(M + 1), the tables per group */
    public int contexts() {
        return channel.contexts() * (activity.length + 1);
    }

    /**
     * @param g group
     * @return {@code a[g][0..N+4]} (a copy)
     */
    public int[] coefficients(int g) {
        Objects.checkIndex(g, groups);
        int row = window + EXTRA;
        return Arrays.copyOfRange(coefficients, g * row, (g + 1) * row);
    }

    /**
     * @return the adaptive model of coder 6's tables: K, increment {@code 2^(B-6)} with B the default precision,
     *     limit 2^24 (each context primed with its static table)
     */
    public AdaptiveModel adaptiveModel() {
        return adaptiveModel;
    }

    /**
     * @param g group
     * @param c context, 0..C5-1
     * @return the static table of that context of group g
     */
    public FrequencyTable table(int g, int c) {
        return tables(g)[c];
    }

    private FrequencyTable[] tables(int g) {
        Objects.checkIndex(g, groups);
        FrequencyTable[] t = tables.get(g);
        if (t == null) {
            long[][] c = counts.apply(g);
            int n = contexts();
            if (c == null || c.length != n) {
                throw new IllegalArgumentException("group " + g + " has " + (c == null ? 0 : c.length)
                        + " residual rows, need " + n);
            }
            FrequencyTable[] made = new FrequencyTable[n];
            for (int i = 0; i < n; i++) {
                if (c[i].length != k) {
                    throw new IllegalArgumentException("group " + g + " residual context " + i + " has "
                            + c[i].length + " counts, K = " + k);
                }
                made[i] = FrequencyTable.fromCounts(c[i]);
            }
            tables.compareAndSet(g, null, made);
            t = tables.get(g);
        }
        return t;
    }

    /**
     * @param a the activity A
     * @return {@code #{j : A >= T'_j}}
     */
    int activityClass(long a) {
        int q = 0;
        while (q < activity.length && a >= activity[q]) {
            q++;
        }
        return q;
    }

    /**
     * @param positions the indices per group, {@code columns * rows}
     * @param columns the grid width (the header's {@code columns}), {@code >= 1}, dividing {@code positions}
     * @return a fresh coder over the groups of one image
     * @throws IllegalArgumentException when {@code columns} does not divide {@code positions}
     */
    public Coder newCoder(int positions, int columns) {
        return new Coder(positions, columns);
    }

    /**
     * The running state of coders 5 and 6 over one image: the channel window, and per group the previous-group part
     * of the predictions, the predictions, the contexts and coder 6's running tables. Groups must be coded in
     * ascending order (groups may be skipped: the channel window catches up); group g needs the indices of groups {@code max(0, g - N) .. g - 1}
     * (and of the channel window's groups) in the {@link IndexGrid} given. Not thread-safe.
     */
    public final class Coder {
        private final int positions;
        private final int columns;
        private final ChannelTables.Window channelWindow;
        private final int[] ch;
        private final long[] base;
        private final int[] pred;
        private final int[] x;
        private int last = -1;
        /** Coder 6's running tables per context, primed on first use in a group ({@code primedIn}). */
        private AdaptiveFrequencies[] running;
        private int[] primedIn;

        private Coder(int positions, int columns) {
            if (positions < 1 || columns < 1 || positions % columns != 0) {
                throw new IllegalArgumentException(positions + " positions are not rows of " + columns + " columns");
            }
            this.positions = positions;
            this.columns = columns;
            this.channelWindow = channel.newWindow(positions);
            this.ch = new int[positions];
            this.base = new long[positions];
            this.pred = new int[positions];
            this.x = new int[positions];
        }

        /** Channel contexts and the previous-group part (plus bias) of group g's accumulators. */
        private void start(IndexGrid grid, int g) {
            if (g <= last || g >= groups) {
                throw new IllegalArgumentException("group " + g + " (coder at " + last + ", G = " + groups + ")");
            }
            if (grid.positions() != positions || grid.groups() < g) {
                throw new IllegalArgumentException("an index grid of " + grid.groups() + " x " + grid.positions()
                        + " for group " + g + " of " + positions + " positions");
            }
            last = g;
            channelWindow.contexts(grid, g, ch);
            int row = window + EXTRA;
            int at = g * row;
            Arrays.fill(base, coefficients[at + window + 4]);
            for (int i = 0; i < window; i++) {
                int a = coefficients[at + i];
                int src = g - window + i;
                if (a == 0 || src < 0) {
                    continue;
                }
                grid.addScaled(src, a, base);
            }
        }

        /**
         * Prediction and context of position p, the same group's earlier indices in {@code x} and predictions in
         * {@code pred}; stores the prediction.
         *
         * @return the context
         */
        private int step(int g, int p, int r, int c) {
            int at = g * (window + EXTRA) + window;
            int half = k / 2;
            int left = c > 0 ? x[p - 1] : half;
            int up = r > 0 ? x[p - columns] : half;
            int upLeft = r > 0 && c > 0 ? x[p - columns - 1] : half;
            int upRight = r > 0 && c < columns - 1 ? x[p - columns + 1] : half;
            long acc = base[p] + (long) coefficients[at] * left + (long) coefficients[at + 1] * up
                    + (long) coefficients[at + 2] * upLeft + (long) coefficients[at + 3] * upRight;
            long v = (acc + (1L << (shift - 1))) >> shift;
            int pr = v < 0 ? 0 : v >= k ? k - 1 : (int) v;
            pred[p] = pr;
            long act = 0;
            if (c > 0) {
                act += Math.abs(left - pred[p - 1]);
            }
            if (r > 0) {
                act += Math.abs(up - pred[p - columns]);
            }
            return ch[p] * (activity.length + 1) + activityClass(act);
        }

        /**
         * Encodes group g with coder 5.
         *
         * @param grid the image's indices: group g and the groups before it it needs
         * @param g the group, above the last one coded
         * @return the payload
         * @throws IllegalArgumentException for a group out of order or a bad grid
         */
        public byte[] encode(IndexGrid grid, int g) {
            return encode(grid, g, false, true)[0];
        }

        /**
         * Encodes group g with coder 5 and with coder 6 in one pass (the predictions and contexts are the same).
         *
         * @param grid the image's indices: group g and the groups before it it needs
         * @param g the group, above the last one coded
         * @return the coder-5 payload and the coder-6 payload
         * @throws IllegalArgumentException for a group out of order or a bad grid
         */
        public byte[][] encodeBoth(IndexGrid grid, int g) {
            return encode(grid, g, true, true);
        }

        /**
         * Encodes group g with coder 5 or 6.
         *
         * @param grid the image's indices: group g and the groups before it it needs
         * @param g the group, above the last one coded
         * @param adaptive coder 6 (primed adaptive tables) rather than coder 5 (static tables)
         * @return the payload
         * @throws IllegalArgumentException for a group out of order or a bad grid
         */
        public byte[] encode(IndexGrid grid, int g, boolean adaptive) {
            return adaptive ? encode(grid, g, true, false)[1] : encode(grid, g, false, true)[0];
        }

        private byte[][] encode(IndexGrid grid, int g, boolean withAdaptive, boolean withStatic) {
            start(grid, g);
            FrequencyTable[] t = tables(g);
            int cap = Math.min(positions, 1 << 20) + 16;
            RangeEncoder enc = withStatic ? new RangeEncoder(cap) : null;
            RangeEncoder enc6 = withAdaptive ? new RangeEncoder(cap) : null;
            for (int r = 0, p = 0; p < positions; r++) {
                for (int c = 0; c < columns; c++, p++) {
                    x[p] = grid.get(g, p);
                    int ctx = step(g, p, r, c);
                    int s = x[p] - pred[p];
                    if (s < 0) {
                        s += k;
                    }
                    if (enc != null) {
                        enc.encode(t[ctx], s);
                    }
                    if (enc6 != null) {
                        enc6.encode(adaptiveTable(t, g, ctx), s);
                    }
                }
            }
            return new byte[][] {enc == null ? null : enc.finish(), enc6 == null ? null : enc6.finish()};
        }

        /** Coder 6's running table of context ctx of group g, primed with the static table at its first use. */
        private AdaptiveFrequencies adaptiveTable(FrequencyTable[] t, int g, int ctx) {
            if (running == null) {
                running = new AdaptiveFrequencies[t.length];
                primedIn = new int[t.length];
                Arrays.fill(primedIn, -1);
            }
            AdaptiveFrequencies a = running[ctx];
            if (a == null) {
                a = adaptiveModel.newState(t[ctx]);
                running[ctx] = a;
            } else if (primedIn[ctx] != g) {
                a.reset(t[ctx]);
            }
            primedIn[ctx] = g;
            return a;
        }

        /**
         * Decodes group g's coder-5 payload.
         *
         * @param grid the image's indices, holding the groups before g it needs
         * @param g the group, above the last one coded
         * @param data the array holding the payload
         * @param offset start of the payload
         * @param length its length
         * @param out receives the {@code positions} indices, each in {@code [0, K)}
         * @throws EntropyCodingException when the payload is provably corrupt (see {@link RangeDecoder})
         * @throws IllegalArgumentException for a group out of order, a bad grid or bad slices
         */
        public void decode(IndexGrid grid, int g, byte[] data, int offset, int length, int[] out)
                throws EntropyCodingException {
            decode(grid, g, data, offset, length, out, false);
        }

        /**
         * Decodes group g's payload of coder 5 or 6.
         *
         * @param grid the image's indices, holding the groups before g it needs
         * @param g the group, above the last one coded
         * @param data the array holding the payload
         * @param offset start of the payload
         * @param length its length
         * @param out receives the {@code positions} indices, each in {@code [0, K)}
         * @param adaptive coder 6 (primed adaptive tables) rather than coder 5
         * @throws EntropyCodingException when the payload is provably corrupt (see {@link RangeDecoder})
         * @throws IllegalArgumentException for a group out of order, a bad grid or bad slices
         */
        public void decode(IndexGrid grid, int g, byte[] data, int offset, int length, int[] out, boolean adaptive)
                throws EntropyCodingException {
            Objects.requireNonNull(data, "data");
            if (offset < 0 || length < 0 || offset > data.length - length) {
                throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") outside " + data.length);
            }
            if (out.length < positions) {
                throw new IllegalArgumentException("out of " + out.length + " for " + positions + " positions");
            }
            start(grid, g);
            FrequencyTable[] t = tables(g);
            RangeDecoder dec = new RangeDecoder(data, offset, length);
            for (int r = 0, p = 0; p < positions; r++) {
                for (int c = 0; c < columns; c++, p++) {
                    int ctx = step(g, p, r, c);
                    int v = (adaptive ? dec.decode(adaptiveTable(t, g, ctx)) : dec.decode(t[ctx])) + pred[p];
                    x[p] = v >= k ? v - k : v;
                }
            }
            System.arraycopy(x, 0, out, 0, positions);
        }

        /**
         * Rate-aware rounding of group g (encoder only; any indices decode): visits the positions in coding order and
         * keeps each index or moves it to its runner-up, whichever costs less in {@code extra distortion + bitWeight *
         * code length} under this group's coder-5 model, the choices of earlier positions and groups already in
         * place (greedy). The grid is updated in place; the coder advances like {@link #encode}.
         *
         * @param grid the image's indices: group g (rewritten) and the groups before it it needs
         * @param g the group, above the last one coded
         * @param margins per position of group g, the runner-up and the extra distortion of taking it
         *     ({@link RoundingMargins})
         * @param bitWeight distortion, in the units of the margins' extra distortion, that one bit is worth; 0 keeps
         *     every index
         * @return how many indices moved
         */
        public int refine(IndexGrid grid, int g, IndexGrid margins, double bitWeight) {
            return refine(grid, g, margins, bitWeight, false);
        }

        /**
         * As {@link #refine(IndexGrid, int, IndexGrid, double)}, with the code lengths of coder 6 when
         * {@code adaptive}: each position is priced under its context's primed adaptive table as the choices before
         * it left it, and the table then learns the symbol chosen (what coder 6 will code).
         *
         * @param grid the image's indices: group g (rewritten) and the groups before it it needs
         * @param g the group, above the last one coded
         * @param margins per position of group g, the runner-up and the extra distortion of taking it
         * @param bitWeight distortion that one bit is worth; 0 keeps every index
         * @param adaptive price with coder 6's adaptive tables rather than coder 5's static ones
         * @return how many indices moved
         */
        public int refine(IndexGrid grid, int g, IndexGrid margins, double bitWeight, boolean adaptive) {
            if (margins.positions() != positions || margins.groups() <= g) {
                throw new IllegalArgumentException("margins of " + margins.groups() + " x " + margins.positions()
                        + " for group " + g + " of " + positions + " positions");
            }
            start(grid, g);
            FrequencyTable[] t = tables(g);
            float[][] bits = new float[t.length][];
            int moved = 0;
            for (int r = 0, p = 0; p < positions; r++) {
                for (int c = 0; c < columns; c++, p++) {
                    int x0 = grid.get(g, p);
                    x[p] = x0; // step reads only earlier positions; the prediction of p does not depend on x[p]
                    int ctx = step(g, p, r, c);
                    int m = margins.get(g, p);
                    int alt = RoundingMargins.runnerUp(x0, m, k);
                    if (bitWeight > 0 && adaptive) {
                        AdaptiveFrequencies f = adaptiveTable(t, g, ctx);
                        int pr = pred[p];
                        int sKeep = Math.floorMod(x0 - pr, k);
                        int sMove = Math.floorMod(alt - pr, k);
                        // bits(move) - bits(keep) = log2(f[keep] / f[move])
                        double delta = Math.log((double) f.frequency(sKeep) / f.frequency(sMove)) * INV_LN2;
                        boolean move = RoundingMargins.extraDistortion(m) + bitWeight * delta < 0;
                        if (move) {
                            x[p] = alt;
                            grid.set(g, p, alt);
                            moved++;
                        }
                        f.update(move ? sMove : sKeep);
                    } else if (bitWeight > 0) {
                        float[] b = bits[ctx];
                        if (b == null) {
                            b = codeLengths(t[ctx]);
                            bits[ctx] = b;
                        }
                        int pr = pred[p];
                        double keep = bitWeight * b[Math.floorMod(x0 - pr, k)];
                        double move = RoundingMargins.extraDistortion(m)
                                + bitWeight * b[Math.floorMod(alt - pr, k)];
                        if (move < keep) {
                            x[p] = alt;
                            grid.set(g, p, alt);
                            moved++;
                        }
                    }
                }
            }
            return moved;
        }

        private float[] codeLengths(FrequencyTable t) {
            float[] b = new float[k];
            for (int s = 0; s < k; s++) {
                b[s] = (float) t.codeLength(s);
            }
            return b;
        }

        /**
         * The contexts and symbols coder 5 codes group g with (what {@link #encode} codes; for trainers, tests and
         * tools). Advances the coder like {@link #encode}.
         *
         * @param grid the image's indices: group g and the groups before it it needs
         * @param g the group, above the last one coded
         * @param contexts receives the context of every position, length {@code >= positions}
         * @param symbols receives {@code s = (x - pred) mod K} of every position, length {@code >= positions}
         */
        public void symbols(IndexGrid grid, int g, int[] contexts, int[] symbols) {
            if (contexts.length < positions || symbols.length < positions) {
                throw new IllegalArgumentException("arrays shorter than " + positions + " positions");
            }
            start(grid, g);
            for (int r = 0, p = 0; p < positions; r++) {
                for (int c = 0; c < columns; c++, p++) {
                    x[p] = grid.get(g, p);
                    contexts[p] = step(g, p, r, c);
                    int s = x[p] - pred[p];
                    symbols[p] = s < 0 ? s + k : s;
                }
            }
        }

        /**
         * The predictions of the group last coded (for tests and tools).
         *
         * @return {@code pred[0..positions)} (a copy)
         */
        public int[] predictions() {
            return pred.clone();
        }
    }

    @Override
    public String toString() {
        return "PredictionTables[G=" + groups + ", K=" + k + ", window=" + window + ", shift=" + shift
                + ", activity=" + Arrays.toString(activity) + ", channel=" + channel + "]";
    }
}
