package io.qtk.cli;

/**
 * The exit codes of the {@code qtk} command. They are part of its interface (scripts test them), so they are
 * listed in every command's {@code --help} and in the module README.
 */
public final class ExitCodes {
    /** Every file was processed. */
    public static final int OK = 0;
    /** At least one file failed (each failure was reported on stderr with its cause); the others were done. */
    public static final int FAILED = 1;
    /** The command line was wrong (unknown option, bad value, missing argument): nothing was done. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
