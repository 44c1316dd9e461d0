package io.qtk.codec;

/**
 * Nearest-codeword quantisation of a grid latent (G groups of d contiguous channels, K codewords each) and the
 * inverse lookup. Implementations are immutable and thread-safe.
 */
public interface LatentQuantiser {
    /** @return G */
    int groups();

    /** @return d */
    int dim();

    /** @return K */
    int codebookSize();

    /**
     * @param latent C x n channel-major, C = G * d
     * @param n positions
     * @param out receives G x n indices, group-major ({@code out[g * n + p]})
     */
    void quantise(float[] latent, int n, int[] out);

    /**
     * @param indices G x n group-major; only groups below {@code groupsUsed} are read
     * @param groupsUsed groups to look up; the channels of later groups are set to zero
     * @param n positions
     * @param latent receives C x n channel-major
     */
    void dequantise(int[] indices, int groupsUsed, int n, float[] latent);
}
