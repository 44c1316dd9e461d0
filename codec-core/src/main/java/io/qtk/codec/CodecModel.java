package io.qtk.codec;

import io.qtk.ModelDescription;
import io.qtk.entropy.FrequencyTable;

/**
 * A model as the engine needs it: identity, quantiser layout, order-0 entropy tables, and (grid) the tile network and
 * quantiser. Implementations are thread-safe; {@link #close()} releases native sessions.
 */
public interface CodecModel extends AutoCloseable {
    /** @return the description (name, version, hash, layout, ladder, source) */
    ModelDescription description();

    /** @return pixels of context a tile needs on each side (grid) */
    int haloPixels();

    /**
     * @param group group (grid) or token position (global)
     * @return its static order-0 table, as the model's {@code entropy/order0.bin} counts normalise to
     */
    FrequencyTable table(int group);

    /** @return the encoder/decoder networks (grid models) */
    TileNetwork network();

    /** @return the quantiser (grid models) */
    LatentQuantiser quantiser();

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
