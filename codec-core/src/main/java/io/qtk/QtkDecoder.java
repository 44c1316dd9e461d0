package io.qtk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes {@code .qtk} files. Holds the model sessions, so create one and reuse it: it is thread-safe. Close it to
 * release native resources.
 *
 * <p>A file cut short after a complete group decodes at the lower quality of the groups present
 * ({@link QtkInfo#truncated()}); {@link DecodeOptions#maxGroups()} decodes a prefix on purpose.
 */
public final class QtkDecoder implements AutoCloseable {
    // ENGINE-TODO: implemented by the codec engine (issue 4); signatures are the contract.
    private QtkDecoder(QtkConfig config) {
        throw new UnsupportedOperationException("engine not assembled yet");
    }

    /**
     * @return a decoder with {@link QtkConfig#DEFAULT}
     * @throws QtkException when the runtime cannot start
     */
    public static QtkDecoder create() throws QtkException {
        return create(QtkConfig.DEFAULT);
    }

    /**
     * @param config run-time settings
     * @return a decoder
     * @throws QtkException when the runtime cannot start
     */
    public static QtkDecoder create(QtkConfig config) throws QtkException {
        return new QtkDecoder(config);
    }

    /**
     * @param data a whole (or truncated) {@code .qtk} file
     * @param options groups and region
     * @return the image, metadata and header
     * @throws IOException {@link io.qtk.format.QtkFormatException} for a corrupt or hostile file,
     *     {@link io.qtk.model.ModelNotFoundException} when its model is not available, {@link QtkException} otherwise
     */
    public DecodedImage decode(byte[] data, DecodeOptions options) throws IOException {
        return decode(data, options, ProgressListener.NONE);
    }

    /**
     * @param data a whole (or truncated) {@code .qtk} file
     * @param options groups and region
     * @param listener progress and cancellation, called per tile
     * @return the image, metadata and header
     * @throws IOException as {@link #decode(byte[], DecodeOptions)}, and {@link QtkCancelledException}
     */
    public DecodedImage decode(byte[] data, DecodeOptions options, ProgressListener listener) throws IOException {
        throw new UnsupportedOperationException("engine not assembled yet");
    }

    /**
     * Reads the stream to its end (bounded by the format's limits) and decodes it; the stream is not closed.
     *
     * @param in the file
     * @param options groups and region
     * @return the image, metadata and header
     * @throws IOException as {@link #decode(byte[], DecodeOptions)}
     */
    public DecodedImage decode(InputStream in, DecodeOptions options) throws IOException {
        throw new UnsupportedOperationException("engine not assembled yet");
    }

    /**
     * Reads only the header (no tokens decoded, no model needed).
     *
     * @param data a whole or partial file (at least through the header)
     * @return the header
     * @throws IOException {@link io.qtk.format.QtkFormatException} when not a valid {@code .qtk} header
     */
    public static QtkInfo info(byte[] data) throws IOException {
        throw new UnsupportedOperationException("engine not assembled yet");
    }

    /** Releases the model sessions; further calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
    }
}
