package io.qtk;

import java.util.Objects;

/**
 * How to encode one image: the rate (one of quality, target bits per pixel or target file size), the model, and what
 * metadata to keep. Immutable; make one with {@link #builder()}.
 *
 * <p>Rate control: {@code quality} in [0, 1] is mapped monotonically onto the rate ladder of the available models
 * (model x number of groups or tokens); {@code targetBpp} and {@code targetBytes} pick the best-quality ladder point
 * whose file fits the target (the lowest point when none fits).
 */
public final class EncodeOptions {
    /** Which rate control is in force. */
    public enum RateMode {
        /** {@link #quality()} picks the ladder point. */
        QUALITY,
        /** The best point whose bits per pixel (8 * file bytes / pixels) are at most {@link #targetBpp()}. */
        TARGET_BPP,
        /** The best point whose file is at most {@link #targetBytes()} bytes. */
        TARGET_BYTES
    }

    /** The default quality when none is given. */
    public static final double DEFAULT_QUALITY = 0.75;

    /**
     * Default strength of rate-aware rounding ({@link Builder#rdoStrength}): the weights measured best on training
     * images (never Kodak), see the README's Results.
     */
    public static final double DEFAULT_RDO_STRENGTH = 1;

    /** Largest strength of rate-aware rounding. */
    public static final double MAX_RDO_STRENGTH = 10;

    /**
     * Options with every default: quality {@value #DEFAULT_QUALITY}, the default model, metadata kept, rate-aware
     * rounding {@value #DEFAULT_RDO_STRENGTH}.
     */
    public static final EncodeOptions DEFAULT = builder().build();

    private final RateMode rateMode;
    private final double quality;
    private final double targetBpp;
    private final long targetBytes;
    private final String model;
    private final boolean keepMetadata;
    private final int groupsPerStream;
    private final double rdoStrength;

    private EncodeOptions(Builder b) {
        this.rateMode = b.rateMode;
        this.quality = b.quality;
        this.targetBpp = b.targetBpp;
        this.targetBytes = b.targetBytes;
        this.model = b.model;
        this.keepMetadata = b.keepMetadata;
        this.groupsPerStream = b.groupsPerStream;
        this.rdoStrength = b.rdoStrength;
    }

    /** @return the rate control in force */
    public RateMode rateMode() {
        return rateMode;
    }

    /** @return quality in [0, 1] (meaningful in {@link RateMode#QUALITY}) */
    public double quality() {
        return quality;
    }

    /** @return target bits per pixel (meaningful in {@link RateMode#TARGET_BPP}) */
    public double targetBpp() {
        return targetBpp;
    }

    /** @return target file size in bytes (meaningful in {@link RateMode#TARGET_BYTES}) */
    public long targetBytes() {
        return targetBytes;
    }

    /** @return the model name to use, or null for the default model / automatic choice along the ladder */
    public String model() {
        return model;
    }

    /** @return whether ICC, EXIF, XMP and comment of the input are written to the file */
    public boolean keepMetadata() {
        return keepMetadata;
    }

    /**
     * @return groups (grid) or tokens (global) per token-stream chunk; 0 = the codec's choice. Smaller means finer
     *     progressive steps and a few more bytes of framing.
     */
    public int groupsPerStream() {
        return groupsPerStream;
    }

    /** @return the strength of rate-aware rounding, 0 for plain nearest-codeword rounding */
    public double rdoStrength() {
        return rdoStrength;
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rateMode = rateMode;
        b.quality = quality;
        b.targetBpp = targetBpp;
        b.targetBytes = targetBytes;
        b.model = model;
        b.keepMetadata = keepMetadata;
        b.groupsPerStream = groupsPerStream;
        b.rdoStrength = rdoStrength;
        return b;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        String rate = switch (rateMode) {
            case QUALITY -> "quality=" + quality;
            case TARGET_BPP -> "targetBpp=" + targetBpp;
            case TARGET_BYTES -> "targetBytes=" + targetBytes;
        };
        return "EncodeOptions[" + rate + ", model=" + (model == null ? "default" : model) + ", keepMetadata="
                + keepMetadata + ", groupsPerStream=" + groupsPerStream + ", rdoStrength=" + rdoStrength + "]";
    }

    /** Builds {@link EncodeOptions}. The last rate setter called wins. */
    public static final class Builder {
        private RateMode rateMode = RateMode.QUALITY;
        private double quality = DEFAULT_QUALITY;
        private double targetBpp;
        private long targetBytes;
        private String model;
        private boolean keepMetadata = true;
        private int groupsPerStream;
        private double rdoStrength = DEFAULT_RDO_STRENGTH;

        private Builder() {
        }

        /**
         * @param quality in [0, 1]: 0 the smallest file, 1 the best the models can do
         * @return this
         * @throws IllegalArgumentException when outside [0, 1] or NaN
         */
        public Builder quality(double quality) {
            if (!(quality >= 0 && quality <= 1)) {
                throw new IllegalArgumentException("quality must be in [0, 1], got " + quality);
            }
            this.rateMode = RateMode.QUALITY;
            this.quality = quality;
            return this;
        }

        /**
         * @param bpp target bits per pixel, positive and finite
         * @return this
         * @throws IllegalArgumentException when not positive and finite
         */
        public Builder targetBpp(double bpp) {
            if (!(bpp > 0 && bpp < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("targetBpp must be positive and finite, got " + bpp);
            }
            this.rateMode = RateMode.TARGET_BPP;
            this.targetBpp = bpp;
            return this;
        }

        /**
         * @param bytes target file size in bytes, positive
         * @return this
         * @throws IllegalArgumentException when not positive
         */
        public Builder targetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("targetBytes must be positive, got " + bytes);
            }
            this.rateMode = RateMode.TARGET_BYTES;
            this.targetBytes = bytes;
            return this;
        }

        /**
         * @param model a model name (see {@code qtk models}), or null for the default
         * @return this
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * @param keep whether to write the input's ICC, EXIF, XMP and comment
         * @return this
         */
        public Builder keepMetadata(boolean keep) {
            this.keepMetadata = keep;
            return this;
        }

        /**
         * @param n groups or tokens per token-stream chunk, 0 for the codec's choice
         * @return this
         * @throws IllegalArgumentException when negative or above 65535
         */
        public Builder groupsPerStream(int n) {
            if (n < 0 || n > 65535) {
                throw new IllegalArgumentException("groupsPerStream must be 0..65535, got " + n);
            }
            this.groupsPerStream = n;
            return this;
        }

        /**
         * Rate-aware rounding: where a latent value lies near the middle between two codewords, the encoder may take
         * the one that costs fewer bits. The strength scales how much squared latent error one bit is worth, a
         * weight that falls with the number of groups written (none at the top of the ladder); 1 is the weight
         * measured best on training images for PSNR without losing MS-SSIM, 0 rounds every value to its nearest
         * codeword. Applies to models with uniform scalar codebooks and coder-5 tables (the shipped grid models); any
         * file decodes the same way whatever was chosen.
         *
         * @param strength 0..{@value #MAX_RDO_STRENGTH}
         * @return this
         * @throws IllegalArgumentException when outside that range
         */
        public Builder rdoStrength(double strength) {
            if (!(strength >= 0 && strength <= MAX_RDO_STRENGTH)) {
                throw new IllegalArgumentException("rdoStrength must be in [0, " + MAX_RDO_STRENGTH + "], got "
                        + strength);
            }
            this.rdoStrength = strength;
            return this;
        }

        /** @return the options */
        public EncodeOptions build() {
            return new EncodeOptions(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EncodeOptions)) {
            return false;
        }
        EncodeOptions e = (EncodeOptions) o;
        return rateMode == e.rateMode && Double.compare(quality, e.quality) == 0
                && Double.compare(targetBpp, e.targetBpp) == 0 && targetBytes == e.targetBytes
                && Objects.equals(model, e.model) && keepMetadata == e.keepMetadata
                && groupsPerStream == e.groupsPerStream && Double.compare(rdoStrength, e.rdoStrength) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateMode, quality, targetBpp, targetBytes, model, keepMetadata, groupsPerStream, rdoStrength);
    }
}
