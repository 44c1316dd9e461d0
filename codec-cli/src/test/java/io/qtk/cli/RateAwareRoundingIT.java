package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rdo} through the packaged jar with the embedded default model (a scalar grid model with coder-5 tables, so
 * rate-aware rounding applies) on a real photo: it makes the file smaller for a small loss, leaves the top of the
 * ladder alone and keeps size targets. An integration test (failsafe, after the package phase made the jar); bad
 * values are checked by {@link CommandLineTest}.
 */
class RateAwareRoundingIT {
    @TempDir
    Path dir;

    /** Runs {@code java -jar qtk.jar ARGS} with only the embedded models. */
    private static Cli.Result jar(String... args) throws Exception {
        Path jar = Cli.repoRoot().resolve("codec-cli/target/qtk.jar");
        assertTrue(Files.isRegularFile(jar), "no jar at " + jar + " (the package phase makes it)");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("QTK_MODEL_PATH");
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread to = Cli.drain(p.getInputStream(), out);
        Thread te = Cli.drain(p.getErrorStream(), err);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "qtk did not finish in 2 minutes");
        to.join();
        te.join();
        return new Cli.Result(p.exitValue(), out.toString(), err.toString());
    }

    private Path photo() {
        return Cli.repoRoot().resolve("testdata/images/kodim23-crop-320x240.png");
    }

    private Path compress(String name, String... options) throws Exception {
        Path q = dir.resolve(name + ".qtk");
        String[] args = new String[options.length + 3];
        args[0] = "compress";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = photo().toString();
        args[options.length + 2] = q.toString();
        Cli.Result r = jar(args);
        assertEquals(0, r.code(), r::toString);
        return q;
    }

    private double psnr(Path qtk) throws Exception {
        Path png = dir.resolve(qtk.getFileName() + ".png");
        Cli.Result r = jar("decompress", qtk.toString(), png.toString());
        assertEquals(0, r.code(), r::toString);
        return Cli.psnr(ImageIO.read(photo().toFile()), ImageIO.read(png.toFile()));
    }

    @Test
    void roundingForRateMakesASmallerFileForALittleQuality() throws Exception {
        Path nearest = compress("nearest", "--quality", "0.5", "--rdo", "0");
        Path aware = compress("aware", "--quality", "0.5");
        long a = Files.size(nearest);
        long b = Files.size(aware);
        assertTrue(b < a, "default rounding " + b + " B, nearest " + a + " B");
        double pa = psnr(nearest);
        double pb = psnr(aware);
        assertTrue(pb > pa - 0.5 && pb < pa + 0.05, "PSNR nearest " + pa + ", rate-aware " + pb);
        assertTrue(pb > 22, "PSNR " + pb);
    }

    @Test
    void theTopOfTheLadderIsNearestRounding() throws Exception {
        Path nearest = compress("top-nearest", "--quality", "1", "--rdo", "0");
        Path aware = compress("top-aware", "--quality", "1", "--rdo", "3");
        assertArrayEquals(Files.readAllBytes(nearest), Files.readAllBytes(aware));
    }

    @Test
    void aSizeTargetStillFits() throws Exception {
        Path q = compress("sized", "--size", "6000");
        assertTrue(Files.size(q) <= 6000, Files.size(q) + " B");
    }
}
