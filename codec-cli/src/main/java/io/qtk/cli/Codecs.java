package io.qtk.cli;

import io.qtk.QtkConfig;
import io.qtk.QtkDecoder;
import io.qtk.QtkEncoder;

/**
 * The encoder and decoder of one command run, created on first use and shared by all jobs (they are thread-safe
 * and hold the model sessions, which are expensive to create). Creating them lazily means that a batch whose files
 * all fail early (missing, unreadable, existing outputs) never starts the model runtime.
 */
final class Codecs implements AutoCloseable {
    private final QtkConfig config;
    private QtkEncoder encoder;
    private QtkDecoder decoder;

    Codecs(QtkConfig config) {
        this.config = config;
    }

    synchronized QtkEncoder encoder() throws java.io.IOException {
        if (encoder == null) {
            encoder = QtkEncoder.create(config);
        }
        return encoder;
    }

    synchronized QtkDecoder decoder() throws java.io.IOException {
        if (decoder == null) {
            decoder = QtkDecoder.create(config);
        }
        return decoder;
    }

    @Override
    public synchronized void close() {
        if (encoder != null) {
            encoder.close();
        }
        if (decoder != null) {
            decoder.close();
        }
    }
}
