package io.qtk.format;

/**
 * How the latent is quantised, as recorded in {@code QHDR}: a {@link GridLayout} (G groups per latent position) or
 * a {@link GlobalLayout} (N tokens per fixed-size tile). In both kinds the file codes "groups" 0..groups()-1
 * coarse-to-fine: for a grid model group g is one channel block at every latent position; for a global model
 * "group" n is token position n of every tile.
 */
public sealed interface QuantiserLayout permits GridLayout, GlobalLayout {
    /** File code of {@link GridLayout}. */
    int KIND_GRID = 0;
    /** File code of {@link GlobalLayout}. */
    int KIND_GLOBAL = 1;

    /**
     * Returns the kind's file code.
     *
     * @return {@link #KIND_GRID} or {@link #KIND_GLOBAL}
     */
    int kindCode();

    /**
     * Returns the kind's name as in the model manifest.
     *
     * @return {@code "grid"} or {@code "global"}
     */
    String kindName();

    /**
     * Returns the number of groups of the model: G (grid) or N tokens per tile (global).
     *
     * @return 1..65535
     */
    int groups();

    /**
     * Returns K, the number of codewords per codebook.
     *
     * @return 2..65536
     */
    int codebookSize();

    /**
     * Returns d, the dimension of a codeword.
     *
     * @return 1..1024
     */
    int codewordDim();

    /**
     * Returns the side length in pixels of one token cell: f (grid) or T (global).
     *
     * @return 1..65535
     */
    int cellSize();

    /**
     * Returns the number of token columns for an image width: {@code ceil(width / cellSize())}.
     *
     * @param imageWidth image width in pixels
     * @return latent width (grid) or tiles across (global)
     */
    default int tokenColumns(int imageWidth) {
        return (int) ((imageWidth + (long) cellSize() - 1) / cellSize());
    }

    /**
     * Returns the number of token rows for an image height: {@code ceil(height / cellSize())}.
     *
     * @param imageHeight image height in pixels
     * @return latent height (grid) or tiles down (global)
     */
    default int tokenRows(int imageHeight) {
        return (int) ((imageHeight + (long) cellSize() - 1) / cellSize());
    }
}
