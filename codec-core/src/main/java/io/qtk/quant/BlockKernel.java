package io.qtk.quant;

import java.util.Arrays;

/**
 * The fast portable search: plain Java that HotSpot C2 auto-vectorises (no Vector API), exact like every kernel.
 *
 * <p>Positions are processed in blocks of up to {@value #BLOCK}, copied into one array per component, and the
 * codewords in chunks of {@value #CHUNK}:
 * <ol>
 *   <li>For each codeword, one loop over the block folds its fast score {@code ||c||² - 2x·c} into the chunk minimum;
 *       after each chunk another loop folds the chunk minimum into each position's best score, runner-up (the
 *       smallest score outside the best chunk) and best chunk ({@link ScoreLoops}). Both loops run 8 positions per
 *       AVX2 instruction once C2 has compiled them.
 *   <li>Each position's best chunk is re-scored (scalar gather, bit-identical scores).
 *   <li>A few more vectorised merges over those {@value #CHUNK} scores give the best codeword (first index of the
 *       best score) and fold the runner-up inside the chunk into the runner-up.
 *   <li>So each position has exactly what {@link ScalarKernel}'s scan computes: best score, best index, runner-up.
 *       The best is accepted when the runner-up is further away than {@link Codebook#margin}; otherwise (near ties,
 *       ties, non-finite or huge input) the position is re-ranked with the canonical double distance
 *       ({@link ScalarKernel#exactNearest}).
 * </ol>
 *
 * <p>Runs shorter than {@value #MIN_RUN}, codebooks smaller than a chunk and (absurdly) large ones go to
 * {@link ScalarKernel}. The loops are only fast once C2-compiled (interpreted or C1-compiled they are several times
 * slower than the scalar scan), hence {@link AdaptiveKernel} in front of this kernel.
 */
final class BlockKernel extends SearchKernel {
    static final BlockKernel INSTANCE = new BlockKernel();

    /**
     * Positions per block (the scratch: {@code d + 14} arrays of this many floats, 36 KiB at d=4). Of 128, 256, 512
     * and 1536, 512 was fastest (the per-codeword loop set-up is amortised over more positions).
     */
    static final int BLOCK = 512;
    /**
     * Codewords per chunk: the bookkeeping runs once per chunk, the per-position re-score covers one chunk. 8 was the
     * fastest of 4, 8 and 16 (G=32, K=256, d=4).
     */
    static final int CHUNK = 8;
    /**
     * Runs shorter than this take the scalar scan: the per-call set-up (some 300 short loops) makes the block search
     * slower than the scan below about 40 positions (measured, d=4, K=256: 0.7x at 32, 1.6x at 64, 4x at 512).
     */
    static final int MIN_RUN = 48;
    /** Chunk starts are carried as floats: exact up to 2^24. */
    private static final int MAX_K = 1 << 24;

    private BlockKernel() {}

    @Override
    String name() {
        return "block";
    }

    /** Positions per call of the per-position phases: they get compiled after a few blocks, not a few images. */
    private static final int SUB = 32;

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        final int k = cb.size();
        if (count < MIN_RUN || k < CHUNK || k > MAX_K) {
            ScalarKernel.INSTANCE.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        final int d = cb.dim();
        final float[] m = cb.minusTwoWords;
        final float[] n = cb.norms;
        final int bs = Math.min(BLOCK, count);
        final float[][] x = new float[d + 1][bs]; // x[d]: scratch of the generic-d loop
        final float[] best = new float[bs];
        final float[] second = new float[bs];
        final float[] idx = new float[bs];
        final float[] chunkMin = new float[bs];
        final float[][] cand = new float[CHUNK][bs];
        final int[] start = new int[bs];
        for (int p0 = 0; p0 < count; p0 += bs) {
            final int np = Math.min(bs, count - p0);
            for (int j = 0; j < d; j++) {
                System.arraycopy(src, base + j * stride + p0, x[j], 0, np);
            }
            // 1. Best score, runner-up outside the best chunk, best chunk (1-based start) for every position.
            Arrays.fill(best, 0, np, Float.POSITIVE_INFINITY);
            Arrays.fill(second, 0, np, Float.POSITIVE_INFINITY);
            Arrays.fill(idx, 0, np, 0f);
            for (int k0 = 0; k0 < k; k0 += CHUNK) {
                final int k1 = Math.min(k0 + CHUNK, k);
                for (int i = k0; i < k1; i++) {
                    ScoreLoops.score(m, n, d, i, x, chunkMin, np, i == k0);
                }
                ScoreLoops.merge(chunkMin, best, second, idx, k0 + 1, np);
            }
            // 2. Re-score each position's best chunk: cand[t][p] = score of codeword start[p] + t.
            for (int l0 = 0; l0 < np; l0 += SUB) {
                rescore(cb, x, idx, start, cand, l0, Math.min(l0 + SUB, np));
            }
            // 3. Inside that window: its minimum (chunkMin), the first slot holding it (idx, 1-based), and the
            //    runner-up inside the window folded into second.
            Arrays.fill(chunkMin, 0, np, Float.POSITIVE_INFINITY);
            Arrays.fill(idx, 0, np, 0f);
            for (int t = 0; t < CHUNK; t++) {
                ScoreLoops.merge(cand[t], chunkMin, second, idx, t + 1, np);
            }
            // 4. Accept where the runner-up is clear of the rounding margin, else re-rank exactly.
            for (int l0 = 0; l0 < np; l0 += SUB) {
                accept(cb, x, best, second, idx, chunkMin, start, src, base + p0, stride, out, outOff + p0, l0,
                        Math.min(l0 + SUB, np));
            }
        }
    }

    /**
     * Positions {@code l0 .. l1-1} of a block: the best codeword {@code start + idx - 1} where the runner-up is clear
     * of the rounding margin (and the scores cannot have overflowed, {@link Codebook#fastScoresFinite}), else the exact
     * re-ranking. {@code windowMin == best} always holds for finite scores (same bits); it is checked for safety, and
     * NaN fails it.
     */
    private static void accept(Codebook cb, float[][] x, float[] best, float[] second, float[] idx, float[] windowMin,
            int[] start, float[] src, int base, int stride, int[] out, int outOff, int l0, int l1) {
        final int d = cb.dim();
        for (int l = l0; l < l1; l++) {
            double xx = 0;
            for (int j = 0; j < d; j++) {
                double v = x[j][l];
                xx += v * v;
            }
            final double xn = Math.sqrt(xx);
            final float b = best[l];
            final boolean finite = cb.fastScoresFinite(xn);
            if (windowMin[l] == b && finite && (double) second[l] - (double) b > cb.marginForNorm(xn)) {
                out[outOff + l] = start[l] + (int) idx[l] - 1;
            } else {
                out[outOff + l] = ScalarKernel.exactNearest(cb, src, base + l, stride, finite ? b : Float.NaN, xx);
            }
        }
    }

    /**
     * For positions {@code l0 .. l1-1}, the scores of the {@value #CHUNK} codewords from {@code start[p]}: its best
     * chunk (1-based start in {@code idx}), or for a short last chunk the last {@value #CHUNK} codewords (which
     * include it). Computed
     * exactly as {@link ScoreLoops} does, so the best chunk's minimum comes out with the same bits.
     */
    private static void rescore(Codebook cb, float[][] x, float[] idx, int[] start, float[][] cand, int l0, int l1) {
        final int d = cb.dim();
        final int k = cb.size();
        final float[] m = cb.minusTwoWords;
        final float[] n = cb.norms;
        for (int l = l0; l < l1; l++) {
            // Garbage idx (non-finite input, re-ranked exactly anyway) just gives some valid window.
            final int c0 = Math.max(0, Math.min((int) idx[l] - 1, k - CHUNK));
            start[l] = c0;
            if (d == 4) {
                final float x0 = x[0][l], x1 = x[1][l], x2 = x[2][l], x3 = x[3][l];
                for (int t = 0; t < CHUNK; t++) {
                    final int w = 4 * (c0 + t);
                    cand[t][l] = Math.fma(x3, m[w + 3], Math.fma(x2, m[w + 2], Math.fma(x1, m[w + 1],
                            Math.fma(x0, m[w], n[c0 + t]))));
                }
            } else {
                for (int t = 0; t < CHUNK; t++) {
                    cand[t][l] = ScoreLoops.score(m, n, d, c0 + t, x, l);
                }
            }
        }
    }
}
