package io.qtk.imageio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared helpers: where test data lives, synthetic images, image comparison. */
final class TestSupport {
    /**
     * The start of every skip message for data that lives outside the repository ({@code ../shared}); scripts/test.sh
     * fails the build on any skip whose message starts otherwise (scripts/check-skips.py).
     */
    static final String NEEDS_SHARED = "needs ../shared: ";

    private TestSupport() {
    }

    /** @return the repository root (system property {@code qtk.repo.root}, set by surefire), else the working dir */
    static Path repoRoot() {
        String p = System.getProperty("qtk.repo.root");
        return p != null ? Paths.get(p) : Paths.get("").toAbsolutePath().getParent();
    }

    /** @return the Kodak PNGs, or aborts the test (skipped, with the reason) when {@code ../shared} is absent */
    static List<Path> kodakImages() throws IOException {
        Path dir = repoRoot().resolve("../shared/datasets/eval/kodak").normalize();
        assumeTrue(Files.isDirectory(dir), NEEDS_SHARED + "Kodak images not found at " + dir);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> pngs = s.filter(f -> f.getFileName().toString().endsWith(".png")).sorted()
                    .collect(Collectors.toList());
            assumeTrue(!pngs.isEmpty(), NEEDS_SHARED + "no PNG in " + dir);
            return pngs;
        }
    }

    /** @return the Kodak directory, or null when {@code ../shared} is absent */
    static Path kodakDir() {
        Path dir = repoRoot().resolve("../shared/datasets/eval/kodak").normalize();
        return Files.isDirectory(dir) ? dir : null;
    }

    /** A smooth colour gradient with some structure, in the given BufferedImage type. */
    static BufferedImage gradient(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = w == 1 ? 128 : 255 * x / (w - 1);
                int g = h == 1 ? 128 : 255 * y / (h - 1);
                int b = (int) (127.5 + 127.5 * Math.sin((x + y) / 6.0));
                int a = 255 - (w == 1 ? 0 : 128 * x / (w - 1));
                img.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** @return PSNR in dB over the RGB values (as getRGB sees them) of two images of the same size */
    static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth()
                    + "x" + b.getHeight());
        }
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = ((p >> s) & 0xFF) - ((q >> s) & 0xFF);
                    se += d * d;
                    n++;
                }
            }
        }
        double mse = se / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** @return bytes that start like a .qtk file (signature and version) followed by filler */
    static byte[] fakeQtk(int length) {
        byte[] b = Arrays.copyOf(QtkImageReaderSpi.SIGNATURE, Math.max(length, 10));
        b[8] = 1;
        for (int i = 10; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    /**
     * PSNR of {@code part} against the pixels {@code (x0 + i * px, y0 + j * py)} of {@code whole} (clamped to it).
     */
    static double psnrAgainst(BufferedImage whole, int x0, int y0, int px, int py, BufferedImage part) {
        BufferedImage crop = new BufferedImage(part.getWidth(), part.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < part.getHeight(); y++) {
            for (int x = 0; x < part.getWidth(); x++) {
                int sx = Math.min(whole.getWidth() - 1, Math.max(0, x0 + x * px));
                int sy = Math.min(whole.getHeight() - 1, Math.max(0, y0 + y * py));
                crop.setRGB(x, y, whole.getRGB(sx, sy));
            }
        }
        return psnr(crop, part);
    }

    /**
     * Asserts that a region / subsampled read shows the same pixels as the whole image at those positions: equal
     * up to the model's tile-context differences (a region is decoded with its own padding), and aligned (a shift
     * by one pixel is clearly worse).
     */
    static void assertSamePixels(BufferedImage whole, int x0, int y0, int px, int py, BufferedImage part) {
        double aligned = psnrAgainst(whole, x0, y0, px, py, part);
        double shifted = psnrAgainst(whole, x0 + 1, y0 + 1, px, py, part);
        org.junit.jupiter.api.Assertions.assertTrue(aligned > 40,
                "region differs from the whole image's pixels: PSNR " + aligned);
        org.junit.jupiter.api.Assertions.assertTrue(aligned > shifted + 6,
                "misaligned? PSNR " + aligned + " aligned vs " + shifted + " shifted by one pixel");
    }
}
