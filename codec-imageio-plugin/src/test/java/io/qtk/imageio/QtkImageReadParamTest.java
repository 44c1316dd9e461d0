package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkDecoder;
import io.qtk.format.ChunkInfo;
import io.qtk.format.ChunkType;
import io.qtk.format.QtkReader;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every {@link ImageReadParam} setting on real .qtk files, and header-only queries. Needs the codec engine. */
class QtkImageReadParamTest {
    private static final int W = 96;
    private static final int H = 64;
    private static BufferedImage original;
    private static byte[] file;
    private static BufferedImage full;

    @BeforeAll
    static void encode() throws IOException {
        original = TestSupport.gradient(W, H, BufferedImage.TYPE_3BYTE_BGR);
        file = QtkImageIORoundTripTest.write(original);
        full = QtkImageIORoundTripTest.read(file);
    }

    private static ImageReader reader(byte[] bytes) throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(bytes)));
        return r;
    }

    @Test
    void headerOnlyQueriesNeedNoTokens() throws IOException {
        // Cut just after the header chunk: no token at all, yet size and types are known.
        ChunkInfo qhdr = QtkReader.listChunks(file).chunks().get(0);
        assertEquals(ChunkType.QHDR, qhdr.type());
        byte[] headerOnly = Arrays.copyOf(file, (int) (qhdr.offset() + qhdr.totalLength()));
        ImageReader r = reader(headerOnly);
        assertEquals(W, r.getWidth(0));
        assertEquals(H, r.getHeight(0));
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, r.getImageTypes(0).next().getBufferedImageType());
        assertEquals((float) W / H, r.getAspectRatio(0), 1e-6);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, r.getRawImageType(0).getBufferedImageType());
        r.dispose();
        // Corrupt token data (CRC mismatch at the end of the file): the header is still fine, reading is not.
        byte[] corrupt = file.clone();
        corrupt[corrupt.length - 20] ^= 0x5A;
        ImageReader c = reader(corrupt);
        assertEquals(W, c.getWidth(0));
        IIOException e = assertThrows(IIOException.class, () -> c.read(0));
        assertTrue(e.getCause() instanceof io.qtk.format.QtkFormatException, String.valueOf(e.getCause()));
        c.dispose();
    }

    @Test
    void sourceRegionDecodesOnlyThatRegion() throws IOException {
        ImageReader r = reader(file);
        ImageReadParam p = r.getDefaultReadParam();
        p.setSourceRegion(new Rectangle(17, 9, 40, 30));
        BufferedImage region = r.read(0, p);
        assertEquals(40, region.getWidth());
        assertEquals(30, region.getHeight());
        assertSamePixels(full, 17, 9, 1, 1, region);
        // A region reaching past the image is clipped to it (JDK computeRegions).
        p.setSourceRegion(new Rectangle(80, 50, 100, 100));
        BufferedImage clipped = r.read(0, p);
        assertEquals(16, clipped.getWidth());
        assertEquals(14, clipped.getHeight());
        assertSamePixels(full, 80, 50, 1, 1, clipped);
        r.dispose();
    }

    private static void assertSamePixels(BufferedImage whole, int x0, int y0, int px, int py, BufferedImage part) {
        TestSupport.assertSamePixels(whole, x0, y0, px, py, part);
    }

    @Test
    void subsamplingWithOffsets() throws IOException {
        ImageReader r = reader(file);
        ImageReadParam p = r.getDefaultReadParam();
        p.setSourceSubsampling(3, 2, 1, 1);
        BufferedImage sub = r.read(0, p);
        assertEquals((W - 1 + 2) / 3, sub.getWidth()); // columns 1, 4, ..., 94
        assertEquals((H - 1 + 1) / 2, sub.getHeight()); // rows 1, 3, ..., 63
        assertSamePixels(full, 1, 1, 3, 2, sub);
        // With a region too: offsets count from the region's corner.
        p.setSourceRegion(new Rectangle(10, 20, 30, 20));
        p.setSourceSubsampling(4, 5, 2, 0);
        BufferedImage both = r.read(0, p);
        assertEquals(7, both.getWidth()); // 12, 16, ..., 36
        assertEquals(4, both.getHeight()); // 20, 25, 30, 35
        assertSamePixels(full, 12, 20, 4, 5, both);
        r.dispose();
    }

    @Test
    void destinationOffsetAndImage() throws IOException {
        ImageReader r = reader(file);
        ImageReadParam p = r.getDefaultReadParam();
        BufferedImage canvas = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        p.setDestination(canvas);
        p.setDestinationOffset(new Point(50, 40));
        BufferedImage out = r.read(0, p);
        assertSame(canvas, out, "the destination given is the one filled");
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(full.getRGB(x, y), canvas.getRGB(50 + x, 40 + y));
            }
        }
        assertEquals(0xFF000000, canvas.getRGB(49, 40), "left of the offset untouched");
        assertEquals(0xFF000000, canvas.getRGB(50 + W, 40 + H));
        // An offset that clips: only what fits is written.
        BufferedImage small = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        p.setDestination(small);
        p.setDestinationOffset(new Point(10, 5));
        r.read(0, p);
        assertEquals(full.getRGB(29, 24), small.getRGB(39, 29));
        // Negative offsets clip the source instead.
        p.setDestinationOffset(new Point(-10, -5));
        r.read(0, p);
        assertEquals(full.getRGB(10, 5), small.getRGB(0, 0));
        r.dispose();
    }

    @Test
    void everyAdvertisedDestinationType() throws IOException {
        ImageReader r = reader(file);
        List<ImageTypeSpecifier> types = new ArrayList<>();
        r.getImageTypes(0).forEachRemaining(types::add);
        assertTrue(types.size() >= 3);
        for (ImageTypeSpecifier t : types) {
            ImageReadParam p = r.getDefaultReadParam();
            p.setDestinationType(t);
            BufferedImage img = r.read(0, p);
            assertEquals(t.getColorModel(), img.getColorModel());
            for (int y = 0; y < H; y += 7) {
                for (int x = 0; x < W; x += 5) {
                    assertEquals(full.getRGB(x, y), img.getRGB(x, y), "type " + t.getBufferedImageType());
                }
            }
        }
        r.dispose();
    }

    @Test
    void foreignDestinationsAreConverted() throws IOException {
        ImageReader r = reader(file);
        for (int t : new int[] {BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_BYTE_INDEXED}) {
            ImageReadParam p = r.getDefaultReadParam();
            BufferedImage dest = new BufferedImage(W, H, t);
            p.setDestination(dest);
            assertSame(dest, r.read(0, p));
            BufferedImage expected = new BufferedImage(W, H, t);
            java.awt.Graphics2D g = expected.createGraphics();
            g.drawImage(full, 0, 0, null);
            g.dispose();
            double psnr = TestSupport.psnr(expected, dest);
            // 35 dB, not identity: for 565 the plugin rounds where Java 2D truncates.
            assertTrue(psnr > 35, "type " + t + ": PSNR vs Java 2D's conversion " + psnr);
        }
        r.dispose();
    }

    @Test
    void sourceAndDestinationBands() throws IOException {
        ImageReader r = reader(file);
        ImageReadParam p = r.getDefaultReadParam();
        BufferedImage gray = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        p.setDestination(gray);
        p.setSourceBands(new int[] {1});
        p.setDestinationBands(new int[] {0});
        r.read(0, p);
        assertEquals((full.getRGB(30, 20) >> 8) & 0xFF, gray.getRaster().getSample(30, 20, 0), "green into gray");
        r.dispose();
    }

    @Test
    void illegalParams() throws IOException {
        ImageReader r = reader(file);
        ImageReadParam outside = r.getDefaultReadParam();
        outside.setSourceRegion(new Rectangle(500, 500, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> r.read(0, outside), "empty source region");
        ImageReadParam offsetOut = r.getDefaultReadParam();
        offsetOut.setDestination(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB));
        offsetOut.setDestinationOffset(new Point(20, 20));
        assertThrows(IllegalArgumentException.class, () -> r.read(0, offsetOut), "empty destination region");
        ImageReadParam badBand = r.getDefaultReadParam();
        badBand.setSourceBands(new int[] {5});
        badBand.setDestinationBands(new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> r.read(0, badBand), "source band out of range");
        ImageReadParam mismatch = r.getDefaultReadParam();
        mismatch.setSourceBands(new int[] {0, 1});
        mismatch.setDestinationBands(new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> r.read(0, mismatch), "band counts differ");
        ImageReadParam wrongType = r.getDefaultReadParam();
        wrongType.setDestinationType(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY));
        assertThrows(IIOException.class, () -> r.read(0, wrongType), "JDK: a type not offered is an IIOException");
        assertThrows(IllegalArgumentException.class, () -> r.getDefaultReadParam().setSourceSubsampling(0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> r.getDefaultReadParam().setSourceProgressivePasses(-1,
                1));
        // After all that the reader still works.
        assertEquals(W, r.read(0).getWidth());
        r.dispose();
    }

    @Test
    void progressivePassesChooseTheQuality() throws IOException {
        int groups = QtkDecoder.info(file).groupsPresent();
        ImageReader r = reader(file);
        double previous = 0;
        for (int g = 1; g <= groups; g++) {
            ImageReadParam p = r.getDefaultReadParam();
            p.setSourceProgressivePasses(0, g); // passes 0..g-1: the first g groups
            double psnr = TestSupport.psnr(original, r.read(0, p));
            assertTrue(psnr >= previous - 0.5, g + " groups: " + psnr + " dB after " + previous);
            previous = psnr;
        }
        assertEquals(TestSupport.psnr(original, full), previous, 1e-9, "all passes = the default read");
        r.dispose();
    }

    @Test
    void truncatedFilesDecodeAtTheQualityPresent() throws IOException {
        List<ChunkInfo> chunks = QtkReader.listChunks(file).chunks();
        List<ChunkInfo> streams = new ArrayList<>();
        for (ChunkInfo c : chunks) {
            if (c.type().equals(ChunkType.QTOK)) {
                streams.add(c);
            }
        }
        assertTrue(streams.size() >= 2, "expected several token streams: " + chunks);
        double fullPsnr = TestSupport.psnr(original, full);
        // Cut in the middle of the last stream, then of the second: each gives a complete prefix.
        for (int k : new int[] {streams.size() - 1, 1}) {
            ChunkInfo cutIn = streams.get(k);
            byte[] cut = Arrays.copyOf(file, (int) (cutIn.offset() + cutIn.totalLength() / 2));
            ImageReader r = reader(cut);
            BufferedImage img = r.read(0);
            assertEquals(W, img.getWidth());
            double psnr = TestSupport.psnr(original, img);
            assertTrue(psnr <= fullPsnr + 0.5, "a prefix should not beat the whole file: " + psnr);
            assertTrue(psnr > 5, "nothing decoded: " + psnr);
            QtkMetadata m = (QtkMetadata) r.getImageMetadata(0);
            assertTrue(m.info().truncated());
            assertTrue(m.info().groupsPresent() < m.info().groupsCoded());
            assertEquals(cut.length, m.info().fileBytes());
            r.dispose();
        }
    }

    @Test
    void fileThatNamesAnUnknownModel() throws IOException {
        // Re-label the header's model: size and metadata still read (no model needed), pixels do not.
        io.qtk.format.QtkFile f = QtkReader.read(file);
        io.qtk.format.QtkHeader h = f.header().toBuilder().model(io.qtk.format.ModelId.of("no-such-model", "9",
                "ab".repeat(32))).build();
        io.qtk.format.QtkFile.Builder b = io.qtk.format.QtkFile.builder(h).metadata(f.metadata());
        for (io.qtk.format.TokenStream s : f.streams()) {
            b.addStream(s);
        }
        byte[] relabelled = io.qtk.format.QtkWriter.toBytes(b.build());
        ImageReader r = reader(relabelled);
        assertEquals(W, r.getWidth(0));
        QtkMetadata m = (QtkMetadata) r.getImageMetadata(0);
        assertEquals("no-such-model", m.info().modelName());
        IIOException e = assertThrows(IIOException.class, () -> r.read(0));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
        r.dispose();
    }

    @Test
    void readAllGivesTheImageWithItsMetadata() throws IOException {
        ImageReader r = reader(file);
        Iterator<javax.imageio.IIOImage> all = r.readAll(null);
        javax.imageio.IIOImage only = all.next();
        assertTrue(only.getMetadata() instanceof QtkMetadata);
        assertEquals(W, only.getRenderedImage().getWidth());
        assertTrue(!all.hasNext(), "one image per file");
        r.dispose();
    }
}
