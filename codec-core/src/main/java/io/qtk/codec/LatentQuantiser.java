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
     * @return {@code int[G][n]} indices
     */
    int[][] quantise(float[] latent, int n);

    /**
     * For rate-aware rounding ({@link RoundingMargins}): whether group g's codebook is a uniform scalar ladder
     * {@code c0 + k * step}.
     *
     * @param g the group
     * @return {@code {c0, step}} with step positive, or null when group g's codebook is not such a ladder
     */
    default float[] uniformLadder(int g) {
        return null;
    }

    /**
     * @param indices {@code indices[g][p]}; only groups below {@code groupsUsed} are read
     * @param groupsUsed groups to look up; the channels of later groups are set to zero
     * @param latent receives C x n channel-major (every element written)
     */
    void dequantise(int[][] indices, int groupsUsed, float[] latent);
}
