package io.qtk;

import java.util.Arrays;
import java.util.Objects;

/**
 * Metadata carried through a {@code .qtk} file verbatim: ICC profile, EXIF, XMP, a free-text comment and the EXIF
 * orientation. Immutable; byte arrays are copied in and out.
 */
public final class ImageMetadata {
    /** No metadata at all, orientation 1 (upright). */
    public static final ImageMetadata EMPTY = builder().build();

    private final byte[] icc;
    private final byte[] exif;
    private final byte[] xmp;
    private final String comment;
    private final int orientation;

    private ImageMetadata(Builder b) {
        this.icc = copy(b.icc);
        this.exif = copy(b.exif);
        this.xmp = copy(b.xmp);
        this.comment = b.comment;
        this.orientation = b.orientation;
    }

    /** @return the ICC profile bytes, or null when none */
    public byte[] icc() {
        return copy(icc);
    }

    /** @return the EXIF bytes (TIFF structure, starting "II" or "MM"), or null when none */
    public byte[] exif() {
        return copy(exif);
    }

    /** @return the XMP packet (UTF-8 XML bytes), or null when none */
    public byte[] xmp() {
        return copy(xmp);
    }

    /** @return the free-text comment, or null when none */
    public String comment() {
        return comment;
    }

    /** @return the EXIF orientation, 1..8 (1 = upright); the pixels are stored as given, not rotated */
    public int orientation() {
        return orientation;
    }

    /** @return a builder holding this metadata's values */
    public Builder toBuilder() {
        return new Builder().icc(icc).exif(exif).xmp(xmp).comment(comment).orientation(orientation);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    private static byte[] copy(byte[] a) {
        return a == null ? null : a.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageMetadata)) {
            return false;
        }
        ImageMetadata m = (ImageMetadata) o;
        return Arrays.equals(icc, m.icc) && Arrays.equals(exif, m.exif) && Arrays.equals(xmp, m.xmp)
                && Objects.equals(comment, m.comment) && orientation == m.orientation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(icc), Arrays.hashCode(exif), Arrays.hashCode(xmp), comment, orientation);
    }

    @Override
    public String toString() {
        return "ImageMetadata[icc=" + len(icc) + " B, exif=" + len(exif) + " B, xmp=" + len(xmp) + " B, comment="
                + (comment == null ? "none" : comment.length() + " chars") + ", orientation=" + orientation + "]";
    }

    private static String len(byte[] a) {
        return a == null ? "none" : Integer.toString(a.length);
    }

    /** Builds {@link ImageMetadata}; every field is optional. */
    public static final class Builder {
        private byte[] icc;
        private byte[] exif;
        private byte[] xmp;
        private String comment;
        private int orientation = 1;

        private Builder() {
        }

        /**
         * @param icc ICC profile bytes or null
         * @return this
         */
        public Builder icc(byte[] icc) {
            this.icc = copy(icc);
            return this;
        }

        /**
         * @param exif EXIF (TIFF-structured) bytes or null
         * @return this
         */
        public Builder exif(byte[] exif) {
            this.exif = copy(exif);
            return this;
        }

        /**
         * @param xmp XMP packet bytes or null
         * @return this
         */
        public Builder xmp(byte[] xmp) {
            this.xmp = copy(xmp);
            return this;
        }

        /**
         * @param comment free text or null
         * @return this
         */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /**
         * @param orientation EXIF orientation 1..8
         * @return this
         * @throws IllegalArgumentException when out of 1..8
         */
        public Builder orientation(int orientation) {
            if (orientation < 1 || orientation > 8) {
                throw new IllegalArgumentException("orientation must be 1..8, got " + orientation);
            }
            this.orientation = orientation;
            return this;
        }

        /** @return the metadata */
        public ImageMetadata build() {
            return new ImageMetadata(this);
        }
    }
}
