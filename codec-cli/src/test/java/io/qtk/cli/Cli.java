package io.qtk.cli;

import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkWriter;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Test helpers: run the CLI in process or as a real process, make images and {@code .qtk} files. */
final class Cli {
    private Cli() {
    }

    /** What a run of the command printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code qtk ARGS} in this JVM through the real picocli set-up, capturing stdout and stderr. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QtkCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Starts {@code java -cp <test class path> [jvmArgs] io.qtk.cli.QtkCli ARGS}. */
    static Process start(List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.addAll(jvmArgs);
        cmd.add(QtkCli.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    /** Runs {@code qtk ARGS} as a separate process and waits for it (at most 2 minutes). */
    static Result runProcess(String... args) throws IOException, InterruptedException {
        Process p = start(List.of(), args);
        p.getOutputStream().close();
        // Drain both streams on threads so that a chatty child never blocks on a full pipe.
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread to = drain(p.getInputStream(), out);
        Thread te = drain(p.getErrorStream(), err);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("qtk process did not finish in 2 minutes");
        }
        to.join();
        te.join();
        return new Result(p.exitValue(), out.toString(), err.toString());
    }

    static Thread drain(java.io.InputStream in, StringBuilder sink) {
        Thread t = new Thread(() -> {
            try {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (sink) {
                    sink.append(s);
                }
            } catch (IOException ignored) {
                // process went away
            }
        });
        t.start();
        return t;
    }

    static String classPath() {
        // Surefire runs tests from a manifest-only jar; it publishes the real class path in this property.
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** @return the repository root (Surefire passes it; otherwise the parent of the module directory) */
    static Path repoRoot() {
        String p = System.getProperty("qtk.repo.root");
        if (p != null && Files.isDirectory(Path.of(p, "codec-cli"))) {
            return Path.of(p);
        }
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * @return the directory holding a small model: the trained tiny test model when it is there, else codec-core's
     *     synthetic test bundle; null when neither exists
     */
    static Path testModelDir() {
        Path d = repoRoot().resolve("testdata/models");
        if (Files.isRegularFile(d.resolve("qtk-test-tiny.qtkm"))) {
            return d;
        }
        Path s = repoRoot().resolve("codec-core/src/test/resources/models");
        return Files.isRegularFile(s.resolve("qtk-synthetic-tiny.qtkm")) ? s : null;
    }

    /** @return the {@code --model-dir} arguments for the test model (empty when absent) */
    static List<String> modelArgs() {
        Path d = testModelDir();
        return d == null ? List.of() : List.of("--model-dir", d.toString());
    }

    /** @return args followed by the model-dir option */
    static String[] withModel(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(modelArgs());
        return a.toArray(String[]::new);
    }

    /** A smooth colour gradient with some texture, 8-bit RGB. */
    static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x * 255 / Math.max(1, w - 1);
                int g = y * 255 / Math.max(1, h - 1);
                int b = ((x / 4 + y / 4) % 2) * 80 + 60;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Writes a gradient image in an ImageIO format ("png", "jpg", "bmp", "gif", "tiff"). */
    static Path image(Path file, String format, int w, int h) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String f = format.equals("jpg") ? "jpeg" : format;
        if (!ImageIO.write(gradient(w, h), f, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /** A syntactically valid {@code .qtk} file (made with the format writer, no engine) naming any model. */
    static byte[] qtkFile(String modelName, int w, int h, int streams) {
        QtkHeader.Builder hb = QtkHeader.builder().size(w, h).channels(io.qtk.format.Channels.RGB)
                .sourceBitDepth(8).orientation(1)
                .model(ModelId.of(modelName, "1", "ab".repeat(32)))
                .quantiser(new GridLayout(16, 8, 256, 4));
        int[] layout = new int[streams];
        java.util.Arrays.fill(layout, 2);
        hb.streamLayout(layout);
        QtkFile.Builder fb = QtkFile.builder(hb.build());
        for (int s = 0; s < streams; s++) {
            fb.addStream(1, List.of(new byte[] {1, 2, 3, (byte) s}, new byte[] {4, 5, 6}));
        }
        return QtkWriter.toBytes(fb.build());
    }

    /** @return whether this JVM runs as root (file permissions then do not stop writes) */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** @return the names of all files under dir (relative, '/'-separated), sorted */
    static List<String> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace(File.separatorChar,
                    '/')).sorted().toList();
        }
    }

    /** PSNR of b against a over the RGB samples of two images of the same size. */
    static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = ((p >> s) & 255) - ((q >> s) & 255);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
