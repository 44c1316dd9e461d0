package io.qtk.bench.quant;

import io.qtk.quant.Codebook;
import io.qtk.quant.GridQuantiser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark workload: G=32, K=256, d=4 Gaussian codebooks and a 48x32 latent (a 768x512 image at f=16) made of
 * codewords plus noise, so distances look like a trained model's (near ties are rare but occur).
 */
final class GridData {
    static final int G = 32;
    static final int K = 256;
    static final int D = 4;
    static final int H = 32;
    static final int W = 48;
    static final int POSITIONS = H * W;

    final GridQuantiser quantiser;
    final float[] latent;
    final int[][] indices;

    /** @param withIndices also quantise once for the dequantise benchmark (which warms the search up) */
    GridData(boolean withIndices) {
        Random r = new Random(42);
        List<Codebook> cbs = new ArrayList<>();
        float[][] flat = new float[G][K * D];
        for (int g = 0; g < G; g++) {
            for (int i = 0; i < K * D; i++) {
                flat[g][i] = (float) r.nextGaussian();
            }
            cbs.add(Codebook.of(K, D, flat[g]));
        }
        quantiser = new GridQuantiser(cbs);
        latent = new float[G * D * POSITIONS];
        for (int g = 0; g < G; g++) {
            for (int p = 0; p < POSITIONS; p++) {
                int k = r.nextInt(K);
                for (int j = 0; j < D; j++) {
                    latent[(g * D + j) * POSITIONS + p] = flat[g][k * D + j] + (float) (r.nextGaussian() * 0.3);
                }
            }
        }
        indices = withIndices ? quantiser.quantise(latent, H, W) : null;
        System.err.println("search implementation: " + quantiser.searchImplementation());
    }
}
