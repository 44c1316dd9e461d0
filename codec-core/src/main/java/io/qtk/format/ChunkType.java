package io.qtk.format;

import java.nio.charset.StandardCharsets;

/**
 * A chunk type: four ASCII letters ({@code A-Z}, {@code a-z}), whose case bits carry properties as in PNG.
 *
 * <ul>
 *   <li>letter 1 uppercase: <b>critical</b> (a reader that does not know the chunk MUST reject the file);
 *       lowercase: ancillary (a reader that does not know it skips it, after checking its CRC).</li>
 *   <li>letter 2 uppercase: public (defined by the qtk format specification); lowercase: private
 *       (application-defined).</li>
 *   <li>letter 3: reserved, uppercase in every chunk of this version; a chunk whose third letter is lowercase is
 *       never a known chunk.</li>
 *   <li>letter 4 uppercase: not safe to copy (an editor that changed critical chunks drops it unless it understands
 *       it); lowercase: safe to copy.</li>
 * </ul>
 *
 * <p>Instances are immutable; equal types are equal objects by {@link #equals(Object)}.
 */
public final class ChunkType {
    /** Header (critical). */
    public static final ChunkType QHDR = known("QHDR");
    /** Lossless alpha plane (critical). */
    public static final ChunkType QALP = known("QALP");
    /** Token stream (critical). */
    public static final ChunkType QTOK = known("QTOK");
    /** End of file (critical). */
    public static final ChunkType QEND = known("QEND");
    /** ICC colour profile (ancillary). */
    public static final ChunkType ICCP = known("iCCP");
    /** EXIF block, TIFF-structured (ancillary). */
    public static final ChunkType EXIF = known("eXIf");
    /** XMP packet, UTF-8 (ancillary). */
    public static final ChunkType XMPD = known("xMPd");
    /** Free-text comment, UTF-8 (ancillary). */
    public static final ChunkType CMNT = known("cMNt");

    private final int code;

    private ChunkType(int code) {
        this.code = code;
    }

    private static ChunkType known(String name) {
        return of(name);
    }

    /**
     * Returns the type of the given name.
     *
     * @param name four ASCII letters
     * @return the chunk type
     * @throws IllegalArgumentException if {@code name} is not four ASCII letters
     */
    public static ChunkType of(String name) {
        if (name.length() != 4) {
            throw new IllegalArgumentException("chunk type must be 4 letters: \"" + name + "\"");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char c = name.charAt(i);
            if (!isLetter(c)) {
                throw new IllegalArgumentException("chunk type must be ASCII letters: \"" + name + "\"");
            }
            code = (code << 8) | c;
        }
        return new ChunkType(code);
    }

    /**
     * Returns the type whose four bytes, read big-endian, are {@code code}, or {@code null} when a byte is not an
     * ASCII letter.
     */
    static ChunkType ofCode(int code) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            if (!isLetter((code >>> shift) & 0xFF)) {
                return null;
            }
        }
        return new ChunkType(code);
    }

    static boolean isLetter(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Returns the four type bytes read as a big-endian integer. */
    int code() {
        return code;
    }

    /**
     * Returns the four letters.
     *
     * @return the name, e.g. {@code "QHDR"}
     */
    public String name() {
        byte[] b = bytes();
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * Returns the four type bytes.
     *
     * @return a new 4-byte array
     */
    public byte[] bytes() {
        return new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    private boolean upper(int letter) {
        return ((code >>> (24 - 8 * letter)) & 0x20) == 0;
    }

    /**
     * Returns whether the chunk is critical (first letter uppercase).
     *
     * @return true for a critical chunk
     */
    public boolean isCritical() {
        return upper(0);
    }

    /**
     * Returns whether the chunk is public, i.e. defined by the specification (second letter uppercase).
     *
     * @return true for a public chunk
     */
    public boolean isPublic() {
        return upper(1);
    }

    /**
     * Returns whether the reserved bit is valid for this version (third letter uppercase).
     *
     * @return true when the third letter is uppercase
     */
    public boolean isReservedBitValid() {
        return upper(2);
    }

    /**
     * Returns whether an editor that does not understand the chunk may copy it into a modified file (fourth letter
     * lowercase).
     *
     * @return true for a safe-to-copy chunk
     */
    public boolean isSafeToCopy() {
        return !upper(3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkType && ((ChunkType) o).code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name();
    }
}
