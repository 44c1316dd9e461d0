package io.qtk.codec;

import io.qtk.QtkException;

/**
 * The neural part of a global model, run on one {@code T x T} tile at a time: the encoder (RGB tile to N tokens of
 * d values) and the decoder (N de-quantised tokens to the RGB tile). Implementations are thread-safe.
 */
public interface GlobalNetwork {
    /** @return T, the tile side in pixels */
    int tileSize();

    /** @return N, tokens per tile */
    int tokens();

    /** @return d, values per token */
    int dim();

    /**
     * @param rgb CHW planes, 3 x T x T, values in [0, 1]
     * @return N x d token values, token-major
     * @throws QtkException when the runtime fails
     */
    float[] encode(float[] rgb) throws QtkException;

    /**
     * @param tokens N x d values (zeros for tokens not coded)
     * @return RGB planes 3 x T x T (not clamped)
     * @throws QtkException when the runtime fails
     */
    float[] decode(float[] tokens) throws QtkException;

    /**
     * @param tokens N x d values
     * @return N indices, token n against codebook n
     */
    int[] quantise(float[] tokens);

    /**
     * @param indices at least {@code present} indices
     * @param present tokens coded; later tokens are zero
     * @return N x d values
     */
    float[] dequantise(int[] indices, int present);
}
