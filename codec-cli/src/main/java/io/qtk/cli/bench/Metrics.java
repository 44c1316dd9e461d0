package io.qtk.cli.bench;

import java.awt.image.BufferedImage;
import java.util.stream.IntStream;

/**
 * Distortion metrics on 8-bit RGB: PSNR and MS-SSIM.
 *
 * <p>MS-SSIM follows Wang, Simoncelli and Bovik (2003) with the usual parameters: 5 scales with weights
 * {0.0448, 0.2856, 0.3001, 0.2363, 0.1333}, an 11x11 Gaussian window with sigma 1.5 (separable, "valid" filtering:
 * no padding), K1 = 0.01, K2 = 0.03, data range 255, 2x2 average pooling between scales (an odd side is padded by
 * one zero sample on each side and the zeros count in the average), negative contrast-structure terms clamped to 0.
 * It is computed per RGB channel and averaged over the channels. These are exactly the conventions of the widely
 * used {@code pytorch_msssim} package (and of CompressAI's evaluations), so numbers compare with published ones.
 *
 * <p>An image whose smaller side is too small for 5 scales (it must be at least 11 * 2^4 = 176 pixels) is measured
 * with as many scales as fit, the weights of those scales renormalised to sum to 1; below 11 pixels the result is
 * NaN. Kodak (768x512) always gets the standard 5 scales.
 */
public final class Metrics {
    /** The MS-SSIM scale weights of Wang et al. */
    static final double[] WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    private static final int WIN = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] GAUSS = gaussian(WIN, SIGMA);

    private Metrics() {
    }

    /**
     * 8-bit RGB planes of an image.
     *
     * @param width width
     * @param height height
     * @param r red samples, row-major, 0..255
     * @param g green samples
     * @param b blue samples
     */
    public record Rgb(int width, int height, double[] r, double[] g, double[] b) {
        /** @return the three planes in R, G, B order */
        double[][] planes() {
            return new double[][] {r, g, b};
        }
    }

    /**
     * @param img any image (gray is replicated, alpha ignored)
     * @return its sRGB 8-bit samples as doubles
     */
    public static Rgb rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[] r = new double[w * h];
        double[] g = new double[w * h];
        double[] b = new double[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                r[y * w + x] = (p >> 16) & 0xFF;
                g[y * w + x] = (p >> 8) & 0xFF;
                b[y * w + x] = p & 0xFF;
            }
        }
        return new Rgb(w, h, r, g, b);
    }

    /**
     * @param a reference
     * @param b distorted, same size
     * @return PSNR in dB over all samples of the three channels ({@code +Infinity} when identical)
     */
    public static double psnr(Rgb a, Rgb b) {
        checkSize(a, b);
        double[][] pa = a.planes();
        double[][] pb = b.planes();
        double se = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pa[c].length; i++) {
                double d = pa[c][i] - pb[c][i];
                se += d * d;
            }
        }
        double mse = se / (3.0 * a.width() * a.height());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /**
     * @param a reference
     * @param b distorted, same size
     * @return MS-SSIM in [0, 1], the mean over R, G and B; NaN when the image is smaller than 11 pixels
     */
    public static double msssim(Rgb a, Rgb b) {
        checkSize(a, b);
        double[][] pa = a.planes();
        double[][] pb = b.planes();
        return IntStream.range(0, 3).parallel()
                .mapToDouble(c -> msssimPlane(pa[c], pb[c], a.width(), a.height())).average().orElse(Double.NaN);
    }

    /**
     * MS-SSIM of one channel.
     *
     * @param x reference samples, row-major, range 0..255
     * @param y distorted samples
     * @param w width
     * @param h height
     * @return MS-SSIM, or NaN when smaller than the window
     */
    static double msssimPlane(double[] x, double[] y, int w, int h) {
        int levels = 0;
        for (int s = Math.min(w, h); levels < WEIGHTS.length && s >= WIN; s = s / 2 + (s % 2)) {
            levels++;
        }
        if (levels == 0) {
            return Double.NaN;
        }
        // The published weights sum to 1.0001; they are used as they are for 5 scales (as everyone does) and
        // renormalised only when fewer scales fit.
        double wsum = 0;
        for (int i = 0; i < levels; i++) {
            wsum += WEIGHTS[i];
        }
        if (levels == WEIGHTS.length) {
            wsum = 1;
        }
        double result = 1;
        double[] cx = x;
        double[] cy = y;
        int cw = w;
        int ch = h;
        for (int l = 0; l < levels; l++) {
            double[] ssimCs = ssim(cx, cy, cw, ch);
            double weight = WEIGHTS[l] / wsum;
            double term = l < levels - 1 ? ssimCs[1] : ssimCs[0];
            result *= Math.pow(Math.max(0, term), weight);
            if (l < levels - 1) {
                int pw = cw % 2;
                int ph = ch % 2;
                cx = pool(cx, cw, ch, pw, ph);
                cy = pool(cy, cw, ch, pw, ph);
                cw = (cw + 2 * pw - 2) / 2 + 1;
                ch = (ch + 2 * ph - 2) / 2 + 1;
            }
        }
        return result;
    }

    /**
     * SSIM and contrast-structure means over the valid area. The five Gaussian-filtered maps (x, y, x², y², xy)
     * are computed in one fused separable pass: horizontal sums per row, then vertical sums per output sample, and
     * the statistics are accumulated directly.
     *
     * @return {mean SSIM, mean contrast-structure}
     */
    private static double[] ssim(double[] x, double[] y, int w, int h) {
        int ow = w - WIN + 1;
        int oh = h - WIN + 1;
        double[] hx = new double[ow * h];
        double[] hy = new double[ow * h];
        double[] hxx = new double[ow * h];
        double[] hyy = new double[ow * h];
        double[] hxy = new double[ow * h];
        for (int r = 0; r < h; r++) {
            int base = r * w;
            int ob = r * ow;
            for (int c = 0; c < ow; c++) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int k = 0; k < WIN; k++) {
                    double g = GAUSS[k];
                    double a = x[base + c + k];
                    double b = y[base + c + k];
                    double ga = g * a;
                    double gb = g * b;
                    sx += ga;
                    sy += gb;
                    sxx += ga * a;
                    syy += gb * b;
                    sxy += ga * b;
                }
                hx[ob + c] = sx;
                hy[ob + c] = sy;
                hxx[ob + c] = sxx;
                hyy[ob + c] = syy;
                hxy[ob + c] = sxy;
            }
        }
        double ssimSum = 0;
        double csSum = 0;
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double m1 = 0;
                double m2 = 0;
                double exx = 0;
                double eyy = 0;
                double exy = 0;
                for (int k = 0; k < WIN; k++) {
                    double g = GAUSS[k];
                    int i = (r + k) * ow + c;
                    m1 += g * hx[i];
                    m2 += g * hy[i];
                    exx += g * hxx[i];
                    eyy += g * hyy[i];
                    exy += g * hxy[i];
                }
                double s1 = exx - m1 * m1;
                double s2 = eyy - m2 * m2;
                double s12 = exy - m1 * m2;
                double cs = (2 * s12 + C2) / (s1 + s2 + C2);
                csSum += cs;
                ssimSum += (2 * m1 * m2 + C1) / (m1 * m1 + m2 * m2 + C1) * cs;
            }
        }
        return new double[] {ssimSum / ((double) ow * oh), csSum / ((double) ow * oh)};
    }

    /** 2x2 average pooling with {@code pw}/{@code ph} zero samples padded on each side (counted in the mean). */
    private static double[] pool(double[] src, int w, int h, int pw, int ph) {
        int ow = (w + 2 * pw - 2) / 2 + 1;
        int oh = (h + 2 * ph - 2) / 2 + 1;
        double[] out = new double[ow * oh];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                double s = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int y = 2 * oy + dy - ph;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int dx = 0; dx < 2; dx++) {
                        int x = 2 * ox + dx - pw;
                        if (x >= 0 && x < w) {
                            s += src[y * w + x];
                        }
                    }
                }
                out[oy * ow + ox] = s / 4;
            }
        }
        return out;
    }

    private static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double c = i - size / 2;
            g[i] = Math.exp(-(c * c) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    private static void checkSize(Rgb a, Rgb b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("images differ in size: " + a.width() + "x" + a.height() + " vs "
                    + b.width() + "x" + b.height());
        }
    }

    /**
     * @param msssim an MS-SSIM value
     * @return it in decibels, {@code -10 log10(1 - msssim)}, as usually plotted
     */
    public static double msssimDb(double msssim) {
        return -10 * Math.log10(1 - msssim);
    }
}
