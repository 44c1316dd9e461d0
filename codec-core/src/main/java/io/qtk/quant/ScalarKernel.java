package io.qtk.quant;

/**
 * The portable search: one vector at a time, every codeword scored with {@code ||c||² - 2x·c} in float while tracking
 * the best and second-best score. If the two are further apart than {@link Codebook#margin} the best is certainly
 * the exact answer; otherwise (near ties, exact ties, non-finite input) the few candidates are re-ranked with the
 * canonical double distance. Used for single vectors ({@link Codebook#nearest}), short runs, and by
 * {@link AdaptiveKernel} until {@link BlockKernel} is compiled (this loop is fast interpreted and C1-compiled too).
 */
final class ScalarKernel extends SearchKernel {
    static final ScalarKernel INSTANCE = new ScalarKernel();

    private ScalarKernel() {}

    @Override
    String name() {
        return "scalar";
    }

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        if (cb.dim() == 4) {
            for (int p = 0; p < count; p++) {
                out[outOff + p] = nearest4(cb, src, base + p, stride);
            }
        } else {
            float[] x = new float[cb.dim()];
            for (int p = 0; p < count; p++) {
                out[outOff + p] = nearestGeneric(cb, src, base + p, stride, x);
            }
        }
    }

    /** One vector, component j at {@code src[base + j * stride]}. */
    static int nearestStrided(Codebook cb, float[] src, int base, int stride) {
        return cb.dim() == 4 ? nearest4(cb, src, base, stride) : nearestGeneric(cb, src, base, stride,
                new float[cb.dim()]);
    }

    private static int nearestGeneric(Codebook cb, float[] src, int base, int stride, float[] x) {
        final int d = cb.dim();
        final int k = cb.size();
        final float[] m = cb.minusTwoWords;
        final float[] norms = cb.norms;
        double xx = 0;
        for (int j = 0; j < d; j++) {
            x[j] = src[base + j * stride];
            xx += (double) x[j] * x[j];
        }
        float best = Float.POSITIVE_INFINITY;
        float second = Float.POSITIVE_INFINITY;
        int bi = 0;
        for (int i = 0, w = 0; i < k; i++, w += d) {
            float s = norms[i];
            for (int j = 0; j < d; j++) {
                s += m[w + j] * x[j];
            }
            if (s < second) { // rare after the first few codewords: predictable branch
                if (s < best) {
                    second = best;
                    best = s;
                    bi = i;
                } else {
                    second = s;
                }
            }
        }
        return resolve(cb, src, base, stride, best, second, bi, xx);
    }

    /** d = 4 unrolled: the common grid configuration; keeps x in registers. */
    private static int nearest4(Codebook cb, float[] src, int base, int stride) {
        final int k = cb.size();
        final float[] m = cb.minusTwoWords;
        final float[] norms = cb.norms;
        final float x0 = src[base];
        final float x1 = src[base + stride];
        final float x2 = src[base + 2 * stride];
        final float x3 = src[base + 3 * stride];
        float best = Float.POSITIVE_INFINITY;
        float second = Float.POSITIVE_INFINITY;
        int bi = 0;
        for (int i = 0, w = 0; i < k; i++, w += 4) {
            float s = norms[i] + m[w] * x0 + m[w + 1] * x1 + m[w + 2] * x2 + m[w + 3] * x3;
            if (s < second) {
                if (s < best) {
                    second = best;
                    best = s;
                    bi = i;
                } else {
                    second = s;
                }
            }
        }
        double xx = (double) x0 * x0 + (double) x1 * x1 + (double) x2 * x2 + (double) x3 * x3;
        return resolve(cb, src, base, stride, best, second, bi, xx);
    }

    /** Accepts the fast answer when the gap to the runner-up exceeds the rounding margin, else re-ranks exactly. */
    static int resolve(Codebook cb, float[] src, int base, int stride, float best, float second, int bi, double xx) {
        double xn = Math.sqrt(xx);
        if (!cb.fastScoresFinite(xn)) { // huge or non-finite input: scores may have overflowed, trust none
            return exactNearest(cb, src, base, stride, Float.NaN, xx);
        }
        // NaN anywhere makes this false and takes the exact path.
        if ((double) second - (double) best > cb.marginForNorm(xn)) {
            return bi;
        }
        return exactNearest(cb, src, base, stride, best, xx);
    }

    /**
     * Exact re-ranking: canonical distance for every codeword whose fast score could still be the minimum. With a
     * finite best score only candidates within the margin are re-scored; otherwise (pass NaN) all codewords are.
     */
    static int exactNearest(Codebook cb, float[] src, int base, int stride, float best, double xx) {
        final int d = cb.dim();
        final int k = cb.size();
        double margin = cb.margin(xx);
        boolean filter = Float.isFinite(best) && Double.isFinite(margin);
        double limit = filter ? best + margin : Double.POSITIVE_INFINITY;
        double bestD = Double.POSITIVE_INFINITY;
        int bi = 0;
        for (int i = 0; i < k; i++) {
            if (filter) {
                float s = cb.norms[i];
                for (int j = 0; j < d; j++) {
                    s += cb.minusTwoWords[i * d + j] * src[base + j * stride];
                }
                if (s > limit) { // NaN (overflowed score) stays a candidate
                    continue;
                }
            }
            double dist = cb.exactDistance(i, src, base, stride);
            if (dist < bestD) {
                bestD = dist;
                bi = i;
            }
        }
        return bi;
    }
}
