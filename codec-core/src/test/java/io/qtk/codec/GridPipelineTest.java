package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.ProgressListener;
import io.qtk.QtkCancelledException;
import io.qtk.TestModels;
import io.qtk.image.OutputImage;
import io.qtk.image.SourceImage;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GridPipelineTest {
    static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255) / Math.max(1, w - 1);
                int g = (y * 255) / Math.max(1, h - 1);
                int b = ((x + y) * 37) & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    private static byte[][] groups(IndexGrid g) {
        byte[][] out = new byte[g.groups()][g.positions()];
        for (int k = 0; k < g.groups(); k++) {
            for (int p = 0; p < g.positions(); p++) {
                out[k][p] = (byte) g.get(k, p);
            }
        }
        return out;
    }

    @Test
    void tiledWithHaloEqualsUntiled() throws Exception {
        FakeGridModel m = new FakeGridModel();
        BufferedImage img = gradient(150, 61); // not multiples of f
        SourceImage src = SourceImage.of(img);
        GridPipeline whole = new GridPipeline(m, m, 4, 1L << 30);
        GridPipeline tiled = new GridPipeline(m, m, 4, 16 * 16 * 4); // 8x8 latent contexts, many tiles
        assertEquals(1, whole.plan(150, 61).size());
        assertTrue(tiled.plan(150, 61).size() > 10, "tiles: " + tiled.plan(150, 61).size());
        IndexGrid a = whole.encode(src, ProgressListener.NONE, 0, 1);
        IndexGrid b = tiled.encode(src, ProgressListener.NONE, 0, 1);
        assertArrayEquals(groups(a), groups(b));
        OutputImage oa = new OutputImage(150, 61, 3);
        OutputImage ob = new OutputImage(150, 61, 3);
        whole.decode(a, 2, 150, 61, null, oa, ProgressListener.NONE, 0, 1);
        tiled.decode(a, 2, 150, 61, null, ob, ProgressListener.NONE, 0, 1);
        assertArrayEquals(pixels(oa.image()), pixels(ob.image()));
        // and the halo matters: without it, tiles differ
        GridPipeline noHalo = new GridPipeline(m, m, 0, 16 * 16 * 4);
        OutputImage oc = new OutputImage(150, 61, 3);
        noHalo.decode(a, 2, 150, 61, null, oc, ProgressListener.NONE, 0, 1);
        assertFalse(Arrays.equals(pixels(oa.image()), pixels(oc.image())));
    }

    @Test
    void regionDecodeMatchesCropOfFullDecode() throws Exception {
        FakeGridModel m = new FakeGridModel();
        BufferedImage img = gradient(97, 45);
        GridPipeline p = new GridPipeline(m, m, 4, 12 * 12 * 16);
        IndexGrid grid = p.encode(SourceImage.of(img), ProgressListener.NONE, 0, 1);
        OutputImage full = new OutputImage(97, 45, 3);
        p.decode(grid, 2, 97, 45, null, full, ProgressListener.NONE, 0, 1);
        Rectangle r = new Rectangle(13, 7, 50, 30);
        OutputImage part = new OutputImage(50, 30, 3);
        p.decode(grid, 2, 97, 45, r, part, ProgressListener.NONE, 0, 1);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 50; x++) {
                assertEquals(full.image().getRGB(13 + x, 7 + y), part.image().getRGB(x, y));
            }
        }
    }

    @Test
    void fewerGroupsDecodeWorse() throws Exception {
        FakeGridModel m = new FakeGridModel();
        BufferedImage img = gradient(64, 64);
        GridPipeline p = new GridPipeline(m, m, 4, 0);
        IndexGrid grid = p.encode(SourceImage.of(img), ProgressListener.NONE, 0, 1);
        double prev = -1;
        for (int g = 0; g <= 2; g++) {
            OutputImage o = new OutputImage(64, 64, 3);
            p.decode(grid, g, 64, 64, null, o, ProgressListener.NONE, 0, 1);
            double psnr = TestModels.psnr(img, o.image());
            assertTrue(psnr > prev, "groups " + g + " psnr " + psnr);
            prev = psnr;
        }
        assertTrue(prev > 12, "fake model reconstructs reasonably: " + prev);
    }

    @Test
    void oneByOneAndCancellation() throws Exception {
        FakeGridModel m = new FakeGridModel();
        GridPipeline p = new GridPipeline(m, m, 4, 0);
        BufferedImage one = gradient(1, 1);
        IndexGrid grid = p.encode(SourceImage.of(one), ProgressListener.NONE, 0, 1);
        assertEquals(1, grid.positions());
        OutputImage o = new OutputImage(1, 1, 3);
        p.decode(grid, 2, 1, 1, null, o, ProgressListener.NONE, 0, 1);
        assertThrows(QtkCancelledException.class, () -> p.encode(SourceImage.of(one), TestModels.CANCELLED, 0, 1));
    }
}
