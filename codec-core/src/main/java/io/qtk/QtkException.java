package io.qtk;

import java.io.IOException;

/**
 * A qtk operation could not be carried out for a reason other than a corrupt file: bad options, an image the codec
 * cannot take, a failure inside the model runtime.
 *
 * <p>The exception family of the public API is {@link IOException}: a corrupt, truncated or hostile {@code .qtk}
 * file raises {@link io.qtk.format.QtkFormatException}, a file whose model is not available raises
 * {@link io.qtk.model.ModelNotFoundException}, an encode or decode cancelled through a {@link ProgressListener}
 * raises {@link QtkCancelledException}, and everything else raises this type. Plain I/O failures of the caller's
 * streams stay plain {@code IOException}s.
 */
public class QtkException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the offending value */
    public QtkException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public QtkException(String message, Throwable cause) {
        super(message, cause);
    }
}
