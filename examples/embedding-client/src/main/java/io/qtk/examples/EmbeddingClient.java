package io.qtk.examples;

import io.qtk.Qtk;
import io.qtk.QtkInfo;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's embedding one-liners, {@code Qtk.encode} and {@code Qtk.decode}, with the shipped model and nothing on
 * the class path but what {@code io.qtk:codec-models} brings. Exits non-zero (an exception) on any failure.
 */
public final class EmbeddingClient {
    /** The jars the one dependency may bring, by file-name prefix; anything else on the class path is a failure. */
    private static final List<String> EXPECTED = List.of("codec-models-", "codec-core-", "onnxruntime"); // or onnxruntime_gpu

    private EmbeddingClient() {
    }

    public static void main(String[] args) throws Exception {
        checkClassPath();
        BufferedImage image = new BufferedImage(80, 56, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (x * 3) << 16 | (y * 4) << 8 | (int) (128 + 90 * Math.cos((x - y) / 7.0)));
            }
        }
        byte[] qtk = Qtk.encode(image); // embedded default model, default quality
        BufferedImage back = Qtk.decode(qtk);
        QtkInfo info = Qtk.info(qtk);
        check(back.getWidth() == 80 && back.getHeight() == 56,
                "decoded " + back.getWidth() + "x" + back.getHeight() + ", expected 80x56");
        check(info.modelName().startsWith("qtk-"), "coded with model " + info.modelName());
        double se = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int q = back.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = (p >> s & 0xFF) - (q >> s & 0xFF);
                    se += d * d;
                }
            }
        }
        double psnr = 10 * Math.log10(255.0 * 255.0 / (se / (3.0 * 80 * 56)));
        check(psnr > 25, "decoded at PSNR " + psnr + " dB, expected > 25");
        System.out.printf(Locale.ROOT, "embedding-client: Qtk.encode -> %d bytes (%.3f bpp, model %s %s),"
                + " Qtk.decode -> PSNR %.2f dB%n", qtk.length, info.bitsPerPixel(), info.modelName(),
                info.modelVersion(), psnr);
    }

    private static void checkClassPath() {
        String cp = System.getProperty("java.class.path", "");
        List<String> found = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                continue; // this project's classes
            }
            String name = Path.of(entry).getFileName().toString();
            found.add(EXPECTED.stream().filter(name::startsWith).findFirst()
                    .orElseThrow(() -> new IllegalStateException("unexpected jar on the class path: " + entry)));
        }
        check(found.size() == EXPECTED.size() && found.containsAll(EXPECTED),
                "expected exactly " + EXPECTED + " on the class path, found " + cp);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
