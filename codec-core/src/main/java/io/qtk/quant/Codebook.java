package io.qtk.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable codebook of {@code K} codewords of dimension {@code d} (float32).
 *
 * <p>Besides the codewords it keeps what the nearest-codeword search needs precomputed: {@code ||c||²} per codeword and
 * {@code -2c} (so a score is {@code ||c||² - 2 x·c} with one multiply-add per dimension) plus the largest norm, which
 * bounds the rounding error of that score (see {@link #nearest(float[], int)}).
 *
 * <p>Every codeword component must be finite. Instances are immutable and safe to share between threads.
 */
public final class Codebook {
    private final int size;
    private final int dim;
    /** Codewords, row-major {@code [K][d]}. */
    final float[] words;
    /** {@code -2 * words}, same layout: the search reads this, so the inner loop is a pure multiply-add chain. */
    final float[] minusTwoWords;
    /** {@code ||c_k||²} rounded to float (computed in double). */
    final float[] norms;
    /** {@code max_k ||c_k||²} and {@code max_k ||c_k||}, for the error bound of the fast score. */
    final double maxNormSq;
    final double maxNorm;
    /** {@link #margin} constants: {@code gamma_(2d+3)} (float), {@code (2d+3) 2^-149}, {@code gamma_(d+3)} (double). */
    private final double floatGamma;
    private final double floatAbs;
    private final double doubleGamma;

    private Codebook(int size, int dim, float[] words) {
        this.size = size;
        this.dim = dim;
        this.words = words;
        this.minusTwoWords = new float[words.length];
        this.norms = new float[size];
        double maxSq = 0;
        for (int k = 0; k < size; k++) {
            double n = 0;
            for (int j = 0; j < dim; j++) {
                float c = words[k * dim + j];
                if (!Float.isFinite(c)) {
                    throw new IllegalArgumentException("codeword " + k + " component " + j + " is not finite: " + c);
                }
                minusTwoWords[k * dim + j] = -2f * c; // exact: scaling by a power of two
                n += (double) c * c;
            }
            norms[k] = (float) n;
            maxSq = Math.max(maxSq, n);
        }
        this.maxNormSq = maxSq;
        this.maxNorm = Math.sqrt(maxSq);
        this.floatGamma = gamma(2 * dim + 3, 0x1p-24);
        this.floatAbs = (2 * dim + 3) * 0x1p-149;
        this.doubleGamma = gamma(dim + 3, 0x1p-53);
    }

    /**
     * A codebook from a flat row-major {@code [size][dim]} array (copied).
     *
     * @throws IllegalArgumentException if the sizes are out of range ({@code size >= 1}, {@code dim >= 1}), the array
     *     length is not {@code size * dim}, or a component is not finite
     */
    public static Codebook of(int size, int dim, float[] flat) {
        if (size < 1 || dim < 1) {
            throw new IllegalArgumentException("size and dim must be >= 1: " + size + " x " + dim);
        }
        if ((long) size * dim != flat.length) {
            throw new IllegalArgumentException("expected " + (long) size * dim + " floats, got " + flat.length);
        }
        return new Codebook(size, dim, flat.clone());
    }

    /** A codebook from {@code codewords[k][j]} (copied); all rows must have the same length. */
    public static Codebook of(float[][] codewords) {
        if (codewords.length == 0 || codewords[0].length == 0) {
            throw new IllegalArgumentException("empty codebook");
        }
        int d = codewords[0].length;
        float[] flat = new float[codewords.length * d];
        for (int k = 0; k < codewords.length; k++) {
            if (codewords[k].length != d) {
                throw new IllegalArgumentException("codeword " + k + " has " + codewords[k].length + " dims, not " + d);
            }
            System.arraycopy(codewords[k], 0, flat, k * d, d);
        }
        return new Codebook(codewords.length, d, flat);
    }

    /**
     * Reads {@code groups} codebooks stored as float32 little-endian {@code [groups][size][dim]} (C order), the layout
     * of a model bundle's {@code codebooks.bin}.
     *
     * @param data the bytes; exactly {@code groups * size * dim * 4} of them are read from its position on
     * @throws IllegalArgumentException if fewer bytes remain or a value is not finite
     */
    public static List<Codebook> fromLittleEndian(ByteBuffer data, int groups, int size, int dim) {
        if (groups < 1 || size < 1 || dim < 1) {
            throw new IllegalArgumentException("groups, size and dim must be >= 1");
        }
        long need = (long) groups * size * dim * Float.BYTES;
        if (data.remaining() < need) {
            throw new IllegalArgumentException("need " + need + " bytes, have " + data.remaining());
        }
        ByteBuffer le = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<Codebook> out = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            float[] flat = new float[size * dim];
            le.asFloatBuffer().get(flat);
            le.position(le.position() + flat.length * Float.BYTES);
            out.add(new Codebook(size, dim, flat));
        }
        return Collections.unmodifiableList(out);
    }

    /** Same as {@link #fromLittleEndian(ByteBuffer, int, int, int)} on a whole array. */
    public static List<Codebook> fromLittleEndian(byte[] data, int groups, int size, int dim) {
        if ((long) groups * size * dim * Float.BYTES != data.length) {
            throw new IllegalArgumentException(
                    "expected " + (long) groups * size * dim * Float.BYTES + " bytes, got " + data.length);
        }
        return fromLittleEndian(ByteBuffer.wrap(data), groups, size, dim);
    }

    /** K: the number of codewords. */
    public int size() {
        return size;
    }

    /** d: the dimension of a codeword. */
    public int dim() {
        return dim;
    }

    /** Component {@code j} of codeword {@code index}. */
    public float get(int index, int j) {
        Preconditions.checkIndex(index, size, "codeword index");
        Preconditions.checkIndex(j, dim, "component");
        return words[index * dim + j];
    }

    /** A copy of codeword {@code index}. */
    public float[] codeword(int index) {
        Preconditions.checkIndex(index, size, "codeword index");
        return Arrays.copyOfRange(words, index * dim, index * dim + dim);
    }

    /** Copies codeword {@code index} into {@code dst[off .. off+d)}. */
    public void copyCodeword(int index, float[] dst, int off) {
        Preconditions.checkIndex(index, size, "codeword index");
        System.arraycopy(words, index * dim, dst, off, dim);
    }

    /** A copy of all codewords, row-major {@code [K][d]}. */
    public float[] toArray() {
        return words.clone();
    }

    /**
     * The squared Euclidean distance between {@code x[off .. off+d)} and codeword {@code index}, as the quantisers
     * define it: {@code sum_j ((double) x_j - c_j)²} summed in double in order of {@code j}. This is the distance the
     * search is exact against.
     */
    public double distance(int index, float[] x, int off) {
        Preconditions.checkIndex(index, size, "codeword index");
        return exactDistance(index, x, off, 1);
    }

    /**
     * The index of the codeword nearest to {@code x[off .. off+d)} by {@link #distance}: smallest distance, ties to
     * the lowest index. NaN distances are never chosen; if all are NaN (the input holds NaN), 0 is returned.
     *
     * <p>The search first scores every codeword with {@code ||c||² - 2 x·c} in float (fast) and falls back to
     * {@link #distance} only for the codewords whose fast score is within the float rounding bound of the best, so the
     * answer is exactly the arg-min of {@link #distance}, not an approximation.
     */
    public int nearest(float[] x, int off) {
        if (off < 0 || off > x.length - dim) {
            throw new IndexOutOfBoundsException("vector at " + off + " of length " + dim + " outside " + x.length);
        }
        return ScalarKernel.nearestStrided(this, x, off, 1);
    }

    /** {@link #nearest(float[], int)} at offset 0; {@code x.length} must equal {@link #dim()}. */
    public int nearest(float[] x) {
        if (x.length != dim) {
            throw new IllegalArgumentException("vector has " + x.length + " dims, codebook " + dim);
        }
        return nearest(x, 0);
    }

    /** The canonical distance for a vector whose component j is {@code src[base + j * stride]}. */
    double exactDistance(int index, float[] src, int base, int stride) {
        double sum = 0;
        int w = index * dim;
        for (int j = 0; j < dim; j++) {
            double diff = (double) src[base + j * stride] - words[w + j];
            sum += diff * diff;
        }
        return sum;
    }

    /**
     * How far apart two fast float scores ({@code ||c||² - 2x·c}) must be to be sure the smaller one also has the
     * smaller {@link #distance}, for a vector with squared norm {@code xNormSq}. Derived from the standard bound on a
     * float dot product of {@code d+1} terms ({@code gamma_(2d+3)}, with or without fused multiply-add) plus the
     * double rounding of the canonical distance, times 2 for safety. (Double cannot underflow here: squares of float
     * differences are at least 2^-298.) NaN or infinite for non-finite input, which makes
     * callers take the exact path.
     */
    double margin(double xNormSq) {
        return marginForNorm(Math.sqrt(xNormSq));
    }

    /**
     * Whether the fast float scores of a vector of norm {@code xn} are certainly finite: every score and partial sum
     * is bounded by {@code ||c||²max + 2 ||c||max ||x||}, far below float overflow when this is at most 2^120. False for
     * non-finite input. The margin argument assumes no overflow, so callers re-rank exactly when this is false.
     */
    boolean fastScoresFinite(double xn) {
        return maxNormSq + 2 * maxNorm * xn <= 0x1p120;
    }

    /** {@link #margin} for a vector of norm {@code xn} (not squared). */
    double marginForNorm(double xn) {
        double scale = maxNormSq + 2 * maxNorm * xn;
        // Relative bound, plus an absolute 2^-149 per operation for results in float's subnormal range.
        double floatErr = floatGamma * scale + floatAbs;
        double doubleErr = doubleGamma * (xn + maxNorm) * (xn + maxNorm);
        return 2 * (2 * floatErr + 2 * doubleErr);
    }

    private static double gamma(int n, double u) {
        return n * u / (1 - n * u);
    }

    /** Value equality: same shape and bit-identical codewords. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Codebook && ((Codebook) o).size == size && ((Codebook) o).dim == dim
                && Arrays.equals(((Codebook) o).words, words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + dim) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "Codebook[K=" + size + ", d=" + dim + "]";
    }
}
