package io.qtk.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes {@link QtkFile}s. Chunk order: {@code QHDR}, {@code iCCP}, {@code eXIf}, {@code xMPd}, {@code cMNt},
 * {@code QALP} (each when present), the {@code QTOK} chunks in stream order, {@code QEND}. The version is
 * {@code 01 00}, {@code 01 01} when a stream uses coder id 3, {@code 01 02} when one uses coder id 4, or
 * {@code 01 03} when one uses coder id 5 ({@link #minorVersion(QtkFile)}). The output is
 * deterministic: equal files give equal bytes.
 */
public final class QtkWriter {
    private QtkWriter() {
    }

    /**
     * Writes a complete file to a stream (which is not closed or flushed).
     *
     * @param file the file; must not be {@linkplain QtkFile#truncated() truncated} and must hold all its streams
     * @param out  the destination
     * @throws IOException              from the stream
     * @throws IllegalArgumentException if the file is truncated (use {@link QtkFile#prefix(int)} to write the
     *                                  streams present)
     */
    public static void write(QtkFile file, OutputStream out) throws IOException {
        if (file.truncated() || !file.allStreamsPresent()) {
            throw new IllegalArgumentException("cannot write a truncated file with " + file.streams().size() + " of "
                    + file.header().streamCount() + " streams; use QtkFile.prefix(n)");
        }
        out.write(QtkFormat.signature());
        out.write(QtkFormat.VERSION_MAJOR);
        out.write(minorVersion(file));
        chunk(out, ChunkType.QHDR, HeaderCodec.encode(file.header()));
        ImageMetadata m = file.metadata();
        if (m.iccRaw() != null) {
            chunk(out, ChunkType.ICCP, m.iccRaw());
        }
        if (m.exifRaw() != null) {
            chunk(out, ChunkType.EXIF, m.exifRaw());
        }
        if (m.xmp().isPresent()) {
            chunk(out, ChunkType.XMPD, m.xmp().get().getBytes(StandardCharsets.UTF_8));
        }
        if (m.comment().isPresent()) {
            chunk(out, ChunkType.CMNT, m.comment().get().getBytes(StandardCharsets.UTF_8));
        }
        if (file.alpha().isPresent()) {
            chunk(out, ChunkType.QALP, file.alpha().get().raw());
        }
        for (TokenStream s : file.streams()) {
            tokens(out, s);
        }
        chunk(out, ChunkType.QEND, new byte[0]);
    }

    /**
     * The minor version written for a file: the largest {@link QtkFormat#minorVersionFor(int)} of its streams, so
     * {@code 01 03} when a stream has coder id 5, else {@code 01 02} when one has coder id 4, else {@code 01 01} when
     * one has coder id 3, and {@code 01 00} otherwise (spec sections 4 and 9.2).
     *
     * @param file the file
     * @return its minor version
     */
    public static int minorVersion(QtkFile file) {
        int minor = QtkFormat.VERSION_MINOR;
        for (TokenStream s : file.streams()) {
            minor = Math.max(minor, QtkFormat.minorVersionFor(s.coderId()));
        }
        return minor;
    }

    /**
     * Writes a complete file to a new byte array.
     *
     * @param file the file (see {@link #write(QtkFile, OutputStream)})
     * @return the file's bytes
     */
    public static byte[] toBytes(QtkFile file) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            write(file, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o.toByteArray();
    }

    static void chunk(OutputStream out, ChunkType type, byte[] data) throws IOException {
        byte[] t = type.bytes();
        CRC32C crc = new CRC32C();
        crc.update(t);
        crc.update(data);
        writeU32(out, data.length);
        out.write(t);
        out.write(data);
        writeU32(out, crc.getValue());
    }

    private static void tokens(OutputStream out, TokenStream s) throws IOException {
        byte[] t = ChunkType.QTOK.bytes();
        byte[] fixed = {(byte) (s.firstGroup() >>> 8), (byte) s.firstGroup(), (byte) (s.groupCount() >>> 8),
            (byte) s.groupCount(), (byte) s.coderId()};
        CRC32C crc = new CRC32C();
        crc.update(t);
        crc.update(fixed);
        writeU32(out, s.chunkDataLength());
        out.write(t);
        out.write(fixed);
        byte[] len = new byte[4];
        for (int i = 0; i < s.groupCount(); i++) {
            int n = s.payloadLength(i);
            len[0] = (byte) (n >>> 24);
            len[1] = (byte) (n >>> 16);
            len[2] = (byte) (n >>> 8);
            len[3] = (byte) n;
            crc.update(len);
            crc.update(s.buf(), s.offset(i), n);
            out.write(len);
            out.write(s.buf(), s.offset(i), n);
        }
        writeU32(out, crc.getValue());
    }

    static void writeU32(OutputStream out, long v) throws IOException {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }
}
