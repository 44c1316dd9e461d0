package io.qtk.format;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The optional metadata of a file, each kept verbatim: ICC profile ({@code iCCP}), EXIF ({@code eXIf}), XMP
 * ({@code xMPd}) and a free-text comment ({@code cMNt}). Immutable; build one with {@link #builder()}. Absent items
 * are empty {@link Optional}s; an item is never empty when present.
 */
public final class ImageMetadata {
    /** Metadata with no item. */
    public static final ImageMetadata EMPTY = new Builder().build();

    private final byte[] icc;
    private final byte[] exif;
    private final String xmp;
    private final String comment;

    private ImageMetadata(Builder b) {
        this.icc = b.icc;
        this.exif = b.exif;
        this.xmp = b.xmp;
        this.comment = b.comment;
    }

    /**
     * Returns a new, empty builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this metadata.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.icc = icc;
        b.exif = exif;
        b.xmp = xmp;
        b.comment = comment;
        return b;
    }

    /**
     * Returns the ICC profile bytes, verbatim.
     *
     * @return a copy, or empty
     */
    public Optional<byte[]> icc() {
        return icc == null ? Optional.empty() : Optional.of(icc.clone());
    }

    /**
     * Returns the EXIF block: TIFF-structured bytes starting {@code II*\0} or {@code MM\0*}, verbatim.
     *
     * @return a copy, or empty
     */
    public Optional<byte[]> exif() {
        return exif == null ? Optional.empty() : Optional.of(exif.clone());
    }

    /**
     * Returns the XMP packet.
     *
     * @return the text, or empty
     */
    public Optional<String> xmp() {
        return Optional.ofNullable(xmp);
    }

    /**
     * Returns the comment.
     *
     * @return the text, or empty
     */
    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    /**
     * Returns whether no item is present.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return icc == null && exif == null && xmp == null && comment == null;
    }

    /** Wraps items the reader has validated (arrays not copied). */
    static ImageMetadata trusted(byte[] icc, byte[] exif, String xmp, String comment) {
        Builder b = new Builder();
        b.icc = icc;
        b.exif = exif;
        b.xmp = xmp;
        b.comment = comment;
        return b.icc == null && b.exif == null && b.xmp == null && b.comment == null ? EMPTY : new ImageMetadata(b);
    }

    byte[] iccRaw() {
        return icc;
    }

    byte[] exifRaw() {
        return exif;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageMetadata)) {
            return false;
        }
        ImageMetadata m = (ImageMetadata) o;
        return Arrays.equals(icc, m.icc) && Arrays.equals(exif, m.exif) && Objects.equals(xmp, m.xmp)
                && Objects.equals(comment, m.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(icc), Arrays.hashCode(exif), xmp, comment);
    }

    @Override
    public String toString() {
        return "ImageMetadata[icc=" + (icc == null ? "-" : icc.length + " bytes") + " exif="
                + (exif == null ? "-" : exif.length + " bytes") + " xmp="
                + (xmp == null ? "-" : xmp.length() + " chars") + " comment="
                + (comment == null ? "-" : comment.length() + " chars") + "]";
    }

    // ---- rules shared with the reader -------------------------------------------------------------------------

    static String exifProblem(byte[] b) {
        if (b.length < 8) {
            return "EXIF block of " + b.length + " bytes is shorter than a TIFF header (8)";
        }
        boolean ii = b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0;
        boolean mm = b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42;
        return ii || mm ? null : "EXIF block does not start with a TIFF header (II*\\0 or MM\\0*)";
    }

    /** Decodes strict UTF-8; returns null when malformed. */
    static String decodeUtf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static byte[] encodeUtf8(String what, String s) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)");
        }
    }

    /**
     * Builds {@link ImageMetadata}. Each setter checks its item's rules and limits; {@code null} removes an item.
     */
    public static final class Builder {
        private byte[] icc;
        private byte[] exif;
        private String xmp;
        private String comment;

        private Builder() {
        }

        private static void size(String what, int len, int max) {
            if (len < 1 || len > max) {
                throw new IllegalArgumentException(what + " length " + len + " out of range 1.." + max);
            }
        }

        /**
         * Sets the ICC profile (copied; not interpreted).
         *
         * @param icc 1..16 MiB of bytes, or null
         * @return this builder
         */
        public Builder icc(byte[] icc) {
            if (icc != null) {
                size("ICC profile", icc.length, QtkFormat.MAX_ICC_LENGTH);
            }
            this.icc = icc == null ? null : icc.clone();
            return this;
        }

        /**
         * Sets the EXIF block (copied): TIFF-structured bytes beginning with a TIFF header, without the JPEG APP1
         * {@code "Exif\0\0"} prefix.
         *
         * @param exif 8..16 MiB of bytes, or null
         * @return this builder
         */
        public Builder exif(byte[] exif) {
            if (exif != null) {
                size("EXIF block", exif.length, QtkFormat.MAX_EXIF_LENGTH);
                String p = exifProblem(exif);
                if (p != null) {
                    throw new IllegalArgumentException(p);
                }
            }
            this.exif = exif == null ? null : exif.clone();
            return this;
        }

        /**
         * Sets the XMP packet.
         *
         * @param xmp text of 1..16 MiB in UTF-8, or null
         * @return this builder
         */
        public Builder xmp(String xmp) {
            if (xmp != null) {
                size("XMP packet", encodeUtf8("XMP packet", xmp).length, QtkFormat.MAX_XMP_LENGTH);
            }
            this.xmp = xmp;
            return this;
        }

        /**
         * Sets the comment.
         *
         * @param comment text of 1..1 MiB in UTF-8, or null
         * @return this builder
         */
        public Builder comment(String comment) {
            if (comment != null) {
                size("comment", encodeUtf8("comment", comment).length, QtkFormat.MAX_COMMENT_LENGTH);
            }
            this.comment = comment;
            return this;
        }

        /**
         * Builds the metadata.
         *
         * @return the metadata
         */
        public ImageMetadata build() {
            return new ImageMetadata(this);
        }
    }
}
