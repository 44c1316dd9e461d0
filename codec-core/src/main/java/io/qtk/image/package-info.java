/**
 * Pixels to model tensors and back: reading any {@link java.awt.image.RenderedImage} (gray, RGB, alpha, 8 or 16 bits,
 * indexed, packed) as 8-bit-precision samples, RGB float planes in [0, 1] with edge replication (the padding to a
 * multiple of the model factor), the alpha plane, the tile plan with halo, and writing decoded float planes into
 * {@code TYPE_BYTE_GRAY} / {@code TYPE_3BYTE_BGR} / {@code TYPE_4BYTE_ABGR} images.
 *
 * <p>Nothing here depends on the model runtime or the file format.
 */
package io.qtk.image;
