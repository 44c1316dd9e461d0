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
 * <p><b>Speed.</b> Runs of positions are searched by {@code BlockKernel}: plain Java loops over latent positions that
 * HotSpot's C2 auto-vectorises (8 positions per AVX2 instruction), no {@code --add-modules} or other JVM flag
 * needed. Until those loops are compiled (the first image of a fresh JVM) a per-vector scalar scan does most of the
 * work. Results never depend on which search ran.
 *
 * <p>This package depends on no other {@code io.qtk} package. All types are immutable and thread-safe.
 */
package io.qtk.quant;
