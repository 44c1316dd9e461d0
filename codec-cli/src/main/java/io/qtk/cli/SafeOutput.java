package io.qtk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an output file so that it either appears complete or not at all: the bytes go to a hidden temporary file in
 * the target directory (same file system, so the final rename is atomic), which is synced and then renamed onto the
 * target only when everything succeeded. Without {@code force} an existing target is never replaced, even when it
 * appears between the check and the rename (the rename is done as a hard link, which fails on an existing name).
 *
 * <p>Temporary files still open when the JVM is stopped (Ctrl-C, SIGTERM) are deleted by a shutdown hook, so an
 * interrupted run leaves neither a partial output nor a stray temporary file behind (only SIGKILL can skip the hook;
 * then a hidden {@code .*.qtk-tmp} file may remain, never a partial output under the real name).
 */
public final class SafeOutput {
    /** Suffix of the temporary files, so that a user can recognise (and a run can skip) them. */
    public static final String TEMP_SUFFIX = ".qtk-tmp";

    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SafeOutput::deletePending, "qtk-temp-cleanup"));
    }

    /** Writes the content of one output through an {@link OutputStream}. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out where the bytes go; do not close it
         * @throws IOException when producing or writing fails (the temporary file is then deleted)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private SafeOutput() {
    }

    /**
     * Fails early, before any expensive work is done, when the target exists and {@code force} is off, or when
     * its directory cannot be written (a path component is a file, no write permission, read-only file system).
     *
     * @param target the output file
     * @param force whether replacing is allowed
     * @throws FileFailure when the output cannot or may not be written
     */
    public static void checkTarget(Path target, boolean force) throws FileFailure {
        if (Files.isDirectory(target)) {
            throw new FileFailure("output " + target + " is a directory");
        }
        if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileFailure("output " + target + " exists (use --force to overwrite)");
        }
        // The nearest existing ancestor decides whether the output can be made at all: say so before encoding.
        Path dir = target.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new FileFailure("cannot write " + target + ": " + dir + " is a file, not a directory");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new FileFailure("cannot write " + target + ": directory " + dir
                    + " is not writable (permission denied or read-only file system)");
        }
    }

    /**
     * Writes bytes to {@code target} atomically.
     *
     * @param target the output file; its parent directories are created
     * @param force whether an existing target may be replaced
     * @param bytes the content
     * @throws FileFailure when the target exists without force, or writing fails (disk full, not writable ...)
     */
    public static void write(Path target, boolean force, byte[] bytes) throws FileFailure {
        write(target, force, out -> out.write(bytes));
    }

    /**
     * Creates an empty, uniquely named hidden file beside the target. Unlike {@code Files.createTempFile} (always
     * owner-only, 0600) the file gets the process umask's default permissions, so the published output is as
     * readable as any file the user creates.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String unique = Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "." + unique + TEMP_SUFFIX);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Writes to {@code target} atomically.
     *
     * @param target the output file; its parent directories are created
     * @param force whether an existing target may be replaced
     * @param content produces the bytes
     * @throws FileFailure when the target exists without force, or writing fails (disk full, not writable ...)
     */
    public static void write(Path target, boolean force, Content content) throws FileFailure {
        checkTarget(target, force);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new FileFailure("cannot create output directory " + dir + ": " + Errors.ioCause(e), e);
            }
            try {
                tmp = createTemp(dir, abs.getFileName().toString());
            } catch (IOException e) {
                throw new FileFailure("cannot write to directory " + dir + ": " + Errors.ioCause(e), e);
            }
            PENDING.add(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = new SlowableOutputStream(Channels.newOutputStream(ch))) {
                content.writeTo(out);
                out.flush();
                ch.force(true); // the data must be on disk before the name points at it
            } catch (IOException e) {
                throw new FileFailure("cannot write " + target + ": " + Errors.ioCause(e), e);
            }
            publish(tmp, abs, force);
            PENDING.remove(tmp);
            tmp = null;
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
                PENDING.remove(tmp);
            }
        }
    }

    private static void publish(Path tmp, Path target, boolean force) throws FileFailure {
        try {
            if (force) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try {
                // A hard link is an atomic "create only if absent"; the temporary name is removed afterwards.
                Files.createLink(target, tmp);
                Files.delete(tmp);
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw (FileAlreadyExistsException) e;
                }
                // No hard links here (e.g. some FUSE or network file systems): check, then rename atomically.
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FileFailure("output " + target + " appeared while writing (use --force to overwrite)", e);
        } catch (IOException e) {
            throw new FileFailure("cannot move the finished file onto " + target + ": " + Errors.ioCause(e), e);
        }
    }

    /** @return the temporary files currently being written (for tests) */
    static Set<Path> pending() {
        return Set.copyOf(PENDING);
    }

    private static void deletePending() {
        for (Path p : PENDING) {
            deleteQuietly(p);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: a leftover hidden temp file is harmless and recognisable by its suffix.
        }
    }

    /**
     * Passes bytes through; when the system property {@code qtk.debug.writeDelayMillis} is set, it sleeps that long
     * per 4 KiB written. Only tests set it: it makes "interrupt during a write" reproducible from another process.
     */
    private static final class SlowableOutputStream extends java.io.FilterOutputStream {
        private static final long DELAY = Long.getLong("qtk.debug.writeDelayMillis", 0L);

        SlowableOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (DELAY <= 0) {
                out.write(b, off, len);
                return;
            }
            for (int i = 0; i < len; i += 4096) {
                out.write(b, off + i, Math.min(4096, len - i));
                out.flush();
                try {
                    Thread.sleep(DELAY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("write interrupted");
                }
            }
        }
    }

}
