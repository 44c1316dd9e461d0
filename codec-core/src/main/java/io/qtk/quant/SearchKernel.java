package io.qtk.quant;

/**
 * Nearest-codeword search over a run of vectors laid out as planes: component {@code j} of vector {@code p} is
 * {@code src[base + j * stride + p]}. That is the CHW latent layout (a group is {@code d} consecutive channel planes,
 * {@code stride = h*w}), so a kernel reads each plane sequentially and can work on several positions per instruction.
 *
 * <p>Every kernel returns exactly {@link Codebook#nearest}'s answer (the arg-min of the canonical distance, lowest
 * index on ties); they differ only in speed. Implementations are stateless and thread-safe.
 */
abstract class SearchKernel {
    /** Writes the nearest codeword index of vectors {@code 0 .. count-1} to {@code out[outOff + p]}. */
    abstract void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff);

    /** A short name for logs and benchmarks. */
    abstract String name();
}
