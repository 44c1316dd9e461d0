package io.qtk.format;

/**
 * The channels of the source image (field {@code channels} of {@code QHDR}). Colour samples are always coded through
 * the model; alpha, when present, is coded losslessly in the {@code QALP} chunk.
 */
public enum Channels {
    /** 1: gray. */
    GRAY(1, false),
    /** 2: gray and alpha. */
    GRAY_ALPHA(2, true),
    /** 3: RGB. */
    RGB(3, false),
    /** 4: RGB and alpha. */
    RGBA(4, true);

    private final int code;
    private final boolean alpha;

    Channels(int code, boolean alpha) {
        this.code = code;
        this.alpha = alpha;
    }

    /**
     * Returns the number written in the file, which is also the number of channels.
     *
     * @return 1..4
     */
    public int code() {
        return code;
    }

    /**
     * Returns whether the image has an alpha channel (and the file a {@code QALP} chunk).
     *
     * @return true for {@link #GRAY_ALPHA} and {@link #RGBA}
     */
    public boolean hasAlpha() {
        return alpha;
    }

    /**
     * Returns the channels for a file code.
     *
     * @param code 1..4
     * @return the channels
     * @throws IllegalArgumentException for another code
     */
    public static Channels ofCode(int code) {
        for (Channels c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("channels " + code + " out of range 1..4");
    }
}
