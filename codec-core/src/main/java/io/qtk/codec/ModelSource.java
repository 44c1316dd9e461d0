package io.qtk.codec;

import io.qtk.ModelDescription;
import java.io.IOException;
import java.util.List;

/**
 * Where the engine gets its models: by name for encoding (null = the default model), by exact identity for
 * decoding. Implementations cache loaded models and are thread-safe.
 */
public interface ModelSource extends AutoCloseable {
    /**
     * @param name a model name, or null for the default model
     * @return the model (newest version of that name)
     * @throws IOException {@code ModelNotFoundException} when there is none, {@code QtkException} when it cannot be
     *     loaded
     */
    CodecModel forEncode(String name) throws IOException;

    /**
     * @param name model name from the file
     * @param version model version from the file
     * @param sha256Hex bundle hash from the file
     * @return the model with exactly that identity
     * @throws IOException {@code ModelNotFoundException} (naming name, version and hash) when not available
     */
    CodecModel forDecode(String name, String version, String sha256Hex) throws IOException;

    /** @return the models available, embedded first */
    List<ModelDescription> list();

    /** Releases every loaded model; idempotent. */
    @Override
    void close();
}
