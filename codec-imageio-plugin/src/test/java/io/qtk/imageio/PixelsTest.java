package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.Test;

/** Decoded pixels into every kind of destination: the copy behind ImageReadParam's regions, periods and types. */
class PixelsTest {
    private static final Rectangle ALL = new Rectangle(0, 0, 12, 8);

    /** What the codec decodes to: 3BYTE_BGR / 4BYTE_ABGR / BYTE_GRAY. */
    private static BufferedImage decoded(int type) {
        return TestSupport.gradient(12, 8, type);
    }

    @Test
    void sameTypeCopiesExactly() {
        for (int t : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_BYTE_GRAY}) {
            BufferedImage src = decoded(t);
            BufferedImage dst = new BufferedImage(12, 8, t);
            Pixels.copy(src, t == BufferedImage.TYPE_BYTE_GRAY, 1, 1, dst, ALL, null, null);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 12; x++) {
                    assertEquals(src.getRGB(x, y), dst.getRGB(x, y), "type " + t + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void equivalentTypesGiveTheSameColours() {
        BufferedImage src = decoded(BufferedImage.TYPE_3BYTE_BGR);
        for (int t : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_4BYTE_ABGR_PRE}) {
            BufferedImage dst = new BufferedImage(12, 8, t);
            Pixels.copy(src, false, 1, 1, dst, ALL, null, null);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 12; x++) {
                    assertEquals(src.getRGB(x, y) | 0xFF000000, dst.getRGB(x, y), "type " + t);
                }
            }
        }
    }

    @Test
    void alphaKeptOrComposited() {
        BufferedImage src = decoded(BufferedImage.TYPE_4BYTE_ABGR);
        BufferedImage argb = new BufferedImage(12, 8, BufferedImage.TYPE_INT_ARGB);
        Pixels.copy(src, false, 1, 1, argb, ALL, null, null);
        assertEquals(src.getRGB(11, 3), argb.getRGB(11, 3));
        // Premultiplied: the colours survive up to rounding of the premultiplication.
        BufferedImage pre = new BufferedImage(12, 8, BufferedImage.TYPE_INT_ARGB_PRE);
        Pixels.copy(src, false, 1, 1, pre, ALL, null, null);
        int a = src.getRGB(5, 5);
        int b = pre.getRGB(5, 5);
        assertEquals(a >>> 24, b >>> 24);
        for (int s = 0; s < 24; s += 8) {
            assertEquals((a >> s) & 0xFF, (b >> s) & 0xFF, 2.0);
        }
    }

    @Test
    void grayIntoColourAndDeeperTypes() {
        BufferedImage src = decoded(BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB);
        Pixels.copy(src, true, 1, 1, rgb, ALL, null, null);
        int v = src.getRaster().getSample(7, 2, 0);
        assertEquals(0xFF000000 | v << 16 | v << 8 | v, rgb.getRGB(7, 2), "gray replicated into R, G, B");
        BufferedImage deep = new BufferedImage(12, 8, BufferedImage.TYPE_USHORT_GRAY);
        Pixels.copy(src, true, 1, 1, deep, ALL, null, null);
        assertEquals(v * 257, deep.getRaster().getSample(7, 2, 0), "8 to 16 bits: v * 65535 / 255");
        BufferedImage argb = new BufferedImage(12, 8, BufferedImage.TYPE_INT_ARGB);
        Pixels.copy(src, true, 1, 1, argb, ALL, null, null);
        assertEquals(255, argb.getRGB(0, 0) >>> 24, "no alpha in the source: opaque");
    }

    @Test
    void sixteenBitColourTypes() {
        BufferedImage src = decoded(BufferedImage.TYPE_4BYTE_ABGR);
        ImageTypeSpecifier t = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {0, 1, 2, 3}, DataBuffer.TYPE_USHORT, true, false);
        BufferedImage dst = t.createBufferedImage(12, 8);
        Pixels.copy(src, false, 1, 1, dst, ALL, null, null);
        for (int b = 0; b < 4; b++) {
            assertEquals(src.getRaster().getSample(4, 4, b) * 257, dst.getRaster().getSample(4, 4, b));
        }
    }

    @Test
    void grayAlphaFileIntoGrayAlphaDestination() {
        // A gray + alpha file decodes to ABGR with equal colour samples; a gray + alpha destination takes one.
        BufferedImage src = new BufferedImage(12, 8, BufferedImage.TYPE_4BYTE_ABGR);
        src.getRaster().setPixel(3, 3, new int[] {90, 90, 90, 40});
        ImageTypeSpecifier t = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {0, 1}, DataBuffer.TYPE_BYTE, true, false);
        BufferedImage dst = t.createBufferedImage(12, 8);
        Pixels.copy(src, true, 1, 1, dst, ALL, null, null);
        assertEquals(90, dst.getRaster().getSample(3, 3, 0));
        assertEquals(40, dst.getRaster().getSample(3, 3, 1));
    }

    @Test
    void colourIntoGrayAndIndexedConvert() {
        BufferedImage src = decoded(BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage gray = new BufferedImage(12, 8, BufferedImage.TYPE_BYTE_GRAY);
        Pixels.copy(src, false, 1, 1, gray, ALL, null, null);
        BufferedImage expected = new BufferedImage(12, 8, BufferedImage.TYPE_BYTE_GRAY);
        expected.createGraphics().drawImage(src, 0, 0, null);
        assertEquals(expected.getRGB(6, 6), gray.getRGB(6, 6), "Java 2D's own conversion");
        BufferedImage indexed = new BufferedImage(12, 8, BufferedImage.TYPE_BYTE_INDEXED);
        Pixels.copy(src, false, 1, 1, indexed, ALL, null, null);
        BufferedImage expectedIndexed = new BufferedImage(12, 8, BufferedImage.TYPE_BYTE_INDEXED);
        expectedIndexed.createGraphics().drawImage(src, 0, 0, null);
        assertEquals(expectedIndexed.getRGB(2, 7), indexed.getRGB(2, 7));
    }

    @Test
    void subsamplingAndDestinationOffset() {
        BufferedImage src = decoded(BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage dst = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        Rectangle region = new Rectangle(5, 7, 4, 3); // 4 x 3 pixels from every 3rd column, every 2nd row
        Pixels.copy(src, false, 3, 2, dst, region, null, null);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(src.getRGB(3 * i, 2 * j) | 0xFF000000, dst.getRGB(5 + i, 7 + j));
            }
        }
        assertEquals(0xFF000000, dst.getRGB(4, 7), "outside the destination region untouched");
        assertEquals(0xFF000000, dst.getRGB(9, 7));
        // The same through the Java 2D path (premultiplied destination).
        BufferedImage pre = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB_PRE);
        Pixels.copy(src, false, 3, 2, pre, region, null, null);
        assertEquals(src.getRGB(9, 4) | 0xFF000000, pre.getRGB(8, 9));
        assertEquals(0, pre.getRGB(4, 7));
    }

    @Test
    void bandSelection() {
        BufferedImage src = decoded(BufferedImage.TYPE_4BYTE_ABGR);
        BufferedImage gray = new BufferedImage(12, 8, BufferedImage.TYPE_BYTE_GRAY);
        Pixels.copy(src, false, 1, 1, gray, ALL, new int[] {3}, new int[] {0}); // alpha into gray
        assertEquals(src.getRaster().getSample(9, 1, 3), gray.getRaster().getSample(9, 1, 0));
        BufferedImage swapped = new BufferedImage(12, 8, BufferedImage.TYPE_3BYTE_BGR);
        Pixels.copy(src, false, 1, 1, swapped, ALL, new int[] {2, 1, 0}, null);
        assertEquals(src.getRaster().getSample(2, 2, 0), swapped.getRaster().getSample(2, 2, 2));
        assertEquals(src.getRaster().getSample(2, 2, 2), swapped.getRaster().getSample(2, 2, 0));
    }
}
