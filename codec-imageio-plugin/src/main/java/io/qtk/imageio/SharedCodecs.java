package io.qtk.imageio;

import io.qtk.QtkDecoder;
import io.qtk.QtkEncoder;
import io.qtk.QtkException;

/**
 * The one {@link QtkDecoder} and {@link QtkEncoder} the plugin's readers and writers share. ImageIO makes a new
 * reader or writer per call of {@code ImageIO.read/write}, while a codec instance holds model sessions that take long
 * to create; both are thread-safe, so sharing them is the cheap and safe choice.
 */
final class SharedCodecs {
    private static QtkDecoder decoder;
    private static QtkEncoder encoder;

    private SharedCodecs() {
    }

    /** @return the shared decoder, made on first use */
    static synchronized QtkDecoder decoder() throws QtkException {
        if (decoder == null) {
            decoder = QtkDecoder.create(QtkImageIO.config());
        }
        return decoder;
    }

    /** @return the shared encoder, made on first use */
    static synchronized QtkEncoder encoder() throws QtkException {
        if (encoder == null) {
            encoder = QtkEncoder.create(QtkImageIO.config());
        }
        return encoder;
    }

    /** Closes the decoder (the next read makes a new one). */
    static synchronized void closeDecoder() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    /** Closes the encoder (the next write makes a new one). */
    static synchronized void closeEncoder() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }

    static void closeAll() {
        closeDecoder();
        closeEncoder();
    }
}
