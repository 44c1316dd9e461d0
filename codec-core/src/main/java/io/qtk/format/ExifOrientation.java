package io.qtk.format;

/**
 * The EXIF Orientation tag (0x0112) of a TIFF-structured EXIF block (the payload of the {@code eXIf} chunk, of a
 * JPEG APP1 {@code Exif} segment after its 6-byte header, of a PNG {@code eXIf} chunk): read it, or make the smallest
 * block that carries one. The one parser of it in qtk, used by the ImageIO writer and the command line.
 */
public final class ExifOrientation {
    private static final int TAG = 0x0112;

    private ExifOrientation() {
    }

    /**
     * Reads the Orientation of IFD0. Bounds-checked: a short, truncated or otherwise broken block gives 0, never an
     * exception, because the pixels are usable without it.
     *
     * @param tiff a TIFF-structured EXIF block ("II" or "MM", 42, offset of IFD0)
     * @return the tag's value as stored (1..8 when valid), or 0 when absent or unreadable
     */
    public static int read(byte[] tiff) {
        if (tiff == null || tiff.length < 8) {
            return 0;
        }
        boolean le = tiff[0] == 'I' && tiff[1] == 'I';
        if (!le && !(tiff[0] == 'M' && tiff[1] == 'M')) {
            return 0;
        }
        if (u16(tiff, 2, le) != 42) {
            return 0;
        }
        long ifd = u32(tiff, 4, le);
        if (ifd < 8 || ifd + 2 > tiff.length) {
            return 0;
        }
        int count = u16(tiff, (int) ifd, le);
        for (int i = 0; i < count; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (e + 12 > tiff.length) {
                return 0;
            }
            if (u16(tiff, e, le) == TAG) {
                return u16(tiff, e + 8, le); // SHORT value, left-justified in the 4-byte value field
            }
        }
        return 0;
    }

    /**
     * @param orientation EXIF orientation 1..8
     * @return a 26-byte big-endian EXIF block whose IFD0 holds only that orientation
     */
    public static byte[] minimalExif(int orientation) {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
        }
        return new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1, value
            0, 0, 0, 0}; // no next IFD
    }

    private static int u16(byte[] a, int off, boolean le) {
        int b0 = a[off] & 0xFF;
        int b1 = a[off + 1] & 0xFF;
        return le ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private static long u32(byte[] a, int off, boolean le) {
        long hi = u16(a, le ? off + 2 : off, le);
        long lo = u16(a, le ? off : off + 2, le);
        return hi << 16 | lo;
    }
}
