package io.qtk;

/** An encode or decode was stopped because its {@link ProgressListener} asked to cancel. */
public class QtkCancelledException extends QtkException {
    private static final long serialVersionUID = 1L;

    /** @param message which operation was cancelled */
    public QtkCancelledException(String message) {
        super(message);
    }
}
