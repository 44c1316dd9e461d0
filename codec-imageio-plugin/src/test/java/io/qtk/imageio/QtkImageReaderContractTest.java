package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkInfo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/** The JDK's {@code ImageReader} contract for states, indices and arguments: needs no codec engine. */
class QtkImageReaderContractTest {

    private static QtkImageReader reader() {
        return new QtkImageReader(new QtkImageReaderSpi());
    }

    private static ImageInputStream stream(byte[] b) throws IOException {
        return ImageIO.createImageInputStream(new ByteArrayInputStream(b));
    }

    @Test
    void inputNotSetIsIllegalState() {
        QtkImageReader r = reader();
        assertNull(r.getInput());
        assertThrows(IllegalStateException.class, () -> r.getNumImages(false));
        assertThrows(IllegalStateException.class, () -> r.getNumImages(true));
        assertThrows(IllegalStateException.class, () -> r.getWidth(0));
        assertThrows(IllegalStateException.class, () -> r.getHeight(0));
        assertThrows(IllegalStateException.class, () -> r.getImageTypes(0));
        assertThrows(IllegalStateException.class, () -> r.getImageMetadata(0));
        assertThrows(IllegalStateException.class, () -> r.read(0));
        assertThrows(IllegalStateException.class, () -> r.read(0, r.getDefaultReadParam()));
    }

    @Test
    void wrongInputTypeIsIllegalArgument() {
        QtkImageReader r = reader();
        assertThrows(IllegalArgumentException.class, () -> r.setInput("image.qtk"));
        assertThrows(IllegalArgumentException.class, () -> r.setInput(new byte[10]));
        assertThrows(IllegalArgumentException.class, () -> r.setInput(new ByteArrayInputStream(new byte[10])));
        r.setInput(null); // allowed: clears the input
        assertNull(r.getInput());
    }

    @Test
    void oneImageOnly() throws IOException {
        QtkImageReader r = reader();
        r.setInput(stream(TestSupport.fakeQtk(64)));
        assertEquals(1, r.getNumImages(false));
        assertEquals(1, r.getNumImages(true));
        for (int bad : new int[] {1, -1, 2, Integer.MAX_VALUE}) {
            assertThrows(IndexOutOfBoundsException.class, () -> r.getWidth(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> r.getHeight(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> r.getImageTypes(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> r.getImageMetadata(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> r.read(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> r.read(bad, null));
        }
    }

    @Test
    void searchOnForwardOnlyInputIsIllegalState() throws IOException {
        QtkImageReader r = reader();
        r.setInput(stream(TestSupport.fakeQtk(64)), true);
        assertEquals(1, r.getNumImages(false));
        assertThrows(IllegalStateException.class, () -> r.getNumImages(true));
        assertEquals(0, r.getMinIndex());
    }

    @Test
    void noThumbnailsNoStreamMetadataNoRasters() throws IOException {
        QtkImageReader r = reader();
        r.setInput(stream(TestSupport.fakeQtk(64)));
        assertFalse(r.readerSupportsThumbnails());
        assertFalse(r.hasThumbnails(0));
        assertEquals(0, r.getNumThumbnails(0));
        assertThrows(UnsupportedOperationException.class, () -> r.readThumbnail(0, 0));
        assertNull(r.getStreamMetadata());
        assertFalse(r.canReadRaster());
        assertThrows(UnsupportedOperationException.class, () -> r.readRaster(0, null));
        assertFalse(r.isRandomAccessEasy(0));
        assertNotNull(r.getDefaultReadParam());
        assertFalse(r.getDefaultReadParam().canSetSourceRenderSize());
        assertTrue(r.getOriginatingProvider() instanceof QtkImageReaderSpi);
        assertEquals("qtk", r.getFormatName());
    }

    @Test
    void notAQtkFileIsAnIIOException() throws IOException {
        QtkImageReader r = reader();
        r.setInput(stream("GIF89a and then some bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        IIOException e = assertThrows(IIOException.class, () -> r.getWidth(0));
        assertTrue(e.getMessage().contains("not a qtk file"), e.getMessage());
        assertThrows(IIOException.class, () -> r.read(0));
        r.setInput(stream(new byte[0]));
        assertThrows(IIOException.class, () -> r.getHeight(0));
    }

    @Test
    void corruptHeaderIsAnIIOException() throws IOException {
        // A signature followed by junk: the codec (or its absence) must surface as IIOException, never as a
        // RuntimeException, so ImageIO callers need only catch IOException.
        QtkImageReader r = reader();
        r.setInput(stream(TestSupport.fakeQtk(200)));
        assertThrows(IIOException.class, () -> r.getWidth(0));
        assertThrows(IIOException.class, () -> r.read(0));
        assertThrows(IIOException.class, () -> ImageIO.read(new ByteArrayInputStream(TestSupport.fakeQtk(200))));
    }

    @Test
    void resetAndDisposeClearState() throws IOException {
        QtkImageReader r = reader();
        r.setInput(stream(TestSupport.fakeQtk(64)));
        r.addIIOReadProgressListener(new javax.imageio.event.IIOReadProgressListener() {
            public void sequenceStarted(javax.imageio.ImageReader source, int minIndex) { }
            public void sequenceComplete(javax.imageio.ImageReader source) { }
            public void imageStarted(javax.imageio.ImageReader source, int imageIndex) { }
            public void imageProgress(javax.imageio.ImageReader source, float percentageDone) { }
            public void imageComplete(javax.imageio.ImageReader source) { }
            public void thumbnailStarted(javax.imageio.ImageReader source, int imageIndex, int thumbnailIndex) { }
            public void thumbnailProgress(javax.imageio.ImageReader source, float percentageDone) { }
            public void thumbnailComplete(javax.imageio.ImageReader source) { }
            public void readAborted(javax.imageio.ImageReader source) { }
        });
        r.reset();
        assertNull(r.getInput());
        assertThrows(IllegalStateException.class, () -> r.getWidth(0));
        r.setInput(stream(TestSupport.fakeQtk(64)));
        r.dispose();
        r.abort();
    }

    @Test
    void imageTypesFollowTheChannels() {
        assertTypes(1, 8, BufferedImage.TYPE_BYTE_GRAY, 3);
        assertTypes(1, 16, BufferedImage.TYPE_BYTE_GRAY, 4);
        assertTypes(2, 8, BufferedImage.TYPE_4BYTE_ABGR, 2);
        assertTypes(3, 8, BufferedImage.TYPE_3BYTE_BGR, 3);
        assertTypes(3, 16, BufferedImage.TYPE_3BYTE_BGR, 4);
        assertTypes(4, 8, BufferedImage.TYPE_4BYTE_ABGR, 2);
        assertTypes(4, 16, BufferedImage.TYPE_4BYTE_ABGR, 3);
    }

    private static void assertTypes(int channels, int depth, int firstType, int count) {
        QtkInfo info = new QtkInfo(10, 10, channels, depth, 1, "m", "1", "0".repeat(64), "grid", 8, 8, 8, false, 99);
        List<ImageTypeSpecifier> types = QtkImageReader.imageTypes(info);
        assertEquals(count, types.size(), channels + " channels, " + depth + " bits");
        assertEquals(firstType, types.get(0).getBufferedImageType(), "the codec's own type comes first");
        for (ImageTypeSpecifier t : types) {
            assertEquals(channels == 2 || channels == 4, t.getColorModel().hasAlpha());
            BufferedImage img = t.createBufferedImage(2, 2); // every type must be instantiable
            assertEquals(2, img.getWidth());
        }
    }

    @Test
    void progressivePasses() {
        ImageReadParam p = new ImageReadParam();
        assertArrayEquals(new int[] {16}, QtkImageReader.passes(p, 16, false));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16}, QtkImageReader.passes(p, 16, true));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32}, QtkImageReader.passes(p, 32, true));
        assertArrayEquals(new int[] {1, 2, 3}, QtkImageReader.passes(p, 3, true));
        int[] many = QtkImageReader.passes(p, 65535, true);
        assertTrue(many.length <= 6, "too many decodes for update listeners: " + many.length);
        assertEquals(1, many[0]);
        assertEquals(65535, many[many.length - 1]);
        assertArrayEquals(new int[] {1}, QtkImageReader.passes(p, 0, false), "nothing complete: decode what is");

        p.setSourceProgressivePasses(0, 1); // the first pass only: the coarsest image
        assertArrayEquals(new int[] {1}, QtkImageReader.passes(p, 16, true));
        p.setSourceProgressivePasses(2, 3); // passes 2..4 = 3..5 groups
        assertArrayEquals(new int[] {5}, QtkImageReader.passes(p, 16, false));
        assertArrayEquals(new int[] {3, 5}, QtkImageReader.passes(p, 16, true));
        assertArrayEquals(new int[] {4}, QtkImageReader.passes(p, 4, false), "capped at the groups present");
        p.setSourceProgressivePasses(20, Integer.MAX_VALUE);
        assertArrayEquals(new int[] {16}, QtkImageReader.passes(p, 16, true), "past the end: the best there is");
    }
}
