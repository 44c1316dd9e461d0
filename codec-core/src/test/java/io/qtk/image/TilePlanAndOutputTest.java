package io.qtk.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class TilePlanAndOutputTest {

    private static void checkPartition(TilePlan p, int y0, int y1, int x0, int x1, int lh, int lw, int hl, int f,
            long max) {
        int[][] cover = new int[lh][lw];
        for (TilePlan.Tile t : p.tiles()) {
            for (int y = t.coreY0(); y < t.coreY1(); y++) {
                for (int x = t.coreX0(); x < t.coreX1(); x++) {
                    cover[y][x]++;
                }
            }
            assertEquals(Math.max(0, t.coreY0() - hl), t.ctxY0());
            assertEquals(Math.min(lh, t.coreY1() + hl), t.ctxY1());
            assertEquals(Math.max(0, t.coreX0() - hl), t.ctxX0());
            assertEquals(Math.min(lw, t.coreX1() + hl), t.ctxX1());
            if (p.size() > 1) {
                assertTrue((long) t.ctxH() * t.ctxW() * f * f <= max, "tile " + t + " over " + max);
            }
        }
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                boolean in = y >= y0 && y < y1 && x >= x0 && x < x1;
                assertEquals(in ? 1 : 0, cover[y][x], "position " + y + "," + x);
            }
        }
    }

    @Test
    void smallImageIsOneTile() {
        TilePlan p = TilePlan.of(3, 5, 16, 2, 1 << 20);
        assertEquals(1, p.size());
        checkPartition(p, 0, 3, 0, 5, 3, 5, 2, 16, 1 << 20);
    }

    @Test
    void largeGridsArePartitionedWithinTheBound() {
        int[][] cases = {{1025, 9, 4, 4, 4096}, {100, 100, 4, 2, 40 * 40 * 16}, {257, 3, 16, 2, 1 << 16},
            {1, 4000, 4, 8, 256 * 16}, {4096, 4096, 4, 8, 1 << 20}};
        for (int[] c : cases) {
            TilePlan p = TilePlan.of(c[0], c[1], c[2], c[3], c[4]);
            assertTrue(p.size() > 1, "expected several tiles for " + java.util.Arrays.toString(c));
            checkPartition(p, 0, c[0], 0, c[1], c[0], c[1], c[3], c[2], c[4]);
        }
    }

    @Test
    void windowPlanCoversOnlyTheWindow() {
        TilePlan p = TilePlan.window(50, 60, 10, 30, 5, 55, 4, 3, 20 * 20 * 16);
        checkPartition(p, 10, 30, 5, 55, 50, 60, 3, 4, 20 * 20 * 16);
        assertEquals(p.tilesX() * p.tilesY(), p.size());
    }

    @Test
    void outputImageTypesAndRounding() {
        float[] planes = {0f, 0.5f, // R
            1f, 2f, // G
            -1f, Float.NaN}; // B
        OutputImage rgb = new OutputImage(2, 1, 3);
        rgb.writeRgb(planes, 2, 1, 0, 0, 0, 0, 2, 1);
        BufferedImage img = rgb.image();
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, img.getType());
        assertEquals(0x00FF00, img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x80FF00, img.getRGB(1, 0) & 0xFFFFFF);

        OutputImage gray = new OutputImage(1, 1, 1);
        gray.writeRgb(new float[] {0.3f, 0.3f, 0.6f}, 1, 1, 0, 0, 0, 0, 1, 1);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, gray.image().getType());
        assertEquals(102, gray.image().getRaster().getSample(0, 0, 0));

        OutputImage ga = new OutputImage(2, 2, 2);
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, ga.image().getType());
        ga.writeRgb(new float[] {0.2f, 0.2f, 0.2f}, 1, 1, 0, 0, 1, 1, 1, 1);
        ga.writeAlpha(new byte[] {1, 2, 3, 4}, 2, 0, 0, 0, 0, 2, 2);
        assertEquals(0x04333333, ga.image().getRGB(1, 1));
        assertEquals(0x01000000, ga.image().getRGB(0, 0));
    }
}
