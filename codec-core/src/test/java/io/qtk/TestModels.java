package io.qtk;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which model the API tests use: training's {@code testdata/models/qtk-test-tiny.qtkm} when the repository has it,
 * else the hand-made {@code qtk-synthetic-tiny} embedded in the test class path. Also shared helpers.
 */
public final class TestModels {
    private TestModels() {
    }

    /** A listener cancelled from the start: the first check in an encode or decode must stop it. */
    public static final ProgressListener CANCELLED = new ProgressListener() {
        @Override
        public void progress(float fraction) {
        }

        @Override
        public boolean isCancelled() {
            return true;
        }
    };

    /** @return the repository root (surefire sets {@code qtk.repo.root}) */
    public static Path repoRoot() {
        String r = System.getProperty("qtk.repo.root");
        if (r != null) {
            return Path.of(r);
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("codec-core")) ? here : here.getParent();
    }

    /** @return the trained tiny test model file, if present */
    public static Path trainedTiny() {
        return repoRoot().resolve("testdata/models/qtk-test-tiny.qtkm");
    }

    /** @return the name of the model the tests use */
    public static String name() {
        return Files.exists(trainedTiny()) ? "qtk-test-tiny" : "qtk-synthetic-tiny";
    }

    /**
     * @param maxTilePixels tile bound, 0 for the default
     * @return a configuration finding the test models, one ONNX thread per run
     */
    public static QtkConfig config(long maxTilePixels) {
        List<Path> dirs = new ArrayList<>();
        Path d = repoRoot().resolve("testdata/models");
        if (Files.isDirectory(d)) {
            dirs.add(d);
        }
        return QtkConfig.builder().intraOpThreads(1).modelDirs(dirs).maxTilePixels(maxTilePixels).build();
    }

    /** @return options selecting the test model */
    public static EncodeOptions.Builder options() {
        return EncodeOptions.builder().model(name());
    }

    /**
     * @param a reference
     * @param b test
     * @return PSNR over RGB (99 when identical)
     */
    public static double psnr(BufferedImage a, BufferedImage b) {
        return psnr(a, b, 1);
    }

    /**
     * @param a reference
     * @param b test
     * @param rowStep 1 for every row, n for every n-th (a large image is slow through getRGB)
     * @return PSNR over RGB of those rows (99 when identical)
     */
    public static double psnr(BufferedImage a, BufferedImage b, int rowStep) {
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += rowStep) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int e = ((p >> s) & 0xFF) - ((q >> s) & 0xFF);
                    se += e * e;
                    n++;
                }
            }
        }
        return se == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 * n / se);
    }

    /**
     * @param w width
     * @param h height
     * @param type image type
     * @return a smooth synthetic photo-like image (gradients, a disc, soft texture)
     */
    public static BufferedImage synthetic(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / Math.max(1, w - 1);
                double v = (double) y / Math.max(1, h - 1);
                double disc = Math.hypot(u - 0.6, v - 0.4) < 0.25 ? 60 : 0;
                int r = clamp(40 + 170 * u + disc + 10 * Math.sin(x * 0.3));
                int g = clamp(60 + 120 * v + 8 * Math.cos(y * 0.21));
                int b = clamp(200 - 120 * u * v - disc);
                img.setRGB(x, y, 0xFF000000 | (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
