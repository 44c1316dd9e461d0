package io.qtk.codec;

import io.qtk.QtkException;

/**
 * The neural part of a grid model, run on one tile at a time: the encoder (RGB image to continuous latent) and the
 * decoder (de-quantised latent to RGB image). Implementations are thread-safe.
 */
public interface TileNetwork {
    /** @return f, the down-sampling factor */
    int factor();

    /** @return C, latent channels */
    int latentChannels();

    /**
     * @param rgb CHW planes, 3 x h x w, values in [0, 1]
     * @param h height, a multiple of f
     * @param w width, a multiple of f
     * @return the latent, C x (h/f) x (w/f), channel-major
     * @throws QtkException when the runtime fails
     */
    float[] encode(float[] rgb, int h, int w) throws QtkException;

    /**
     * @param latent C x lh x lw, channel-major
     * @param lh latent rows
     * @param lw latent columns
     * @return RGB planes 3 x (lh*f) x (lw*f) (not clamped)
     * @throws QtkException when the runtime fails
     */
    float[] decode(float[] latent, int lh, int lw) throws QtkException;
}
