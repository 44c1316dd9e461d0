package io.qtk.runtime;

/**
 * Running a model failed: the ONNX graph could not be loaded, its tensor names do not match the bundle manifest, an
 * input has the wrong shape, the runtime reported an error, or the output has an unexpected shape. The message says
 * which model and which graph (encoder or decoder). ONNX Runtime's own exception, if any, is the cause; callers never
 * need to import {@code ai.onnxruntime}.
 */
public class InferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public InferenceException(String message) {
        super(message);
    }

    /** @param message what failed; @param cause the runtime's exception */
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
