package io.qtk.cli;

/**
 * A mistake in what the user asked for, found after parsing (for example an output format that cannot be guessed
 * from a file name). It ends the command with {@link ExitCodes#USAGE} before any file is touched.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and, where possible, how to fix it */
    public UsageException(String message) {
        super(message);
    }
}
