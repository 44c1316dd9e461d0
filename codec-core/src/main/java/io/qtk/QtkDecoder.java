package io.qtk;

import io.qtk.codec.CodecEngine;
import io.qtk.codec.Engines;
import io.qtk.codec.ModelSource;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Decodes {@code .qtk} files. Holds the model sessions, so create one and reuse it: it is thread-safe. Close it to
 * release native resources.
 *
 * <p>A file cut short after a complete group decodes at the lower quality of the groups present
 * ({@link QtkInfo#truncated()}); {@link DecodeOptions#maxGroups()} decodes a prefix on purpose.
 */
public final class QtkDecoder implements AutoCloseable {
    private final ModelSource models;
    private final CodecEngine engine;
    /** Calls hold the read lock, {@link #close()} the write lock: closing waits for calls in flight. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private QtkDecoder(QtkConfig config) throws QtkException {
        this.models = Engines.open(Objects.requireNonNull(config, "config"));
        this.engine = new CodecEngine(models, config.maxTilePixels(), config.effectiveMaxDecodePixels());
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
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        lock.readLock().lock();
        try {
            ensureOpen();
            return engine.decode(data, options, listener == null ? ProgressListener.NONE : listener);
        } catch (RuntimeException e) {
            throw wrap(e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Checks a decode without running it, as {@link #decode(byte[], DecodeOptions)} checks it before it allocates
     * anything that grows with the image: the container, the pixel limit ({@link DecodeOptions#maxPixels()}, else
     * {@link QtkConfig#maxDecodePixels()}), the model, and that the heap the decode will need, plus
     * {@code alsoNeeded}, is free now. For a caller that must allocate before it decodes (the ImageIO reader's
     * destination image).
     *
     * @param data a whole (or truncated) {@code .qtk} file
     * @param options groups, region and pixel limit
     * @param alsoNeeded bytes the caller will allocate besides the decode, 0 or more
     * @return the file's facts
     * @throws IOException as {@link #decode(byte[], DecodeOptions)}: {@link io.qtk.format.QtkFormatException} over
     *     the pixel limit, {@link QtkException} when the heap is too small
     */
    public QtkInfo check(byte[] data, DecodeOptions options, long alsoNeeded) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        lock.readLock().lock();
        try {
            ensureOpen();
            return engine.check(data, options, alsoNeeded).info();
        } catch (RuntimeException e) {
            throw wrap(e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The backstop behind the advance estimate ({@code io.qtk.codec.DecodeLimits}): should the heap run out anyway
     * (other threads allocating meanwhile), the decode's arrays are unreachable by now and the caller gets an
     * exception of the API instead of an {@link OutOfMemoryError}.
     */
    private static QtkException outOfMemory(OutOfMemoryError e) {
        Runtime rt = Runtime.getRuntime();
        return new QtkException("out of memory while decoding (heap " + (rt.maxMemory() >> 20)
                + " MiB): other allocations took the heap the decode had been checked against", e);
    }

    private static RuntimeException wrap(RuntimeException e) throws QtkException {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e;
        }
        throw new QtkException("decode failed: " + e, e);
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
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        CountingInput counting = new CountingInput(in);
        QtkFile file = QtkReader.read(counting);
        lock.readLock().lock();
        try {
            ensureOpen();
            return engine.decode(file, counting.count, options, ProgressListener.NONE);
        } catch (RuntimeException e) {
            throw wrap(e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /**
     * Reads only the header (no tokens decoded, no model needed).
     *
     * @param data a whole or partial file (at least through the header)
     * @return the header
     * @throws IOException {@link io.qtk.format.QtkFormatException} when not a valid {@code .qtk} header
     */
    public static QtkInfo info(byte[] data) throws IOException {
        return CodecEngine.info(Objects.requireNonNull(data, "data"));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("QtkDecoder is closed");
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
