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

    /** @return a deep copy */
    public IndexGrid copy() {
        IndexGrid c = new IndexGrid(groups, positions, bytes != null ? 256 : 65536);
        for (int g = 0; g < groups; g++) {
            if (bytes != null) {
                System.arraycopy(bytes[g], 0, c.bytes[g], 0, positions);
            } else {
                System.arraycopy(shorts[g], 0, c.shorts[g], 0, positions);
            }
        }
        return c;
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
     * Adds {@code a} times every index of group g to {@code acc}: {@code acc[p] += a * index(g, p)}. The inner loop
     * of a linear prediction over whole groups, one pass over the row instead of a call per index.
     *
     * @param g the group
     * @param a the coefficient
     * @param acc the accumulators, length {@code >= positions}
     */
    public void addScaled(int g, long a, long[] acc) {
        if (acc.length < positions) {
            throw new IllegalArgumentException("need " + positions + " accumulators, got " + acc.length);
        }
        if (bytes != null) {
            byte[] b = bytes[g];
            for (int p = 0; p < positions; p++) {
                acc[p] += a * (b[p] & 0xFF);
            }
        } else {
            short[] s = shorts[g];
            for (int p = 0; p < positions; p++) {
                acc[p] += a * (s[p] & 0xFFFF);
            }
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
     * Copies the indices of a rectangle of the grid (first {@code groupsUsed} groups) into tile rows.
     *
     * @param gridW grid width
     * @param y0 first row
     * @param x0 first column
     * @param h rows
     * @param w columns
     * @param groupsUsed groups to copy
     * @return {@code int[groupsUsed][h*w]}
     */
    public int[][] readWindow(int gridW, int y0, int x0, int h, int w, int groupsUsed) {
        int[][] out = new int[groupsUsed][h * w];
        for (int g = 0; g < groupsUsed; g++) {
            int[] o = out[g];
            for (int j = 0; j < h; j++) {
                int src = (y0 + j) * gridW + x0;
                int dst = j * w;
                if (bytes != null) {
                    byte[] b = bytes[g];
                    for (int i = 0; i < w; i++) {
                        o[dst + i] = b[src + i] & 0xFF;
                    }
                } else {
                    short[] s = shorts[g];
                    for (int i = 0; i < w; i++) {
                        o[dst + i] = s[src + i] & 0xFFFF;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Stores the indices of a tile (all groups) at a rectangle of the grid.
     *
     * @param gridW grid width
     * @param tile {@code int[G][h*w]} indices, raster order inside the rectangle
     * @param y0 first row in the grid
     * @param x0 first column in the grid
     * @param h rows
     * @param w columns
     */
    public void writeWindow(int gridW, int[][] tile, int y0, int x0, int h, int w) {
        for (int g = 0; g < groups; g++) {
            int[] t = tile[g];
            for (int j = 0; j < h; j++) {
                int src = j * w;
                int dst = (y0 + j) * gridW + x0;
                if (bytes != null) {
                    byte[] b = bytes[g];
                    for (int i = 0; i < w; i++) {
                        b[dst + i] = (byte) t[src + i];
                    }
                } else {
                    short[] s = shorts[g];
                    for (int i = 0; i < w; i++) {
                        s[dst + i] = (short) t[src + i];
                    }
                }
            }
        }
    }
}
