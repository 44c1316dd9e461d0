package io.qtk.cli;

/**
 * One file could not be processed. The message already names the cause in words; the batch runner prefixes the file
 * name. Thrown by the per-file work so that a batch can report it and go on with the next file.
 */
public class FileFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the cause in words, e.g. "output exists (use --force to overwrite)" */
    public FileFailure(String message) {
        super(message);
    }

    /**
     * @param message the cause in words
     * @param cause the underlying exception (kept for --verbose stack traces)
     */
    public FileFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
