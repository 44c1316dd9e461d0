package io.qtk.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * Quantiser for global (token) latents: the encoder turns each {@code T x T} tile into {@code N} tokens of dimension
 * {@code d} ({@code [N][d]}, float32); token position {@code n} has its own codebook. Each token becomes the index of
 * its nearest codeword (exact, ties to the lowest index, as {@link Codebook#nearest}).
 *
 * <p>For a batch of tiles the result is laid out by token position, {@code int[N][tiles]}: row {@code n} is stream
 * position {@code n} (tiles in raster order), the order of the format.
 *
 * <p>Immutable and thread-safe.
 */
public final class GlobalQuantiser {
    private final Codebook[] codebooks;
    private final int dim;
    private final SearchKernel kernel;

    /**
     * @param codebooks one codebook per token position, all of the same dimension
     * @throws IllegalArgumentException if the list is empty or the dimensions differ
     */
    public GlobalQuantiser(List<Codebook> codebooks) {
        this(codebooks, Kernels.defaultKernel());
    }

    GlobalQuantiser(List<Codebook> codebooks, SearchKernel kernel) {
        if (codebooks.isEmpty()) {
            throw new IllegalArgumentException("no codebooks");
        }
        this.codebooks = codebooks.toArray(new Codebook[0]);
        this.dim = this.codebooks[0].dim();
        for (int n = 0; n < this.codebooks.length; n++) {
            if (this.codebooks[n].dim() != dim) {
                throw new IllegalArgumentException(
                        "codebook " + n + " has dim " + this.codebooks[n].dim() + ", codebook 0 has " + dim);
            }
        }
        this.kernel = kernel;
    }

    /** N: tokens per tile. */
    public int tokens() {
        return codebooks.length;
    }

    /** d: dimension of a token. */
    public int dim() {
        return dim;
    }

    /** The codebook of token position {@code n}. */
    public Codebook codebook(int n) {
        Preconditions.checkIndex(n, codebooks.length, "token");
        return codebooks[n];
    }

    /**
     * Quantises one tile.
     *
     * @param tokens {@code N * d} floats, token {@code n} at {@code [n*d, (n+1)*d)}
     * @return {@code int[N]}
     */
    public int[] quantiseTile(float[] tokens) {
        checkTile(tokens, 0);
        int[] out = new int[codebooks.length];
        for (int n = 0; n < codebooks.length; n++) {
            out[n] = ScalarKernel.nearestStrided(codebooks[n], tokens, n * dim, 1);
        }
        return out;
    }

    /**
     * Quantises a batch of tiles (raster order).
     *
     * @return {@code int[N][tiles.size()]}: token position first, then tile
     */
    public int[][] quantise(List<float[]> tiles) {
        int t = tiles.size();
        for (int i = 0; i < t; i++) {
            checkTile(tiles.get(i), i);
        }
        int[][] out = new int[codebooks.length][t];
        if (t == 0) {
            return out;
        }
        // Token n of every tile, transposed into d planes of t values, is exactly the kernel's layout.
        float[] planes = new float[dim * t];
        for (int n = 0; n < codebooks.length; n++) {
            for (int i = 0; i < t; i++) {
                float[] tile = tiles.get(i);
                for (int j = 0; j < dim; j++) {
                    planes[j * t + i] = tile[n * dim + j];
                }
            }
            kernel.search(codebooks[n], planes, 0, t, t, out[n], 0);
        }
        return out;
    }

    /**
     * The inverse lookup for one tile: codewords for token positions {@code 0 .. tokensPresent-1}, zeros after.
     *
     * @param indices at least {@code tokensPresent} indices
     * @return {@code N * d} floats
     */
    public float[] dequantiseTile(int[] indices, int tokensPresent) {
        checkPresent(tokensPresent);
        if (indices.length < tokensPresent) {
            throw new IllegalArgumentException(tokensPresent + " tokens present but " + indices.length + " indices");
        }
        float[] out = new float[codebooks.length * dim];
        for (int n = 0; n < tokensPresent; n++) {
            codebooks[n].copyCodeword(indices[n], out, n * dim);
        }
        return out;
    }

    /**
     * The inverse of {@link #quantise(List)}: {@code indices[n][tile]} for the first {@code tokensPresent} token
     * positions (later rows ignored), zeros for the rest.
     *
     * @return one {@code N * d} array per tile
     */
    public List<float[]> dequantise(int[][] indices, int tokensPresent, int tileCount) {
        checkPresent(tokensPresent);
        if (indices.length < tokensPresent) {
            throw new IllegalArgumentException(tokensPresent + " tokens present but " + indices.length + " rows");
        }
        for (int n = 0; n < tokensPresent; n++) {
            if (indices[n].length != tileCount) {
                throw new IllegalArgumentException("token " + n + " has " + indices[n].length + " indices, expected "
                        + tileCount);
            }
        }
        List<float[]> out = new ArrayList<>(tileCount);
        for (int i = 0; i < tileCount; i++) {
            float[] tile = new float[codebooks.length * dim];
            for (int n = 0; n < tokensPresent; n++) {
                codebooks[n].copyCodeword(indices[n][i], tile, n * dim);
            }
            out.add(tile);
        }
        return out;
    }

    private void checkTile(float[] tile, int i) {
        if (tile.length != codebooks.length * dim) {
            throw new IllegalArgumentException("tile " + i + " has " + tile.length + " floats, expected N*d = "
                    + codebooks.length * dim);
        }
    }

    private void checkPresent(int n) {
        if (n < 0 || n > codebooks.length) {
            throw new IllegalArgumentException("token count " + n + " outside [0, " + codebooks.length + "]");
        }
    }

    @Override
    public String toString() {
        return "GlobalQuantiser[N=" + codebooks.length + ", d=" + dim + "]";
    }
}
