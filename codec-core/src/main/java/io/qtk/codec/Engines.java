package io.qtk.codec;

import io.qtk.QtkConfig;
import io.qtk.QtkException;

/**
 * Creates the model source behind the public API from a {@link QtkConfig}: the model registry (embedded models on
 * the class path, then {@code QTK_MODEL_PATH}, then {@link QtkConfig#modelDirs()}) and the ONNX Runtime backend.
 */
public final class Engines {
    private Engines() {
    }

    /**
     * @param config run-time settings
     * @return a new model source; the caller closes it
     * @throws QtkException when the runtime cannot start
     */
    public static ModelSource open(QtkConfig config) throws QtkException {
        return BundleModelSource.open(config);
    }
}
