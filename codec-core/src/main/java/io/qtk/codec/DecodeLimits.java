package io.qtk.codec;

import io.qtk.QtkException;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import java.awt.Rectangle;

/**
 * The limits a decode is held to before it allocates anything that grows with the image
 * ({@code format-spec/qtk-format.md} 12.6): the pixel limit, checked from the header alone, and the heap a decode
 * will need, computed in advance from the header, the model's halo and the tile bound, and compared with the heap
 * that is free. A file that passes both cannot make the decoder run out of memory; one that fails is refused with
 * an exception naming the sizes, in milliseconds, instead of an {@link OutOfMemoryError} minutes later.
 *
 * <p>Kept apart from the coders and the pipelines on purpose: they allocate what {@link #estimate} counts, and this
 * class is the one place that says how much that is.
 */
public final class DecodeLimits {
    /** Offset of {@code width} in every file: signature 8, version 2, then {@code QHDR} (always first) length, type. */
    static final long WIDTH_OFFSET = 18;

    /** Heap left free on top of the estimate: GC headroom and what other threads may allocate meanwhile. */
    static final long MIN_HEAP_MARGIN = 16L << 20;

    /** Small objects of a decode not counted one by one (models' per-call objects, streams, metadata). */
    static final long FIXED_BYTES = 2L << 20;

    /** Bytes of one {@code TilePlan.Tile} and its list slot, rounded up. */
    static final long TILE_RECORD_BYTES = 96;

    private DecodeLimits() {
    }

    /**
     * Refuses a decode that would produce more than {@code maxPixels} pixels: {@code width * height} of the region,
     * or of the whole image without one. Uses the header only.
     *
     * @param hd the header
     * @param region the (clipped) region to produce
     * @param maxPixels the limit, at least 1
     * @throws QtkFormatException when over it, naming the declared size and the limit
     */
    public static void checkPixels(QtkHeader hd, Rectangle region, long maxPixels) throws QtkFormatException {
        long produced = (long) region.width * region.height;
        if (produced <= maxPixels) {
            return;
        }
        boolean whole = region.width == hd.width() && region.height == hd.height();
        String what = whole ? "image " + hd.width() + "x" + hd.height()
                : "region " + region.width + "x" + region.height + " of the " + hd.width() + "x" + hd.height()
                        + " image";
        throw new QtkFormatException(WIDTH_OFFSET, "chunk QHDR at offset " + WIDTH_OFFSET + ": " + what + " is "
                + String.format("%,d", produced) + " pixels, over the decode limit of "
                + String.format("%,d", maxPixels) + " pixels (DecodeOptions.maxPixels, QtkConfig.maxDecodePixels)");
    }

    /**
     * What a decode will need on the heap, part by part; every part is an upper bound on what the decoder allocates
     * for it, and {@link #total()} bounds the decode's live heap.
     *
     * @param container the parsed container: chunk data copied once, read in pieces from a stream at most twice
     * @param indexGrid the {@link IndexGrid}: {@code used} groups of {@code columns * rows} indices, 1 or 2 bytes
     * @param coderState the token coders' per-position arrays (decode buffer, coder-4 window and contexts, coder-5/6
     *     predictor)
     * @param tile one tile in flight: its indices, latent, the network's input copy and output (twice: the runtime's
     *     buffer and its array), and the tile plan
     * @param output the output image, region {@code width * height * bands} bytes
     * @param alpha the decoded alpha plane, {@code width * height} bytes of the whole image, and the inflater
     * @param fixed small objects not counted one by one
     */
    public record Estimate(long container, long indexGrid, long coderState, long tile, long output, long alpha,
            long fixed) {
        /** @return the sum of the parts, in bytes */
        public long total() {
            return container + indexGrid + coderState + tile + output + alpha + fixed;
        }

        @Override
        public String toString() {
            return mib(total()) + " (index grid " + mib(indexGrid) + ", coders " + mib(coderState) + ", tile "
                    + mib(tile) + ", output image " + mib(output) + ", alpha " + mib(alpha) + ", container "
                    + mib(container) + ")";
        }
    }

    /**
     * The heap a decode of this header needs. Saturates instead of overflowing (a hostile header may ask for more
     * than a long holds only in theory, but the sum must never wrap to a small number).
     *
     * @param hd the header
     * @param fileBytes the input's size
     * @param used the groups to decode
     * @param region the region to produce (inside the image)
     * @param grid whether the model is a grid model (else global)
     * @param haloPixels the grid model's halo in pixels (ignored for global models)
     * @param maxTilePixels the tile bound in force (pixels of one tile's context), at least 1
     * @return the estimate
     */
    public static Estimate estimate(QtkHeader hd, long fileBytes, int used, Rectangle region, boolean grid,
            int haloPixels, long maxTilePixels) {
        long positions = hd.tokensPerGroup();
        int k = hd.quantiser().codebookSize();
        long perIndex = k <= 256 ? 1 : 2;
        long indexGrid = sat(sat(used, sat(positions, perIndex)), 1) + 24L * used;
        // TokenCoding: buf int[n]; ChannelTables window sum int[n] + contexts int[n]; PredictionTables.Coder
        // ch int[n], base long[n], pred int[n], x int[n].
        long coderState = used == 0 ? 0 : sat(positions, 4 + 8 + 20);
        int cell = hd.quantiser().cellSize();
        long channels = (long) hd.quantiser().groups() * hd.quantiser().codewordDim();
        long tile;
        if (grid) {
            long halo = (Math.max(0, haloPixels) + cell - 1) / cell;
            long maxLatent = Math.max(1, maxTilePixels / ((long) cell * cell));
            long single = (1 + 2 * halo) * (1 + 2 * halo);
            long n = Math.min(positions, Math.max(maxLatent, single)); // latent positions of the largest context
            long pixels = sat(n, (long) cell * cell);
            // indices int[used][n], latent float[c n], the runtime's direct input copy, RGB out twice (12 B/px)
            long perTile = sat(sat(n, 4L * used), 1) + sat(n, 8 * channels) + sat(pixels, 2 * 12);
            long side = Math.max(1, (long) Math.floor(Math.sqrt((double) maxLatent)) - 2 * halo);
            long rows = (region.height / (long) cell) + 2;
            long cols = (region.width / (long) cell) + 2;
            long tiles = sat(ceilDiv(rows, side), ceilDiv(cols, side));
            tile = perTile + sat(tiles, TILE_RECORD_BYTES);
        } else {
            // one T x T tile: tokens, their latent (N d floats) and RGB out twice
            tile = 8L * hd.quantiser().groups() + 4L * channels + sat((long) cell * cell, 2 * 12);
        }
        long bands = switch (hd.channels().code()) {
            case 1 -> 1;
            case 3 -> 3;
            default -> 4;
        };
        long output = sat(sat((long) region.width * region.height, bands), 1) + 1024;
        long alpha = hd.channels().hasAlpha() ? hd.pixelCount() + hd.width() + (128L << 10) : 0;
        long container = sat(fileBytes, 2);
        return new Estimate(container, indexGrid, coderState, tile, output, alpha, FIXED_BYTES);
    }

    /**
     * Refuses a decode whose estimate, with what the caller needs besides, does not fit the heap that is free now:
     * {@code Runtime.maxMemory()} minus the heap in use, less a margin of 1/16 of the heap (at least 16 MiB).
     *
     * @param e the estimate
     * @param alsoNeeded bytes the caller will allocate besides (an ImageIO destination image), 0 or more
     * @param what the decode, in words, for the message
     * @throws QtkException when it does not fit
     */
    public static void checkHeap(Estimate e, long alsoNeeded, String what) throws QtkException {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        long free = max - (rt.totalMemory() - rt.freeMemory());
        long margin = Math.max(MIN_HEAP_MARGIN, max / 16);
        long need = sat(e.total() + Math.max(0, alsoNeeded), 1);
        if (need > free - margin) {
            throw new QtkException("not enough memory to decode " + what + ": it needs " + e
                    + (alsoNeeded > 0 ? " and " + mib(alsoNeeded) + " for the destination image" : "")
                    + ", the heap has " + mib(Math.max(0, free)) + " free of " + mib(max) + " (keeping "
                    + mib(margin) + " spare); decode a region or fewer pixels, or give the JVM more heap (-Xmx)");
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** {@code a * b} for non-negative values, saturating at {@link Long#MAX_VALUE} / 4 so that sums cannot wrap. */
    static long sat(long a, long b) {
        long cap = Long.MAX_VALUE / 4;
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > cap / b ? cap : Math.min(cap, a * b);
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
