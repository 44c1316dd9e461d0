package io.qtk.imageio;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The bytes of one {@code .qtk} file read from an {@link ImageInputStream}, from the position the stream had when it
 * was given to the reader, loaded lazily: a prefix for the header, everything for decoding.
 *
 * <p>The codec takes a whole file as a byte array, so the file is bounded by the largest Java array (2^31 - 9 bytes),
 * or by the system property {@value #MAX_BYTES_PROPERTY} when that is smaller: a hostile stream cannot make the
 * reader allocate more. A declared stream length is only used as a hint for the first allocation.
 */
final class StreamData {
    /** System property: the largest file the reader loads, in bytes. */
    static final String MAX_BYTES_PROPERTY = "qtk.imageio.maxFileBytes";

    private static final int ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    private final ImageInputStream in;
    private final long start;
    private final int limit;
    private byte[] buf = new byte[0];
    private int len;
    private boolean eof;

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
        long target = declaredRest > buf.length ? declaredRest : Math.max(8192L, buf.length * 2L);
        target = Math.min(target, want);
        target = Math.max(target, len + 1L);
        buf = Arrays.copyOf(buf, (int) Math.min(target, limit));
    }

    /** @return the whole file (read to the end of the stream) */
    byte[] all() throws IOException {
        fill(limit);
        return bytes();
    }

    /** @return the bytes held so far (the internal array when it is exactly full: callers must not modify it) */
    byte[] bytes() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** @return whether the end of the stream was reached */
    boolean atEnd() {
        return eof;
    }
}
