package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.ImageMetadata;
import io.qtk.QtkDecoder;
import io.qtk.QtkInfo;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/** Writer to reader through {@link IIOImage} metadata: ICC, EXIF, XMP, comment, orientation. Needs the engine. */
class QtkMetadataRoundTripTest {
    private static final String NATIVE = QtkImageIO.NATIVE_METADATA_FORMAT_NAME;
    private static final String STANDARD = IIOMetadataFormatImpl.standardMetadataFormatName;

    static byte[] write(IIOImage image, ImageWriteParam param) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(null, image, param);
        }
        w.dispose();
        return bytes.toByteArray();
    }

    static IIOImage readWithMetadata(byte[] file) throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(file)));
        IIOImage img = new IIOImage(r.read(0), null, r.getImageMetadata(0));
        r.dispose();
        return img;
    }

    private static ImageMetadata everything() {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        return ImageMetadata.builder().icc(icc)
                .exif(QtkImageWriterContractTest.exifWithOrientation(6, true))
                .xmp("<x:xmpmeta xmlns:x='adobe:ns:meta/'>qtk</x:xmpmeta>".getBytes(StandardCharsets.UTF_8))
                .comment("Grüße from qtk").orientation(6).build();
    }

    @Test
    void writerToReaderKeepsEverything() throws IOException {
        BufferedImage img = TestSupport.gradient(48, 40, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        ((QtkMetadata) meta).setImageMetadata(everything());
        byte[] file = write(new IIOImage(img, null, meta), null);

        IIOImage back = readWithMetadata(file);
        QtkMetadata m = (QtkMetadata) back.getMetadata();
        assertEquals(everything(), m.imageMetadata());
        QtkInfo info = m.info();
        assertEquals(48, info.width());
        assertEquals(6, info.orientation());
        assertEquals(file.length, info.fileBytes());

        // The same through the trees a generic client would look at.
        Node nat = m.getAsTree(NATIVE);
        IIOMetadataNode icc = (IIOMetadataNode) ((IIOMetadataNode) nat).getElementsByTagName("ICCProfile").item(0);
        assertArrayEquals(everything().icc(), (byte[]) icc.getUserObject());
        assertArrayEquals(everything().icc(), Base64.getDecoder().decode(icc.getAttribute("data")));
        IIOMetadataNode std = (IIOMetadataNode) m.getAsTree(STANDARD);
        assertEquals("FALSE", ((IIOMetadataNode) std.getElementsByTagName("Lossless").item(0)).getAttribute("value"));
        float bitRate = Float.parseFloat(((IIOMetadataNode) std.getElementsByTagName("BitRate").item(0))
                .getAttribute("value"));
        assertEquals(8.0 * file.length / (48 * 40), bitRate, 1e-3);
        assertEquals("Rotate270", ((IIOMetadataNode) std.getElementsByTagName("ImageOrientation").item(0))
                .getAttribute("value"));
        assertEquals("Grüße from qtk", ((IIOMetadataNode) std.getElementsByTagName("TextEntry").item(0))
                .getAttribute("value"));
    }

    @Test
    void metadataSetThroughTreesOnly() throws Exception {
        // A client that knows only the IIOMetadata API: merge a native tree with base64 data and a standard tree.
        BufferedImage img = TestSupport.gradient(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = new IIOMetadataNode(NATIVE);
        IIOMetadataNode exif = new IIOMetadataNode("EXIF");
        exif.setAttribute("data", Base64.getEncoder().encodeToString(
                QtkImageWriterContractTest.exifWithOrientation(3, false)));
        root.appendChild(exif);
        meta.mergeTree(NATIVE, root);
        IIOMetadataNode std = new IIOMetadataNode(STANDARD);
        IIOMetadataNode dim = new IIOMetadataNode("Dimension");
        IIOMetadataNode o = new IIOMetadataNode("ImageOrientation");
        o.setAttribute("value", "Rotate180");
        dim.appendChild(o);
        std.appendChild(dim);
        meta.mergeTree(STANDARD, std);
        byte[] file = write(new IIOImage(img, null, meta), null);
        ImageMetadata back = ((QtkMetadata) readWithMetadata(file).getMetadata()).imageMetadata();
        assertArrayEquals(QtkImageWriterContractTest.exifWithOrientation(3, false), back.exif());
        assertEquals(3, back.orientation());
        assertNull(back.icc());
    }

    @Test
    void keepMetadataFalseKeepsOnlyTheOrientation() throws IOException {
        BufferedImage img = TestSupport.gradient(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        QtkImageWriteParam p = (QtkImageWriteParam) ImageIO.getImageWritersByFormatName("qtk").next()
                .getDefaultWriteParam();
        p.setKeepMetadata(false);
        byte[] file = write(new IIOImage(img, null, new QtkMetadata(null, everything())), p);
        assertEquals(ImageMetadata.builder().orientation(6).build(),
                ((QtkMetadata) readWithMetadata(file).getMetadata()).imageMetadata());
    }

    @Test
    void iccOfTheImagesColourSpaceIsCarried() throws IOException {
        ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
        ComponentColorModel cm = new ComponentColorModel(linear, false, false, java.awt.Transparency.OPAQUE,
                DataBuffer.TYPE_BYTE);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(24, 24), false, null);
        byte[] file = QtkImageIORoundTripTest.write(img); // plain ImageIO.write: no metadata given
        assertArrayEquals(((ICC_ColorSpace) linear).getProfile().getData(),
                ((QtkMetadata) readWithMetadata(file).getMetadata()).imageMetadata().icc());
    }

    @Test
    void jpegToQtkTranscodingKeepsIccExifAndComment() throws IOException {
        // Make a JPEG with ICC, EXIF (orientation 8) and a comment with the JDK's JPEG writer...
        BufferedImage img = TestSupport.gradient(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter jw = ImageIO.getImageWritersByFormatName("jpeg").next();
        IIOMetadata jm = jw.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        String fmt = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode tree = (IIOMetadataNode) jm.getAsTree(fmt);
        ICC_Profile profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        IIOMetadataNode icc = new IIOMetadataNode("app2ICC");
        icc.setUserObject(profile);
        tree.getElementsByTagName("app0JFIF").item(0).appendChild(icc);
        IIOMetadataNode app1 = new IIOMetadataNode("unknown");
        app1.setAttribute("MarkerTag", "225");
        byte[] tiff = QtkImageWriterContractTest.exifWithOrientation(8, true);
        byte[] payload = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(tiff, 0, payload, 6, tiff.length);
        app1.setUserObject(payload);
        Node markers = tree.getElementsByTagName("markerSequence").item(0);
        markers.insertBefore(app1, markers.getFirstChild());
        IIOMetadataNode com = new IIOMetadataNode("com");
        com.setAttribute("comment", "jpeg comment");
        markers.appendChild(com);
        jm.setFromTree(fmt, tree);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(jpeg)) {
            jw.setOutput(out);
            jw.write(null, new IIOImage(img, null, jm), null);
        }
        // ... read it back with ImageIO (image + its metadata) and write that IIOImage as qtk, unchanged.
        ImageReader jr = ImageIO.getImageReadersByFormatName("jpeg").next();
        jr.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg.toByteArray())));
        IIOImage fromJpeg = jr.readAll(0, null);
        byte[] file = write(fromJpeg, null);
        ImageMetadata m = ((QtkMetadata) readWithMetadata(file).getMetadata()).imageMetadata();
        assertArrayEquals(profile.getData(), m.icc());
        assertArrayEquals(tiff, m.exif());
        assertEquals(8, m.orientation());
        assertEquals("jpeg comment", m.comment());
    }

    @Test
    void copyFromMetadataKeepsTheRateWhenTranscoding() throws IOException {
        BufferedImage img = TestSupport.gradient(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        ImageWriteParam low = w.getDefaultWriteParam();
        low.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        low.setCompressionQuality(0f);
        byte[] small = write(new IIOImage(img, null, null), low);
        // Transcode: read image + metadata, write with the default param (MODE_COPY_FROM_METADATA).
        IIOImage read = readWithMetadata(small);
        byte[] again = write(read, null);
        byte[] fresh = write(new IIOImage(read.getRenderedImage(), null, null), null);
        QtkInfo a = QtkDecoder.info(small);
        QtkInfo b = QtkDecoder.info(again);
        assertEquals(a.modelName(), b.modelName());
        assertTrue(again.length <= small.length, "copied rate: " + again.length + " vs " + small.length);
        assertTrue(fresh.length > again.length, "the default quality is higher than the copied low rate");
        // MODE_DEFAULT ignores the metadata's rate.
        ImageWriteParam def = w.getDefaultWriteParam();
        def.setCompressionMode(ImageWriteParam.MODE_DEFAULT);
        assertEquals(fresh.length, write(read, def).length);
    }

    @Test
    void explicitRateSettings() throws IOException {
        BufferedImage img = TestSupport.gradient(128, 96, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        QtkImageWriteParam p = (QtkImageWriteParam) w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        int previous = 0;
        for (float q : new float[] {0f, 0.5f, 1f}) {
            p.setCompressionQuality(q);
            int size = write(new IIOImage(img, null, null), p).length;
            assertTrue(size >= previous, "quality " + q + " gave a smaller file");
            previous = size;
        }
        // Every advertised compression type is a usable model.
        for (String type : p.getCompressionTypes()) {
            p.setCompressionType(type);
            byte[] f = write(new IIOImage(img, null, null), p);
            if (!type.equals(QtkImageWriteParam.AUTO)) {
                assertEquals(type, QtkDecoder.info(f).modelName());
            }
        }
        p.setCompressionType(QtkImageWriteParam.AUTO);
        // A file-size target is met when it can be.
        p.setCompressionQuality(1f);
        int best = write(new IIOImage(img, null, null), p).length;
        p.setTargetFileSize(best - 1);
        assertTrue(write(new IIOImage(img, null, null), p).length <= best - 1);
        p.setTargetBitsPerPixel(0.01); // below every point: the lowest point
        p.setCompressionQuality(0f);
        int lowest = write(new IIOImage(img, null, null), p).length;
        p.setTargetBitsPerPixel(0.01);
        assertEquals(lowest, write(new IIOImage(img, null, null), p).length);
    }

    @Test
    void groupsPerStreamSetsTheStreamLayout() throws IOException {
        BufferedImage img = TestSupport.gradient(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        QtkImageWriteParam p = (QtkImageWriteParam) w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(1f);
        byte[] codecChoice = write(new IIOImage(img, null, null), p);
        p.setGroupsPerStream(1);
        byte[] fine = write(new IIOImage(img, null, null), p);
        int streams = io.qtk.format.QtkReader.readHeader(fine).streamCount();
        assertEquals(QtkDecoder.info(fine).groupsCoded(), streams, "one group per stream");
        assertTrue(io.qtk.format.QtkReader.readHeader(codecChoice).streamCount() <= streams);
        // Finer streams mean finer passes for a reader: as many as groups.
        ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(fine)));
        assertEquals(streams, ((QtkMetadata) r.getImageMetadata(0)).info().groupsPresent());
        r.dispose();
    }
}
