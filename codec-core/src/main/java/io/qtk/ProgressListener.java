package io.qtk;

/**
 * Receives progress of a long encode or decode (one call per processed tile) and may cancel it.
 * Implementations must be cheap and must not throw; they are called on the thread doing the work.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress and never cancels. */
    ProgressListener NONE = fraction -> { };

    /** @param fraction the work done so far, from 0 to 1, non-decreasing */
    void progress(float fraction);

    /**
     * Polled between tiles.
     *
     * @return true to stop the operation, which then throws {@link QtkCancelledException}
     */
    default boolean isCancelled() {
        return false;
    }
}
