package io.qtk.quant;

/** The reference the quantisers must match: the definition, written as plainly as possible. */
final class BruteForce {
    private BruteForce() {}

    /** Arg-min over k of sum_j ((double) x_j - c_kj)², strict comparison (ties: lowest index), NaN never chosen. */
    static int nearest(float[][] codebook, float[] x) {
        double best = Double.POSITIVE_INFINITY;
        int bi = 0;
        for (int k = 0; k < codebook.length; k++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                double diff = (double) x[j] - (double) codebook[k][j];
                s += diff * diff;
            }
            if (s < best) {
                best = s;
                bi = k;
            }
        }
        return bi;
    }

    /** Grid reference over a flat CHW latent: int[G][h*w]. */
    static int[][] grid(float[][][] codebooks, float[] chw, int hw) {
        int g = codebooks.length;
        int d = codebooks[0][0].length;
        int[][] out = new int[g][hw];
        float[] x = new float[d];
        for (int gi = 0; gi < g; gi++) {
            for (int p = 0; p < hw; p++) {
                for (int j = 0; j < d; j++) {
                    x[j] = chw[(gi * d + j) * hw + p];
                }
                out[gi][p] = nearest(codebooks[gi], x);
            }
        }
        return out;
    }
}
