package io.qtk.cli;

/**
 * Recognises the codec's own exception types (format errors with their byte offset, missing models). Kept apart so
 * that the rest of the CLI does not depend on where in codec-core those types live.
 */
final class QtkErrors {
    private QtkErrors() {
    }

    /** @return "byte N" for a format exception, else null */
    static String formatOffset(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("io.qtk.format.QtkFormatException")) {
                try {
                    Object off = c.getClass().getMethod("offset").invoke(c);
                    return "at byte " + off;
                } catch (ReflectiveOperationException e) {
                    return "offset unknown";
                }
            }
        }
        return null;
    }

    /** @return whether the failure is a model that is not available */
    static boolean isModelNotFound(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("io.qtk.model.ModelNotFoundException")) {
                return true;
            }
        }
        return false;
    }
}
