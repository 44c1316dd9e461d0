package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic, non-clobbering output: what is left on disk after success and after each kind of failure. */
class SafeOutputTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFileAndNoTemporaryRemains() throws Exception {
        Path t = dir.resolve("sub/deeper/out.bin");
        SafeOutput.write(t, false, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(t));
        assertEquals(List.of("sub/deeper/out.bin"), Cli.tree(dir));
        assertTrue(SafeOutput.pending().isEmpty());
    }

    @Test
    void neverOverwritesWithoutForce() throws Exception {
        Path t = dir.resolve("out.bin");
        Files.write(t, new byte[] {9});
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(t, false, new byte[] {1}));
        assertTrue(f.getMessage().contains("exists (use --force to overwrite)"), f.getMessage());
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(t));
        assertEquals(List.of("out.bin"), Cli.tree(dir));
    }

    @Test
    void overwritesWithForce() throws Exception {
        Path t = dir.resolve("out.bin");
        Files.write(t, new byte[] {9});
        SafeOutput.write(t, true, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(t));
        assertEquals(List.of("out.bin"), Cli.tree(dir));
    }

    @Test
    void aFileThatAppearsDuringTheWriteIsNotReplaced() throws Exception {
        Path t = dir.resolve("out.bin");
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(t, false, out -> {
            out.write(new byte[] {1, 2, 3});
            Files.write(t, new byte[] {7}); // another program creates the target meanwhile
        }));
        assertTrue(f.getMessage().contains("appeared while writing"), f.getMessage());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(t));
        assertEquals(List.of("out.bin"), Cli.tree(dir));
    }

    @Test
    void aWriteInterruptedByAnErrorLeavesNoPartialFile() throws Exception {
        Path t = dir.resolve("out.bin");
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(t, false, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device"); // what the OS reports when the disk fills up
        }));
        assertTrue(f.getMessage().contains("cannot write " + t + ": no space left on device (disk full)"),
                f.getMessage());
        assertTrue(Files.notExists(t));
        assertTrue(Cli.tree(dir).isEmpty(), "no temporary file left: " + dir);
        assertTrue(SafeOutput.pending().isEmpty());
    }

    @Test
    void aRuntimeFailureInsideTheWriteAlsoLeavesNothing() {
        Path t = dir.resolve("out.bin");
        assertThrows(IllegalStateException.class, () -> SafeOutput.write(t, false, out -> {
            out.write(1);
            throw new IllegalStateException("encoder bug");
        }));
        assertTrue(Files.notExists(t));
        assertTrue(SafeOutput.pending().isEmpty());
    }

    @Test
    void anOutputBelowAFileFailsEarlyWithTheReason() throws Exception {
        Path file = Files.write(dir.resolve("plain-file"), new byte[] {1});
        Path t = file.resolve("out.bin");
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.checkTarget(t, false));
        assertTrue(f.getMessage().contains("is a file, not a directory"), f.getMessage());
        f = assertThrows(FileFailure.class, () -> SafeOutput.write(t, true, new byte[] {1}));
        assertTrue(f.getMessage().contains("is a file, not a directory"), f.getMessage());
    }

    @Test
    void aReadOnlyDirectoryIsReported() throws Exception {
        Assumptions.assumeFalse(Cli.isRoot(), "needs host: a non-root user; running as root, permissions do not stop root's writes "
                + "(MountedVolumeTest covers this with a read-only mount)");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(ro.resolve("o"), false,
                    new byte[] {1}));
            assertTrue(f.getMessage().contains("not writable"), f.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anExistingDirectoryIsNotAnOutputFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        FileFailure f = assertThrows(FileFailure.class, () -> SafeOutput.write(d, true, new byte[] {1}));
        assertTrue(f.getMessage().contains("is a directory"), f.getMessage());
    }
}
