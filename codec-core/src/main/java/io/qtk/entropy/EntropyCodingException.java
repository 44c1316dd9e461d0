package io.qtk.entropy;

import java.io.IOException;

/**
 * A coded stream is provably inconsistent with the model it is decoded with: the decoder's target value fell outside
 * the model's total, which a conforming encoder can never produce.
 *
 * <p>This is the only checked exception of {@code io.qtk.entropy}; only decoders throw it. Corrupt or truncated
 * input does not always raise it: most corruption decodes to (garbage) symbols, and the container's CRC is what
 * detects it. The decoder never reads outside its input slice either way.
 */
public class EntropyCodingException extends IOException {
    private static final long serialVersionUID = 1L;

    /** 0-based index of the symbol being decoded when the inconsistency was found, or -1. */
    private final long symbolIndex;

    /**
     * @param message what was inconsistent
     * @param symbolIndex 0-based index of the symbol being decoded when it was detected, or -1 if not known
     */
    public EntropyCodingException(String message, long symbolIndex) {
        super(message);
        this.symbolIndex = symbolIndex;
    }

    /** @return 0-based index of the symbol being decoded when the inconsistency was found, or -1 if not known */
    public long symbolIndex() {
        return symbolIndex;
    }
}
