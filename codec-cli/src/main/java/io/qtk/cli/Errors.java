package io.qtk.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns exceptions into the short cause a user reads after the file name: "no such file", "permission denied",
 * "no space left on device", "corrupt .qtk file at byte 123: ...". The goal is one line that says what to fix,
 * without a stack trace (those appear only with {@code --verbose}).
 */
public final class Errors {
    private Errors() {
    }

    /**
     * @param e an I/O failure of the file system
     * @return its cause in words
     */
    public static String ioCause(IOException e) {
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : null;
        String msg = reason != null ? reason : e.getMessage();
        String lower = msg == null ? "" : msg.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "no space left on device (disk full)";
        }
        if (lower.contains("disk quota")) {
            return "disk quota exceeded";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied (not writable)";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof NotDirectoryException || lower.contains("not a directory")) {
            return "a path component is a file, not a directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "exists and is not a directory: " + ((java.nio.file.FileAlreadyExistsException) e).getFile();
        }
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    /**
     * Describes a failure of the codec or of reading a file.
     *
     * @param t the failure
     * @return its cause in words
     */
    public static String describe(Throwable t) {
        if (t instanceof FileFailure) {
            return t.getMessage();
        }
        io.qtk.format.QtkFormatException fe = QtkErrors.formatException(t);
        if (fe != null) {
            return "corrupt .qtk file (byte offset " + fe.offset() + "): " + fe.getMessage();
        }
        if (QtkErrors.isModelNotFound(t)) {
            return "model not available: " + t.getMessage() + " (see 'qtk models')";
        }
        if (t instanceof io.qtk.QtkCancelledException) {
            return "cancelled";
        }
        if (t instanceof io.qtk.QtkException) {
            return t.getMessage();
        }
        if (t instanceof IOException) {
            return ioCause((IOException) t);
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (try fewer --jobs or a larger -Xmx in JAVA_OPTS)";
        }
        if (t instanceof UnsupportedOperationException) {
            return "not available in this build: " + t.getMessage();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
