package io.qtk.format;

import java.util.Arrays;

/**
 * A lossless alpha plane as stored in the {@code QALP} chunk: W*H 8-bit samples, compressed by {@link AlphaCodec}.
 * Immutable; every instance holds valid chunk data. Equality compares the stored (compressed) bytes.
 */
public final class AlphaPlane {
    private final int width;
    private final int height;
    private final byte[] data;

    private AlphaPlane(int width, int height, byte[] data) {
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /**
     * Compresses 8-bit alpha samples.
     *
     * @param width   W
     * @param height  H
     * @param samples W*H samples, raster order (not kept)
     * @return the plane
     */
    public static AlphaPlane of(int width, int height, byte[] samples) {
        return new AlphaPlane(width, height, AlphaCodec.encode(samples, width, height));
    }

    /**
     * Compresses 16-bit alpha samples, reducing each with {@link AlphaCodec#reduce16(int)}.
     *
     * @param width   W
     * @param height  H
     * @param samples W*H samples 0..65535 (as unsigned {@code char}s), raster order
     * @return the plane
     */
    public static AlphaPlane of16(int width, int height, char[] samples) {
        byte[] b = new byte[samples.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) AlphaCodec.reduce16(samples[i]);
        }
        return of(width, height, b);
    }

    /**
     * Wraps existing {@code QALP} chunk data after checking it completely.
     *
     * @param width  W
     * @param height H
     * @param data   chunk data (copied)
     * @return the plane
     * @throws QtkFormatException if the data is not a valid plane of W*H samples (offset relative to data)
     */
    public static AlphaPlane fromChunkData(int width, int height, byte[] data) throws QtkFormatException {
        byte[] copy = data.clone();
        AlphaCodec.validate(copy, width, height);
        return new AlphaPlane(width, height, copy);
    }

    /** Wraps data the caller has validated and will not change. */
    static AlphaPlane trusted(int width, int height, byte[] data) {
        return new AlphaPlane(width, height, data);
    }

    /**
     * Returns W.
     *
     * @return the width
     */
    public int width() {
        return width;
    }

    /**
     * Returns H.
     *
     * @return the height
     */
    public int height() {
        return height;
    }

    /**
     * Returns the {@code QALP} chunk data (method byte and zlib stream).
     *
     * @return a copy
     */
    public byte[] chunkData() {
        return data.clone();
    }

    /**
     * Returns the length of the chunk data.
     *
     * @return bytes
     */
    public int chunkDataLength() {
        return data.length;
    }

    byte[] raw() {
        return data;
    }

    /**
     * Decodes the samples.
     *
     * @return W*H samples in raster order
     * @throws IllegalStateException if W*H exceeds {@code Integer.MAX_VALUE - 16} (use
     *                               {@link #decodeRows(AlphaCodec.RowSink)})
     */
    public byte[] decode() {
        try {
            return AlphaCodec.decode(data, width, height);
        } catch (QtkFormatException e) {
            throw new IllegalStateException("validated alpha plane failed to decode", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Decodes the samples row by row, for planes of any size.
     *
     * @param sink receives each row
     */
    public void decodeRows(AlphaCodec.RowSink sink) {
        try {
            AlphaCodec.run(data, width, height, sink, 0, "QALP data");
        } catch (QtkFormatException e) {
            throw new IllegalStateException("validated alpha plane failed to decode", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlphaPlane)) {
            return false;
        }
        AlphaPlane a = (AlphaPlane) o;
        return width == a.width && height == a.height && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return (width * 31 + height) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AlphaPlane[" + width + "x" + height + ", " + data.length + " bytes]";
    }
}
