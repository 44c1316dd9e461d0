package io.qtk.model;

import java.io.IOException;

/**
 * A model bundle that violates the bundle specification ({@code format-spec/model-bundle.md}): not a ZIP, too many
 * or too large entries, duplicate or unsafe entry names, a missing required entry, a bad manifest value, array sizes
 * that do not match the manifest, a CRC mismatch, and so on. The message names the bundle (path or resource) and
 * what is wrong.
 *
 * <p>It is an {@link IOException} because a bad bundle is bad input data, thrown from the same calls that read it.
 */
public class InvalidModelException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, including where the bundle came from */
    public InvalidModelException(String message) {
        super(message);
    }

    /** @param message what is wrong; @param cause the underlying failure */
    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
