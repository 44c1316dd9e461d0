package io.qtk.codec;

/**
 * Accumulates wall time per pipeline stage of one call (for benchmarks; not thread-safe: one instance per call).
 * {@link #NONE} records nothing.
 */
public class Stages {
    /** A pipeline stage. */
    public enum Stage {
        /** image samples to float planes (incl. padding) */
        PIXELS_IN,
        /** encoder network (ONNX Runtime, incl. tensor copies) */
        NET_ENCODE,
        /** nearest-codeword search */
        QUANTISE,
        /** index streams to bytes */
        ENTROPY_ENCODE,
        /** alpha plane compression */
        ALPHA_ENCODE,
        /** container assembly, rate control and serialisation */
        CONTAINER_WRITE,
        /** container parsing and CRC checks */
        CONTAINER_READ,
        /** bytes to index streams */
        ENTROPY_DECODE,
        /** codeword lookup */
        DEQUANTISE,
        /** decoder network (ONNX Runtime, incl. tensor copies) */
        NET_DECODE,
        /** float planes to output image */
        PIXELS_OUT,
        /** alpha plane decompression */
        ALPHA_DECODE
    }

    /** Records nothing. */
    public static final Stages NONE = new Stages() {
        @Override
        public long start() {
            return 0;
        }

        @Override
        public void stop(Stage s, long start) {
        }
    };

    private final long[] nanos = new long[Stage.values().length];

    /** @return a start mark for {@link #stop} */
    public long start() {
        return System.nanoTime();
    }

    /**
     * @param s the stage that ran since {@code start}
     * @param start the mark from {@link #start()}
     */
    public void stop(Stage s, long start) {
        nanos[s.ordinal()] += System.nanoTime() - start;
    }

    /**
     * @param s a stage
     * @return nanoseconds accumulated
     */
    public long nanos(Stage s) {
        return nanos[s.ordinal()];
    }

    /** Clears all stages. */
    public void reset() {
        java.util.Arrays.fill(nanos, 0);
    }
}
