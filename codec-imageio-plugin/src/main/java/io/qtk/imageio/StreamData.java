package io.qtk.imageio;

import io.qtk.format.ChunkInfo;
import io.qtk.format.ChunkType;
import io.qtk.format.QtkFormat;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The bytes of one {@code .qtk} file read from an {@link ImageInputStream}, from the position the stream had when it
 * was given to the reader, loaded lazily: a prefix for the header, everything (through the {@code QEND} chunk) for
 * decoding.
 *
 * <p>The codec takes a whole file as a byte array, so the file is bounded by the largest Java array (2^31 - 9 bytes),
 * or by the system property {@value #MAX_BYTES_PROPERTY} when that is smaller: a hostile stream cannot make the
 * reader allocate more. A declared stream length is only used as a hint for the first allocation.
 */
final class StreamData {
    /** System property: the largest file the reader loads, in bytes. */
    static final String MAX_BYTES_PROPERTY = "qtk.imageio.maxFileBytes";

    private static final int ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    /** The most a declared stream length makes the buffer grow at once. */
    private static final long HINT_CAP = 64L << 20;

    private final ImageInputStream in;
    private final long start;
    private final int limit;
    private byte[] buf = new byte[0];
    private int len;
    private boolean eof;
    /** Offset just after the QEND chunk once found, else -1. */
    private int end = -1;
    /** The whole file once loaded. */
    private byte[] file;

    StreamData(ImageInputStream in) throws IOException {
        this.in = in;
        this.start = in.getStreamPosition();
        this.limit = maxBytes();
    }

    static int maxBytes() {
        String p = System.getProperty(MAX_BYTES_PROPERTY);
        if (p != null) {
            try {
                long v = Long.parseLong(p.trim());
                if (v > 0) {
                    return (int) Math.min(v, ARRAY_LIMIT);
                }
            } catch (NumberFormatException e) {
                // fall back to the array limit
            }
        }
        return ARRAY_LIMIT;
    }

    /**
     * Reads until at least {@code n} bytes are held or the stream ends.
     *
     * @return the number of bytes held
     */
    int fill(int n) throws IOException {
        int want = Math.min(n, limit);
        if (len >= want || eof) {
            return len;
        }
        // Someone (canDecodeInput, the application) may have moved the stream: continue where this left off.
        if (in.getStreamPosition() != start + len) {
            in.seek(start + len);
        }
        while (len < want) {
            if (len == buf.length) {
                grow(want);
            }
            int r = in.read(buf, len, Math.min(buf.length, want) - len);
            if (r < 0) {
                eof = true;
                break;
            }
            len += r;
        }
        if (len == limit && !eof) {
            // Exactly at the limit: a further byte means the file is too large to load.
            if (in.read() >= 0) {
                throw new IIOException("qtk file larger than " + limit + " bytes (see system property "
                        + MAX_BYTES_PROPERTY + ")");
            }
            eof = true;
        }
        return len;
    }

    private void grow(int want) throws IOException {
        long declared = in.length();
        long declaredRest = declared > 0 ? declared - start : -1;
        // A declared length is trusted only as a size hint; doubling covers streams that lie or do not know.
        long doubled = Math.max(8192L, buf.length * 2L);
        // ...and a claimed huge length allocates at most HINT_CAP ahead of the bytes really read.
        long target = declaredRest > buf.length ? Math.min(declaredRest, Math.max(doubled, HINT_CAP)) : doubled;
        target = Math.min(target, want);
        target = Math.max(target, len + 1L);
        buf = Arrays.copyOf(buf, (int) Math.min(target, limit));
    }

    /**
     * Reads the whole file: chunk by chunk through {@code QEND} (so data that follows the file in the stream is
     * neither read nor handed to the parser), or to the end of the stream for a file cut short. Only the framing
     * (length, type) is looked at; the container parser checks everything else. A frame beyond the format's limits
     * (chunk length, chunk count) stops the walk and the rest of the stream is loaded for the parser to reject.
     * The stream is left just after the file when it can seek back there.
     *
     * @return the file's bytes (the internal array when exactly full: callers must not modify it)
     */
    byte[] all() throws IOException {
        if (file != null) {
            return file;
        }
        if (end < 0) {
            end = walkToEnd();
            try {
                if (end >= 0 && in.getStreamPosition() != start + end) {
                    in.seek(start + end);
                }
            } catch (IOException | IndexOutOfBoundsException e) {
                // cannot go back (flushed): only a courtesy, the bytes are held already
            }
        }
        file = end >= 0 && end < len ? Arrays.copyOf(buf, end) : bytes();
        return file;
    }

    /** @return the offset just after QEND, or -1 when the walk stopped elsewhere (everything held is the file) */
    private int walkToEnd() throws IOException {
        int pos = QtkFormat.FIRST_CHUNK_OFFSET;
        if (fill(pos) < pos || !QtkImageReaderSpi.isSignature(buf)) {
            fill(limit); // not a qtk file: whoever parses it says so
            return -1;
        }
        byte[] qend = ChunkType.QEND.bytes();
        for (int chunks = 1; ; chunks++) {
            if (fill(pos + 8) < pos + 8) {
                return -1; // cut short between or inside chunk headers
            }
            long length = (buf[pos] & 0xFFL) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8
                    | (buf[pos + 3] & 0xFF);
            boolean isEnd = Arrays.equals(buf, pos + 4, pos + 8, qend, 0, 4);
            long next = pos + ChunkInfo.OVERHEAD + length;
            if (length > QtkFormat.MAX_CHUNK_LENGTH || chunks > QtkFormat.MAX_CHUNKS || next > limit) {
                fill(limit);
                return -1;
            }
            if (fill((int) next) < next) {
                return -1; // cut short inside this chunk
            }
            pos = (int) next;
            if (isEnd) {
                return pos;
            }
        }
    }

    /** @return the bytes held so far (the internal array when it is exactly full: callers must not modify it) */
    byte[] bytes() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** @return the size of the buffer (for tests: what a stream's claims made this allocate) */
    int capacity() {
        return buf.length;
    }

    /** @return whether the end of the stream was reached */
    boolean atEnd() {
        return eof;
    }
}
