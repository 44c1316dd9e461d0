package io.qtk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * PSNR and MS-SSIM against known values. The reference numbers come from {@code src/test/python/reference_values.py}
 * (torch ops with pytorch_msssim's conventions), on images built from the same integer formulas.
 */
class MetricsTest {
    /** The test pair of reference_values.py: a patterned image and a quantised, noisy copy. */
    static Metrics.Rgb[] pair(int w, int h) {
        double[][] a = new double[3][w * h];
        double[][] b = new double[3][w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (x * 7 + y * 13 + c * 29 + (x * y) % 17 + ((x / 9 + y / 7) % 2) * 60) % 256;
                    int noise = ((x * 31 + y * 17 + c * 7) % 61) - 30;
                    a[c][y * w + x] = v;
                    b[c][y * w + x] = Math.max(0, Math.min(255, (v / 24) * 24 + 12 + noise));
                }
            }
        }
        return new Metrics.Rgb[] {new Metrics.Rgb(w, h, a[0], a[1], a[2]), new Metrics.Rgb(w, h, b[0], b[1], b[2])};
    }

    @Test
    void identicalImagesHaveMsSsimOneAndInfinitePsnr() {
        Metrics.Rgb[] p = pair(200, 180);
        assertEquals(1.0, Metrics.msssim(p[0], p[0]), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(p[0], p[0]));
    }

    @Test
    void msSsimMatchesTheTorchReferenceWithOddSizesOnTheWay() {
        // 200x180 -> 100x90 -> 50x45 -> 25x23 -> 13x12: odd sides take the zero-padded pooling path.
        Metrics.Rgb[] p = pair(200, 180);
        assertEquals(0.992601110591, Metrics.msssim(p[0], p[1]), 1e-9);
        assertEquals(22.880555524841, Metrics.psnr(p[0], p[1]), 1e-9);
    }

    @Test
    void msSsimMatchesTheTorchReferenceOnASquareImage() {
        Metrics.Rgb[] p = pair(256, 256);
        assertEquals(0.992605252003, Metrics.msssim(p[0], p[1]), 1e-9);
        assertEquals(22.878511237658, Metrics.psnr(p[0], p[1]), 1e-9);
    }

    @Test
    void moreDistortionMeansLowerScores() {
        Metrics.Rgb[] p = pair(192, 192);
        double[] r = p[0].r().clone();
        double[] g = p[0].g().clone();
        double[] b = p[0].b().clone();
        for (int i = 0; i < r.length; i++) {
            double d = (i % 3 == 0) ? 6 : -6;
            r[i] = Math.max(0, Math.min(255, r[i] + d));
            g[i] = Math.max(0, Math.min(255, g[i] - d));
            b[i] = Math.max(0, Math.min(255, b[i] + d));
        }
        Metrics.Rgb mild = new Metrics.Rgb(192, 192, r, g, b);
        assertTrue(Metrics.msssim(p[0], mild) > Metrics.msssim(p[0], p[1]));
        assertTrue(Metrics.psnr(p[0], mild) > Metrics.psnr(p[0], p[1]));
    }

    @Test
    void smallImagesUseFewerScalesAndTinyOnesAreNaN() {
        Metrics.Rgb[] p = pair(40, 30); // 30 -> 15: two scales fit
        double v = Metrics.msssim(p[0], p[1]);
        assertTrue(v > 0 && v < 1, "two-scale MS-SSIM in (0, 1): " + v);
        Metrics.Rgb[] tiny = pair(8, 8);
        assertTrue(Double.isNaN(Metrics.msssim(tiny[0], tiny[1])));
    }

    @Test
    void rgbReadsAnyImageTypeAndReplicatesGray() {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0);
        gray.getRaster().setSample(1, 0, 0, 255);
        Metrics.Rgb rgb = Metrics.rgb(gray);
        assertEquals(255, rgb.r()[1]);
        assertEquals(255, rgb.g()[1]);
        assertEquals(0, rgb.b()[0]);
    }

    @Test
    void msSsimInDecibels() {
        assertEquals(20.0, Metrics.msssimDb(0.99), 1e-9);
    }
}
