package io.qtk.imageio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Shared helpers: where test data lives, whether the codec engine works, synthetic images, image comparison. */
final class TestSupport {
    private static Boolean engineWorks;
    private static String engineProblem;

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
        assumeTrue(Files.isDirectory(dir), "Kodak images not found at " + dir + " (../shared absent): skipped");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> pngs = s.filter(f -> f.getFileName().toString().endsWith(".png")).sorted()
                    .collect(Collectors.toList());
            assumeTrue(!pngs.isEmpty(), "no PNG in " + dir + ": skipped");
            return pngs;
        }
    }

    /**
     * Aborts the calling test (reported as skipped, with the reason) when the codec engine cannot encode and decode
     * a small image yet, e.g. while codec-core's engine is still being assembled or no model is available.
     */
    static synchronized void assumeEngine() {
        if (engineWorks == null) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(gradient(32, 24, BufferedImage.TYPE_3BYTE_BGR), "qtk", out)) {
                    throw new IllegalStateException("ImageIO.write found no qtk writer");
                }
                BufferedImage back = ImageIO.read(new java.io.ByteArrayInputStream(out.toByteArray()));
                if (back == null || back.getWidth() != 32 || back.getHeight() != 24) {
                    throw new IllegalStateException("round trip gave " + back);
                }
                engineWorks = true;
            } catch (Throwable t) {
                engineWorks = false;
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                engineProblem = t + (root != t ? " (root cause: " + root + ")" : "");
            }
        }
        assumeTrue(engineWorks, () -> "qtk engine not usable yet, end-to-end test skipped: " + engineProblem);
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
}
