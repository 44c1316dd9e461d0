package io.qtk;

import io.qtk.codec.CodecEngine;
import io.qtk.codec.Engines;
import io.qtk.codec.ModelSource;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Encodes images to {@code .qtk}. Holds the model sessions, so create one and reuse it: it is thread-safe, and
 * concurrent calls give the same bytes as sequential ones. Close it to release native resources.
 *
 * <pre>{@code
 * try (QtkEncoder encoder = QtkEncoder.create()) {
 *     byte[] qtk = encoder.encode(image, EncodeOptions.builder().quality(0.6).build());
 * }
 * }</pre>
 */
public final class QtkEncoder implements AutoCloseable {
    private final ModelSource models;
    private final CodecEngine engine;
    /** Calls hold the read lock, {@link #close()} the write lock: closing waits for calls in flight. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private QtkEncoder(QtkConfig config) throws QtkException {
        this.models = Engines.open(Objects.requireNonNull(config, "config"));
        this.engine = new CodecEngine(models, config.maxTilePixels());
    }

    /**
     * @return an encoder with {@link QtkConfig#DEFAULT}
     * @throws QtkException when the runtime cannot start
     */
    public static QtkEncoder create() throws QtkException {
        return create(QtkConfig.DEFAULT);
    }

    /**
     * @param config run-time settings
     * @return an encoder
     * @throws QtkException when the runtime cannot start
     */
    public static QtkEncoder create(QtkConfig config) throws QtkException {
        return new QtkEncoder(config);
    }

    /**
     * Encodes an image with no metadata besides what its colour model carries (an ICC profile is taken from an
     * {@code ICC_ColorSpace} that is not sRGB).
     *
     * @param image gray, RGB, RGBA, indexed, 8 or 16 bits per sample, any size from 1x1
     * @param options rate, model, metadata policy
     * @return the {@code .qtk} file
     * @throws IOException {@link io.qtk.model.ModelNotFoundException} for an unknown model, {@link QtkException}
     *     for an image or option the codec cannot take or a runtime failure
     */
    public byte[] encode(RenderedImage image, EncodeOptions options) throws IOException {
        return encode(image, ImageMetadata.EMPTY, options, ProgressListener.NONE);
    }

    /**
     * Encodes an image with metadata (ICC, EXIF, XMP, comment, orientation) to carry through.
     *
     * @param image the pixels
     * @param metadata carried verbatim when {@link EncodeOptions#keepMetadata()}; orientation is always kept
     * @param options rate, model, metadata policy
     * @param listener progress and cancellation, called per tile
     * @return the {@code .qtk} file
     * @throws IOException as {@link #encode(RenderedImage, EncodeOptions)}, and {@link QtkCancelledException}
     */
    public byte[] encode(RenderedImage image, ImageMetadata metadata, EncodeOptions options,
            ProgressListener listener) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        lock.readLock().lock();
        try {
            ensureOpen();
            return engine.encode(image, metadata == null ? ImageMetadata.EMPTY : metadata, options,
                    listener == null ? ProgressListener.NONE : listener);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                throw e;
            }
            throw new QtkException("encode failed: " + e, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Encodes to a stream (the stream is not closed).
     *
     * @param image the pixels
     * @param metadata metadata to carry
     * @param options rate, model, metadata policy
     * @param out where the file goes
     * @throws IOException as {@link #encode(RenderedImage, ImageMetadata, EncodeOptions, ProgressListener)}
     */
    public void encode(RenderedImage image, ImageMetadata metadata, EncodeOptions options, OutputStream out)
            throws IOException {
        out.write(encode(image, metadata, options, ProgressListener.NONE));
    }

    /** @return the models this encoder can use: embedded ones first, then {@code QTK_MODEL_PATH}, then config dirs */
    public List<ModelDescription> models() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return models.list();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("QtkEncoder is closed");
        }
    }

    /** Releases the model sessions; further calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                models.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
