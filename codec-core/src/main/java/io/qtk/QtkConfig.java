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
 * @param maxDecodePixels the most pixels a decode may produce unless {@link DecodeOptions#maxPixels()} says
 *     otherwise; a file declaring more is refused from its header; 0 = {@link DecodeOptions#DEFAULT_MAX_PIXELS}
 */
public record QtkConfig(int intraOpThreads, boolean useCuda, List<Path> modelDirs, long maxTilePixels,
        long maxDecodePixels) {
    /** Defaults: all cores, CPU only, no extra directories, default tile size, default pixel limit. */
    public static final QtkConfig DEFAULT = new QtkConfig(0, false, List.of(), 0, 0);

    /**
     * @param intraOpThreads threads per model run, 0 = all cores
     * @param useCuda try CUDA first
     * @param modelDirs extra model directories
     * @param maxTilePixels maximum pixels per model tile, 0 = default
     * @param maxDecodePixels most pixels per decode, 0 = default
     * @throws IllegalArgumentException for negative threads, tile pixels or decode pixels
     */
    public QtkConfig {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
        if (maxTilePixels < 0) {
            throw new IllegalArgumentException("maxTilePixels must be >= 0, got " + maxTilePixels);
        }
        if (maxDecodePixels < 0) {
            throw new IllegalArgumentException("maxDecodePixels must be >= 0, got " + maxDecodePixels);
        }
        modelDirs = List.copyOf(modelDirs);
    }

    /**
     * As the canonical constructor with the default pixel limit.
     *
     * @param intraOpThreads threads per model run, 0 = all cores
     * @param useCuda try CUDA first
     * @param modelDirs extra model directories
     * @param maxTilePixels maximum pixels per model tile, 0 = default
     */
    public QtkConfig(int intraOpThreads, boolean useCuda, List<Path> modelDirs, long maxTilePixels) {
        this(intraOpThreads, useCuda, modelDirs, maxTilePixels, 0);
    }

    /** @return the pixel limit in force: {@link #maxDecodePixels()}, or the default when that is 0 */
    public long effectiveMaxDecodePixels() {
        return maxDecodePixels > 0 ? maxDecodePixels : DecodeOptions.DEFAULT_MAX_PIXELS;
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
        private long maxDecodePixels;

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

        /**
         * @param pixels most pixels a decode may produce, 0 = {@link DecodeOptions#DEFAULT_MAX_PIXELS},
         *     {@link Long#MAX_VALUE} = only the format's limit
         * @return this
         */
        public Builder maxDecodePixels(long pixels) {
            this.maxDecodePixels = pixels;
            return this;
        }

        /** @return the configuration */
        public QtkConfig build() {
            return new QtkConfig(intraOpThreads, useCuda, modelDirs, maxTilePixels, maxDecodePixels);
        }
    }
}
