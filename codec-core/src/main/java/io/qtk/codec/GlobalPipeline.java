package io.qtk.codec;

import io.qtk.ProgressListener;
import io.qtk.QtkCancelledException;
import io.qtk.QtkException;
import io.qtk.image.OutputImage;
import io.qtk.image.SourceImage;
import java.awt.Rectangle;

/**
 * The tile loop of a global model: the image is cut into {@code T x T} tiles in raster order (edge tiles padded by
 * edge replication); each tile gives N tokens, token n of every tile forming stream ("group") n. Tiles are
 * independent (no halo). Memory is one tile plus the indices, whatever the image size.
 *
 * <p>Immutable and thread-safe.
 */
public final class GlobalPipeline {
    private final GlobalNetwork network;
    private final int codebookSize;
    private final int t;

    /**
     * @param network encoder, decoder and per-token codebooks
     * @param codebookSize K
     */
    public GlobalPipeline(GlobalNetwork network, int codebookSize) {
        this.network = network;
        this.codebookSize = codebookSize;
        this.t = network.tileSize();
    }

    /**
     * @param src the pixels
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress at the start
     * @param progressTo progress after the last tile
     * @param stages time per stage
     * @return indices: N groups over the tiles (raster order)
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public IndexGrid encode(SourceImage src, ProgressListener listener, float progressFrom, float progressTo,
            Stages stages) throws QtkException {
        int rows = GridPipeline.ceilDiv(src.height(), t);
        int cols = GridPipeline.ceilDiv(src.width(), t);
        int n = network.tokens();
        IndexGrid grid = new IndexGrid(n, Math.multiplyExact(rows, cols), codebookSize);
        float[] rgb = new float[3 * t * t];
        int total = rows * cols;
        for (int ty = 0; ty < rows; ty++) {
            for (int tx = 0; tx < cols; tx++) {
                if (listener.isCancelled()) {
                    throw new QtkCancelledException("encode cancelled");
                }
                long t0 = stages.start();
                src.readRgbPlanes(tx * t, ty * t, t, t, rgb);
                stages.stop(Stages.Stage.PIXELS_IN, t0);
                t0 = stages.start();
                float[] tokens = network.encode(rgb);
                stages.stop(Stages.Stage.NET_ENCODE, t0);
                if (tokens.length != n * network.dim()) {
                    throw new QtkException("encoder returned " + tokens.length + " values, expected N*d = " + n
                            + "*" + network.dim());
                }
                t0 = stages.start();
                int[] idx = network.quantise(tokens);
                int pos = ty * cols + tx;
                for (int k = 0; k < n; k++) {
                    grid.set(k, pos, idx[k]);
                }
                stages.stop(Stages.Stage.QUANTISE, t0);
                int done = pos + 1;
                listener.progress(progressFrom + (progressTo - progressFrom) * done / total);
            }
        }
        return grid;
    }

    /**
     * @param grid indices (N groups over the tiles)
     * @param used tokens to use; later ones are zero
     * @param width image width
     * @param height image height
     * @param region pixels to produce, or null for all; {@code out} has its size
     * @param out receives the colour pixels
     * @param listener progress per tile, cancellation between tiles
     * @param progressFrom progress at the start
     * @param progressTo progress after the last tile
     * @param stages time per stage
     * @throws QtkException when the runtime fails; {@link QtkCancelledException} when cancelled
     */
    public void decode(IndexGrid grid, int used, int width, int height, Rectangle region, OutputImage out,
            ProgressListener listener, float progressFrom, float progressTo, Stages stages) throws QtkException {
        Rectangle r = region == null ? new Rectangle(0, 0, width, height) : region;
        int cols = GridPipeline.ceilDiv(width, t);
        int ty0 = r.y / t;
        int ty1 = GridPipeline.ceilDiv(r.y + r.height, t);
        int tx0 = r.x / t;
        int tx1 = GridPipeline.ceilDiv(r.x + r.width, t);
        int u = Math.min(used, grid.groups());
        int total = (ty1 - ty0) * (tx1 - tx0);
        int done = 0;
        int[] idx = new int[network.tokens()];
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = tx0; tx < tx1; tx++) {
                if (listener.isCancelled()) {
                    throw new QtkCancelledException("decode cancelled");
                }
                long t0 = stages.start();
                int pos = ty * cols + tx;
                for (int k = 0; k < u; k++) {
                    idx[k] = grid.get(k, pos);
                }
                float[] tokens = network.dequantise(idx, u);
                stages.stop(Stages.Stage.DEQUANTISE, t0);
                t0 = stages.start();
                float[] rgb = network.decode(tokens);
                stages.stop(Stages.Stage.NET_DECODE, t0);
                if (rgb.length != 3 * t * t) {
                    throw new QtkException("decoder returned " + rgb.length + " values for a " + t + "x" + t
                            + " RGB tile");
                }
                t0 = stages.start();
                int y0 = Math.max(ty * t, r.y);
                int y1 = Math.min(Math.min((ty + 1) * t, height), r.y + r.height);
                int x0 = Math.max(tx * t, r.x);
                int x1 = Math.min(Math.min((tx + 1) * t, width), r.x + r.width);
                out.writeRgb(rgb, t, t, x0 - tx * t, y0 - ty * t, x0 - r.x, y0 - r.y, x1 - x0, y1 - y0);
                stages.stop(Stages.Stage.PIXELS_OUT, t0);
                done++;
                listener.progress(progressFrom + (progressTo - progressFrom) * done / total);
            }
        }
    }
}
