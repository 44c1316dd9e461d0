package io.qtk.codec;

import io.qtk.entropy.ContextModel;
import io.qtk.entropy.ContextSelector;
import io.qtk.entropy.FrequencyTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The context tables of one group for coder id 3 ({@code format-spec/qtk-format.md} 9.2): the class of each codeword
 * ({@code entropy/classes.bin} row g, values in {@code [0, Q)}, Q = {@value #CLASSES}) and the {@value #CONTEXTS}
 * static tables, the rows {@code context[g][c]} of {@code entropy/context.bin} normalised at the default precision
 * ({@code entropy-coding.md} section 3), exactly like coder 1's order-0 row. A payload of n indices on a grid of
 * {@code width} columns is coded with {@link #model(int)}: the grid neighbours selector (entropy-coding.md section 5)
 * with {@code bucket = classes} and Q = 4, so context {@code left * 5 + up}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ContextTables {
    /** Q: the context classes a codeword can have. */
    public static final int CLASSES = 4;
    /** Contexts of the grid neighbours selector with Q classes: {@code (Q + 1)^2}. */
    public static final int CONTEXTS = (CLASSES + 1) * (CLASSES + 1);

    private final int[] classes;
    private final List<FrequencyTable> tables;

    private ContextTables(int[] classes, List<FrequencyTable> tables) {
        this.classes = classes;
        this.tables = tables;
    }

    /**
     * @param classes K classes, each in {@code [0, 4)}
     * @param counts {@value #CONTEXTS} rows of K counts (each in {@code [0, 2^32 - 1]}; bundles hold counts
     *     {@code >= 1}), row c for context c
     * @return the tables, each row normalised at the default precision for K
     * @throws IllegalArgumentException if the shapes or values are out of range
     */
    public static ContextTables fromCounts(int[] classes, long[][] counts) {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(counts, "counts");
        int k = classes.length;
        if (k < 2 || k > FrequencyTable.MAX_ALPHABET_SIZE) {
            throw new IllegalArgumentException("K = " + k + " outside [2, 65536]");
        }
        for (int s = 0; s < k; s++) {
            if (classes[s] < 0 || classes[s] >= CLASSES) {
                throw new IllegalArgumentException("class " + classes[s] + " of index " + s + " outside [0, "
                        + CLASSES + ")");
            }
        }
        if (counts.length != CONTEXTS) {
            throw new IllegalArgumentException(counts.length + " context rows, need " + CONTEXTS);
        }
        List<FrequencyTable> t = new ArrayList<>(CONTEXTS);
        for (int c = 0; c < CONTEXTS; c++) {
            if (counts[c].length != k) {
                throw new IllegalArgumentException("context " + c + " has " + counts[c].length + " counts, K = " + k);
            }
            t.add(FrequencyTable.fromCounts(counts[c]));
        }
        return new ContextTables(classes.clone(), List.copyOf(t));
    }

    /** @return K */
    public int codebookSize() {
        return classes.length;
    }

    /** @return the class of every codeword (a copy) */
    public int[] classes() {
        return classes.clone();
    }

    /**
     * @param context 0..24
     * @return the static table of that context
     */
    public FrequencyTable table(int context) {
        return tables.get(context);
    }

    /**
     * The context of position {@code p} of a grid of the given width whose earlier indices are {@code x[0..p)}:
     * {@code left * 5 + up} with {@code left = p mod width > 0 ? 1 + class[x[p-1]] : 0} and
     * {@code up = p >= width ? 1 + class[x[p-width]] : 0} (for tests and tools; coding uses {@link #model(int)}).
     *
     * @param x the indices in token order (only {@code x[0..p)} are read)
     * @param p the position
     * @param width the grid width, {@code >= 1}
     * @return the context, 0..24
     */
    public int context(int[] x, int p, int width) {
        int left = p % width > 0 ? 1 + classes[x[p - 1]] : 0;
        int up = p >= width ? 1 + classes[x[p - width]] : 0;
        return left * (CLASSES + 1) + up;
    }

    /**
     * @param width the grid width (columns of the file: the latent width of a grid model, tiles across of a global
     *     one), {@code >= 1}
     * @return the context model coder 3 codes a payload with
     */
    public ContextModel model(int width) {
        return ContextModel.of(ContextSelector.gridNeighbours(width, classes, CLASSES), tables);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContextTables c && Arrays.equals(c.classes, classes) && c.tables.equals(tables);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classes) * 31 + tables.hashCode();
    }

    @Override
    public String toString() {
        return "ContextTables[K=" + classes.length + ", contexts=" + CONTEXTS + "]";
    }
}
