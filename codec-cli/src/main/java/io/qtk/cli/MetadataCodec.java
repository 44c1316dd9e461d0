package io.qtk.cli;

import io.qtk.ImageMetadata;
import io.qtk.format.ExifOrientation;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Finds ICC, EXIF, XMP, comment and orientation in the bytes of a PNG, JPEG or WebP file, and writes them into PNG
 * and JPEG output. Parsing the containers directly is simpler and more predictable than going through each ImageIO
 * reader's native metadata tree (the JDK's PNG reader, for one, does not expose eXIf); for other formats the ICC
 * profile is taken from the decoded image's colour model.
 *
 * <p>All parsing is defensive: a malformed metadata block is skipped, never fatal, because the pixels may still be
 * perfectly readable.
 */
public final class MetadataCodec {
    /** Largest ICC / EXIF / XMP block carried, the limit of the {@code .qtk} format (16 MiB). */
    static final int MAX_BLOCK = 16 << 20;
    /** Largest comment carried, in UTF-8 bytes (1 MiB). */
    static final int MAX_COMMENT = 1 << 20;

    private static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] XMP_JPEG_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_JPEG_HEADER = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final String XMP_PNG_KEYWORD = "XML:com.adobe.xmp";

    private MetadataCodec() {
    }

    /**
     * @param file the bytes of an image file
     * @param image its decoded pixels (for the ICC profile of formats not parsed here), or null
     * @return what was found; never null
     */
    public static ImageMetadata extract(byte[] file, BufferedImage image) {
        Found f = new Found();
        try {
            if (startsWith(file, 0, PNG_SIG)) {
                parsePng(file, f);
            } else if (file.length > 3 && (file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8) {
                parseJpeg(file, f);
            } else if (file.length > 12 && startsWith(file, 0, ascii("RIFF")) && startsWith(file, 8, ascii("WEBP"))) {
                parseWebp(file, f);
            }
        } catch (RuntimeException e) {
            // Malformed metadata: keep what was found so far; the pixels decide whether the file is usable.
        }
        if (f.icc == null && image != null) {
            f.icc = iccOf(image);
        }
        ImageMetadata.Builder b = ImageMetadata.builder();
        if (f.icc != null && f.icc.length <= MAX_BLOCK) {
            b.icc(f.icc);
        }
        if (f.exif != null && f.exif.length <= MAX_BLOCK && f.exif.length >= 8) {
            b.exif(f.exif);
            int o = ExifOrientation.read(f.exif);
            if (o >= 1 && o <= 8) {
                b.orientation(o);
            }
        }
        if (f.xmp != null && f.xmp.length <= MAX_BLOCK) {
            b.xmp(f.xmp);
        }
        if (f.comment != null && f.comment.getBytes(StandardCharsets.UTF_8).length <= MAX_COMMENT) {
            b.comment(f.comment);
        }
        return b.build();
    }

    /** @return the ICC profile of a non-default colour space, or null for sRGB and the JDK's built-in spaces */
    static byte[] iccOf(BufferedImage image) {
        ColorSpace cs = image.getColorModel().getColorSpace();
        if (!(cs instanceof ICC_ColorSpace) || cs.isCS_sRGB()) {
            return null;
        }
        for (int builtin : new int[] {ColorSpace.CS_GRAY, ColorSpace.CS_LINEAR_RGB}) {
            if (cs == ColorSpace.getInstance(builtin)) {
                return null;
            }
        }
        return ((ICC_ColorSpace) cs).getProfile().getData();
    }

    private static final class Found {
        byte[] icc;
        byte[] exif;
        byte[] xmp;
        String comment;
    }

    // ---- PNG -------------------------------------------------------------------------------------------------

    private static void parsePng(byte[] b, Found f) {
        int p = 8;
        while (p + 12 <= b.length) {
            int len = be32(b, p);
            if (len < 0 || p + 12L + len > b.length) {
                return;
            }
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int d = p + 8;
            switch (type) {
                case "iCCP" -> {
                    int z = indexOf(b, d, d + len, (byte) 0);
                    if (z > 0 && z + 2 <= d + len) {
                        f.icc = inflate(b, z + 2, d + len - (z + 2));
                    }
                }
                case "eXIf" -> f.exif = Arrays.copyOfRange(b, d, d + len);
                case "iTXt" -> parsePngItxt(b, d, d + len, f);
                case "tEXt" -> {
                    int z = indexOf(b, d, d + len, (byte) 0);
                    if (z > 0 && "Comment".equals(new String(b, d, z - d, StandardCharsets.ISO_8859_1))) {
                        f.comment = new String(b, z + 1, d + len - z - 1, StandardCharsets.ISO_8859_1);
                    }
                }
                case "IEND" -> {
                    return;
                }
                default -> {
                }
            }
            p += 12 + len;
        }
    }

    private static void parsePngItxt(byte[] b, int d, int end, Found f) {
        int z = indexOf(b, d, end, (byte) 0);
        if (z < 0 || z + 3 > end) {
            return;
        }
        String keyword = new String(b, d, z - d, StandardCharsets.ISO_8859_1);
        boolean compressed = b[z + 1] != 0;
        int lang = indexOf(b, z + 3, end, (byte) 0);
        if (lang < 0) {
            return;
        }
        int trans = indexOf(b, lang + 1, end, (byte) 0);
        if (trans < 0) {
            return;
        }
        byte[] text = compressed ? inflate(b, trans + 1, end - trans - 1) : Arrays.copyOfRange(b, trans + 1, end);
        if (text == null) {
            return;
        }
        if (XMP_PNG_KEYWORD.equals(keyword)) {
            f.xmp = text;
        } else if ("Comment".equals(keyword)) {
            f.comment = new String(text, StandardCharsets.UTF_8);
        }
    }

    // ---- JPEG ------------------------------------------------------------------------------------------------

    private static void parseJpeg(byte[] b, Found f) {
        TreeMap<Integer, byte[]> iccParts = new TreeMap<>();
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break; // start of scan / end: no metadata after this point in practice
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2;
                continue;
            }
            int len = be16(b, p + 2);
            int d = p + 4;
            int end = p + 2 + len;
            if (len < 2 || end > b.length) {
                break;
            }
            if (marker == 0xE1 && startsWith(b, d, EXIF_HEADER) && f.exif == null) {
                f.exif = Arrays.copyOfRange(b, d + EXIF_HEADER.length, end);
            } else if (marker == 0xE1 && startsWith(b, d, XMP_JPEG_HEADER) && f.xmp == null) {
                f.xmp = Arrays.copyOfRange(b, d + XMP_JPEG_HEADER.length, end);
            } else if (marker == 0xE2 && startsWith(b, d, ICC_JPEG_HEADER) && end - d >= 14) {
                int seq = b[d + 12] & 0xFF;
                iccParts.put(seq, Arrays.copyOfRange(b, d + 14, end));
            } else if (marker == 0xFE && f.comment == null) {
                f.comment = new String(b, d, end - d, StandardCharsets.UTF_8);
            }
            p = end;
        }
        if (!iccParts.isEmpty()) {
            ByteArrayOutputStream icc = new ByteArrayOutputStream();
            iccParts.values().forEach(icc::writeBytes);
            f.icc = icc.toByteArray();
        }
    }

    // ---- WebP ------------------------------------------------------------------------------------------------

    private static void parseWebp(byte[] b, Found f) {
        int p = 12;
        while (p + 8 <= b.length) {
            String type = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            int len = le32(b, p + 4);
            int d = p + 8;
            if (len < 0 || d + (long) len > b.length) {
                return;
            }
            switch (type) {
                case "ICCP" -> f.icc = Arrays.copyOfRange(b, d, d + len);
                case "EXIF" -> {
                    int skip = startsWith(b, d, EXIF_HEADER) ? EXIF_HEADER.length : 0; // some writers keep it
                    f.exif = Arrays.copyOfRange(b, d + skip, d + len);
                }
                case "XMP " -> f.xmp = Arrays.copyOfRange(b, d, d + len);
                default -> {
                }
            }
            p = d + len + (len & 1);
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Adds the metadata to a PNG written by ImageIO: iCCP (replacing any sRGB / iCCP the writer made), eXIf, iTXt
     * XMP and a comment, all right after IHDR.
     *
     * @param png a valid PNG file
     * @param m what to add
     * @return the new file
     */
    public static byte[] embedPng(byte[] png, ImageMetadata m) {
        byte[] exif = exifFor(m);
        if (m.icc() == null && exif == null && m.xmp() == null && m.comment() == null) {
            return png;
        }
        List<byte[]> extra = new ArrayList<>();
        if (m.icc() != null) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.writeBytes(ascii("ICC profile"));
            d.write(0);
            d.write(0); // compression method 0 = zlib
            d.writeBytes(deflate(m.icc()));
            extra.add(pngChunk("iCCP", d.toByteArray()));
        }
        if (exif != null) {
            extra.add(pngChunk("eXIf", exif));
        }
        if (m.xmp() != null) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.writeBytes(ascii(XMP_PNG_KEYWORD));
            d.writeBytes(new byte[] {0, 0, 0, 0, 0}); // NUL, uncompressed, method, empty language, empty keyword
            d.writeBytes(m.xmp());
            extra.add(pngChunk("iTXt", d.toByteArray()));
        }
        if (m.comment() != null) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.writeBytes(ascii("Comment"));
            d.writeBytes(new byte[] {0, 0, 0, 0, 0});
            d.writeBytes(m.comment().getBytes(StandardCharsets.UTF_8));
            extra.add(pngChunk("iTXt", d.toByteArray()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 1024);
        out.write(png, 0, 8);
        int p = 8;
        boolean inserted = false;
        while (p + 12 <= png.length) {
            int len = be32(png, p);
            String type = new String(png, p + 4, 4, StandardCharsets.ISO_8859_1);
            boolean drop = m.icc() != null && (type.equals("iCCP") || type.equals("sRGB"));
            if (!drop) {
                out.write(png, p, 12 + len);
            }
            if (!inserted && type.equals("IHDR")) {
                extra.forEach(out::writeBytes);
                inserted = true;
            }
            p += 12 + len;
        }
        return out.toByteArray();
    }

    /**
     * Adds the metadata to a JPEG written by ImageIO: APP1 EXIF, APP1 XMP, APP2 ICC (replacing any the writer made)
     * and COM, after SOI and any APP0 (JFIF).
     *
     * @param jpeg a valid JPEG file
     * @param m what to add
     * @return the new file
     */
    public static byte[] embedJpeg(byte[] jpeg, ImageMetadata m) {
        byte[] exif = exifFor(m);
        if (m.icc() == null && exif == null && m.xmp() == null && m.comment() == null) {
            return jpeg;
        }
        ByteArrayOutputStream seg = new ByteArrayOutputStream();
        if (exif != null && exif.length + EXIF_HEADER.length <= 65533) {
            jpegSegment(seg, 0xE1, EXIF_HEADER, exif, 0, exif.length);
        }
        byte[] xmp = m.xmp();
        if (xmp != null && xmp.length + XMP_JPEG_HEADER.length <= 65533) {
            jpegSegment(seg, 0xE1, XMP_JPEG_HEADER, xmp, 0, xmp.length);
        }
        byte[] icc = m.icc();
        if (icc != null) {
            int per = 65533 - 14;
            int n = (icc.length + per - 1) / per;
            if (n <= 255) {
                for (int i = 0; i < n; i++) {
                    byte[] head = Arrays.copyOf(ICC_JPEG_HEADER, 14);
                    head[12] = (byte) (i + 1);
                    head[13] = (byte) n;
                    int off = i * per;
                    jpegSegment(seg, 0xE2, head, icc, off, Math.min(per, icc.length - off));
                }
            }
        }
        if (m.comment() != null) {
            byte[] c = m.comment().getBytes(StandardCharsets.UTF_8);
            if (c.length <= 65533) {
                jpegSegment(seg, 0xFE, new byte[0], c, 0, c.length);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + seg.size());
        out.write(jpeg, 0, 2);
        int p = 2;
        boolean inserted = false;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xDA) {
                break;
            }
            int end = p + 2 + be16(jpeg, p + 2);
            if (marker != 0xE0 && !inserted) {
                out.writeBytes(seg.toByteArray());
                inserted = true;
            }
            boolean drop = icc != null && marker == 0xE2 && startsWith(jpeg, p + 4, ICC_JPEG_HEADER);
            if (!drop) {
                out.write(jpeg, p, end - p);
            }
            p = end;
        }
        if (!inserted) {
            out.writeBytes(seg.toByteArray());
        }
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }

    private static byte[] exifFor(ImageMetadata m) {
        if (m.exif() != null) {
            return m.exif();
        }
        return m.orientation() != 1 ? ExifOrientation.minimalExif(m.orientation()) : null;
    }

    private static void jpegSegment(ByteArrayOutputStream out, int marker, byte[] head, byte[] data, int off, int len) {
        int total = 2 + head.length + len;
        out.write(0xFF);
        out.write(marker);
        out.write(total >>> 8);
        out.write(total & 0xFF);
        out.writeBytes(head);
        out.write(data, off, len);
    }

    private static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer bb = ByteBuffer.allocate(12 + data.length);
        byte[] t = ascii(type);
        bb.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        bb.putInt((int) crc.getValue());
        return bb.array();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static byte[] inflate(byte[] b, int off, int len) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, len * 2));
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_BLOCK) {
                    return null; // a decompression bomb or simply too large to carry
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater def = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            def.setInput(data);
            def.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!def.finished()) {
                out.write(buf, 0, def.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            def.end();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        if (off < 0 || off + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static int be32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24);
    }

    private static int be16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }
}
