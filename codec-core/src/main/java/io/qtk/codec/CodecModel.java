package io.qtk.codec;

import io.qtk.ModelDescription;
import io.qtk.entropy.FrequencyTable;

/**
 * A model as the engine needs it: identity, quantiser layout, order-0 entropy tables, optional context, channel and
 * prediction tables, and
 * (grid) the tile network and quantiser. Implementations are thread-safe; {@link #close()} releases native sessions.
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

    /**
     * @param group group (grid) or token position (global)
     * @return its context tables for coder id 3 (the bundle's {@code entropy/classes.bin} and
     *     {@code entropy/context.bin} rows), or null when the model has none (the default)
     */
    default ContextTables contextTables(int group) {
        return null;
    }

    /** @return whether the model has context tables, so that its encoder may use coder id 3 */
    default boolean hasContextTables() {
        return false;
    }

    /**
     * @return its channel tables for coder id 4 (the bundle's {@code entropy/weights.bin}, {@code entropy/channel.bin}
     *     and {@code entropy.channel.*} keys), or null when the model has none (the default); when present, its
     *     encoder may use coder 4
     */
    default ChannelTables channelTables() {
        return null;
    }

    /**
     * @return its prediction tables for coder id 5 (the bundle's {@code entropy/predict.bin},
     *     {@code entropy/residual.bin} and {@code entropy.predict*} keys, over its channel tables), or null when the
     *     model has none (the default); when present, its encoder may use coders 5 and 6
     */
    default PredictionTables predictionTables() {
        return null;
    }

    /** @return the encoder/decoder networks (grid models) */
    TileNetwork network();

    /** @return the quantiser (grid models) */
    LatentQuantiser quantiser();

    /**
     * @return the tile networks and per-token codebooks (global models)
     * @throws UnsupportedOperationException for a grid model
     */
    default GlobalNetwork globalNetwork() {
        throw new UnsupportedOperationException("not a global model");
    }

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
