package io.qtk;

import java.nio.file.Path;
import java.util.List;

/**
 * Run-time settings shared by a {@link QtkEncoder} / {@link QtkDecoder}: threads, execution provider and where extra
 * models are found. Immutable; make one with {@link #builder()}.
 *
 * @param intraOpThreads threads ONNX Runtime may use inside one model run; 0 = available processors
 * @param useCuda try the CUDA execution provider first (falls back to CPU with one log line when unavailable)
 * @param modelDirs extra directories holding {@code .qtkm} bundles, searched after the embedded models and
 *     {@code QTK_MODEL_PATH}
 * @param maxTilePixels upper bound on the pixels of one tile given to the model (memory is bounded by it, not by
 *     the image); 0 = the codec's default
 */
public record QtkConfig(int intraOpThreads, boolean useCuda, List<Path> modelDirs, long maxTilePixels) {
    /** Defaults: all cores, CPU only, no extra directories, default tile size. */
    public static final QtkConfig DEFAULT = new QtkConfig(0, false, List.of(), 0);

    /**
     * @param intraOpThreads threads per model run, 0 = all cores
     * @param useCuda try CUDA first
     * @param modelDirs extra model directories
     * @param maxTilePixels maximum pixels per model tile, 0 = default
     * @throws IllegalArgumentException for negative threads or tile pixels
     */
    public QtkConfig {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
        if (maxTilePixels < 0) {
            throw new IllegalArgumentException("maxTilePixels must be >= 0, got " + maxTilePixels);
        }
        modelDirs = List.copyOf(modelDirs);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link QtkConfig}. */
    public static final class Builder {
        private int intraOpThreads;
        private boolean useCuda;
        private List<Path> modelDirs = List.of();
        private long maxTilePixels;

        private Builder() {
        }

        /**
         * @param n threads per model run, 0 = all cores
         * @return this
         */
        public Builder intraOpThreads(int n) {
            this.intraOpThreads = n;
            return this;
        }

        /**
         * @param useCuda try CUDA first
         * @return this
         */
        public Builder useCuda(boolean useCuda) {
            this.useCuda = useCuda;
            return this;
        }

        /**
         * @param dirs extra model directories
         * @return this
         */
        public Builder modelDirs(List<Path> dirs) {
            this.modelDirs = List.copyOf(dirs);
            return this;
        }

        /**
         * @param pixels maximum pixels per model tile, 0 = default
         * @return this
         */
        public Builder maxTilePixels(long pixels) {
            this.maxTilePixels = pixels;
            return this;
        }

        /** @return the configuration */
        public QtkConfig build() {
            return new QtkConfig(intraOpThreads, useCuda, modelDirs, maxTilePixels);
        }
    }
}
