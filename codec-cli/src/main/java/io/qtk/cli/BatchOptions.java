package io.qtk.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that write files: jobs, overwrite, progress, verbosity. A picocli mixin. */
public final class BatchOptions {
    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files processed in parallel (default: 1 for one file, else cores / 2, at least 1).")
    Integer jobs;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing output files (never done without it).")
    boolean force;

    @Option(names = "--progress", paramLabel = "MODE",
            description = "auto (bar on a terminal, plain lines otherwise), bar, plain or none. Default: auto.")
    Progress.Mode progress = Progress.Mode.AUTO;

    @Option(names = {"-q", "--quiet"}, description = "Print only failures (same as --progress none).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of failures.")
    boolean verbose;

    /**
     * @param files files in the batch
     * @return the number of parallel jobs
     */
    int jobs(int files) {
        if (jobs != null) {
            if (jobs < 1) {
                throw new UsageException("--jobs must be at least 1, got " + jobs);
            }
            return jobs;
        }
        return files <= 1 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** @return the progress mode in force */
    Progress.Mode mode() {
        return quiet ? Progress.Mode.NONE : progress;
    }
}
