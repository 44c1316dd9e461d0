package io.qtk.codec;

import io.qtk.ProgressListener;
import io.qtk.QtkCancelledException;
import io.qtk.QtkException;
import io.qtk.image.OutputImage;
import io.qtk.image.SourceImage;
import io.qtk.image.TilePlan;
import java.awt.Rectangle;

/**
 * The tile loop of a grid model. Encode: for each tile, the pixels of its context (edge-replicated past the image,
 * which is the padding to a multiple of f) go through the encoder, the core of the latent is quantised at once and
 * its indices stored in the whole-image {@link IndexGrid}; no float latent of the whole image ever exists. Decode:
 * for each tile, only the latent window of its context is looked up (groups past the prefix are zero), decoded, and
 * the core's pixels written straight into the output image.
 *
 * <p>Immutable and thread-safe (each call has its own buffers).
 */
public final class GridPipeline {
    /** Default bound on the pixels of one tile's context: 1 Mpx. */
    public static final long DEFAULT_MAX_TILE_PIXELS = 1L << 20;

    private final TileNetwork network;
    private final LatentQuantiser quantiser;
    private final int factor;
    private final int haloLatent;
    private final long maxTilePixels;
    private final float[][] ladders; // per group {c0, step} for rate-aware rounding, null when not all uniform

    /**
     * @param network encoder and decoder
     * @param quantiser codebooks
     * @param haloPixels context on each side of a tile, in pixels (rounded up to whole latent positions)
     * @param maxTilePixels bound on a tile's context in pixels, 0 for {@link #DEFAULT_MAX_TILE_PIXELS}
     */
    public GridPipeline(TileNetwork network, LatentQuantiser quantiser, int haloPixels, long maxTilePixels) {
        this.network = network;
        this.quantiser = quantiser;
        this.factor = network.factor();
        if (network.latentChannels() != quantiser.groups() * quantiser.dim()) {
            throw new IllegalArgumentException("latent channels " + network.latentChannels() + " != G*d = "
                    + quantiser.groups() + "*" + quantiser.dim());
        }
        this.haloLatent = (Math.max(0, haloPixels) + factor - 1) / factor;
        this.maxTilePixels = maxTilePixels > 0 ? maxTilePixels : DEFAULT_MAX_TILE_PIXELS;
        float[][] l = new float[quantiser.groups()][];
        for (int g = 0; l != null && g < l.length; g++) {
            l[g] = quantiser.uniformLadder(g);
            if (l[g] == null) {
                l = null;
            }
        }
        this.ladders = l;
    }

    /** @return f */
    public int factor() {
        return factor;
    }

    /**
     * @param width image width
     * @param height image height
     * @return the tile plan of a whole image
     */
    public TilePlan plan(int width, int height) {
        return TilePlan.of(ceilDiv(height, factor), ceilDiv(width, factor), factor, haloLatent, maxTilePixels);
    }

    /**
     * Encodes and quantises an image, all groups.
     *
     * @param src the pixels
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress reported at the start
     * @param progressTo progress reported after the last tile
     * @return the indices over the whole latent grid
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public IndexGrid encode(SourceImage src, ProgressListener listener, float progressFrom, float progressTo)
            throws QtkException {
        return encode(src, listener, progressFrom, progressTo, Stages.NONE);
    }

    /**
     * As {@link #encode(SourceImage, ProgressListener, float, float)}, timing the stages.
     *
     * @param src the pixels
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress reported at the start
     * @param progressTo progress reported after the last tile
     * @param stages receives the time per stage
     * @return the indices over the whole latent grid
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public IndexGrid encode(SourceImage src, ProgressListener listener, float progressFrom, float progressTo,
            Stages stages) throws QtkException {
        return encode(src, listener, progressFrom, progressTo, stages, null);
    }

    /**
     * @param width image width
     * @param height image height
     * @return a grid for the {@link RoundingMargins} of an image of this size (one byte per index), or null when
     *     some group's codebook is not a uniform scalar ladder (rate-aware rounding does not apply)
     */
    public IndexGrid newMargins(int width, int height) {
        if (ladders == null) {
            return null;
        }
        return new IndexGrid(quantiser.groups(), Math.multiplyExact(ceilDiv(height, factor), ceilDiv(width, factor)),
                256);
    }

    /**
     * As {@link #encode(SourceImage, ProgressListener, float, float, Stages)}, also recording the rounding margin of
     * every index.
     *
     * @param src the pixels
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress reported at the start
     * @param progressTo progress reported after the last tile
     * @param stages receives the time per stage
     * @param margins null, or from {@link #newMargins} for this image: receives the margins
     * @return the indices over the whole latent grid
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public IndexGrid encode(SourceImage src, ProgressListener listener, float progressFrom, float progressTo,
            Stages stages, IndexGrid margins) throws QtkException {
        int lh = ceilDiv(src.height(), factor);
        int lw = ceilDiv(src.width(), factor);
        int groups = quantiser.groups();
        int dim = quantiser.dim();
        int c = groups * dim;
        IndexGrid grid = new IndexGrid(groups, Math.multiplyExact(lh, lw), quantiser.codebookSize());
        TilePlan plan = TilePlan.of(lh, lw, factor, haloLatent, maxTilePixels);
        int done = 0;
        for (TilePlan.Tile t : plan.tiles()) {
            checkCancel(listener, "encode");
            int ph = t.ctxH() * factor;
            int pw = t.ctxW() * factor;
            long t0 = stages.start();
            float[] rgb = new float[3 * ph * pw];
            src.readRgbPlanes(t.ctxX0() * factor, t.ctxY0() * factor, pw, ph, rgb);
            stages.stop(Stages.Stage.PIXELS_IN, t0);
            t0 = stages.start();
            float[] latent = network.encode(rgb, ph, pw);
            stages.stop(Stages.Stage.NET_ENCODE, t0);
            t0 = stages.start();
            int n = t.ctxH() * t.ctxW();
            if (latent.length != c * n) {
                throw new QtkException("encoder returned " + latent.length + " values for a " + t.ctxH() + "x"
                        + t.ctxW() + " latent of " + c + " channels");
            }
            rgb = null;
            int ch = t.coreY1() - t.coreY0();
            int cw = t.coreX1() - t.coreX0();
            int cn = ch * cw;
            int sy = t.coreY0() - t.ctxY0();
            int sx = t.coreX0() - t.ctxX0();
            float[] core;
            if (cn == n) {
                core = latent;
            } else {
                core = new float[c * cn];
                for (int k = 0; k < c; k++) {
                    for (int j = 0; j < ch; j++) {
                        System.arraycopy(latent, k * n + (sy + j) * t.ctxW() + sx, core, k * cn + j * cw, cw);
                    }
                }
            }
            int[][] idx = quantiser.quantise(core, cn);
            grid.writeWindow(lw, idx, t.coreY0(), t.coreX0(), ch, cw);
            if (margins != null) {
                margins.writeWindow(lw, margins(core, cn, idx), t.coreY0(), t.coreX0(), ch, cw);
            }
            stages.stop(Stages.Stage.QUANTISE, t0);
            done++;
            listener.progress(progressFrom + (progressTo - progressFrom) * done / plan.size());
        }
        return grid;
    }

    /**
     * Decodes the indices of a whole image (or a region of it) into an output image.
     *
     * @param grid indices of the whole grid; groups at or past {@code groupsUsed} are treated as zero
     * @param groupsUsed the prefix of groups to use
     * @param width image width
     * @param height image height
     * @param region pixels to produce (inside the image), or null for all; {@code out} has the region's size
     * @param out receives the pixels (colour only)
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress at the start
     * @param progressTo progress after the last tile
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public void decode(IndexGrid grid, int groupsUsed, int width, int height, Rectangle region, OutputImage out,
            ProgressListener listener, float progressFrom, float progressTo) throws QtkException {
        decode(grid, groupsUsed, width, height, region, out, listener, progressFrom, progressTo, Stages.NONE);
    }

    /**
     * As {@link #decode(IndexGrid, int, int, int, Rectangle, OutputImage, ProgressListener, float, float)}, timing
     * the stages.
     *
     * @param grid indices of the whole grid
     * @param groupsUsed the prefix of groups to use
     * @param width image width
     * @param height image height
     * @param region pixels to produce, or null for all
     * @param out receives the pixels (colour only)
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress at the start
     * @param progressTo progress after the last tile
     * @param stages receives the time per stage
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public void decode(IndexGrid grid, int groupsUsed, int width, int height, Rectangle region, OutputImage out,
            ProgressListener listener, float progressFrom, float progressTo, Stages stages) throws QtkException {
        Rectangle r = region == null ? new Rectangle(0, 0, width, height) : region;
        int lh = ceilDiv(height, factor);
        int lw = ceilDiv(width, factor);
        if (grid.positions() != (long) lh * lw) {
            throw new IllegalArgumentException("grid has " + grid.positions() + " positions, image needs " + lh + "x"
                    + lw);
        }
        int used = Math.min(groupsUsed, grid.groups());
        int c = quantiser.groups() * quantiser.dim();
        TilePlan plan = TilePlan.window(lh, lw, r.y / factor, ceilDiv(r.y + r.height, factor), r.x / factor,
                ceilDiv(r.x + r.width, factor), factor, haloLatent, maxTilePixels);
        int done = 0;
        for (TilePlan.Tile t : plan.tiles()) {
            checkCancel(listener, "decode");
            int n = t.ctxH() * t.ctxW();
            long t0 = stages.start();
            int[][] idx = grid.readWindow(lw, t.ctxY0(), t.ctxX0(), t.ctxH(), t.ctxW(), used);
            float[] latent = new float[c * n];
            quantiser.dequantise(idx, used, latent);
            idx = null;
            stages.stop(Stages.Stage.DEQUANTISE, t0);
            t0 = stages.start();
            float[] rgb = network.decode(latent, t.ctxH(), t.ctxW());
            stages.stop(Stages.Stage.NET_DECODE, t0);
            t0 = stages.start();
            int ph = t.ctxH() * factor;
            int pw = t.ctxW() * factor;
            if (rgb.length != 3 * ph * pw) {
                throw new QtkException("decoder returned " + rgb.length + " values for a " + ph + "x" + pw
                        + " RGB tile");
            }
            // core pixels, clipped to the image and the region
            int y0 = Math.max(t.coreY0() * factor, r.y);
            int y1 = Math.min(Math.min(t.coreY1() * factor, height), r.y + r.height);
            int x0 = Math.max(t.coreX0() * factor, r.x);
            int x1 = Math.min(Math.min(t.coreX1() * factor, width), r.x + r.width);
            if (y1 > y0 && x1 > x0) {
                out.writeRgb(rgb, pw, ph, x0 - t.ctxX0() * factor, y0 - t.ctxY0() * factor, x0 - r.x, y0 - r.y,
                        x1 - x0, y1 - y0);
            }
            stages.stop(Stages.Stage.PIXELS_OUT, t0);
            done++;
            listener.progress(progressFrom + (progressTo - progressFrom) * done / plan.size());
        }
    }

    /** The margin bytes of a tile's indices (d = 1: channel g is group g). */
    private int[][] margins(float[] core, int n, int[][] idx) {
        int k = quantiser.codebookSize();
        int[][] m = new int[idx.length][n];
        for (int g = 0; g < idx.length; g++) {
            float[] ladder = ladders[g];
            for (int p = 0; p < n; p++) {
                m[g][p] = RoundingMargins.of(core[g * n + p], idx[g][p], ladder[0], ladder[1], k);
            }
        }
        return m;
    }

    private static void checkCancel(ProgressListener listener, String what) throws QtkCancelledException {
        if (listener.isCancelled()) {
            throw new QtkCancelledException(what + " cancelled");
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
