package io.qtk.quant;

/**
 * The inner loops of {@link BlockKernel}'s search, written for HotSpot C2's auto-vectoriser (SuperWord): every
 * loop runs over latent positions {@code p}, reads and writes only {@code array[p]} of distinct arrays, and does
 * nothing but float {@code fma}/{@code min}/{@code max}/arithmetic, so C2 turns it into SIMD code (8 positions per
 * AVX2 instruction) without the incubating Vector API.
 *
 * <p>Constraints found by measurement on JDK 17 (breaking any of them silently gives scalar code, 4-6x slower):
 * <ul>
 *   <li>One codeword per loop. Two or more {@code Math.fma} chains sharing the same loaded components are not
 *       vectorised (separate multiply and add chains are, but cost twice the instructions).
 *   <li>No two accesses to the same array at different loop-invariant offsets (hence the position block is copied
 *       into one array per component, and the latent is not read in place).
 *   <li>Small loop bodies: C2 unrolls, and so vectorises, only bodies under its node limit
 *       ({@code LoopUnrollLimit}, not settable from a library); tracking best, runner-up and index in the same loop as
 *       the score exceeds it, so scoring ({@code minN}/{@code setN}) and bookkeeping ({@link #merge}) are separate
 *       loops, and from d = 7 on a score takes one loop per four components ({@code generic}).
 *   <li>{@code Math.min}, not {@code a < b ? a : b}: C2 vectorises the intrinsic, not a conditional move.
 * </ul>
 * Checked per d (1..10, K=256, 1536 positions, against the per-vector scan): 3-10x faster (d=1 least: set-up dominates), d=4 about 0.45 ns per
 * codeword and position. Interpreted or C1-compiled the same loops are slow ({@code Math.min(float, float)} is a call
 * there), see {@link AdaptiveKernel}.
 *
 * <p>Score of codeword {@code k} at position {@code p}: {@code fma(x[d-1][p], m[k*d+d-1], ... fma(x[0][p], m[k*d],
 * n[k]))}, i.e. {@code ||c||² - 2x·c} accumulated by fused multiply-adds in component order. {@link #score} computes
 * the same expression for one position; Java floating point is deterministic, so both give the same bits.
 */
final class ScoreLoops {
    private ScoreLoops() {}

    /** 2^100: maps any positive float difference (at least 2^-149) to at least 2^-49. */
    private static final float TWO_100 = 0x1p100f;

    /**
     * {@code tmp[p] = min(tmp[p], score(k, p))} for {@code p < np} (or {@code tmp[p] = score(k, p)} when {@code set},
     * for the first codeword of a chunk), dispatching on the dimension.
     */
    static void score(float[] m, float[] n, int d, int k, float[][] x, float[] tmp, int np, boolean set) {
        final int w = k * d;
        final float nk = n[k];
        switch (d) {
            case 1:
                if (set) {
                    set1(x, m, w, nk, tmp, np);
                } else {
                    min1(x, m, w, nk, tmp, np);
                }
                break;
            case 2:
                if (set) {
                    set2(x, m, w, nk, tmp, np);
                } else {
                    min2(x, m, w, nk, tmp, np);
                }
                break;
            case 3:
                if (set) {
                    set3(x, m, w, nk, tmp, np);
                } else {
                    min3(x, m, w, nk, tmp, np);
                }
                break;
            case 4:
                if (set) {
                    set4(x, m, w, nk, tmp, np);
                } else {
                    min4(x, m, w, nk, tmp, np);
                }
                break;
            case 5:
                if (set) {
                    set5(x, m, w, nk, tmp, np);
                } else {
                    min5(x, m, w, nk, tmp, np);
                }
                break;
            case 6:
                if (set) {
                    set6(x, m, w, nk, tmp, np);
                } else {
                    min6(x, m, w, nk, tmp, np);
                }
                break;
            default: // 7 and more
                generic(x, m, w, d, nk, tmp, np, set);
        }
    }

    /** The score of codeword {@code k} at block position {@code p}, bit-identical to the vectorised loops. */
    static float score(float[] m, float[] n, int d, int k, float[][] x, int p) {
        float s = n[k];
        for (int j = 0, w = k * d; j < d; j++) {
            s = Math.fma(x[j][p], m[w + j], s);
        }
        return s;
    }

    private static void min1(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0];
        final float m0 = m[w];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.min(tmp[p], Math.fma(x0[p], m0, nk));
        }
    }

    private static void min2(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1];
        final float m0 = m[w], m1 = m[w + 1];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.min(tmp[p], Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk)));
        }
    }

    private static void min3(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.min(tmp[p], Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
        }
    }

    private static void min4(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3];
        for (int p = 0; p < np; p++) {
            float s = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
            tmp[p] = Math.min(tmp[p], s);
        }
    }

    private static void min5(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3], m4 = m[w + 4];
        for (int p = 0; p < np; p++) {
            float s = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
            tmp[p] = Math.min(tmp[p], Math.fma(x4[p], m4, s));
        }
    }

    private static void min6(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3], m4 = m[w + 4], m5 = m[w + 5];
        for (int p = 0; p < np; p++) {
            float s = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
            tmp[p] = Math.min(tmp[p], Math.fma(x5[p], m5, Math.fma(x4[p], m4, s)));
        }
    }



    private static void set1(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0];
        final float m0 = m[w];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.fma(x0[p], m0, nk);
        }
    }

    private static void set2(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1];
        final float m0 = m[w], m1 = m[w + 1];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk));
        }
    }

    private static void set3(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk)));
        }
    }

    private static void set4(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3];
        for (int p = 0; p < np; p++) {
            tmp[p] = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
        }
    }

    private static void set5(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3], m4 = m[w + 4];
        for (int p = 0; p < np; p++) {
            float s = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
            tmp[p] = Math.fma(x4[p], m4, s);
        }
    }

    private static void set6(float[][] x, float[] m, int w, float nk, float[] tmp, int np) {
        final float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5];
        final float m0 = m[w], m1 = m[w + 1], m2 = m[w + 2], m3 = m[w + 3], m4 = m[w + 4], m5 = m[w + 5];
        for (int p = 0; p < np; p++) {
            float s = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
            tmp[p] = Math.fma(x5[p], m5, Math.fma(x4[p], m4, s));
        }
    }



    /**
     * Any d (used from 7): the score is accumulated in {@code x[d]}, four components per loop (a longer chain would
     * make the loop body too big to vectorise), in component order as everywhere.
     */
    private static void generic(float[][] x, float[] m, int w, int d, float nk, float[] tmp, int np, boolean set) {
        final float[] acc = x[d];
        first4(x[0], x[1], x[2], x[3], m[w], m[w + 1], m[w + 2], m[w + 3], nk, acc, np);
        int j = 4;
        for (; j + 4 <= d; j += 4) {
            next4(x[j], x[j + 1], x[j + 2], x[j + 3], m[w + j], m[w + j + 1], m[w + j + 2], m[w + j + 3], acc, np);
        }
        for (; j < d; j++) {
            next1(x[j], m[w + j], acc, np);
        }
        if (set) {
            System.arraycopy(acc, 0, tmp, 0, np);
        } else {
            for (int p = 0; p < np; p++) {
                tmp[p] = Math.min(tmp[p], acc[p]);
            }
        }
    }

    private static void first4(float[] x0, float[] x1, float[] x2, float[] x3, float m0, float m1, float m2,
            float m3, float nk, float[] acc, int np) {
        for (int p = 0; p < np; p++) {
            acc[p] = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, nk))));
        }
    }

    private static void next4(float[] x0, float[] x1, float[] x2, float[] x3, float m0, float m1, float m2,
            float m3, float[] acc, int np) {
        for (int p = 0; p < np; p++) {
            acc[p] = Math.fma(x3[p], m3, Math.fma(x2[p], m2, Math.fma(x1[p], m1, Math.fma(x0[p], m0, acc[p]))));
        }
    }

    private static void next1(float[] x0, float m0, float[] acc, int np) {
        for (int p = 0; p < np; p++) {
            acc[p] = Math.fma(x0[p], m0, acc[p]);
        }
    }


    /**
     * Folds the minimum score of one chunk of codewords ({@code chunkMin}, starting at codeword {@code chunk1 - 1})
     * into the running best score, runner-up (the second smallest chunk minimum) and 1-based chunk start of the best.
     *
     * <p>The index update has no branch or conditional move (C2 vectorises neither): with {@code b} the previous
     * best, {@code (b - v) * 2^100 * (chunk1 * 2^100)} is at least {@code chunk1} when {@code v < b} (a positive
     * float difference is at least 2^-149; {@code +inf} when {@code b} is still {@code +inf}) and at most 0 otherwise,
     * so {@code max(idx, min(that, chunk1))} is {@code chunk1} exactly when the chunk improves the best (chunks come in
     * increasing order, so {@code chunk1 > idx}) and {@code idx} otherwise. Ties keep the earlier chunk. Scores are
     * finite here (the caller re-ranks exactly wherever they might not be), so no NaN arises.
     */
    static void merge(float[] chunkMin, float[] best, float[] second, float[] idx, int chunk1, int np) {
        final float kf = chunk1;
        final float kb = kf * TWO_100;
        for (int p = 0; p < np; p++) {
            float v = chunkMin[p];
            float b = best[p];
            second[p] = Math.min(second[p], Math.max(b, v));
            best[p] = Math.min(b, v);
            idx[p] = Math.max(idx[p], Math.min((b - v) * TWO_100 * kb, kf));
        }
    }
}
