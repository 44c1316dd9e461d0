package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.format.QtkFile;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Hostile files through ImageIO (issue 21): the reader checks the container, the pixel limit and the heap before it
 * makes the destination image, so a small file declaring a huge image is an {@link IIOException}, never an
 * {@link OutOfMemoryError} from {@code ImageReader.getDestination}.
 */
class QtkImageIOHostileTest {
    static final Duration QUICK = Duration.ofSeconds(5);

    static byte[] golden(String name) throws IOException {
        return Files.readAllBytes(TestSupport.repoRoot().resolve("testdata/golden/tokens").resolve(name));
    }

    /** The header's size replaced (columns, rows and CRC by the writer); with headerOnly cut after QHDR. */
    static byte[] reheaded(byte[] file, int width, int height, boolean headerOnly) throws IOException {
        QtkFile f = QtkReader.read(file);
        QtkHeader hd = f.header().toBuilder().size(width, height).build();
        QtkFile.Builder b = QtkFile.builder(hd).metadata(f.metadata());
        for (TokenStream s : f.streams()) {
            b.addStream(s);
        }
        byte[] out = QtkWriter.toBytes(b.build());
        int len = ((out[10] & 0xFF) << 24) | ((out[11] & 0xFF) << 16) | ((out[12] & 0xFF) << 8) | (out[13] & 0xFF);
        return headerOnly ? Arrays.copyOf(out, 22 + len) : out;
    }

    static IIOException refused(byte[] data) {
        return assertThrows(IIOException.class,
                () -> assertTimeoutPreemptively(QUICK, () -> ImageIO.read(new ByteArrayInputStream(data))));
    }

    @Test
    void smallFilesDeclaringHugeImagesAreRefusedBeforeTheDestinationIsMade() throws Exception {
        // 280 bytes at 65535x32768 (was OutOfMemoryError in getDestination under -Xmx512m)
        IIOException e = refused(reheaded(golden("tiny-static-gray-37x23.qtk"), 65535, 32768, false));
        assertTrue(e.getMessage().contains("image 65535x32768 is 2,147,450,880 pixels, over the decode limit of "
                + "89,478,485 pixels"), e.getMessage());
        // 107 bytes of header only, and a header-only RGB file at 40000x13000
        refused(reheaded(golden("tiny-static-gray-1x1.qtk"), 65535, 32768, true));
        refused(reheaded(golden("tiny-static-rgb-12x8.qtk"), 40000, 13000, true));
        // the bomb: payloads made for 37x23 under a 4096x4096 header
        e = refused(reheaded(golden("tiny-static-gray-37x23.qtk"), 4096, 4096, false));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }

    @Test
    void withTheLimitLiftedTheHeapCheckStillComesFirst() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        Assumptions.assumeTrue(heap < 6_500L << 20, "needs host: a heap under 6,500 MiB (this one is " + (heap >> 20) + " MiB and might hold it)");
        byte[] f = reheaded(golden("tiny-static-gray-37x23.qtk"), 65535, 32768, false);
        ImageReader r = reader(f);
        QtkImageReadParam p = (QtkImageReadParam) r.getDefaultReadParam();
        p.setMaxPixels(Long.MAX_VALUE);
        IIOException e = assertThrows(IIOException.class, () -> assertTimeoutPreemptively(QUICK, () -> r.read(0, p)));
        assertTrue(e.getMessage().contains("not enough memory") && e.getMessage().contains("destination image"),
                e.getMessage());
        r.dispose();
    }

    static ImageReader reader(byte[] data) throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data));
        r.setInput(in);
        return r;
    }

    @Test
    void theReadParamAndTheSystemPropertySetTheLimitOnWhatIsDecoded() throws Exception {
        byte[] f = golden("tiny-static-gray-37x23.qtk"); // 851 pixels
        ImageReader r = reader(f);
        QtkImageReadParam p = (QtkImageReadParam) r.getDefaultReadParam();
        p.setMaxPixels(850);
        IIOException e = assertThrows(IIOException.class, () -> r.read(0, p));
        assertTrue(e.getMessage().contains("image 37x23 is 851 pixels, over the decode limit of 850"),
                e.getMessage());
        p.setMaxPixels(100);
        p.setSourceRegion(new Rectangle(5, 5, 10, 10));
        assertEquals(10, r.read(0, p).getWidth());
        // subsampling decodes the bounding rectangle of the pixels kept: 37x21 = 777 pixels for a period of 4
        QtkImageReadParam sub = (QtkImageReadParam) r.getDefaultReadParam();
        sub.setSourceSubsampling(4, 4, 0, 0);
        sub.setMaxPixels(777);
        BufferedImage s = r.read(0, sub);
        assertEquals(10, s.getWidth());
        sub.setMaxPixels(776);
        e = assertThrows(IIOException.class, () -> r.read(0, sub));
        assertTrue(e.getMessage().contains("region 37x21 of the 37x23 image is 777 pixels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sub.setMaxPixels(-1));
        String before = System.getProperty(QtkImageReader.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(QtkImageReader.MAX_PIXELS_PROPERTY, "800");
            e = assertThrows(IIOException.class, () -> r.read(0, null));
            assertTrue(e.getMessage().contains("limit of 800 pixels"), e.getMessage());
            assertEquals(37, r.read(0, fullWith(r, 1000)).getWidth());
            System.setProperty(QtkImageReader.MAX_PIXELS_PROPERTY, "many");
            e = assertThrows(IIOException.class, () -> r.read(0, null));
            assertTrue(e.getMessage().contains("io.qtk.imageio.maxPixels"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(QtkImageReader.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(QtkImageReader.MAX_PIXELS_PROPERTY, before);
            }
        }
        r.dispose();
    }

    /** A param for the whole image whose own limit overrides the system property. */
    private static QtkImageReadParam fullWith(ImageReader r, long maxPixels) {
        QtkImageReadParam p = (QtkImageReadParam) r.getDefaultReadParam();
        p.setMaxPixels(maxPixels);
        return p;
    }
}
