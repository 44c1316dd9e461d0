package io.qtk.codec;

/**
 * What rate-aware rounding needs to know about one quantised value of a uniform scalar codebook (codewords
 * {@code c0 + k * step}), packed in a byte so that a whole image's margins cost as much memory as its indices: the
 * runner-up (the other codeword next to the value) and the extra distortion of taking it.
 *
 * <p>With the value z, the nearest index x and {@code e = (z - c0) / step - x} in [-1/2, 1/2], the runner-up is
 * {@code x + 1} when {@code e >= 0}, else {@code x - 1} (at the ends of the codebook the one inside), and taking it
 * costs {@code step^2 * (1 - 2|e|)} more squared error than x: 0 for a value half-way between, {@code step^2} for a
 * value on a codeword. The byte holds {@code round(127 * (1 - 2|e|))} in bits 0-6 and the direction in bit 7
 * (set: upwards). Extra distortion is in units of {@code step^2}.
 */
public final class RoundingMargins {
    /** The margin of a value exactly on its codeword: runner-up one index up, extra distortion 1. */
    static final int ON_CODEWORD = 0x80 | 127;

    private RoundingMargins() {
    }

    /**
     * @param z the latent value
     * @param x its index (the nearest codeword; any index in range is accepted)
     * @param c0 the codeword of index 0
     * @param step the distance between codewords, positive
     * @param k K
     * @return the margin byte, 0..255
     */
    static int of(float z, int x, float c0, float step, int k) {
        double e = ((double) z - c0) / step - x;
        if (!Double.isFinite(e)) {
            return x == 0 ? ON_CODEWORD : 127; // no useful runner-up: the dearest one, inside the codebook
        }
        boolean up = x == 0 || (x < k - 1 && e >= 0);
        double extra = Math.min(1.0, Math.max(0.0, 1.0 - 2.0 * Math.abs(e)));
        if (up != (e >= 0)) {
            extra = 1.0; // the value lies past the end of the codebook: the runner-up is at least a full step worse
        }
        return (up ? 0x80 : 0) | (int) Math.round(127 * extra);
    }

    /**
     * @param x the index
     * @param margin its margin byte
     * @param k K
     * @return the runner-up index, in [0, K)
     */
    static int runnerUp(int x, int margin, int k) {
        int alt = (margin & 0x80) != 0 ? x + 1 : x - 1;
        return alt < 0 ? 1 : alt >= k ? k - 2 : alt;
    }

    /**
     * @param margin a margin byte
     * @return the extra squared error of the runner-up, in units of {@code step^2}, in [0, 1]
     */
    static double extraDistortion(int margin) {
        return (margin & 0x7F) / 127.0;
    }
}
