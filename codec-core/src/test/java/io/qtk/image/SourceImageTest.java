package io.qtk.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Random;
import java.util.Vector;
import org.junit.jupiter.api.Test;

class SourceImageTest {

    static BufferedImage randomImage(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt());
            }
        }
        return img;
    }

    private static byte[] read(SourceImage s) {
        byte[] b = new byte[s.width() * s.height() * s.channels()];
        s.read8(0, 0, s.width(), s.height(), b);
        return b;
    }

    @Test
    void threeByteBgrGivesRgb() {
        BufferedImage img = randomImage(BufferedImage.TYPE_3BYTE_BGR, 7, 5, 1);
        SourceImage s = SourceImage.of(img);
        assertEquals(3, s.channels());
        assertEquals(8, s.sourceBitDepth());
        assertNull(s.iccProfile());
        byte[] b = read(s);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                int argb = img.getRGB(x, y);
                int p = (y * 7 + x) * 3;
                assertEquals((argb >> 16) & 0xFF, b[p] & 0xFF);
                assertEquals((argb >> 8) & 0xFF, b[p + 1] & 0xFF);
                assertEquals(argb & 0xFF, b[p + 2] & 0xFF);
            }
        }
    }

    @Test
    void packedAndInterleavedTypesAgreeWithGetRgb() {
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_4BYTE_ABGR};
        for (int type : types) {
            BufferedImage img = randomImage(type, 9, 4, type);
            SourceImage s = SourceImage.of(img);
            boolean alpha = img.getColorModel().hasAlpha();
            assertEquals(alpha ? 4 : 3, s.channels(), "type " + type);
            byte[] b = read(s);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 9; x++) {
                    int argb = img.getRGB(x, y);
                    int p = (y * 9 + x) * s.channels();
                    assertEquals((argb >> 16) & 0xFF, b[p] & 0xFF, "type " + type);
                    assertEquals((argb >> 8) & 0xFF, b[p + 1] & 0xFF);
                    assertEquals(argb & 0xFF, b[p + 2] & 0xFF);
                    if (alpha) {
                        assertEquals(argb >>> 24, b[p + 3] & 0xFF);
                    }
                }
            }
        }
    }

    @Test
    void premultipliedIsUnpremultiplied() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        img.getRaster().setPixel(0, 0, new int[] {50, 100, 128, 128}); // premultiplied samples
        img.getRaster().setPixel(1, 0, new int[] {0, 0, 0, 0});
        byte[] b = read(SourceImage.of(img));
        assertEquals(4, b.length / 2);
        assertEquals(Math.round(50 * 255 / 128.0), b[0] & 0xFF);
        assertEquals(Math.round(100 * 255 / 128.0), b[1] & 0xFF);
        assertEquals(255, b[2] & 0xFF);
        assertEquals(128, b[3] & 0xFF);
        assertEquals(0, b[7] & 0xFF);
    }

    @Test
    void grayAndSixteenBitGray() {
        BufferedImage g8 = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSample(1, 1, 0, 200);
        SourceImage s8 = SourceImage.of(g8);
        assertEquals(1, s8.channels());
        assertTrue(s8.isGray());
        assertNull(s8.iccProfile(), "built-in gray space carries no profile");
        assertEquals(200, read(s8)[4] & 0xFF);

        BufferedImage g16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = {0, 65535, 257 * 77, 32896};
        for (int i = 0; i < 4; i++) {
            g16.getRaster().setSample(i, 0, 0, v[i]);
        }
        SourceImage s16 = SourceImage.of(g16);
        assertEquals(16, s16.sourceBitDepth());
        byte[] b = read(s16);
        assertEquals(0, b[0] & 0xFF);
        assertEquals(255, b[1] & 0xFF);
        assertEquals(77, b[2] & 0xFF);
        assertEquals(Math.round(32896 * 255.0 / 65535), b[3] & 0xFF);
    }

    static BufferedImage rgba16(int w, int h, long seed) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16, 16},
                true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < 4; b++) {
                    r.setSample(x, y, b, rnd.nextInt(65536));
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    @Test
    void sixteenBitRgbaRoundsToEightBits() {
        BufferedImage img = rgba16(5, 3, 7);
        SourceImage s = SourceImage.of(img);
        assertEquals(4, s.channels());
        assertEquals(16, s.sourceBitDepth());
        byte[] b = read(s);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 4; c++) {
                    int v = img.getRaster().getSample(x, y, c);
                    assertEquals(Math.round(v * 255.0 / 65535), b[(y * 5 + x) * 4 + c] & 0xFF);
                }
            }
        }
    }

    @Test
    void indexedWithAndWithoutTransparency() {
        byte[] r = {0, (byte) 255, 10};
        byte[] g = {0, 0, 20};
        byte[] bl = {0, 0, 30};
        IndexColorModel opaque = new IndexColorModel(2, 3, r, g, bl);
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, opaque);
        img.getRaster().setSample(0, 0, 0, 2);
        img.getRaster().setSample(1, 0, 0, 1);
        SourceImage s = SourceImage.of(img);
        assertEquals(3, s.channels());
        assertArrayEquals(new byte[] {10, 20, 30, (byte) 255, 0, 0, 0, 0, 0}, read(s));

        IndexColorModel transparent = new IndexColorModel(8, 3, r, g, bl, 0);
        BufferedImage t = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, transparent);
        t.getRaster().setSample(1, 0, 0, 1);
        SourceImage st = SourceImage.of(t);
        assertEquals(4, st.channels());
        assertArrayEquals(new byte[] {0, 0, 0, 0, (byte) 255, 0, 0, (byte) 255}, read(st));
    }

    @Test
    void ushort565AndGenericPathsWork() {
        BufferedImage img = randomImage(BufferedImage.TYPE_USHORT_565_RGB, 4, 4, 3);
        byte[] b = read(SourceImage.of(img));
        for (int i = 0; i < 16; i++) {
            int argb = img.getRGB(i % 4, i / 4);
            assertEquals((argb >> 16) & 0xFF, b[i * 3] & 0xFF, 1.0);
        }
        // A linear-RGB ICC space keeps its values and its profile.
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage lin = new BufferedImage(cm, cm.createCompatibleWritableRaster(2, 2), false, null);
        lin.getRaster().setPixel(1, 1, new int[] {1, 2, 3});
        SourceImage sl = SourceImage.of(lin);
        assertNotNull(sl.iccProfile());
        assertEquals(3, read(sl)[11]);
        // CMYK-like: a colour space with 4 components goes through getRGB
        ColorModel cmf = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        BufferedImage f = new BufferedImage(cmf, cmf.createCompatibleWritableRaster(1, 1), false, null);
        f.getRaster().setPixel(0, 0, new float[] {1f, 0.5f, 0f});
        byte[] fb = read(SourceImage.of(f));
        assertEquals(255, fb[0] & 0xFF);
        assertEquals(0, fb[2] & 0xFF);
    }

    @Test
    void subimageAndNonBufferedRenderedImage() {
        BufferedImage big = randomImage(BufferedImage.TYPE_3BYTE_BGR, 20, 10, 11);
        BufferedImage sub = big.getSubimage(3, 2, 6, 5);
        byte[] b = read(SourceImage.of(sub));
        BufferedImage copy = new BufferedImage(6, 5, BufferedImage.TYPE_3BYTE_BGR);
        copy.setRGB(0, 0, 6, 5, sub.getRGB(0, 0, 6, 5, null, 0, 6), 0, 6);
        RenderedImage shifted = new ShiftedImage(copy, 100, -40);
        SourceImage ss = SourceImage.of(shifted);
        assertEquals(6, ss.width());
        assertArrayEquals(b, read(ss));
        int argb = big.getRGB(3 + 2, 2 + 1);
        assertEquals((argb >> 16) & 0xFF, b[(1 * 6 + 2) * 3] & 0xFF);
    }

    @Test
    void rgbPlanesReplicateEdges() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 51, 102, 255});
        float[] p = new float[3 * 4 * 3];
        SourceImage.of(img).readRgbPlanes(-1, 0, 4, 3, p);
        float[] row0 = {0f, 0f, 0.2f, 0.2f};
        float[] row1 = {0.4f, 0.4f, 1f, 1f};
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(row0[x], p[c * 12 + x], 1e-6);
                assertEquals(row1[x], p[c * 12 + 4 + x], 1e-6);
                assertEquals(row1[x], p[c * 12 + 8 + x], 1e-6);
            }
        }
    }

    @Test
    void alphaPlane() {
        BufferedImage img = randomImage(BufferedImage.TYPE_INT_ARGB, 33, 17, 5);
        byte[] a = SourceImage.of(img).alphaPlane();
        for (int i = 0; i < a.length; i++) {
            assertEquals(img.getRGB(i % 33, i / 33) >>> 24, a[i] & 0xFF);
        }
        assertFalse(SourceImage.of(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)).hasAlpha());
    }

    /** A RenderedImage with a non-zero origin, delegating to a BufferedImage. */
    static final class ShiftedImage implements RenderedImage {
        private final BufferedImage img;
        private final int ox;
        private final int oy;

        ShiftedImage(BufferedImage img, int ox, int oy) {
            this.img = img;
            this.ox = ox;
            this.oy = oy;
        }

        @Override
        public Vector<RenderedImage> getSources() {
            return null;
        }

        @Override
        public Object getProperty(String name) {
            return null;
        }

        @Override
        public String[] getPropertyNames() {
            return null;
        }

        @Override
        public ColorModel getColorModel() {
            return img.getColorModel();
        }

        @Override
        public SampleModel getSampleModel() {
            return img.getSampleModel();
        }

        @Override
        public int getWidth() {
            return img.getWidth();
        }

        @Override
        public int getHeight() {
            return img.getHeight();
        }

        @Override
        public int getMinX() {
            return ox;
        }

        @Override
        public int getMinY() {
            return oy;
        }

        @Override
        public int getNumXTiles() {
            return 1;
        }

        @Override
        public int getNumYTiles() {
            return 1;
        }

        @Override
        public int getMinTileX() {
            return 0;
        }

        @Override
        public int getMinTileY() {
            return 0;
        }

        @Override
        public int getTileWidth() {
            return img.getWidth();
        }

        @Override
        public int getTileHeight() {
            return img.getHeight();
        }

        @Override
        public int getTileGridXOffset() {
            return ox;
        }

        @Override
        public int getTileGridYOffset() {
            return oy;
        }

        @Override
        public Raster getTile(int tileX, int tileY) {
            return getData();
        }

        @Override
        public Raster getData() {
            return img.copyData(null).createTranslatedChild(ox, oy);
        }

        @Override
        public Raster getData(Rectangle rect) {
            Raster all = getData();
            WritableRaster out = all.createCompatibleWritableRaster(rect);
            out.setRect(all.createChild(rect.x, rect.y, rect.width, rect.height, rect.x, rect.y, null));
            return out;
        }

        @Override
        public WritableRaster copyData(WritableRaster raster) {
            throw new UnsupportedOperationException();
        }
    }

    @SuppressWarnings("unused")
    private static Point unused() {
        return null;
    }
}
