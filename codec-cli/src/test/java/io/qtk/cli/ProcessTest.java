package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a separate process: {@code java -cp ... io.qtk.cli.QtkCli}, real exit codes and signals. */
class ProcessTest {
    @TempDir
    Path dir;

    @Test
    void versionAndHelpExitZero() throws Exception {
        Cli.Result r = Cli.runProcess("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("qtk "), r.out());
        r = Cli.runProcess("decompress", "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void usageErrorExitsTwo() throws Exception {
        Cli.Result r = Cli.runProcess("compress", "--no-such-option", "a.png", "b.qtk");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
    }

    @Test
    void aMissingFileExitsOneAndNamesIt() throws Exception {
        Path missing = dir.resolve("gone.png");
        Cli.Result r = Cli.runProcess("compress", missing.toString(), dir.resolve("gone.qtk").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + missing + ": no such file"), r.err());
    }

    @Test
    void compressAndDecompressInAProcess() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 48, 32);
        Path q = dir.resolve("a.qtk");
        Cli.Result r = Cli.runProcess(Cli.withModel("compress", in.toString(), q.toString()));
        assertEquals(0, r.code(), r::toString);
        Path out = dir.resolve("a.tiff");
        r = Cli.runProcess(Cli.withModel("decompress", q.toString(), out.toString()));
        assertEquals(0, r.code(), r::toString);
        assertEquals(48, ImageIO.read(out.toFile()).getWidth());
        r = Cli.runProcess("info", q.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("48x32"), r.out());
    }

    @Test
    void anInterruptedBenchWriteLeavesNoPartialFile() throws Exception {
        // jpeg only: runs without the model. The debug property makes each 4 KiB written take 400 ms.
        Cli.image(dir.resolve("img/a.png"), "png", 48, 48);
        Path out = dir.resolve("bench");
        assertInterruptedWriteLeavesNothing(out, List.of("bench", "--codecs", "jpeg", "--jpeg-qualities", "50",
                "--out", out.toString(), dir.resolve("img").toString()), "results.csv");
    }

    @Test
    void anInterruptedDecompressLeavesNoPartialFile() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 160, 120);
        Path q = dir.resolve("a.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", in.toString(), q.toString())).code());
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        assertInterruptedWriteLeavesNothing(out, List.of(Cli.withModel("decompress", q.toString(),
                out.resolve("a.bmp").toString())), "a.bmp");
    }

    /** Starts the command slowed down, stops it (SIGTERM, as Ctrl-C would) while a temp file is written. */
    private static void assertInterruptedWriteLeavesNothing(Path out, List<String> args, String target)
            throws Exception {
        Process p = Cli.start(List.of("-Dqtk.debug.writeDelayMillis=400"), args.toArray(String[]::new));
        StringBuilder so = new StringBuilder();
        StringBuilder se = new StringBuilder();
        Cli.drain(p.getInputStream(), so);
        Cli.drain(p.getErrorStream(), se);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        boolean sawTemp = false;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    sawTemp = s.anyMatch(f -> f.getFileName().toString().endsWith(SafeOutput.TEMP_SUFFIX));
                }
            }
            if (sawTemp) {
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(sawTemp, "a temporary file should appear while writing; stderr: " + se);
        p.destroy(); // SIGTERM: shutdown hooks run, as with Ctrl-C
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process stops on SIGTERM");
        assertTrue(Files.notExists(out.resolve(target)), "no output under the real name");
        assertEquals(List.of(), Cli.tree(out), "no partial or temporary file left");
    }
}
