package io.qtk.format;

import java.io.IOException;

/**
 * The one exception type for a {@code .qtk} input that is not a valid file: corrupt, cut short where that is not
 * allowed, inconsistent, or beyond a limit of the format.
 *
 * <p>Contract of {@link QtkReader}: for <em>any</em> input byte sequence it either returns a result or throws this
 * exception; no other exception escapes, except a plain {@link IOException} thrown by the underlying
 * {@link java.io.InputStream} itself (which is passed through unchanged and is never a {@code QtkFormatException}).
 *
 * <p>{@link #offset()} is the byte position in the file of the first byte found wrong: the field that holds a bad
 * value, the start of a chunk that may not appear where it does, or, for an unexpected end of the file, the number
 * of bytes the file has. The message names the place and the problem, for example
 * {@code "chunk QHDR at offset 10: width 0 out of range 1..16777216"}.
 */
public final class QtkFormatException extends IOException {
    /** Serialisation version. */
    private static final long serialVersionUID = 1L;

    /** Byte offset in the file of what was found wrong. */
    private final long offset;

    /**
     * Creates an exception.
     *
     * @param offset  byte offset in the file of what was found wrong (0 or more)
     * @param message what was wrong and where, in words
     */
    public QtkFormatException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    /**
     * Returns the byte offset in the file of the first byte found wrong.
     *
     * @return the offset, 0 or more
     */
    public long offset() {
        return offset;
    }
}
