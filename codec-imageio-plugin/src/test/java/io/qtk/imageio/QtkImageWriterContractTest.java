package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.ImageMetadata;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOWriteProgressListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/** The JDK's {@code ImageWriter} contract, metadata conversion and source-pixel handling: no codec engine needed. */
class QtkImageWriterContractTest {

    private static QtkImageWriter writer() {
        return new QtkImageWriter(new QtkImageWriterSpi());
    }

    @Test
    void outputNotSetIsIllegalState() {
        QtkImageWriter w = writer();
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalStateException.class, () -> w.write(img));
        assertThrows(IllegalStateException.class, () -> w.write(null, new IIOImage(img, null, null), null));
        assertThrows(IllegalStateException.class, () -> w.canInsertImage(0));
    }

    @Test
    void badArguments() throws IOException {
        QtkImageWriter w = writer();
        assertThrows(IllegalArgumentException.class, () -> w.setOutput("out.qtk"));
        assertThrows(IllegalArgumentException.class, () -> w.setOutput(new ByteArrayOutputStream()));
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new ByteArrayOutputStream())) {
            w.setOutput(out);
            assertThrows(IllegalArgumentException.class, () -> w.write(null, null, null));
            WritableRaster raster = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY).getRaster();
            assertThrows(UnsupportedOperationException.class, () -> w.write(null, new IIOImage(raster, null,
                    null), null));
            assertThrows(IllegalArgumentException.class, () -> w.convertImageMetadata(null, null, null));
            assertThrows(IllegalArgumentException.class, () -> w.convertStreamMetadata(null, null));
            assertThrows(UnsupportedOperationException.class, () -> w.prepareWriteSequence(null));
        }
    }

    @Test
    void capabilities() throws IOException {
        QtkImageWriter w = writer();
        assertFalse(w.canWriteRasters());
        assertFalse(w.canWriteSequence());
        assertThrows(IllegalStateException.class, w::canWriteEmpty, "JDK: no output set");
        assertEquals(0, w.getNumThumbnailsSupported(null, null, null, null));
        assertNull(w.getDefaultStreamMetadata(null));
        assertTrue(w.getDefaultImageMetadata(ImageTypeSpecifier.createFromBufferedImageType(
                BufferedImage.TYPE_INT_RGB), null) instanceof QtkMetadata);
        ImageWriteParam p = w.getDefaultWriteParam();
        assertTrue(p instanceof QtkImageWriteParam);
        assertEquals("auto", p.getCompressionTypes()[0]);
        assertTrue(w.getOriginatingProvider() instanceof QtkImageWriterSpi);
    }

    @Test
    void disabledCompressionFailsTheWrite() throws IOException {
        QtkImageWriter w = writer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_DISABLED);
            assertThrows(IIOException.class, () -> w.write(null, new IIOImage(new BufferedImage(4, 4,
                    BufferedImage.TYPE_INT_RGB), null, null), p));
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void emptySourceRegionFailsTheWrite() throws IOException {
        QtkImageWriter w = writer();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new ByteArrayOutputStream())) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setSourceRegion(new Rectangle(100, 100, 5, 5));
            assertThrows(IIOException.class, () -> w.write(null, new IIOImage(new BufferedImage(8, 8,
                    BufferedImage.TYPE_INT_RGB), null, null), p), "JDK: IIOException for an empty region");
        }
    }

    @Test
    void abortBeforeEncodingWritesNothing() throws IOException {
        QtkImageWriter w = writer();
        List<String> events = new ArrayList<>();
        w.addIIOWriteProgressListener(new IIOWriteProgressListener() {
            public void imageStarted(ImageWriter source, int imageIndex) {
                events.add("started");
                source.abort();
            }
            public void imageProgress(ImageWriter source, float percentageDone) { }
            public void imageComplete(ImageWriter source) {
                events.add("complete");
            }
            public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) { }
            public void thumbnailProgress(ImageWriter source, float percentageDone) { }
            public void thumbnailComplete(ImageWriter source) { }
            public void writeAborted(ImageWriter source) {
                events.add("aborted");
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
        }
        assertEquals(List.of("started", "aborted"), events);
        assertEquals(0, bytes.size());
    }

    // ------------------------------------------------------------------------------------ metadata conversion

    @Test
    void convertsQtkMetadataByCopy() {
        QtkMetadata src = new QtkMetadata(QtkMetadataTest.info(3, 8, false), QtkMetadataTest.carried());
        QtkMetadata out = (QtkMetadata) writer().convertImageMetadata(src, null, null);
        assertEquals(QtkMetadataTest.carried(), out.imageMetadata());
        assertSame(src.info(), out.info());
        out.setImageMetadata(ImageMetadata.EMPTY);
        assertEquals(QtkMetadataTest.carried(), src.imageMetadata(), "the copy is independent");
    }

    @Test
    void convertsPngTextAndStandardOrientation() throws Exception {
        ImageWriter png = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata meta = png.getDefaultImageMetadata(ImageTypeSpecifier.createFromBufferedImageType(
                BufferedImage.TYPE_INT_RGB), null);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", "Comment");
        entry.setAttribute("value", "from png");
        text.appendChild(entry);
        root.appendChild(text);
        meta.mergeTree("javax_imageio_png_1.0", root);
        QtkMetadata out = (QtkMetadata) writer().convertImageMetadata(meta, null, null);
        assertEquals("from png", out.imageMetadata().comment());
        assertNull(out.info());
    }

    @Test
    void convertsJpegIccExifAndXmp() throws Exception {
        ImageWriter jpeg = ImageIO.getImageWritersByFormatName("jpeg").next();
        IIOMetadata meta = jpeg.getDefaultImageMetadata(ImageTypeSpecifier.createFromBufferedImageType(
                BufferedImage.TYPE_3BYTE_BGR), null);
        String fmt = "javax_imageio_jpeg_image_1.0";
        Node tree = meta.getAsTree(fmt);
        ICC_Profile profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
        IIOMetadataNode icc = new IIOMetadataNode("app2ICC");
        icc.setUserObject(profile);
        Node jfif = ((IIOMetadataNode) tree).getElementsByTagName("app0JFIF").item(0);
        jfif.appendChild(icc);
        Node markers = ((IIOMetadataNode) tree).getElementsByTagName("markerSequence").item(0);
        byte[] tiff = exifWithOrientation(6, false);
        markers.appendChild(app1(concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff)));
        byte[] xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>".getBytes(StandardCharsets.UTF_8);
        markers.appendChild(app1(concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                xmp)));
        IIOMetadataNode com = new IIOMetadataNode("com");
        com.setAttribute("comment", "from jpeg");
        markers.appendChild(com);
        meta.setFromTree(fmt, tree);

        QtkMetadata out = (QtkMetadata) writer().convertImageMetadata(meta, null, null);
        ImageMetadata m = out.imageMetadata();
        assertArrayEquals(profile.getData(), m.icc());
        assertArrayEquals(tiff, m.exif());
        assertArrayEquals(xmp, m.xmp());
        assertEquals(6, m.orientation(), "orientation taken from the EXIF block");
        assertEquals("from jpeg", m.comment());
    }

    private static IIOMetadataNode app1(byte[] payload) {
        IIOMetadataNode n = new IIOMetadataNode("unknown");
        n.setAttribute("MarkerTag", "225");
        n.setUserObject(payload);
        return n;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A minimal TIFF header + IFD0 holding one entry, Orientation (0x0112, SHORT, 1). */
    static byte[] exifWithOrientation(int orientation, boolean littleEndian) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(26);
        b.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        b.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    @Test
    void unknownForeignMetadataIsDroppedNotFatal() {
        IIOMetadata broken = new IIOMetadata(false, "broken_1.0", null, null, null) {
            @Override
            public boolean isReadOnly() {
                return true;
            }

            @Override
            public Node getAsTree(String formatName) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void mergeTree(String formatName, Node root) {
            }

            @Override
            public void reset() {
            }
        };
        QtkMetadata out = (QtkMetadata) writer().convertImageMetadata(broken, null, null);
        assertEquals(ImageMetadata.EMPTY, out.imageMetadata());
    }

    // ------------------------------------------------------------------------------------------ source pixels

    @Test
    void wholeImagePassesThrough() throws IIOException {
        BufferedImage img = TestSupport.gradient(10, 6, BufferedImage.TYPE_3BYTE_BGR);
        assertSame(img, QtkImageWriter.sourcePixels(img, null));
        assertSame(img, QtkImageWriter.sourcePixels(img, new ImageWriteParam(Locale.ROOT)));
        BufferedImage indexed = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_INDEXED);
        assertSame(indexed, QtkImageWriter.sourcePixels(indexed, null), "indexed images go to the codec as is");
        BufferedImage deep = new BufferedImage(5, 5, BufferedImage.TYPE_USHORT_GRAY);
        assertSame(deep, QtkImageWriter.sourcePixels(deep, null), "16-bit gray goes as is");
    }

    @Test
    void regionAndSubsamplingWithOffsets() throws IIOException {
        BufferedImage img = TestSupport.gradient(20, 12, BufferedImage.TYPE_INT_ARGB);
        ImageWriteParam p = new ImageWriteParam(Locale.ROOT);
        p.setSourceRegion(new Rectangle(2, 1, 15, 9));
        p.setSourceSubsampling(3, 2, 1, 1);
        RenderedImage out = QtkImageWriter.sourcePixels(img, p);
        // columns 3, 6, ..., 15 (5 of them), rows 2, 4, 6, 8 (4 of them)
        assertEquals(5, out.getWidth());
        assertEquals(4, out.getHeight());
        BufferedImage b = (BufferedImage) out;
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(img.getRGB(3 + 3 * x, 2 + 2 * y), b.getRGB(x, y), x + "," + y);
            }
        }
        assertEquals(img.getColorModel(), b.getColorModel());
        // A region reaching past the image is clipped to it.
        p = new ImageWriteParam(Locale.ROOT);
        p.setSourceRegion(new Rectangle(15, 10, 100, 100));
        out = QtkImageWriter.sourcePixels(img, p);
        assertEquals(5, out.getWidth());
        assertEquals(2, out.getHeight());
    }

    @Test
    void sourceBands() throws IIOException {
        BufferedImage img = TestSupport.gradient(6, 4, BufferedImage.TYPE_INT_ARGB);
        ImageWriteParam p = new ImageWriteParam(Locale.ROOT);
        p.setSourceBands(new int[] {1}); // green only: written as gray
        BufferedImage g = (BufferedImage) QtkImageWriter.sourcePixels(img, p);
        assertEquals(1, g.getRaster().getNumBands());
        assertEquals(ColorSpace.TYPE_GRAY, g.getColorModel().getColorSpace().getType());
        assertEquals((img.getRGB(3, 2) >> 8) & 0xFF, g.getRaster().getSample(3, 2, 0));
        p.setSourceBands(new int[] {2, 1, 0}); // BGR swap
        BufferedImage s = (BufferedImage) QtkImageWriter.sourcePixels(img, p);
        assertEquals(img.getRGB(4, 1) & 0xFF, (s.getRGB(4, 1) >> 16) & 0xFF);
        p.setSourceBands(new int[] {7});
        ImageWriteParam bad = p;
        assertThrows(IllegalArgumentException.class, () -> QtkImageWriter.sourcePixels(img, bad));
    }

    @Test
    void unusualPixelKindsBecomeSrgb() throws IIOException {
        // Float samples: outside the codec's contract, converted through the colour model.
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        BufferedImage f = new BufferedImage(cm, cm.createCompatibleWritableRaster(3, 2), false, null);
        f.getRaster().setPixel(1, 1, new float[] {1f, 0.5f, 0f});
        RenderedImage out = QtkImageWriter.sourcePixels(f, null);
        assertEquals(BufferedImage.TYPE_INT_RGB, ((BufferedImage) out).getType());
        assertEquals(f.getRGB(1, 1), ((BufferedImage) out).getRGB(1, 1));
        // 565 is RGB of at most 16 bits: the codec takes it as is.
        BufferedImage rgb565 = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_565_RGB);
        assertSame(rgb565, QtkImageWriter.sourcePixels(rgb565, null));
    }

    @Test
    void carriedMetadataTakesIccFromTheColourSpace() {
        ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
        ComponentColorModel cm = new ComponentColorModel(linear, false, false, java.awt.Transparency.OPAQUE,
                DataBuffer.TYPE_BYTE);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(2, 2), false, null);
        ImageMetadata m = QtkImageWriter.carriedMetadata(null, img, true);
        assertArrayEquals(((java.awt.color.ICC_ColorSpace) linear).getProfile().getData(), m.icc());
        // An ICC profile in the metadata wins over the colour space's.
        QtkMetadata withIcc = new QtkMetadata(null, ImageMetadata.builder().icc(new byte[] {5}).build());
        assertArrayEquals(new byte[] {5}, QtkImageWriter.carriedMetadata(withIcc, img, true).icc());
        // sRGB images carry none.
        assertNull(QtkImageWriter.carriedMetadata(null, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), true)
                .icc());
        // keepMetadata=false keeps only the orientation.
        QtkMetadata full = new QtkMetadata(null, QtkMetadataTest.carried());
        ImageMetadata stripped = QtkImageWriter.carriedMetadata(full, img, false);
        assertEquals(ImageMetadata.builder().orientation(6).build(), stripped);
    }

    @Test
    void standardMetadataFormatOfConvertedMetadata() {
        QtkMetadata out = (QtkMetadata) writer().convertImageMetadata(new QtkMetadata(), null, null);
        assertTrue(out.isStandardMetadataFormatSupported());
        assertEquals(IIOMetadataFormatImpl.standardMetadataFormatName,
                out.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName).getNodeName());
    }
}
