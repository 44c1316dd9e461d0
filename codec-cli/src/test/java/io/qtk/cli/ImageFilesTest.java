package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input formats the CLI reads and output formats it writes. */
class ImageFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "gif", "tiff"})
    void readsEachInputFormat(String format) throws Exception {
        Path f = Cli.image(dir.resolve("in." + format), format, 33, 17);
        ImageFiles.Input in = ImageFiles.read(f);
        assertEquals(33, in.image().getWidth());
        assertEquals(17, in.image().getHeight());
        assertEquals(new Dimension(33, 17), ImageFiles.probe(f));
    }

    @Test
    void readsWebp() throws Exception {
        // A 16x16 lossy WebP made with cwebp, checked in because the JDK and TwelveMonkeys cannot write WebP.
        Path f = Path.of(getClass().getResource("/images/gradient-16x16.webp").toURI());
        ImageFiles.Input in = ImageFiles.read(f);
        assertEquals(16, in.image().getWidth());
        assertEquals("webp", in.format().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "tiff"})
    void writesEachOutputFormatIncludingAlphaImages(String format) throws Exception {
        BufferedImage argb = new BufferedImage(9, 7, BufferedImage.TYPE_4BYTE_ABGR);
        argb.setRGB(1, 1, 0x80FF0000);
        byte[] bytes = ImageFiles.encode(argb, MetadataCodecTest.sample(), format, 0.9f);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(back, format);
        assertEquals(9, back.getWidth());
    }

    @Test
    void aTextFileIsNotAnImage() throws Exception {
        Path f = Files.writeString(dir.resolve("fake.png"), "hello, not a picture");
        FileFailure e = assertThrows(FileFailure.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("not a supported image"), e.getMessage());
    }

    @Test
    void aTruncatedPngIsUnreadable() throws Exception {
        byte[] png = ImageFiles.encode(Cli.gradient(64, 64), null, "png", 0.9f);
        Path f = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        FileFailure e = assertThrows(FileFailure.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().startsWith("unreadable image"), e.getMessage());
    }

    @Test
    void missingAndDirectoryInputsSayWhat() throws Exception {
        FileFailure e = assertThrows(FileFailure.class, () -> ImageFiles.read(dir.resolve("nope.png")));
        assertEquals("no such file", e.getMessage());
        e = assertThrows(FileFailure.class, () -> ImageFiles.read(dir));
        assertTrue(e.getMessage().contains("is a directory"));
    }

    @Test
    void outputFormatNames() {
        assertEquals("jpg", ImageFiles.outputFormat("JPEG"));
        assertEquals("tiff", ImageFiles.outputFormat("tif"));
        assertEquals(null, ImageFiles.outputFormat("gif"));
    }
}
