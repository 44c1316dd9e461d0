package io.qtk.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * The decoded image being filled tile by tile: {@code TYPE_BYTE_GRAY} (1 channel), {@code TYPE_3BYTE_BGR} (3), or
 * {@code TYPE_4BYTE_ABGR} (2 or 4: gray + alpha becomes ABGR with equal colour samples). Model output (RGB float
 * planes) is clamped to [0, 1] and rounded {@code v * 255}; gray output is the mean of the three planes.
 *
 * <p>Distinct tiles may be written from different threads (they touch disjoint bytes).
 */
public final class OutputImage {
    private final BufferedImage image;
    private final byte[] data;
    private final int width;
    private final int height;
    private final int channels;
    private final int bytesPerPixel;

    /**
     * @param width pixels
     * @param height pixels
     * @param channels 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (of the coded image)
     */
    public OutputImage(int width, int height, int channels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty output " + width + "x" + height);
        }
        int type = switch (channels) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            case 2, 4 -> BufferedImage.TYPE_4BYTE_ABGR;
            default -> throw new IllegalArgumentException("channels must be 1..4, got " + channels);
        };
        this.image = new BufferedImage(width, height, type);
        this.data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.bytesPerPixel = channels == 1 ? 1 : channels == 3 ? 3 : 4;
        if (channels == 2 || channels == 4) {
            // opaque until alpha is written
            for (int i = 0; i < data.length; i += 4) {
                data[i] = (byte) 0xFF;
            }
        }
    }

    /** @return the image being filled */
    public BufferedImage image() {
        return image;
    }

    /** @return width */
    public int width() {
        return width;
    }

    /** @return height */
    public int height() {
        return height;
    }

    /**
     * Writes a window of RGB float planes into the image.
     *
     * @param planes CHW floats, 3 planes of {@code pw * ph}
     * @param pw plane width
     * @param ph plane height
     * @param sx left of the window inside the planes
     * @param sy top of the window inside the planes
     * @param dx where the window's left goes in the image
     * @param dy where its top goes
     * @param w window width
     * @param h window height
     */
    public void writeRgb(float[] planes, int pw, int ph, int sx, int sy, int dx, int dy, int w, int h) {
        if (sx < 0 || sy < 0 || sx + w > pw || sy + h > ph || dx < 0 || dy < 0 || dx + w > width
                || dy + h > height || w < 0 || h < 0) {
            throw new IllegalArgumentException("window out of range: src " + sx + "," + sy + " dst " + dx + "," + dy
                    + " " + w + "x" + h + " planes " + pw + "x" + ph + " image " + width + "x" + height);
        }
        int plane = pw * ph;
        int bpp = bytesPerPixel;
        for (int j = 0; j < h; j++) {
            int s = (sy + j) * pw + sx;
            int d = ((dy + j) * width + dx) * bpp;
            switch (channels) {
                case 1 -> {
                    for (int i = 0; i < w; i++, s++, d++) {
                        data[d] = to8((planes[s] + planes[plane + s] + planes[2 * plane + s]) * (1f / 3f));
                    }
                }
                case 2 -> {
                    for (int i = 0; i < w; i++, s++, d += 4) {
                        byte g = to8((planes[s] + planes[plane + s] + planes[2 * plane + s]) * (1f / 3f));
                        data[d + 1] = g;
                        data[d + 2] = g;
                        data[d + 3] = g;
                    }
                }
                case 3 -> {
                    for (int i = 0; i < w; i++, s++, d += 3) {
                        data[d] = to8(planes[2 * plane + s]);
                        data[d + 1] = to8(planes[plane + s]);
                        data[d + 2] = to8(planes[s]);
                    }
                }
                default -> {
                    for (int i = 0; i < w; i++, s++, d += 4) {
                        data[d + 1] = to8(planes[2 * plane + s]);
                        data[d + 2] = to8(planes[plane + s]);
                        data[d + 3] = to8(planes[s]);
                    }
                }
            }
        }
    }

    /**
     * Writes alpha samples (only for 2 or 4 channels).
     *
     * @param alpha row-major samples of an image of width {@code aw}
     * @param aw width of the alpha plane's rows
     * @param sx left of the window in the alpha plane
     * @param sy top of the window in the alpha plane
     * @param dx where it goes in the image
     * @param dy where it goes
     * @param w window width
     * @param h window height
     */
    public void writeAlpha(byte[] alpha, int aw, int sx, int sy, int dx, int dy, int w, int h) {
        if (channels != 2 && channels != 4) {
            throw new IllegalStateException("no alpha channel");
        }
        for (int j = 0; j < h; j++) {
            int s = (sy + j) * aw + sx;
            int d = ((dy + j) * width + dx) * 4;
            for (int i = 0; i < w; i++, s++, d += 4) {
                data[d] = alpha[s];
            }
        }
    }

    /**
     * @param v a model output sample
     * @return clamp(v, 0, 1) * 255 rounded (NaN gives 0)
     */
    public static byte to8(float v) {
        if (!(v > 0f)) {
            return 0;
        }
        if (v >= 1f) {
            return (byte) 255;
        }
        return (byte) (int) (v * 255f + 0.5f);
    }
}
