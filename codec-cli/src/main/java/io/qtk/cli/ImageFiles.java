package io.qtk.cli;

import io.qtk.ImageMetadata;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads input images (PNG, JPEG, BMP, GIF, TIFF, WebP through the JDK's and TwelveMonkeys' ImageIO readers) with
 * their metadata, and writes decoded images as PNG, JPEG, BMP or TIFF.
 */
public final class ImageFiles {
    /** File name extensions {@code qtk compress} picks up when given a directory (lower case, no dot). */
    public static final Set<String> INPUT_EXTENSIONS = Set.of("png", "jpg", "jpeg", "jpe", "bmp", "gif", "tif",
            "tiff", "webp");

    /** Output formats of {@code qtk decompress}, by their canonical name. */
    public static final List<String> OUTPUT_FORMATS = List.of("png", "jpg", "bmp", "tiff");

    static {
        ImageIO.setUseCache(false); // decode in memory: no temp files, and it is faster
    }

    private ImageFiles() {
    }

    /**
     * An image read from a file.
     *
     * @param image the pixels as the reader gave them (gray, RGB, RGBA, indexed; 8 or 16 bits)
     * @param metadata ICC, EXIF, XMP, comment and orientation found in the file
     * @param format the reader's format name, e.g. "png"
     */
    public record Input(BufferedImage image, ImageMetadata metadata, String format) {
    }

    /**
     * @param file an image file
     * @return the first image of the file with its metadata
     * @throws FileFailure when the file is missing, not readable, or not an image any reader understands
     */
    public static Input read(Path file) throws FileFailure {
        byte[] bytes = readAll(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FileFailure("not a supported image (PNG, JPEG, BMP, GIF, TIFF, WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                return new Input(image, MetadataCodec.extract(bytes, image), format);
            } finally {
                reader.dispose();
            }
        } catch (FileFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Readers signal broken data with IIOException and, for some broken inputs, runtime exceptions.
            String msg = e.getMessage();
            throw new FileFailure("unreadable image: " + (msg == null ? e.getClass().getSimpleName() : msg), e);
        }
    }

    /**
     * Reads the size of an image from its header without decoding pixels (for the progress total).
     *
     * @param file an image file
     * @return its width and height, or null when it cannot be told cheaply
     */
    public static Dimension probe(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param file a file to read completely
     * @return its bytes
     * @throws FileFailure naming the cause (missing, a directory, not readable)
     */
    public static byte[] readAll(Path file) throws FileFailure {
        try {
            if (Files.isDirectory(file)) {
                throw new FileFailure("is a directory, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FileFailure("no such file", e);
        } catch (AccessDeniedException e) {
            throw new FileFailure("permission denied (not readable)", e);
        } catch (IOException e) {
            throw new FileFailure("cannot read: " + Errors.ioCause(e), e);
        } catch (OutOfMemoryError e) {
            throw new FileFailure("too large to read into memory (raise -Xmx in JAVA_OPTS)", e);
        }
    }

    /**
     * @param name a format name or file extension, any case
     * @return the canonical output format ("png", "jpg", "bmp", "tiff"), or null when not an output format
     */
    public static String outputFormat(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "png" -> "png";
            case "jpg", "jpeg", "jpe" -> "jpg";
            case "bmp" -> "bmp";
            case "tif", "tiff" -> "tiff";
            default -> null;
        };
    }

    /**
     * @param file a path
     * @return its extension in lower case without the dot, or "" when it has none
     */
    public static String extension(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Encodes an image in an output format, with the metadata written where the format has a place for it (PNG
     * and JPEG: ICC, EXIF, XMP, comment; BMP and TIFF: pixels only).
     *
     * @param image the pixels
     * @param metadata what to write along
     * @param format "png", "jpg", "bmp" or "tiff"
     * @param jpegQuality JPEG quality in [0, 1]
     * @return the file's bytes
     * @throws IOException when no writer exists or writing fails
     */
    public static byte[] encode(BufferedImage image, ImageMetadata metadata, String format, float jpegQuality)
            throws IOException {
        BufferedImage img = image;
        if ((format.equals("jpg") || format.equals("bmp")) && img.getColorModel().hasAlpha()) {
            img = dropAlpha(img); // these writers cannot store alpha
        }
        byte[] bytes = writeWithImageIO(img, format, jpegQuality);
        if (metadata == null) {
            return bytes;
        }
        return switch (format) {
            case "png" -> MetadataCodec.embedPng(bytes, metadata);
            case "jpg" -> MetadataCodec.embedJpeg(bytes, metadata);
            default -> bytes;
        };
    }

    private static byte[] writeWithImageIO(BufferedImage img, String format, float jpegQuality) throws IOException {
        String writerName = format.equals("jpg") ? "jpeg" : format;
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(writerName);
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    /**
     * @param src an image with alpha
     * @return the colour samples without alpha, as RGB
     */
    static BufferedImage dropAlpha(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        // Copy the colour samples as stored; compositing would darken transparent pixels.
        int w = src.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < src.getHeight(); y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            dst.setRGB(0, y, w, 1, row, 0, w);
        }
        return dst;
    }
}
