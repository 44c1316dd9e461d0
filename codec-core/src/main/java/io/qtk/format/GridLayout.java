package io.qtk.format;

/**
 * A grid quantiser: the encoder down-samples by {@code factor} (f); at each of the
 * {@code ceil(W/f) x ceil(H/f)} latent positions the latent is split into {@code groups} (G) blocks of
 * {@code codewordDim} (d) channels, each quantised against its own codebook of {@code codebookSize} (K) codewords.
 *
 * @param factor       f, 1..65535
 * @param groups       G, 1..65535
 * @param codebookSize K, 2..65536
 * @param codewordDim  d, 1..1024
 */
public record GridLayout(int factor, int groups, int codebookSize, int codewordDim) implements QuantiserLayout {
    /**
     * Checks the ranges.
     *
     * @param factor       f
     * @param groups       G
     * @param codebookSize K
     * @param codewordDim  d
     * @throws IllegalArgumentException if a value is out of range
     */
    public GridLayout {
        QtkHeader.require("grid factor f", factor, 1, QtkFormat.MAX_FACTOR);
        QtkHeader.require("groups G", groups, 1, QtkFormat.MAX_GROUPS);
        QtkHeader.require("codebook size K", codebookSize, QtkFormat.MIN_CODEBOOK_SIZE,
                QtkFormat.MAX_CODEBOOK_SIZE);
        QtkHeader.require("codeword dim d", codewordDim, 1, QtkFormat.MAX_CODEWORD_DIM);
    }

    @Override
    public int kindCode() {
        return KIND_GRID;
    }

    @Override
    public String kindName() {
        return "grid";
    }

    @Override
    public int cellSize() {
        return factor;
    }
}
