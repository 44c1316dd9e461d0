package io.qtk.runtime;

/**
 * Settings of an {@link OnnxBackend}. Immutable; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code intraOpThreads}: threads ONNX Runtime uses inside one run (default: available processors). Concurrent
 *       runs each use this many, so servers running many encodes at once may want fewer.
 *   <li>{@code useCuda}: {@code null} (default) means automatic: CUDA is tried when the CUDA-enabled ONNX Runtime is
 *       on the class path (the {@code -Pgpu} build) unless the system property {@value #CUDA_PROPERTY} is
 *       {@code false}; {@code true} always tries it; {@code false} never does. A failed try falls back to the CPU
 *       with one log line.
 *   <li>{@code cudaDevice}: the CUDA device id (default 0).
 *   <li>{@code allowSpinning}: whether ONNX Runtime's worker threads busy-wait between runs (default false: an
 *       embedded codec should not burn idle CPU; spinning shaves a little latency off back-to-back runs).
 *   <li>{@code nativeCache}: extract the native libraries once into a stable cache (default true; see
 *       {@link NativeLibraryCache}).
 * </ul>
 */
public final class BackendOptions {
    /** System property consulted in automatic mode: {@code false} disables CUDA, {@code true} forces a try. */
    public static final String CUDA_PROPERTY = "qtk.cuda";

    private final int intraOpThreads;
    private final Boolean useCuda;
    private final int cudaDevice;
    private final boolean allowSpinning;
    private final boolean nativeCache;

    private BackendOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.useCuda = b.useCuda;
        this.cudaDevice = b.cudaDevice;
        this.allowSpinning = b.allowSpinning;
        this.nativeCache = b.nativeCache;
    }

    /** The defaults. */
    public static BackendOptions defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Intra-op threads per run. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** True, false, or null for automatic. */
    public Boolean useCuda() {
        return useCuda;
    }

    /** CUDA device id. */
    public int cudaDevice() {
        return cudaDevice;
    }

    /** Whether worker threads may spin. */
    public boolean allowSpinning() {
        return allowSpinning;
    }

    /** Whether to use the native library cache. */
    public boolean nativeCache() {
        return nativeCache;
    }

    @Override
    public String toString() {
        return "BackendOptions[intraOpThreads=" + intraOpThreads + ", useCuda="
                + (useCuda == null ? "auto" : useCuda) + ", cudaDevice=" + cudaDevice + ", allowSpinning="
                + allowSpinning + ", nativeCache=" + nativeCache + "]";
    }

    /** Builds {@link BackendOptions}. */
    public static final class Builder {
        private int intraOpThreads = Runtime.getRuntime().availableProcessors();
        private Boolean useCuda;
        private int cudaDevice;
        private boolean allowSpinning;
        private boolean nativeCache = true;

        private Builder() {}

        /** Threads per run, {@code >= 1}. */
        public Builder intraOpThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("intraOpThreads must be >= 1: " + n);
            }
            this.intraOpThreads = n;
            return this;
        }

        /** {@code true}/{@code false}, or {@code null} for automatic. */
        public Builder useCuda(Boolean use) {
            this.useCuda = use;
            return this;
        }

        /** CUDA device id, {@code >= 0}. */
        public Builder cudaDevice(int id) {
            if (id < 0) {
                throw new IllegalArgumentException("cudaDevice must be >= 0: " + id);
            }
            this.cudaDevice = id;
            return this;
        }

        /** Whether worker threads may spin between runs. */
        public Builder allowSpinning(boolean allow) {
            this.allowSpinning = allow;
            return this;
        }

        /** Whether to use {@link NativeLibraryCache}. */
        public Builder nativeCache(boolean use) {
            this.nativeCache = use;
            return this;
        }

        /** The options. */
        public BackendOptions build() {
            return new BackendOptions(this);
        }
    }
}
