package io.qtk.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a latent grid (or a window of it) is cut into tiles for the model: each tile has a <em>core</em> (the latent
 * positions it produces) and a <em>context</em> (core plus a halo on each side, clipped to the grid), which is what the
 * model is run on. Cores partition the window exactly; a tile's context, times the factor f, is at most
 * {@code maxTilePixels} pixels (unless a single latent position with its halo is already larger).
 *
 * <p>Tiling is a run-time detail: the tokens in a file are those of the whole grid whatever the plan.
 */
public final class TilePlan {
    /**
     * One tile, in latent coordinates (multiply by f for pixels); ranges are half-open.
     *
     * @param index raster order of the tile in its plan
     * @param coreY0 first core row
     * @param coreY1 end core row
     * @param coreX0 first core column
     * @param coreX1 end core column
     * @param ctxY0 first context row
     * @param ctxY1 end context row
     * @param ctxX0 first context column
     * @param ctxX1 end context column
     */
    public record Tile(int index, int coreY0, int coreY1, int coreX0, int coreX1, int ctxY0, int ctxY1, int ctxX0,
            int ctxX1) {
        /** @return context height in latent rows */
        public int ctxH() {
            return ctxY1 - ctxY0;
        }

        /** @return context width in latent columns */
        public int ctxW() {
            return ctxX1 - ctxX0;
        }
    }

    private final List<Tile> tiles;
    private final int tilesY;
    private final int tilesX;

    private TilePlan(List<Tile> tiles, int tilesY, int tilesX) {
        this.tiles = Collections.unmodifiableList(tiles);
        this.tilesY = tilesY;
        this.tilesX = tilesX;
    }

    /**
     * Plans the whole grid.
     *
     * @param latentH grid rows
     * @param latentW grid columns
     * @param factor f, pixels per latent position along a side
     * @param haloLatent halo in latent positions on each side
     * @param maxTilePixels bound on the pixels of one tile's context
     * @return the plan
     */
    public static TilePlan of(int latentH, int latentW, int factor, int haloLatent, long maxTilePixels) {
        return window(latentH, latentW, 0, latentH, 0, latentW, factor, haloLatent, maxTilePixels);
    }

    /**
     * Plans a window of the grid (for region decoding); contexts may reach outside the window but not the grid.
     *
     * @param latentH grid rows
     * @param latentW grid columns
     * @param y0 window first row
     * @param y1 window end row
     * @param x0 window first column
     * @param x1 window end column
     * @param factor f
     * @param haloLatent halo in latent positions
     * @param maxTilePixels bound on the pixels of one tile's context
     * @return the plan
     */
    public static TilePlan window(int latentH, int latentW, int y0, int y1, int x0, int x1, int factor,
            int haloLatent, long maxTilePixels) {
        if (latentH <= 0 || latentW <= 0 || factor <= 0 || haloLatent < 0 || maxTilePixels <= 0) {
            throw new IllegalArgumentException("bad plan arguments: " + latentH + "x" + latentW + " f=" + factor
                    + " halo=" + haloLatent + " max=" + maxTilePixels);
        }
        if (y0 < 0 || x0 < 0 || y1 > latentH || x1 > latentW || y0 >= y1 || x0 >= x1) {
            throw new IllegalArgumentException("bad window " + y0 + ".." + y1 + " x " + x0 + ".." + x1);
        }
        int wh = y1 - y0;
        int ww = x1 - x0;
        long maxLatent = Math.max(1, maxTilePixels / ((long) factor * factor)); // latent positions per context
        int hl = haloLatent;
        // Context of the window as one tile.
        int cy0 = Math.max(0, y0 - hl);
        int cy1 = Math.min(latentH, y1 + hl);
        int cx0 = Math.max(0, x0 - hl);
        int cx1 = Math.min(latentW, x1 + hl);
        int bestNy = 1;
        int bestNx = 1;
        if ((long) (cy1 - cy0) * (cx1 - cx0) > maxLatent) {
            long best = Long.MAX_VALUE;
            double bestAspect = Double.MAX_VALUE;
            for (int ny = 1; ny <= wh; ny++) {
                int coreH = ceilDiv(wh, ny);
                if (ny > 1 && ceilDiv(wh, ny - 1) == coreH) {
                    continue;
                }
                long ctxH = Math.min(latentH, coreH + 2L * hl);
                long ctxWmax = maxLatent / ctxH;
                int nx;
                if (ctxWmax >= Math.min(latentW, ww + 2L * hl)) {
                    nx = 1;
                } else {
                    long coreW = ctxWmax - 2L * hl;
                    if (coreW < 1) {
                        if (coreH > 1) {
                            continue;
                        }
                        coreW = 1; // cannot honour the bound: one position per tile
                    }
                    nx = (int) Math.min(ww, ceilDiv(ww, coreW));
                }
                long n = (long) ny * nx;
                double aspect = Math.abs(Math.log((double) coreH / ceilDiv(ww, nx)));
                if (n < best || (n == best && aspect < bestAspect)) {
                    best = n;
                    bestAspect = aspect;
                    bestNy = ny;
                    bestNx = nx;
                }
            }
        }
        List<Tile> list = new ArrayList<>(bestNy * bestNx);
        int idx = 0;
        for (int ty = 0; ty < bestNy; ty++) {
            int a0 = y0 + (int) ((long) wh * ty / bestNy);
            int a1 = y0 + (int) ((long) wh * (ty + 1) / bestNy);
            for (int tx = 0; tx < bestNx; tx++) {
                int b0 = x0 + (int) ((long) ww * tx / bestNx);
                int b1 = x0 + (int) ((long) ww * (tx + 1) / bestNx);
                list.add(new Tile(idx++, a0, a1, b0, b1, Math.max(0, a0 - hl), Math.min(latentH, a1 + hl),
                        Math.max(0, b0 - hl), Math.min(latentW, b1 + hl)));
            }
        }
        return new TilePlan(list, bestNy, bestNx);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return the tiles in raster order */
    public List<Tile> tiles() {
        return tiles;
    }

    /** @return tiles per column */
    public int tilesY() {
        return tilesY;
    }

    /** @return tiles per row */
    public int tilesX() {
        return tilesX;
    }

    /** @return the number of tiles */
    public int size() {
        return tiles.size();
    }
}
