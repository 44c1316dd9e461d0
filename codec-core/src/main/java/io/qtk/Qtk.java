package io.qtk;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.IOException;

/**
 * One-line encode and decode with the embedded default model and shared, lazily created
 * {@link QtkEncoder} / {@link QtkDecoder} instances (thread-safe). For more control create your own encoder and
 * decoder with a {@link QtkConfig}.
 *
 * <pre>{@code
 * byte[] file = Qtk.encode(image);                 // default quality
 * byte[] small = Qtk.encode(image, EncodeOptions.builder().targetBpp(0.25).build());
 * BufferedImage back = Qtk.decode(file);
 * }</pre>
 */
public final class Qtk {
    private Qtk() {
    }

    /** The shared encoder, created on first use with {@link QtkConfig#DEFAULT} and kept for the JVM's life. */
    private static final class Enc {
        static final Object LOCK = new Object();
        static volatile QtkEncoder instance;

        static QtkEncoder get() throws QtkException {
            QtkEncoder e = instance;
            if (e == null) {
                synchronized (LOCK) {
                    e = instance;
                    if (e == null) {
                        e = QtkEncoder.create();
                        instance = e;
                    }
                }
            }
            return e;
        }
    }

    /** The shared decoder, created on first use with {@link QtkConfig#DEFAULT} and kept for the JVM's life. */
    private static final class Dec {
        static final Object LOCK = new Object();
        static volatile QtkDecoder instance;

        static QtkDecoder get() throws QtkException {
            QtkDecoder d = instance;
            if (d == null) {
                synchronized (LOCK) {
                    d = instance;
                    if (d == null) {
                        d = QtkDecoder.create();
                        instance = d;
                    }
                }
            }
            return d;
        }
    }

    /**
     * @param image the image
     * @return the {@code .qtk} file at the default quality
     * @throws IOException see {@link QtkEncoder#encode(RenderedImage, EncodeOptions)}
     */
    public static byte[] encode(RenderedImage image) throws IOException {
        return encode(image, EncodeOptions.DEFAULT);
    }

    /**
     * @param image the image
     * @param options rate, model, metadata policy
     * @return the {@code .qtk} file
     * @throws IOException see {@link QtkEncoder#encode(RenderedImage, EncodeOptions)}
     */
    public static byte[] encode(RenderedImage image, EncodeOptions options) throws IOException {
        return Enc.get().encode(image, options);
    }

    /**
     * @param data a {@code .qtk} file
     * @return the image
     * @throws IOException see {@link QtkDecoder#decode(byte[], DecodeOptions)}
     */
    public static BufferedImage decode(byte[] data) throws IOException {
        return Dec.get().decode(data, DecodeOptions.DEFAULT).image();
    }

    /**
     * @param data a whole or partial {@code .qtk} file
     * @return its header
     * @throws IOException see {@link QtkDecoder#info(byte[])}
     */
    public static QtkInfo info(byte[] data) throws IOException {
        return QtkDecoder.info(data);
    }
}
