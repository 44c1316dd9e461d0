package io.qtk.codec;

/**
 * The quantised indices of a whole image: G groups over the latent grid, each in raster order. Stored compactly
 * (one byte per index when K is at most 256, else two), never as floats, so it is the only whole-image state of an
 * encode besides the pixels.
 */
public final class IndexGrid {
    private final int groups;
    private final int positions;
    private final byte[][] bytes;
    private final short[][] shorts;

    /**
     * @param groups G (the groups held; may be fewer than the model has)
     * @param positions latent positions (h * w)
     * @param codebookSize K, 2..65536
     */
    public IndexGrid(int groups, int positions, int codebookSize) {
        if (groups < 0 || positions < 0 || codebookSize < 2 || codebookSize > 65536) {
            throw new IllegalArgumentException("bad index grid " + groups + " x " + positions + " K=" + codebookSize);
        }
        this.groups = groups;
        this.positions = positions;
        if (codebookSize <= 256) {
            this.bytes = new byte[groups][positions];
            this.shorts = null;
        } else {
            this.bytes = null;
            this.shorts = new short[groups][positions];
        }
    }

    /** @return G */
    public int groups() {
        return groups;
    }

    /** @return positions per group */
    public int positions() {
        return positions;
    }

    /**
     * @param g group
     * @param p position
     * @return the index
     */
    public int get(int g, int p) {
        return bytes != null ? bytes[g][p] & 0xFF : shorts[g][p] & 0xFFFF;
    }

    /**
     * @param g group
     * @param p position
     * @param v the index
     */
    public void set(int g, int p, int v) {
        if (bytes != null) {
            bytes[g][p] = (byte) v;
        } else {
            shorts[g][p] = (short) v;
        }
    }

    /**
     * @param g group
     * @return its indices as ints (a fresh array)
     */
    public int[] group(int g) {
        int[] out = new int[positions];
        if (bytes != null) {
            byte[] b = bytes[g];
            for (int p = 0; p < positions; p++) {
                out[p] = b[p] & 0xFF;
            }
        } else {
            short[] s = shorts[g];
            for (int p = 0; p < positions; p++) {
                out[p] = s[p] & 0xFFFF;
            }
        }
        return out;
    }

    /**
     * @param g group
     * @param values its indices
     */
    public void setGroup(int g, int[] values) {
        if (values.length < positions) {
            throw new IllegalArgumentException("need " + positions + " values, got " + values.length);
        }
        if (bytes != null) {
            byte[] b = bytes[g];
            for (int p = 0; p < positions; p++) {
                b[p] = (byte) values[p];
            }
        } else {
            short[] s = shorts[g];
            for (int p = 0; p < positions; p++) {
                s[p] = (short) values[p];
            }
        }
    }

    /**
     * Copies the indices of a rectangle of the grid (first {@code groupsUsed} groups) into a tile array.
     *
     * @param gridW grid width
     * @param y0 first row
     * @param x0 first column
     * @param h rows
     * @param w columns
     * @param groupsUsed groups to copy
     * @param out receives groupsUsed x (h*w), group-major
     */
    public void readWindow(int gridW, int y0, int x0, int h, int w, int groupsUsed, int[] out) {
        int n = h * w;
        for (int g = 0; g < groupsUsed; g++) {
            for (int j = 0; j < h; j++) {
                int src = (y0 + j) * gridW + x0;
                int dst = g * n + j * w;
                if (bytes != null) {
                    byte[] b = bytes[g];
                    for (int i = 0; i < w; i++) {
                        out[dst + i] = b[src + i] & 0xFF;
                    }
                } else {
                    short[] s = shorts[g];
                    for (int i = 0; i < w; i++) {
                        out[dst + i] = s[src + i] & 0xFFFF;
                    }
                }
            }
        }
    }

    /**
     * Stores the indices of a tile's core.
     *
     * @param gridW grid width
     * @param tile G x (th*tw) group-major indices of a tile's context
     * @param th context rows
     * @param tw context columns
     * @param sy core's first row inside the context
     * @param sx core's first column inside the context
     * @param y0 core's first row in the grid
     * @param x0 core's first column in the grid
     * @param h core rows
     * @param w core columns
     */
    public void writeWindow(int gridW, int[] tile, int th, int tw, int sy, int sx, int y0, int x0, int h, int w) {
        int n = th * tw;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < h; j++) {
                int src = g * n + (sy + j) * tw + sx;
                int dst = (y0 + j) * gridW + x0;
                if (bytes != null) {
                    byte[] b = bytes[g];
                    for (int i = 0; i < w; i++) {
                        b[dst + i] = (byte) tile[src + i];
                    }
                } else {
                    short[] s = shorts[g];
                    for (int i = 0; i < w; i++) {
                        s[dst + i] = (short) tile[src + i];
                    }
                }
            }
        }
    }
}
