package io.qtk.imageio;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Moves decoded pixels into an ImageIO destination: subsampling, destination offset, band selection and conversion
 * to the destination's type. Decoded images are 8-bit {@code BYTE_GRAY}, {@code 3BYTE_BGR} or {@code 4BYTE_ABGR},
 * whose raster bands are gray | R, G, B (, A).
 */
final class Pixels {
    private Pixels() {
    }

    /**
     * Copies {@code src} pixel {@code (i * periodX, j * periodY)} to {@code dest} pixel
     * {@code (destRegion.x + i, destRegion.y + j)} for every {@code (i, j)} of {@code destRegion}'s size.
     *
     * @param src the decoded pixels, origin at the first source pixel to take
     * @param srcIsGray whether the file is gray (its RGB(A) decoding then has equal colour samples)
     * @param srcBands source bands to read (ImageReadParam), or null for all
     * @param dstBands destination bands to write (ImageReadParam), or null for all
     */
    static void copy(BufferedImage src, boolean srcIsGray, int periodX, int periodY, BufferedImage dest,
            Rectangle destRegion, int[] srcBands, int[] dstBands) {
        if (srcBands != null || dstBands != null) {
            int n = srcBands != null ? srcBands.length : dstBands.length;
            copyBands(src.getRaster(), periodX, periodY, dest.getRaster(), destRegion,
                    srcBands != null ? srcBands : identity(n), dstBands != null ? dstBands : identity(n), null);
            return;
        }
        int[][] map = bandMap(src.getColorModel(), srcIsGray, dest.getColorModel());
        if (map != null) {
            copyBands(src.getRaster(), periodX, periodY, dest.getRaster(), destRegion, map[0], map[1], map[2]);
            return;
        }
        // Anything else (indexed, premultiplied, other colour spaces): let Java 2D convert, replacing not blending.
        BufferedImage sub = src;
        if (periodX != 1 || periodY != 1 || src.getWidth() != destRegion.width
                || src.getHeight() != destRegion.height) {
            sub = new BufferedImage(src.getColorModel(),
                    src.getRaster().createCompatibleWritableRaster(destRegion.width, destRegion.height),
                    false, null);
            int bands = src.getRaster().getNumBands();
            copyBands(src.getRaster(), periodX, periodY, sub.getRaster(),
                    new Rectangle(0, 0, destRegion.width, destRegion.height), identity(bands), identity(bands), null);
        }
        Graphics2D g = dest.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(sub, destRegion.x, destRegion.y, null);
        } finally {
            g.dispose();
        }
    }

    /**
     * @return {source bands, destination bands, destination bands to fill with opaque alpha (or null)} for a
     *     sample-by-sample copy, or null when the destination needs a colour conversion
     */
    private static int[][] bandMap(ColorModel scm, boolean srcIsGray, ColorModel dcm) {
        if (!(dcm instanceof ComponentColorModel || dcm instanceof PackedColorModel) || dcm.isAlphaPremultiplied()
                || dcm.getTransferType() == DataBuffer.TYPE_FLOAT || dcm.getTransferType() == DataBuffer.TYPE_DOUBLE
                || dcm.getNumComponents() != (dcm.hasAlpha() ? 1 : 0) + dcm.getNumColorComponents()) {
            return null;
        }
        int dcsType = dcm.getColorSpace().getType();
        int dColours = dcm.getNumColorComponents();
        int sColours = scm.getNumColorComponents();
        boolean dGray = dcsType == ColorSpace.TYPE_GRAY && dColours == 1;
        boolean dRgb = dcsType == ColorSpace.TYPE_RGB && dColours == 3;
        if (!dGray && !dRgb) {
            return null;
        }
        int[] from;
        if (dGray) {
            if (sColours == 1) {
                from = new int[] {0};
            } else if (srcIsGray) {
                from = new int[] {0}; // equal colour samples: any one is the gray value
            } else {
                return null; // RGB to gray needs a real conversion
            }
        } else {
            from = sColours == 1 ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        }
        boolean sAlpha = scm.hasAlpha();
        if (!dcm.hasAlpha()) {
            return new int[][] {from, identity(dColours), null};
        }
        if (sAlpha) {
            int[] f = java.util.Arrays.copyOf(from, dColours + 1);
            f[dColours] = sColours; // alpha is the last source band
            return new int[][] {f, identity(dColours + 1), null};
        }
        return new int[][] {from, identity(dColours), new int[] {dColours}};
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * Copies 8-bit samples band to band, scaled to each destination band's sample size; {@code opaque} bands are set
     * to their maximum.
     */
    static void copyBands(Raster src, int periodX, int periodY, WritableRaster dest, Rectangle destRegion,
            int[] srcBands, int[] dstBands, int[] opaque) {
        int w = destRegion.width;
        int srcSpan = (w - 1) * periodX + 1;
        int srcBandCount = src.getNumBands();
        int[] row = new int[srcSpan * srcBandCount];
        int[][] scale = new int[dstBands.length][];
        for (int k = 0; k < dstBands.length; k++) {
            scale[k] = scaleTable(dest.getSampleModel().getSampleSize(dstBands[k]));
        }
        int[] out = new int[w];
        for (int j = 0; j < destRegion.height; j++) {
            int sy = src.getMinY() + j * periodY;
            src.getPixels(src.getMinX(), sy, srcSpan, 1, row);
            for (int k = 0; k < dstBands.length; k++) {
                int sb = srcBands[k];
                int[] table = scale[k];
                for (int i = 0; i < w; i++) {
                    out[i] = table[row[i * periodX * srcBandCount + sb] & 0xFF];
                }
                dest.setSamples(destRegion.x, destRegion.y + j, w, 1, dstBands[k], out);
            }
            if (opaque != null) {
                for (int b : opaque) {
                    int max = (int) ((1L << dest.getSampleModel().getSampleSize(b)) - 1);
                    java.util.Arrays.fill(out, max);
                    dest.setSamples(destRegion.x, destRegion.y + j, w, 1, b, out);
                }
            }
        }
    }

    /** @return v8 -> round(v8 * (2^bits - 1) / 255) */
    private static int[] scaleTable(int bits) {
        int[] t = new int[256];
        long max = (1L << bits) - 1;
        for (int v = 0; v < 256; v++) {
            t[v] = (int) ((v * max + 127) / 255);
        }
        return t;
    }
}
