package io.qtk.format;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The lossless alpha-plane codec of the {@code QALP} chunk (specification section "QALP").
 *
 * <p>Chunk data: one method byte, {@value #METHOD_DELTA_ZLIB} = "left delta + zlib", then a zlib stream (RFC 1950,
 * no preset dictionary) that inflates to exactly {@code W*H} bytes: the alpha samples in raster order, each row
 * filtered on its own by "left delta": the first byte of a row is the sample itself, every later byte is
 * {@code (a[x] - a[x-1]) mod 256}. Inflation is bounded: a stream that would yield more than {@code W*H} bytes
 * (zip bomb), fewer, is corrupt, needs a dictionary, or is followed by extra bytes is rejected.
 *
 * <p>Samples are 8-bit. A 16-bit source alpha is reduced with {@link #reduce16(int)} before coding; a 16-bit
 * decoder output expands with {@link #expand8(int)}.
 */
public final class AlphaCodec {
    /** Method byte: per-row left-delta filter, then zlib. */
    public static final int METHOD_DELTA_ZLIB = 0;

    private static final int BUFFER = 1 << 16;

    private AlphaCodec() {
    }

    /** Receives decoded alpha rows. */
    @FunctionalInterface
    public interface RowSink {
        /**
         * Receives one row.
         *
         * @param y       row index, 0..H-1, in increasing order
         * @param samples the row's W samples; the array is reused for the next row, copy what you keep
         */
        void row(int y, byte[] samples);
    }

    /**
     * Reduces a 16-bit alpha sample to 8 bits, rounding to nearest: {@code (a16 * 255 + 32767) / 65535}.
     *
     * @param a16 0..65535
     * @return 0..255
     */
    public static int reduce16(int a16) {
        if (a16 < 0 || a16 > 65535) {
            throw new IllegalArgumentException("16-bit sample " + a16 + " out of range 0..65535");
        }
        return (a16 * 255 + 32767) / 65535;
    }

    /**
     * Expands an 8-bit alpha sample to 16 bits: {@code a8 * 257}.
     *
     * @param a8 0..255
     * @return 0..65535
     */
    public static int expand8(int a8) {
        if (a8 < 0 || a8 > 255) {
            throw new IllegalArgumentException("8-bit sample " + a8 + " out of range 0..255");
        }
        return a8 * 257;
    }

    /**
     * Encodes an alpha plane into {@code QALP} chunk data.
     *
     * @param samples W*H samples, raster order (not modified)
     * @param width   W, 1 or more
     * @param height  H, 1 or more
     * @return the chunk data: method byte and zlib stream
     * @throws IllegalArgumentException if {@code samples.length != width * height}
     */
    public static byte[] encode(byte[] samples, int width, int height) {
        if (width < 1 || height < 1 || (long) width * height != samples.length) {
            throw new IllegalArgumentException("alpha plane of " + samples.length + " samples does not match "
                    + width + "x" + height);
        }
        byte[] filtered = new byte[samples.length];
        for (int y = 0, i = 0; y < height; y++) {
            int prev = 0;
            for (int x = 0; x < width; x++, i++) {
                int a = samples[i] & 0xFF;
                filtered[i] = (byte) (a - prev);
                prev = a;
            }
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(filtered);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(filtered.length / 4 + 64, BUFFER));
            out.write(METHOD_DELTA_ZLIB);
            byte[] buf = new byte[BUFFER];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * Checks {@code QALP} chunk data without keeping the samples (memory use is a fixed 64 KiB).
     *
     * @param data   the chunk data
     * @param width  W
     * @param height H
     * @throws QtkFormatException if the data is not a valid alpha plane of W*H samples; its offset is relative to
     *                            the start of {@code data}
     */
    public static void validate(byte[] data, int width, int height) throws QtkFormatException {
        run(data, width, height, null, 0, "QALP data");
    }

    /**
     * Decodes {@code QALP} chunk data.
     *
     * @param data   the chunk data
     * @param width  W
     * @param height H, with W*H at most {@code Integer.MAX_VALUE - 16} (use
     *               {@link #decode(byte[], int, int, RowSink)} beyond)
     * @return W*H samples in raster order
     * @throws QtkFormatException if the data is invalid (offset relative to {@code data})
     */
    public static byte[] decode(byte[] data, int width, int height) throws QtkFormatException {
        long n = (long) width * height;
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(width + "x" + height + " alpha plane does not fit in an array; "
                    + "decode it row by row");
        }
        validate(data, width, height);
        byte[] out = new byte[(int) n];
        run(data, width, height, (y, row) -> System.arraycopy(row, 0, out, y * width, width), 0, "QALP data");
        return out;
    }

    /**
     * Decodes {@code QALP} chunk data row by row. The data is checked completely first, so the sink sees rows only
     * from valid data.
     *
     * @param data   the chunk data
     * @param width  W
     * @param height H
     * @param sink   receives the rows in order
     * @throws QtkFormatException if the data is invalid (offset relative to {@code data})
     */
    public static void decode(byte[] data, int width, int height, RowSink sink) throws QtkFormatException {
        validate(data, width, height);
        run(data, width, height, sink, 0, "QALP data");
    }

    /**
     * Inflates and, with a sink, unfilters. Errors name {@code where} and add {@code base} to offsets.
     */
    static void run(byte[] data, int width, int height, RowSink sink, long base, String where)
            throws QtkFormatException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("bad alpha plane size " + width + "x" + height);
        }
        if (data.length < 1) {
            throw new QtkFormatException(base, where + ": empty, no method byte");
        }
        int method = data[0] & 0xFF;
        if (method != METHOD_DELTA_ZLIB) {
            throw new QtkFormatException(base, where + ": alpha method " + method + " unknown (only 0 is defined)");
        }
        long expected = (long) width * height;
        Inflater inf = new Inflater();
        try {
            inf.setInput(data, 1, data.length - 1);
            byte[] buf = new byte[(int) Math.min(BUFFER, expected + 1)];
            byte[] row = sink == null ? null : new byte[width];
            int x = 0;
            int y = 0;
            int prev = 0;
            long produced = 0;
            int stalls = 0;
            while (!inf.finished()) {
                int want = (int) Math.min(buf.length, expected - produced + 1);
                int n;
                try {
                    n = inf.inflate(buf, 0, want);
                } catch (DataFormatException e) {
                    throw new QtkFormatException(base + 1 + inf.getTotalIn(),
                            where + ": corrupt zlib stream (" + e.getMessage() + ")");
                }
                produced += n;
                if (produced > expected) {
                    throw new QtkFormatException(base + 1 + inf.getTotalIn(),
                            where + ": inflates to more than W*H = " + expected + " bytes");
                }
                if (n == 0) {
                    if (inf.finished()) {
                        break;
                    }
                    if (inf.needsDictionary()) {
                        throw new QtkFormatException(base + 1,
                                where + ": zlib stream needs a preset dictionary (not allowed)");
                    }
                    if (inf.needsInput() || ++stalls > 3) {
                        throw new QtkFormatException(base + data.length,
                                where + ": zlib stream ends after " + produced + " of " + expected + " bytes");
                    }
                    continue;
                }
                stalls = 0;
                if (row != null) {
                    for (int i = 0; i < n; i++) {
                        int a = x == 0 ? buf[i] & 0xFF : (prev + buf[i]) & 0xFF;
                        row[x] = (byte) a;
                        prev = a;
                        if (++x == width) {
                            sink.row(y++, row);
                            x = 0;
                        }
                    }
                }
            }
            if (produced < expected) {
                throw new QtkFormatException(base + data.length,
                        where + ": zlib stream ends after " + produced + " of " + expected + " bytes");
            }
            int rest = inf.getRemaining();
            if (rest > 0) {
                throw new QtkFormatException(base + data.length - rest,
                        where + ": " + rest + " bytes after the end of the zlib stream");
            }
        } finally {
            inf.end();
        }
    }
}
