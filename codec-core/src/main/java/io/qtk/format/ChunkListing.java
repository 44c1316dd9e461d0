package io.qtk.format;

import java.util.List;

/**
 * The chunks of a file in file order, as listed by {@link QtkReader#listChunks(byte[])}.
 *
 * @param minorVersion the file's minor version (its major is always {@link QtkFormat#VERSION_MAJOR})
 * @param chunks       the chunks found, in order; the last one is incomplete when {@code truncated} is set and the
 *                     file ended inside a chunk
 * @param truncated    true when the input ended before a {@code QEND} chunk
 */
public record ChunkListing(int minorVersion, List<ChunkInfo> chunks, boolean truncated) {
    /**
     * Copies the list.
     *
     * @param minorVersion the file's minor version
     * @param chunks       the chunks found
     * @param truncated    whether the input ended before QEND
     */
    public ChunkListing {
        chunks = List.copyOf(chunks);
    }
}
