/**
 * Quantisers: nearest-codeword search and the inverse lookup.
 *
 * <ul>
 *   <li>{@link io.qtk.quant.Codebook}: {@code K x d} float codewords, immutable.
 *   <li>{@link io.qtk.quant.GridQuantiser}: CHW grid latent to {@code int[G][h*w]} indices and back (groups are
 *       contiguous blocks of {@code d} channels; missing groups de-quantise to zeros).
 *   <li>{@link io.qtk.quant.GlobalQuantiser}: per-tile tokens {@code [N][d]}, one codebook per token position.
 * </ul>
 *
 * <p><b>Exactness.</b> The chosen codeword minimises {@link io.qtk.quant.Codebook#distance} (squared Euclidean
 * distance accumulated in double; ties to the lowest index), exactly: the fast float score
 * {@code ||c||² - 2x·c} is only trusted when the runner-up is further away than its proven rounding bound, and near
 * ties are re-ranked with the exact distance.
 *
 * <p><b>Vector API.</b> Started with {@code --add-modules jdk.incubator.vector}, the grid search uses SIMD lanes over
 * latent positions; otherwise (or with {@code -Dqtk.quant.vector=false}) a scalar loop. Results are identical.
 *
 * <p>This package depends on no other {@code io.qtk} package. All types are immutable and thread-safe.
 */
package io.qtk.quant;
