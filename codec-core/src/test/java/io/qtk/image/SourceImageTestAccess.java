package io.qtk.image;

import java.awt.image.BufferedImage;

/** Test helpers of this package for other test packages. */
public final class SourceImageTestAccess {
    private SourceImageTestAccess() {
    }

    /**
     * @param type image type
     * @param w width
     * @param h height
     * @param seed random seed
     * @return an image of random ARGB values
     */
    public static BufferedImage randomImage(int type, int w, int h, long seed) {
        return SourceImageTest.randomImage(type, w, h, seed);
    }
}
