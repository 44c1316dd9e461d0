package io.qtk.format;

/**
 * A global quantiser: the image is cut into {@code tileSize x tileSize} tiles (T; edge tiles padded); each tile is
 * encoded to {@code tokens} (N) token positions, token position n quantised against codebook n of
 * {@code codebookSize} (K) codewords of dimension {@code codewordDim} (d).
 *
 * @param tileSize     T, 1..65535
 * @param tokens       N, 1..65535
 * @param codebookSize K, 2..65536
 * @param codewordDim  d, 1..1024
 */
public record GlobalLayout(int tileSize, int tokens, int codebookSize, int codewordDim) implements QuantiserLayout {
    /**
     * Checks the ranges.
     *
     * @param tileSize     T
     * @param tokens       N
     * @param codebookSize K
     * @param codewordDim  d
     * @throws IllegalArgumentException if a value is out of range
     */
    public GlobalLayout {
        QtkHeader.require("tile size T", tileSize, 1, QtkFormat.MAX_FACTOR);
        QtkHeader.require("tokens N", tokens, 1, QtkFormat.MAX_GROUPS);
        QtkHeader.require("codebook size K", codebookSize, QtkFormat.MIN_CODEBOOK_SIZE,
                QtkFormat.MAX_CODEBOOK_SIZE);
        QtkHeader.require("codeword dim d", codewordDim, 1, QtkFormat.MAX_CODEWORD_DIM);
    }

    @Override
    public int kindCode() {
        return KIND_GLOBAL;
    }

    @Override
    public String kindName() {
        return "global";
    }

    @Override
    public int groups() {
        return tokens;
    }

    @Override
    public int cellSize() {
        return tileSize;
    }
}
