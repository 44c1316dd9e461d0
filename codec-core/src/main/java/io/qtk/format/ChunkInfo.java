package io.qtk.format;

import java.util.Objects;

/**
 * One chunk as found in a file, for listings such as {@code qtk info}.
 *
 * @param type       the chunk type
 * @param offset     byte offset of the chunk's first byte (its length field) in the file
 * @param dataLength the declared length of the chunk's data in bytes
 * @param complete   whether the whole chunk (data and CRC) was present and its CRC matched; false only for the
 *                   last chunk of a file that was cut short inside it
 */
public record ChunkInfo(ChunkType type, long offset, long dataLength, boolean complete) {
    /** Bytes a chunk takes besides its data: length (4), type (4), CRC (4). */
    public static final int OVERHEAD = 12;

    /**
     * Checks the components.
     *
     * @param type       the chunk type
     * @param offset     byte offset of the chunk in the file
     * @param dataLength declared data length
     * @param complete   whether the whole chunk was present with a matching CRC
     * @throws NullPointerException     if {@code type} is null
     * @throws IllegalArgumentException if {@code offset} or {@code dataLength} is negative
     */
    public ChunkInfo {
        Objects.requireNonNull(type, "type");
        if (offset < 0 || dataLength < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
    }

    /**
     * Returns the bytes the chunk takes in the file when complete: {@code dataLength + 12}.
     *
     * @return the chunk's total length
     */
    public long totalLength() {
        return dataLength + OVERHEAD;
    }
}
