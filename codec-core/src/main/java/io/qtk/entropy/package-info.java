/**
 * Entropy coding of codebook indices: a byte-oriented range coder with 64-bit state, static and adaptive frequency
 * models, context selection, and whole-stream helpers.
 *
 * <p>The normative description (bit-exact, for independent decoders) is {@code format-spec/entropy-coding.md}. The
 * parts, from the bottom up:
 * <ul>
 *   <li>{@link io.qtk.entropy.RangeEncoder} / {@link io.qtk.entropy.RangeDecoder}: the coder itself, working on
 *       (cumulative frequency, frequency, total) triples;</li>
 *   <li>{@link io.qtk.entropy.EntropyModel}: how the probabilities of one stream are described:
 *       {@link io.qtk.entropy.FrequencyTable} (static, normalised to a power-of-two total),
 *       {@link io.qtk.entropy.AdaptiveModel} (counts that follow the data; the running state is
 *       {@link io.qtk.entropy.AdaptiveFrequencies}) and {@link io.qtk.entropy.ContextModel} (one of several tables
 *       per symbol, chosen by a {@link io.qtk.entropy.ContextSelector});</li>
 *   <li>{@link io.qtk.entropy.IndexStreamCodec}: an {@code int[]} of indices to {@code byte[]} and back.</li>
 * </ul>
 *
 * <p>Errors: decoders throw {@link io.qtk.entropy.EntropyCodingException} (an {@link java.io.IOException}) when the
 * input is provably inconsistent; corrupt input may also decode to garbage symbols (the container's CRC is the
 * integrity check). Bad arguments raise {@link java.lang.IllegalArgumentException}. Nothing else is thrown, no
 * decoder reads outside its input slice, and the work of a decode is bounded by the requested symbol count.
 *
 * <p>This package depends on nothing else in qtk (not on the file format, model bundles or the runtime).
 */
package io.qtk.entropy;
