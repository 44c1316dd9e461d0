package io.qtk.cli;

import io.qtk.QtkConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that configure the codec runtime: threads, CUDA, extra model directories. A picocli mixin. */
public final class RuntimeOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads the model may use for one image (default: cores / jobs).")
    Integer threads;

    @Option(names = "--cuda", description = "Try the CUDA execution provider first (falls back to CPU).")
    boolean cuda;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "Extra directory with .qtkm model bundles (repeatable); QTK_MODEL_PATH is searched too.")
    List<Path> modelDirs = new ArrayList<>();

    /**
     * @param jobs files processed at once (the cores are shared among them)
     * @return the codec configuration
     */
    public QtkConfig config(int jobs) {
        if (threads != null && threads < 0) {
            throw new UsageException("--threads must be 0 (all cores) or more, got " + threads);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int t = threads != null ? threads : Math.max(1, cores / Math.max(1, jobs));
        return QtkConfig.builder().intraOpThreads(t).useCuda(cuda).modelDirs(modelDirs).build();
    }
}
