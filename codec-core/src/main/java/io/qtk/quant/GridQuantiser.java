package io.qtk.quant;

import java.util.List;

/**
 * Product quantiser for grid latents: a latent {@code [C][h][w]} (CHW, float32) is cut into {@code G} groups of
 * {@code d} consecutive channels (group {@code g} is channels {@code [g*d, (g+1)*d)}); at every latent position each
 * group is replaced by the index of its nearest codeword in that group's codebook. Indices come out as
 * {@code int[G][h*w]}, positions in raster order (y then x), which is the token order of the format.
 *
 * <p>The search is exact: the chosen codeword minimises {@link Codebook#distance} (squared Euclidean distance, ties to
 * the lowest index). It runs on plain Java loops that HotSpot auto-vectorises (see the package documentation); no JVM
 * flag is needed.
 *
 * <p>Immutable and thread-safe: one instance can serve any number of concurrent encodes. Each call allocates only its
 * result and small scratch arrays.
 */
public final class GridQuantiser {
    private final Codebook[] codebooks;
    private final int dim;
    private final SearchKernel kernel;
    /** Per group: whether its codebook is scalar and ascending, so a binary search replaces the scan. */
    private final boolean[] sortedScalar;
    private final float[][] ladders; // {c0, step} per group, null where not a uniform scalar ladder

    /**
     * A quantiser over {@code codebooks.size()} groups.
     *
     * @param codebooks one codebook per group, all of the same dimension (sizes may differ)
     * @throws IllegalArgumentException if the list is empty or the dimensions differ
     */
    public GridQuantiser(List<Codebook> codebooks) {
        this(codebooks, Kernels.defaultKernel());
    }

    GridQuantiser(List<Codebook> codebooks, SearchKernel kernel) {
        if (codebooks.isEmpty()) {
            throw new IllegalArgumentException("no codebooks");
        }
        this.codebooks = codebooks.toArray(new Codebook[0]);
        this.dim = this.codebooks[0].dim();
        for (int g = 0; g < this.codebooks.length; g++) {
            if (this.codebooks[g].dim() != dim) {
                throw new IllegalArgumentException(
                        "codebook " + g + " has dim " + this.codebooks[g].dim() + ", codebook 0 has " + dim);
            }
        }
        this.kernel = kernel;
        this.sortedScalar = new boolean[this.codebooks.length];
        for (int g = 0; g < this.codebooks.length; g++) {
            sortedScalar[g] = SortedScalarKernel.accepts(this.codebooks[g]);
        }
        this.ladders = new float[this.codebooks.length][];
        for (int g = 0; g < this.codebooks.length; g++) {
            ladders[g] = ladderOf(this.codebooks[g], sortedScalar[g]);
        }
    }

    private SearchKernel kernelFor(int g) {
        return sortedScalar[g] ? SortedScalarKernel.INSTANCE : kernel;
    }

    /** G: the number of groups. */
    public int groups() {
        return codebooks.length;
    }

    /** d: channels per group. */
    public int dim() {
        return dim;
    }

    /** C = G * d: the latent channel count. */
    public int channels() {
        return codebooks.length * dim;
    }

    /** The codebook of group {@code g}. */
    public Codebook codebook(int g) {
        Preconditions.checkIndex(g, codebooks.length, "group");
        return codebooks[g];
    }

    /** The name of the search implementation in use ({@code block}, {@code scalar}, ...), for logs. */
    /**
     * @param g the group
     * @return {@code {c0, step}} when group g's codewords are exactly {@code c0 + k * step} (d = 1, step > 0, as the
     *     integer levels of the {@code grid-sq} models), else null
     */
    public float[] uniformLadder(int g) {
        Preconditions.checkIndex(g, codebooks.length, "group");
        return ladders[g] == null ? null : ladders[g].clone();
    }

    private static float[] ladderOf(Codebook cb, boolean sortedScalar) {
        float[] w = cb.words;
        if (!sortedScalar || w.length < 2) {
            return null;
        }
        float step = w[1] - w[0];
        for (int k = 2; k < w.length; k++) {
            if (w[k] != w[0] + k * step) {
                return null;
            }
        }
        return new float[] {w[0], step};
    }

    public String searchImplementation() {
        for (boolean s : sortedScalar) {
            if (!s) {
                return kernel.name();
            }
        }
        return SortedScalarKernel.INSTANCE.name();
    }

    /** Quantises all groups of a flat CHW latent; see {@link #quantise(float[], int, int, int)}. */
    public int[][] quantise(float[] chw, int h, int w) {
        return quantise(chw, h, w, codebooks.length);
    }

    /**
     * Quantises the first {@code groupCount} groups of a flat CHW latent (an encoder that will only code a prefix of
     * groups need not search the rest).
     *
     * @param chw the latent, {@code C * h * w} floats, index {@code (c * h + y) * w + x}
     * @return {@code int[groupCount][h * w]}
     * @throws IllegalArgumentException if the length does not match or {@code groupCount} is out of {@code [0, G]}
     */
    public int[][] quantise(float[] chw, int h, int w, int groupCount) {
        int hw = checkShape(chw.length, h, w);
        checkGroupCount(groupCount);
        int[][] out = new int[groupCount][hw];
        for (int g = 0; g < groupCount; g++) {
            kernelFor(g).search(codebooks[g], chw, g * dim * hw, hw, hw, out[g], 0);
        }
        return out;
    }

    /**
     * Quantises all groups of a latent given as {@code C} channel planes of {@code h*w} floats each (raster order).
     *
     * @return {@code int[G][h * w]}
     */
    public int[][] quantise(float[][] planes) {
        if (planes.length != channels()) {
            throw new IllegalArgumentException("expected " + channels() + " planes, got " + planes.length);
        }
        int hw = planes[0].length;
        int[][] out = new int[codebooks.length][hw];
        float[] group = new float[dim * hw]; // the kernel wants a group's planes in one array
        for (int g = 0; g < codebooks.length; g++) {
            for (int j = 0; j < dim; j++) {
                float[] plane = planes[g * dim + j];
                if (plane.length != hw) {
                    throw new IllegalArgumentException("plane " + (g * dim + j) + " has " + plane.length
                            + " values, plane 0 has " + hw);
                }
                System.arraycopy(plane, 0, group, j * hw, hw);
            }
            kernelFor(g).search(codebooks[g], group, 0, hw, hw, out[g], 0);
        }
        return out;
    }

    /**
     * The inverse lookup: a flat CHW latent holding, for groups {@code 0 .. groupsPresent-1}, the codewords named by
     * {@code indices}, and zeros for the groups from {@code groupsPresent} on (not coded).
     *
     * @param indices {@code indices[g][p]} for at least the first {@code groupsPresent} groups; later rows are ignored
     * @param groupsPresent how many leading groups were coded, {@code 0 .. G}
     * @param positions {@code h * w}
     * @return {@code C * positions} floats
     * @throws IllegalArgumentException if a row is missing or has the wrong length
     * @throws IndexOutOfBoundsException if an index is outside its codebook
     */
    public float[] dequantise(int[][] indices, int groupsPresent, int positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("positions must be >= 1: " + positions);
        }
        float[] out = new float[Math.multiplyExact(channels(), positions)];
        dequantise(indices, groupsPresent, out);
        return out;
    }

    /**
     * {@link #dequantise(int[][], int, int)} into a caller's array of {@code C * positions} floats (every element is
     * written, so it may be reused between calls).
     */
    public void dequantise(int[][] indices, int groupsPresent, float[] chw) {
        checkGroupCount(groupsPresent);
        if (chw.length == 0 || chw.length % channels() != 0) {
            throw new IllegalArgumentException("output length " + chw.length + " is not a multiple of C = "
                    + channels());
        }
        int hw = chw.length / channels();
        if (indices.length < groupsPresent) {
            throw new IllegalArgumentException(groupsPresent + " groups present but " + indices.length + " rows");
        }
        for (int g = 0; g < groupsPresent; g++) {
            int[] row = indices[g];
            if (row.length != hw) {
                throw new IllegalArgumentException("group " + g + " has " + row.length + " indices, expected " + hw);
            }
            Codebook cb = codebooks[g];
            int k = cb.size();
            for (int p = 0; p < hw; p++) {
                if (row[p] < 0 || row[p] >= k) {
                    throw new IndexOutOfBoundsException("group " + g + " position " + p + ": index " + row[p]
                            + " outside codebook of " + k);
                }
            }
            float[] words = cb.words;
            // One output plane at a time: sequential writes; the small codebook stays in L1.
            for (int j = 0; j < dim; j++) {
                int o = (g * dim + j) * hw;
                for (int p = 0; p < hw; p++) {
                    chw[o + p] = words[row[p] * dim + j];
                }
            }
        }
        java.util.Arrays.fill(chw, groupsPresent * dim * hw, chw.length, 0f);
    }

    private int checkShape(int length, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("latent size must be positive: " + h + " x " + w);
        }
        long expect = (long) channels() * h * w;
        if (length != expect) {
            throw new IllegalArgumentException("latent has " + length + " floats, expected C*h*w = " + channels()
                    + "*" + h + "*" + w + " = " + expect);
        }
        return h * w;
    }

    private void checkGroupCount(int n) {
        if (n < 0 || n > codebooks.length) {
            throw new IllegalArgumentException("group count " + n + " outside [0, " + codebooks.length + "]");
        }
    }

    @Override
    public String toString() {
        return "GridQuantiser[G=" + codebooks.length + ", d=" + dim + ", search=" + searchImplementation() + "]";
    }
}
