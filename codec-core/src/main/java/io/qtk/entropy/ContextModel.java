package io.qtk.entropy;

import java.util.List;
import java.util.Objects;

/**
 * Several tables for one stream, one chosen per symbol by a {@link ContextSelector}. Each table is a static
 * {@link FrequencyTable} or an {@link AdaptiveModel}; every adaptive context keeps its own counts, updated only by
 * the symbols coded in that context. All tables have the same alphabet size. Immutable.
 */
public final class ContextModel implements EntropyModel {
    private final ContextSelector selector;
    private final List<EntropyModel> tables;
    private final int alphabetSize;

    private ContextModel(ContextSelector selector, List<EntropyModel> tables) {
        this.selector = selector;
        this.tables = tables;
        this.alphabetSize = tables.get(0).alphabetSize();
    }

    /**
     * @param selector picks the table of each symbol
     * @param tables the tables, indexed by context: {@link FrequencyTable}s or {@link AdaptiveModel}s, at least one,
     *     all of the same alphabet size, at least {@code selector.contextCount()} of them when that is known
     * @return the model
     * @throws IllegalArgumentException if the tables are empty, nested, of different alphabet sizes or too few
     */
    public static ContextModel of(ContextSelector selector, List<? extends EntropyModel> tables) {
        Objects.requireNonNull(selector, "selector");
        List<EntropyModel> copy = List.copyOf(tables);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a context model needs at least one table");
        }
        int k = copy.get(0).alphabetSize();
        for (EntropyModel m : copy) {
            if (m instanceof ContextModel) {
                throw new IllegalArgumentException("context models do not nest");
            }
            if (m.alphabetSize() != k) {
                throw new IllegalArgumentException("tables of alphabet sizes " + k + " and " + m.alphabetSize());
            }
        }
        int needed = selector.contextCount();
        if (needed > copy.size()) {
            throw new IllegalArgumentException("selector has " + needed + " contexts but only " + copy.size()
                    + " tables are given");
        }
        return new ContextModel(selector, copy);
    }

    /**
     * @param selector picks the table of each symbol
     * @param tables the tables, indexed by context
     * @return the model (see {@link #of(ContextSelector, List)})
     */
    public static ContextModel of(ContextSelector selector, EntropyModel... tables) {
        return of(selector, List.of(tables));
    }

    @Override
    public int alphabetSize() {
        return alphabetSize;
    }

    /** @return the selector */
    public ContextSelector selector() {
        return selector;
    }

    /** @return the tables, indexed by context (unmodifiable) */
    public List<EntropyModel> tables() {
        return tables;
    }

    /** @return the number of tables */
    public int contextCount() {
        return tables.size();
    }

    @Override
    public String toString() {
        return "ContextModel[K=" + alphabetSize + ", contexts=" + tables.size() + "]";
    }
}
