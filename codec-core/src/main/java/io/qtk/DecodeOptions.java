package io.qtk;

import java.awt.Rectangle;
import java.util.Objects;

/**
 * How to decode: how many groups (or tokens) to use at most — a prefix decodes at lower quality on purpose — an
 * optional region of the image, and the most pixels a decode may produce. Immutable; make one with
 * {@link #builder()}.
 */
public final class DecodeOptions {
    /**
     * The default pixel limit of a decode, 89,478,485 pixels (a 9459x9459 image; Pillow's {@code MAX_IMAGE_PIXELS},
     * 2^30 / 4 / 3): a file declaring more is refused from its header before anything is allocated.
     */
    public static final long DEFAULT_MAX_PIXELS = (1L << 30) / 4 / 3;

    /** Decode everything the file holds. */
    public static final DecodeOptions DEFAULT = builder().build();

    private final int maxGroups;
    private final Rectangle region;
    private final long maxPixels;

    private DecodeOptions(Builder b) {
        this.maxGroups = b.maxGroups;
        this.region = b.region == null ? null : new Rectangle(b.region);
        this.maxPixels = b.maxPixels;
    }

    /** @return the most groups / tokens to decode; {@link Integer#MAX_VALUE} = all present */
    public int maxGroups() {
        return maxGroups;
    }

    /** @return the region of the image to return (in stored pixel coordinates), or null for the whole image */
    public Rectangle region() {
        return region == null ? null : new Rectangle(region);
    }

    /**
     * @return the most pixels this decode may produce (the region's, when one is set), or 0 for the decoder's
     *     {@link QtkConfig#maxDecodePixels()}
     */
    public long maxPixels() {
        return maxPixels;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeOptions && ((DecodeOptions) o).maxGroups == maxGroups
                && Objects.equals(((DecodeOptions) o).region, region) && ((DecodeOptions) o).maxPixels == maxPixels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxGroups, region, maxPixels);
    }

    @Override
    public String toString() {
        return "DecodeOptions[maxGroups=" + (maxGroups == Integer.MAX_VALUE ? "all" : maxGroups) + ", region="
                + (region == null ? "all" : region.x + "," + region.y + " " + region.width + "x" + region.height) + ", maxPixels="
                + (maxPixels == 0 ? "decoder's" : maxPixels) + "]";
    }

    /** Builds {@link DecodeOptions}. */
    public static final class Builder {
        private int maxGroups = Integer.MAX_VALUE;
        private Rectangle region;
        private long maxPixels;

        private Builder() {
        }

        /**
         * @param maxPixels the most pixels the decode may produce ({@code width * height} of the region, or of the
         *     image without one), at least 1, {@link Long#MAX_VALUE} for no limit but the format's 2^31; 0 (the
         *     default) for the decoder's {@link QtkConfig#maxDecodePixels()}
         * @return this
         * @throws IllegalArgumentException when negative
         */
        public Builder maxPixels(long maxPixels) {
            if (maxPixels < 0) {
                throw new IllegalArgumentException("maxPixels must be >= 0, got " + maxPixels);
            }
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * @param maxGroups at least 1
         * @return this
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxGroups(int maxGroups) {
            if (maxGroups < 1) {
                throw new IllegalArgumentException("maxGroups must be at least 1, got " + maxGroups);
            }
            this.maxGroups = maxGroups;
            return this;
        }

        /**
         * @param region a non-empty rectangle, or null for the whole image; it is clipped to the image when decoding
         *     and must intersect it
         * @return this
         * @throws IllegalArgumentException when empty or with a negative origin
         */
        public Builder region(Rectangle region) {
            if (region != null && (region.width <= 0 || region.height <= 0 || region.x < 0 || region.y < 0)) {
                throw new IllegalArgumentException("region must be non-empty with a non-negative origin: " + region);
            }
            this.region = region == null ? null : new Rectangle(region);
            return this;
        }

        /** @return the options */
        public DecodeOptions build() {
            return new DecodeOptions(this);
        }
    }
}
