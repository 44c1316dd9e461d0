package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadataFormat;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;

/** Service registration and recognition: everything ImageIO needs before it reads or writes a pixel. */
class QtkImageIOSpiTest {

    private static ImageInputStream stream(byte[] bytes) throws IOException {
        return ImageIO.createImageInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void servicesFilesNameTheProviders() throws IOException {
        assertEquals(List.of("io.qtk.imageio.QtkImageReaderSpi"),
                serviceLines("META-INF/services/javax.imageio.spi.ImageReaderSpi", "QtkImageReaderSpi"));
        assertEquals(List.of("io.qtk.imageio.QtkImageWriterSpi"),
                serviceLines("META-INF/services/javax.imageio.spi.ImageWriterSpi", "QtkImageWriterSpi"));
    }

    private static List<String> serviceLines(String resource, String mustContain) throws IOException {
        List<String> found = new ArrayList<>();
        Enumeration<URL> urls = QtkImageIOSpiTest.class.getClassLoader().getResources(resource);
        while (urls.hasMoreElements()) {
            try (InputStream in = urls.nextElement().openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.trim().contains(mustContain)) {
                        found.add(line.trim());
                    }
                }
            }
        }
        return found;
    }

    @Test
    void readersFoundByNameSuffixAndMimeType() {
        for (String name : new String[] {"qtk", "QTK"}) {
            assertReader(ImageIO.getImageReadersByFormatName(name));
            assertWriter(ImageIO.getImageWritersByFormatName(name));
        }
        assertReader(ImageIO.getImageReadersBySuffix("qtk"));
        assertWriter(ImageIO.getImageWritersBySuffix("qtk"));
        assertReader(ImageIO.getImageReadersByMIMEType("image/x-qtk"));
        assertWriter(ImageIO.getImageWritersByMIMEType("image/x-qtk"));
    }

    private static void assertReader(Iterator<ImageReader> it) {
        assertTrue(it.hasNext(), "no qtk reader registered");
        assertTrue(it.next() instanceof QtkImageReader);
    }

    private static void assertWriter(Iterator<ImageWriter> it) {
        assertTrue(it.hasNext(), "no qtk writer registered");
        assertTrue(it.next() instanceof QtkImageWriter);
    }

    @Test
    void facadeListsTheFormat() {
        assertTrue(Arrays.asList(ImageIO.getReaderFormatNames()).contains("qtk"));
        assertTrue(Arrays.asList(ImageIO.getReaderFormatNames()).contains("QTK"));
        assertTrue(Arrays.asList(ImageIO.getWriterFormatNames()).contains("qtk"));
        assertTrue(Arrays.asList(ImageIO.getReaderFileSuffixes()).contains("qtk"));
        assertTrue(Arrays.asList(ImageIO.getWriterFileSuffixes()).contains("qtk"));
        assertTrue(Arrays.asList(ImageIO.getReaderMIMETypes()).contains("image/x-qtk"));
        assertTrue(Arrays.asList(ImageIO.getWriterMIMETypes()).contains("image/x-qtk"));
    }

    @Test
    void readerAndWriterArePaired() {
        ImageReader reader = ImageIO.getImageReadersByFormatName("qtk").next();
        ImageWriter writer = ImageIO.getImageWriter(reader);
        assertTrue(writer instanceof QtkImageWriter);
        assertTrue(ImageIO.getImageReader(writer) instanceof QtkImageReader);
    }

    @Test
    void providerDescriptions() {
        QtkImageReaderSpi r = new QtkImageReaderSpi();
        QtkImageWriterSpi w = new QtkImageWriterSpi();
        assertEquals("qtk", r.getVendorName());
        assertNotNull(r.getVersion());
        assertTrue(r.getDescription(Locale.ROOT).contains("qtk"));
        assertTrue(w.getDescription(Locale.ROOT).contains("qtk"));
        assertArrayEquals(new Class<?>[] {ImageInputStream.class}, r.getInputTypes());
        assertArrayEquals(new String[] {"qtk", "QTK"}, r.getFormatNames());
        assertArrayEquals(new String[] {"qtk"}, r.getFileSuffixes());
        assertArrayEquals(new String[] {"image/x-qtk"}, r.getMIMETypes());
        assertEquals("io.qtk.imageio.QtkImageReader", r.getPluginClassName());
        assertEquals("io.qtk.imageio.QtkImageWriter", w.getPluginClassName());
        assertTrue(r.isOwnReader(new QtkImageReader(r)));
        assertTrue(w.isOwnWriter(new QtkImageWriter(w)));
        assertFalse(r.isStandardStreamMetadataFormatSupported());
        assertTrue(r.isStandardImageMetadataFormatSupported());
        assertEquals(QtkImageIO.NATIVE_METADATA_FORMAT_NAME, r.getNativeImageMetadataFormatName());
        assertEquals(QtkImageIO.NATIVE_METADATA_FORMAT_NAME, w.getNativeImageMetadataFormatName());
    }

    @Test
    void metadataFormatsReachableThroughProviders() {
        for (javax.imageio.spi.ImageReaderWriterSpi spi : new javax.imageio.spi.ImageReaderWriterSpi[] {
            new QtkImageReaderSpi(), new QtkImageWriterSpi()}) {
            IIOMetadataFormat nat = spi.getImageMetadataFormat(QtkImageIO.NATIVE_METADATA_FORMAT_NAME);
            assertTrue(nat instanceof QtkMetadataFormat);
            assertEquals(IIOMetadataFormatImpl.getStandardFormatInstance(),
                    spi.getImageMetadataFormat(IIOMetadataFormatImpl.standardMetadataFormatName));
            assertThrows(IllegalArgumentException.class, () -> spi.getImageMetadataFormat("no_such_format"));
            assertThrows(IllegalArgumentException.class, () -> spi.getStreamMetadataFormat(
                    QtkImageIO.NATIVE_METADATA_FORMAT_NAME));
        }
    }

    @Test
    void signatureMatchesTheFormatPackage() throws Exception {
        // The provider keeps its own copy so that probing loads no codec class; it must equal the format's.
        Class<?> format;
        try {
            format = Class.forName("io.qtk.format.QtkFormat");
        } catch (ClassNotFoundException e) {
            org.junit.jupiter.api.Assumptions.abort("io.qtk.format not merged yet: cannot compare signatures");
            return;
        }
        byte[] sig = (byte[]) format.getMethod("signature").invoke(null);
        assertArrayEquals(sig, QtkImageReaderSpi.SIGNATURE);
    }

    @Test
    void canDecodeInputChecksSignatureWithoutConsuming() throws IOException {
        QtkImageReaderSpi spi = new QtkImageReaderSpi();
        try (ImageInputStream in = stream(TestSupport.fakeQtk(100))) {
            in.seek(0);
            assertTrue(spi.canDecodeInput(in));
            assertEquals(0, in.getStreamPosition(), "stream position moved");
            assertTrue(spi.canDecodeInput(in), "second probe differs: the first consumed bytes");
        }
        // Probing from a non-zero position looks at the bytes from there, and returns there.
        byte[] prefixed = new byte[110];
        System.arraycopy(TestSupport.fakeQtk(100), 0, prefixed, 10, 100);
        try (ImageInputStream in = stream(prefixed)) {
            assertFalse(spi.canDecodeInput(in));
            in.seek(10);
            assertTrue(spi.canDecodeInput(in));
            assertEquals(10, in.getStreamPosition());
        }
    }

    @Test
    void canDecodeInputRejectsOtherData() throws IOException {
        QtkImageReaderSpi spi = new QtkImageReaderSpi();
        byte[] png = pngBytes();
        try (ImageInputStream in = stream(png)) {
            assertFalse(spi.canDecodeInput(in));
            assertEquals(0, in.getStreamPosition());
        }
        try (ImageInputStream in = stream(new byte[0])) {
            assertFalse(spi.canDecodeInput(in));
        }
        try (ImageInputStream in = stream(Arrays.copyOf(QtkImageReaderSpi.SIGNATURE, 7))) {
            assertFalse(spi.canDecodeInput(in), "7 bytes of signature are not a signature");
            assertEquals(0, in.getStreamPosition());
        }
        byte[] almost = TestSupport.fakeQtk(50);
        almost[3] = 'X';
        try (ImageInputStream in = stream(almost)) {
            assertFalse(spi.canDecodeInput(in));
        }
        assertFalse(spi.canDecodeInput(new byte[0]), "only ImageInputStream is an input type");
        assertFalse(spi.canDecodeInput("file.qtk"));
        assertFalse(spi.canDecodeInput(null));
    }

    @Test
    void canDecodeInputOnAnUnseekableStream() throws IOException {
        QtkImageReaderSpi spi = new QtkImageReaderSpi();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(
                TestSupport.fakeQtk(100)))) {
            assertTrue(spi.canDecodeInput(in));
            assertEquals(0, in.getStreamPosition());
        }
    }

    @Test
    void otherFormatsAreNotClaimed() throws IOException {
        // ImageIO picks the PNG reader for a PNG even with qtk registered.
        try (ImageInputStream in = stream(pngBytes())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                assertFalse(readers.next() instanceof QtkImageReader);
            }
        }
        // And picks qtk for a qtk signature.
        try (ImageInputStream in = stream(TestSupport.fakeQtk(64))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertTrue(readers.hasNext());
            assertTrue(readers.next() instanceof QtkImageReader);
        }
    }

    private static byte[] pngBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void writerSpiAcceptsImageKinds() {
        QtkImageWriterSpi spi = new QtkImageWriterSpi();
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY,
            BufferedImage.TYPE_USHORT_565_RGB};
        for (int t : types) {
            assertTrue(spi.canEncodeImage(ImageTypeSpecifier.createFromBufferedImageType(t)), "type " + t);
            assertTrue(spi.canEncodeImage(new BufferedImage(2, 2, t)), "image of type " + t);
        }
        assertTrue(spi.canEncodeImage(ImageTypeSpecifier.createInterleaved(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), new int[] {0, 1, 2, 3},
                java.awt.image.DataBuffer.TYPE_USHORT, true, false)), "16-bit RGBA");
        assertThrows(IllegalArgumentException.class, () -> spi.canEncodeImage((ImageTypeSpecifier) null));
    }

    @Test
    void registerAndDeregisterHelpers() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        QtkImageIO.deregister(registry);
        assertFalse(ImageIO.getImageReadersByFormatName("qtk").hasNext(), "still registered after deregister");
        assertFalse(ImageIO.getImageWritersByFormatName("qtk").hasNext());
        QtkImageIO.register(registry);
        QtkImageIO.register(registry); // twice is harmless
        assertReader(ImageIO.getImageReadersByFormatName("qtk"));
        assertWriter(ImageIO.getImageWritersByFormatName("qtk"));
        int count = 0;
        Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class,
                p -> p instanceof QtkImageReaderSpi, false);
        while (it.hasNext()) {
            it.next();
            count++;
        }
        assertEquals(1, count, "registering twice made two providers");
        Iterator<ImageWriterSpi> wit = registry.getServiceProviders(ImageWriterSpi.class,
                p -> p instanceof QtkImageWriterSpi, false);
        assertTrue(wit.hasNext());
    }

    @Test
    void scanForPluginsKeepsOneProvider() {
        ImageIO.scanForPlugins();
        int count = 0;
        Iterator<ImageReader> it = ImageIO.getImageReadersBySuffix("qtk");
        while (it.hasNext()) {
            it.next();
            count++;
        }
        assertEquals(1, count);
    }
}
