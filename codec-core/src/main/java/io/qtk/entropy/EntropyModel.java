package io.qtk.entropy;

/**
 * How the symbol probabilities of one index stream are described; immutable and thread-safe.
 *
 * <p>Three kinds, each normative in {@code format-spec/entropy-coding.md}:
 * <ul>
 *   <li>{@link FrequencyTable}: one static table, the same for every symbol;</li>
 *   <li>{@link AdaptiveModel}: counts that start uniform and follow the coded symbols;</li>
 *   <li>{@link ContextModel}: several tables (static or adaptive), one picked per symbol by a
 *       {@link ContextSelector}.</li>
 * </ul>
 * Running state (the counts of an adaptive model) never lives in an {@code EntropyModel}: every encode or decode
 * starts from the model's initial state, so one model can code many streams, also concurrently.
 */
public sealed interface EntropyModel permits FrequencyTable, AdaptiveModel, ContextModel {

    /** @return K, the number of distinct symbols: symbols are {@code 0 .. K-1} */
    int alphabetSize();
}
