package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code written for ImageIO in general, knowing nothing of qtk, working unchanged on {@code .qtk}: the way a
 * thumbnailer, an upload handler or a format converter use ImageIO. Needs the engine.
 */
class QtkThirdPartyClientTest {
    private static BufferedImage original;

    @BeforeEach
    void engine() {
        original = TestSupport.gradient(160, 120, BufferedImage.TYPE_INT_RGB);
    }

    // ---------------------------------------------------------------- a typical thumbnailer, written for JPEG/PNG

    /** Picks a reader by file suffix, reads subsampled to roughly the target size, then scales with Java 2D. */
    static BufferedImage thumbnail(File file, int maxSide) throws IOException {
        String name = file.getName();
        String suffix = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Iterator<ImageReader> readers = ImageIO.getImageReadersBySuffix(suffix);
        if (!readers.hasNext()) {
            throw new IOException("no reader for ." + suffix);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file)) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            int step = Math.max(1, Math.max(w, h) / (2 * maxSide));
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage big = reader.read(0, param);
            double scale = (double) maxSide / Math.max(big.getWidth(), big.getHeight());
            int tw = (int) Math.round(big.getWidth() * scale);
            int th = (int) Math.round(big.getHeight() * scale);
            BufferedImage thumb = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = thumb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(big, 0, 0, tw, th, null);
            g.dispose();
            return thumb;
        } finally {
            reader.dispose();
        }
    }

    @Test
    void thumbnailerWorksOnQtkAsOnPng(@TempDir Path dir) throws IOException {
        File png = dir.resolve("photo.png").toFile();
        File qtk = dir.resolve("photo.qtk").toFile();
        assertTrue(ImageIO.write(original, "png", png));
        assertTrue(ImageIO.write(original, "qtk", qtk));
        BufferedImage fromPng = thumbnail(png, 40);
        BufferedImage fromQtk = thumbnail(qtk, 40);
        assertEquals(fromPng.getWidth(), fromQtk.getWidth());
        assertEquals(fromPng.getHeight(), fromQtk.getHeight());
        assertTrue(TestSupport.psnr(fromPng, fromQtk) > 18, "thumbnails differ too much");
    }

    // ---------------------------------------------------------------- an upload handler going by MIME type

    /** Accepts an upload if its declared MIME type is one ImageIO reads, then sniffs the content. */
    static BufferedImage acceptUpload(String mimeType, byte[] body) throws IOException {
        if (!Arrays.asList(ImageIO.getReaderMIMETypes()).contains(mimeType)) {
            throw new IOException("unsupported media type " + mimeType);
        }
        Iterator<ImageReader> byMime = ImageIO.getImageReadersByMIMEType(mimeType);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> bySniffing = ImageIO.getImageReaders(in);
            if (!bySniffing.hasNext() || !byMime.hasNext()
                    || !bySniffing.next().getFormatName().equalsIgnoreCase(byMime.next().getFormatName())) {
                throw new IOException("content does not match " + mimeType);
            }
        }
        return ImageIO.read(new ByteArrayInputStream(body));
    }

    @Test
    void uploadHandlerAcceptsQtkByMimeType() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ImageIO.write(original, "qtk", body);
        BufferedImage img = acceptUpload("image/x-qtk", body.toByteArray());
        assertEquals(160, img.getWidth());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(original, "png", png);
        try {
            acceptUpload("image/x-qtk", png.toByteArray());
            throw new AssertionError("a PNG declared as image/x-qtk was accepted");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().contains("does not match"));
        }
    }

    // ---------------------------------------------------------------- a converter: any format in, any format out

    /** Converts between any two formats ImageIO knows, by file suffix. */
    static void convert(Path in, Path out) throws IOException {
        BufferedImage img;
        try (InputStream s = Files.newInputStream(in)) {
            img = ImageIO.read(s);
        }
        if (img == null) {
            throw new IOException("cannot read " + in);
        }
        String suffix = out.getFileName().toString().replaceAll(".*\\.", "");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersBySuffix(suffix);
        if (!writers.hasNext()) {
            throw new IOException("cannot write ." + suffix);
        }
        if (!ImageIO.write(img, writers.next().getOriginatingProvider().getFormatNames()[0], out.toFile())) {
            throw new IOException("writer refused the image");
        }
    }

    @Test
    void converterRoundTripsThroughQtk(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("a.png");
        ImageIO.write(original, "png", png.toFile());
        convert(png, dir.resolve("b.qtk"));
        convert(dir.resolve("b.qtk"), dir.resolve("c.png"));
        convert(dir.resolve("b.qtk"), dir.resolve("d.bmp"));
        BufferedImage c = ImageIO.read(dir.resolve("c.png").toFile());
        assertNotNull(c);
        assertTrue(TestSupport.psnr(original, c) > 15);
        assertEquals(160, ImageIO.read(dir.resolve("d.bmp").toFile()).getWidth());
        // The standard metadata tree is what format-agnostic tools inspect.
        try (ImageInputStream in = ImageIO.createImageInputStream(dir.resolve("b.qtk").toFile())) {
            ImageReader r = ImageIO.getImageReaders(in).next();
            r.setInput(in);
            javax.imageio.metadata.IIOMetadataNode std = (javax.imageio.metadata.IIOMetadataNode) r
                    .getImageMetadata(0).getAsTree("javax_imageio_1.0");
            assertEquals("RGB", ((javax.imageio.metadata.IIOMetadataNode) std.getElementsByTagName("ColorSpaceType")
                    .item(0)).getAttribute("name"));
            r.dispose();
        }
    }
}
