package io.qtk.imageio;

import javax.imageio.ImageReadParam;

/**
 * The qtk reader's {@link ImageReadParam}: everything the standard one has, plus the most pixels a read may decode
 * ({@link #setMaxPixels(long)}). {@link QtkImageReader#getDefaultReadParam()} returns one; a plain
 * {@code ImageReadParam} works too and gets the system property's or the default limit.
 */
public class QtkImageReadParam extends ImageReadParam {
    private long maxPixels;

    /** A param with the defaults (pixel limit from {@value QtkImageReader#MAX_PIXELS_PROPERTY} or the codec). */
    public QtkImageReadParam() {
    }

    /**
     * @param maxPixels the most pixels the read may decode (the source region's bounding rectangle, before
     *     subsampling), at least 1, {@link Long#MAX_VALUE} for only the format's limit; 0 for the system property
     *     {@value QtkImageReader#MAX_PIXELS_PROPERTY}, else the codec's default
     *     ({@link io.qtk.DecodeOptions#DEFAULT_MAX_PIXELS})
     * @throws IllegalArgumentException when negative
     */
    public void setMaxPixels(long maxPixels) {
        if (maxPixels < 0) {
            throw new IllegalArgumentException("maxPixels must be >= 0, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** @return the pixel limit set, 0 when none */
    public long getMaxPixels() {
        return maxPixels;
    }
}
