package io.qtk.cli;

import io.qtk.format.QtkFormatException;

/**
 * Recognises the codec's own exception types anywhere in a cause chain: format errors (with their byte offset) and
 * missing models.
 */
final class QtkErrors {
    private QtkErrors() {
    }

    /** @return the format exception in the cause chain, or null */
    static QtkFormatException formatException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof QtkFormatException) {
                return (QtkFormatException) c;
            }
        }
        return null;
    }

    /** @return whether the failure is a model that is not available */
    static boolean isModelNotFound(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.qtk.model.ModelNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
