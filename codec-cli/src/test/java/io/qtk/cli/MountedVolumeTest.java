package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A really full disk and a really read-only directory, made with a small tmpfs mount (as root, where plain file
 * permissions cannot stop a write). Skipped, with the reason, where mounting is not allowed.
 */
class MountedVolumeTest {
    @TempDir
    Path dir;

    private Path mounted;

    private void mount(String options) throws Exception {
        Path m = Files.createDirectory(dir.resolve("vol"));
        String why;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", m.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean done = p.waitFor(20, TimeUnit.SECONDS);
            why = done && p.exitValue() == 0 ? null : "mount failed: " + out.trim();
        } catch (java.io.IOException e) {
            why = "no mount command: " + e.getMessage();
        }
        Assumptions.assumeTrue(why == null, "needs host: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): " + why);
        mounted = m;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            Process p = new ProcessBuilder("umount", mounted.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aFullDiskIsReportedAndLeavesNoPartialFile() throws Exception {
        mount("size=64k");
        Path t = mounted.resolve("big.bin");
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(t, false, new byte[300_000]));
        assertTrue(f.getMessage().contains("no space left on device (disk full)"), f.getMessage());
        assertEquals(List.of(), Cli.tree(mounted), "neither the output nor the temporary file is left");
    }

    @Test
    void decompressingOntoAFullDiskFailsCleanly() throws Exception {
        mount("size=64k");
        Path in = Cli.image(dir.resolve("a.png"), "png", 300, 200);
        Path q = dir.resolve("a.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", in.toString(), q.toString())).code());
        Path out = mounted.resolve("a.bmp"); // 180 KB of BMP cannot fit in 64 KiB
        Cli.Result r = Cli.run(Cli.withModel("decompress", q.toString(), out.toString()));
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + q + ": cannot write " + out + ": no space left on device (disk full)"),
                r.err());
        assertEquals(List.of(), Cli.tree(mounted));
    }

    @Test
    void aReadOnlyDirectoryIsReportedBeforeAnyWork() throws Exception {
        mount("ro,size=64k");
        Path in = Cli.image(dir.resolve("a.png"), "png", 16, 16);
        Path out = mounted.resolve("a.qtk");
        Cli.Result r = Cli.run("compress", in.toString(), out.toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("cannot write " + out + ": directory " + mounted
                + " is not writable (permission denied or read-only file system)"), r.err());
        assertEquals(List.of(), Cli.tree(mounted));
    }
}
