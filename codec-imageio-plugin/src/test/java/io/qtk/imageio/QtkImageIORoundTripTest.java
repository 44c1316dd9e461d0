package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkDecoder;
import io.qtk.QtkInfo;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ImageIO.write} / {@code ImageIO.read} through the plain facade on synthetic images of every kind the writer
 * takes, from files and from streams. Needs the codec engine and a model.
 */
class QtkImageIORoundTripTest {

    static byte[] write(java.awt.image.RenderedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "qtk", out), "ImageIO.write found no writer");
        return out.toByteArray();
    }

    static BufferedImage read(byte[] file) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
        assertNotNull(img, "ImageIO.read found no reader");
        return img;
    }

    @Test
    void fileRoundTrip(@TempDir Path dir) throws IOException {
        BufferedImage img = TestSupport.gradient(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        File f = dir.resolve("gradient.qtk").toFile();
        assertTrue(ImageIO.write(img, "qtk", f));
        BufferedImage back = ImageIO.read(f);
        assertEquals(64, back.getWidth());
        assertEquals(48, back.getHeight());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, back.getType());
        double psnr = TestSupport.psnr(img, back);
        assertTrue(psnr > 15, "PSNR " + psnr);
        // The capitalised format name finds the same writer; encoding is deterministic.
        assertTrue(ImageIO.write(img, "QTK", dir.resolve("upper.qtk").toFile()));
        assertArrayEquals(Files.readAllBytes(f.toPath()), Files.readAllBytes(dir.resolve("upper.qtk")));
        // ImageIO.read(URL) too.
        assertEquals(64, ImageIO.read(f.toURI().toURL()).getWidth());
    }

    /** Every BufferedImage type the JDK has, each read back at its size with the right kind of type. */
    @ParameterizedTest(name = "BufferedImage type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE,
        BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB,
        BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY,
        BufferedImage.TYPE_BYTE_INDEXED})
    void everyJdkImageType(int type) throws IOException {
        BufferedImage img = TestSupport.gradient(40, 28, type);
        BufferedImage back = read(write(img));
        assertEquals(40, back.getWidth());
        assertEquals(28, back.getHeight());
        boolean gray = type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY;
        boolean alpha = img.getColorModel().hasAlpha();
        int expected = gray ? BufferedImage.TYPE_BYTE_GRAY
                : alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR;
        assertEquals(expected, back.getType());
        double psnr = TestSupport.psnr(img, back);
        // Binary images (black / white edges) are the hardest for a smooth learned model: a lower bar.
        assertTrue(psnr > (type == BufferedImage.TYPE_BYTE_BINARY ? 6 : 12), "PSNR " + psnr);
        if (alpha && !img.isAlphaPremultiplied()) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 40; x++) {
                    assertEquals(img.getRGB(x, y) >>> 24, back.getRGB(x, y) >>> 24, "alpha is lossless");
                }
            }
        }
    }

    @Test
    void sixteenBitImagesRememberTheirDepth() throws IOException {
        BufferedImage gray16 = TestSupport.gradient(24, 16, BufferedImage.TYPE_USHORT_GRAY);
        assertEquals(16, QtkDecoder.info(write(gray16)).sourceBitDepth());
        ImageTypeSpecifier rgba16 = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {0, 1, 2, 3}, DataBuffer.TYPE_USHORT, true, false);
        BufferedImage img = rgba16.createBufferedImage(24, 16);
        BufferedImage src = TestSupport.gradient(24, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                img.setRGB(x, y, src.getRGB(x, y));
            }
        }
        byte[] file = write(img);
        QtkInfo info = QtkDecoder.info(file);
        assertEquals(16, info.sourceBitDepth());
        assertEquals(4, info.channels());
        // The reader offers a 16-bit type for such files, scaled from the 8-bit decoded samples.
        javax.imageio.ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(file)));
        boolean found = false;
        for (java.util.Iterator<ImageTypeSpecifier> it = r.getImageTypes(0); it.hasNext();) {
            ImageTypeSpecifier t = it.next();
            if (t.getSampleModel().getDataType() == DataBuffer.TYPE_USHORT) {
                javax.imageio.ImageReadParam p = r.getDefaultReadParam();
                p.setDestinationType(t);
                BufferedImage deep = r.read(0, p);
                assertEquals(DataBuffer.TYPE_USHORT, deep.getRaster().getDataBuffer().getDataType());
                assertTrue(TestSupport.psnr(img, deep) > 12);
                found = true;
            }
        }
        assertTrue(found, "no 16-bit type offered for a 16-bit source");
        r.dispose();
    }

    @Test
    void grayWithAlphaAndCustomTypes() throws IOException {
        ImageTypeSpecifier grayAlpha = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(
                ColorSpace.CS_GRAY), new int[] {0, 1}, DataBuffer.TYPE_BYTE, true, false);
        BufferedImage img = grayAlpha.createBufferedImage(20, 10);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                img.getRaster().setPixel(x, y, new int[] {x * 12, 255 - y * 20});
            }
        }
        byte[] file = write(img);
        assertEquals(2, QtkDecoder.info(file).channels());
        BufferedImage back = read(file);
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, back.getType(), "gray + alpha decodes to ABGR");
        assertEquals(255 - 9 * 20, back.getRaster().getSample(3, 9, 3));
        int rgb = back.getRGB(10, 5);
        assertEquals((rgb >> 16) & 0xFF, rgb & 0xFF, "equal colour samples");

        // A palette with transparency becomes RGBA.
        byte[] r = {0, (byte) 255, 0, 0};
        byte[] g = {0, 0, (byte) 255, 0};
        byte[] b = {0, 0, 0, (byte) 255};
        byte[] a = {0, (byte) 255, (byte) 255, (byte) 128};
        IndexColorModel icm = new IndexColorModel(2, 4, r, g, b, a);
        BufferedImage indexed = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_BINARY, icm);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                indexed.getRaster().setSample(x, y, 0, (x / 4 + y / 4) % 4);
            }
        }
        BufferedImage back2 = read(write(indexed));
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, back2.getType());
        assertEquals(128, back2.getRGB(12, 0) >>> 24, "palette alpha kept");

        // Float samples: converted to sRGB by the writer.
        ComponentColorModel fcm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        BufferedImage f = new BufferedImage(fcm, fcm.createCompatibleWritableRaster(12, 12), false, null);
        assertEquals(12, read(write(f)).getWidth());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1x1", "1x17", "17x1", "2x2", "33x17", "65x3"})
    void smallAndOddSizes(String size) throws IOException {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        BufferedImage img = TestSupport.gradient(w, h, BufferedImage.TYPE_INT_RGB);
        BufferedImage back = read(write(img));
        assertEquals(w, back.getWidth());
        assertEquals(h, back.getHeight());
    }

    @Test
    void streamsOfUnknownLengthAndAtAnOffset() throws IOException {
        BufferedImage img = TestSupport.gradient(48, 32, BufferedImage.TYPE_3BYTE_BGR);
        byte[] file = write(img);
        BufferedImage reference = read(file);
        // A plain InputStream (ImageIO wraps it in a cache stream of unknown length), delivering few bytes per read.
        InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        BufferedImage viaTrickle = ImageIO.read(trickle);
        assertEquals(0.0, 1 / TestSupport.psnr(reference, viaTrickle), "same pixels");
        // The file embedded after other data: readers start at the stream's position.
        byte[] wrapped = new byte[file.length + 100];
        System.arraycopy(file, 0, wrapped, 37, file.length);
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(wrapped));
        in.seek(37);
        BufferedImage atOffset = ImageIO.read(in); // ImageIO.read closes this stream itself
        assertNotNull(atOffset);
        assertEquals(0.0, 1 / TestSupport.psnr(reference, atOffset));
        // Written at an offset of an ImageOutputStream: the bytes land there, unchanged.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            out.write(new byte[5]);
            assertTrue(ImageIO.write(img, "qtk", out));
        }
        assertArrayEquals(file, java.util.Arrays.copyOfRange(bytes.toByteArray(), 5, bytes.size()));
    }

    @Test
    void readingTheSameReaderTwiceAndReusingIt() throws IOException {
        byte[] a = write(TestSupport.gradient(30, 20, BufferedImage.TYPE_3BYTE_BGR));
        byte[] b = write(TestSupport.gradient(20, 30, BufferedImage.TYPE_BYTE_GRAY));
        javax.imageio.ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(a)));
        BufferedImage first = r.read(0);
        BufferedImage again = r.read(0);
        assertEquals(0.0, 1 / TestSupport.psnr(first, again));
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(b)));
        assertEquals(20, r.getWidth(0));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, r.read(0).getType());
        r.dispose();
    }

    /** A RenderedImage that is not a BufferedImage: tiled, with a non-zero origin, served tile by tile. */
    static java.awt.image.RenderedImage tiled(BufferedImage src, int minX, int minY, int tile) {
        return new java.awt.image.RenderedImage() {
            public java.util.Vector<java.awt.image.RenderedImage> getSources() {
                return null;
            }

            public Object getProperty(String name) {
                return java.awt.Image.UndefinedProperty;
            }

            public String[] getPropertyNames() {
                return null;
            }

            public java.awt.image.ColorModel getColorModel() {
                return src.getColorModel();
            }

            public java.awt.image.SampleModel getSampleModel() {
                return src.getSampleModel().createCompatibleSampleModel(tile, tile);
            }

            public int getWidth() {
                return src.getWidth();
            }

            public int getHeight() {
                return src.getHeight();
            }

            public int getMinX() {
                return minX;
            }

            public int getMinY() {
                return minY;
            }

            public int getNumXTiles() {
                return (src.getWidth() + tile - 1) / tile;
            }

            public int getNumYTiles() {
                return (src.getHeight() + tile - 1) / tile;
            }

            public int getMinTileX() {
                return 0;
            }

            public int getMinTileY() {
                return 0;
            }

            public int getTileWidth() {
                return tile;
            }

            public int getTileHeight() {
                return tile;
            }

            public int getTileGridXOffset() {
                return minX;
            }

            public int getTileGridYOffset() {
                return minY;
            }

            public java.awt.image.Raster getTile(int tx, int ty) {
                return getData(new java.awt.Rectangle(minX + tx * tile, minY + ty * tile, tile, tile)
                        .intersection(new java.awt.Rectangle(minX, minY, src.getWidth(), src.getHeight())));
            }

            public java.awt.image.Raster getData() {
                return getData(new java.awt.Rectangle(minX, minY, src.getWidth(), src.getHeight()));
            }

            public java.awt.image.Raster getData(java.awt.Rectangle r) {
                java.awt.image.Raster part = src.getData(new java.awt.Rectangle(r.x - minX, r.y - minY, r.width,
                        r.height));
                return part.createTranslatedChild(r.x, r.y);
            }

            public java.awt.image.WritableRaster copyData(java.awt.image.WritableRaster raster) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void renderedImagesThatAreNotBufferedImages() throws IOException {
        BufferedImage src = TestSupport.gradient(50, 34, BufferedImage.TYPE_INT_ARGB);
        java.awt.image.RenderedImage img = tiled(src, 10, 5, 16);
        BufferedImage back = read(write(img));
        assertEquals(50, back.getWidth());
        assertEquals(34, back.getHeight());
        assertArrayEquals(write(src), write(img), "same pixels, same file, however they are served");
        // With a source region and subsampling the writer reads the RenderedImage in its own coordinates.
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
        p.setSourceRegion(new java.awt.Rectangle(20, 15, 20, 10));
        p.setSourceSubsampling(2, 1, 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(null, new javax.imageio.IIOImage(img, null, null), p);
        }
        BufferedImage part = read(bytes.toByteArray());
        assertEquals(10, part.getWidth());
        assertEquals(10, part.getHeight());
    }

    @Test
    void concurrentReadersAndWritersShareTheCodec() throws Exception {
        BufferedImage[] images = new BufferedImage[6];
        byte[][] sequential = new byte[images.length][];
        for (int i = 0; i < images.length; i++) {
            images[i] = TestSupport.gradient(40 + 8 * i, 32, i % 2 == 0 ? BufferedImage.TYPE_3BYTE_BGR
                    : BufferedImage.TYPE_INT_ARGB);
            sequential[i] = write(images[i]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> futures = new java.util.ArrayList<>();
            for (BufferedImage img : images) {
                futures.add(pool.submit(() -> {
                    byte[] f = write(img);
                    assertEquals(img.getWidth(), read(f).getWidth());
                    return f;
                }));
            }
            for (int i = 0; i < images.length; i++) {
                assertArrayEquals(sequential[i], futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void configChangeReopensTheSharedCodec() throws IOException {
        io.qtk.QtkConfig before = QtkImageIO.config();
        BufferedImage img = TestSupport.gradient(24, 24, BufferedImage.TYPE_3BYTE_BGR);
        byte[] reference = write(img);
        try {
            QtkImageIO.setConfig(io.qtk.QtkConfig.builder().intraOpThreads(1).build());
            assertEquals(1, QtkImageIO.config().intraOpThreads());
            assertArrayEquals(reference, write(img), "a new encoder, the same bytes");
            assertEquals(24, read(reference).getWidth());
        } finally {
            QtkImageIO.setConfig(before);
        }
    }

    @Test
    void scanForPluginsDuringConcurrentUseIsHarmless() throws Exception {
        // scanForPlugins replaces the registered providers, whose deregistration closes the shared codec.
        BufferedImage img = TestSupport.gradient(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        byte[] reference = write(img);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    byte[] f = write(img);
                    read(f);
                    return f;
                }));
                ImageIO.scanForPlugins();
            }
            for (java.util.concurrent.Future<byte[]> f : futures) {
                assertArrayEquals(reference, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
