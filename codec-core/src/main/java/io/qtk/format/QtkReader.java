package io.qtk.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads {@code .qtk} files (specification section "Reading").
 *
 * <p>Contract, for any input: each method returns a result or throws {@link QtkFormatException}; the
 * {@code InputStream} variants may also throw the plain {@link IOException}s of the stream itself. No other
 * exception, no {@link OutOfMemoryError} from a declared length (every allocation is bounded by the format's limits
 * and by the bytes actually present; from a stream, large chunks are read in growing pieces of at most twice what
 * has arrived), and no endless loop.
 *
 * <p>Progressive truncation: once the 8 bytes (length and type) of the first {@code QTOK} chunk have been read, the
 * input may end anywhere; {@link #read(byte[])} then returns the header, metadata, alpha plane and the complete
 * token streams read so far, with {@link QtkFile#truncated()} set. An end anywhere before that point is an error.
 * A CRC mismatch is always an error.
 *
 * <p>The {@code InputStream} variants read exactly the bytes they need: {@link #readHeader(InputStream)} stops after
 * the {@code QHDR} chunk; {@link #read(InputStream)} reads through {@code QEND} and then one more byte to check that
 * the stream ends there. They do not close the stream.
 */
public final class QtkReader {
    private QtkReader() {
    }

    /**
     * Reads a file held in memory.
     *
     * @param data the file's bytes (not modified, not kept)
     * @return the file, {@linkplain QtkFile#truncated() truncated} when cut short after the token data began
     * @throws QtkFormatException if the bytes are not a valid (or validly truncated) file
     */
    public static QtkFile read(byte[] data) throws QtkFormatException {
        try {
            return new Parser(new ArraySource(data)).readFile();
        } catch (QtkFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("array source cannot fail", e);
        }
    }

    /**
     * Reads a file from a stream.
     *
     * @param in the stream, positioned at the file's first byte
     * @return the file, truncated when the stream ends early after the token data began
     * @throws QtkFormatException if the bytes are not a valid (or validly truncated) file
     * @throws IOException        from the stream
     */
    public static QtkFile read(InputStream in) throws IOException {
        return new Parser(new StreamSource(in)).readFile();
    }

    /**
     * Reads the signature, version and {@code QHDR} chunk only: enough for size, model and groups, without reading
     * metadata or token payloads.
     *
     * @param data the file's bytes, or at least its beginning
     * @return the header
     * @throws QtkFormatException if the file's beginning is invalid or ends before {@code QHDR} is complete
     */
    public static QtkHeader readHeader(byte[] data) throws QtkFormatException {
        try {
            return new Parser(new ArraySource(data)).readHeaderOnly();
        } catch (QtkFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("array source cannot fail", e);
        }
    }

    /**
     * Reads the signature, version and {@code QHDR} chunk from a stream, leaving the stream just after
     * {@code QHDR}.
     *
     * @param in the stream, positioned at the file's first byte
     * @return the header
     * @throws QtkFormatException if the file's beginning is invalid
     * @throws IOException        from the stream
     */
    public static QtkHeader readHeader(InputStream in) throws IOException {
        return new Parser(new StreamSource(in)).readHeaderOnly();
    }

    /**
     * Lists the chunks of a file: checks the signature, the version, each chunk's framing (type letters, length
     * limit, chunk count limit) and CRC, and stops after {@code QEND} (bytes after it are an error). It does not
     * interpret chunk data nor check chunk order; use {@link #read(byte[])} for that. An end of input after the
     * version gives a listing flagged truncated.
     *
     * @param data the file's bytes
     * @return the listing
     * @throws QtkFormatException if the framing or a CRC is wrong
     */
    public static ChunkListing listChunks(byte[] data) throws QtkFormatException {
        try {
            return new Parser(new ArraySource(data)).list();
        } catch (QtkFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("array source cannot fail", e);
        }
    }

    /**
     * Lists the chunks of a file read from a stream, holding at most 64 KiB of it at a time.
     *
     * @param in the stream
     * @return the listing
     * @throws QtkFormatException if the framing or a CRC is wrong
     * @throws IOException        from the stream
     */
    public static ChunkListing listChunks(InputStream in) throws IOException {
        return new Parser(new StreamSource(in)).list();
    }

    // ---- sources -------------------------------------------------------------------------------------------------

    /** Thrown by sources at the end of input; carries no stack trace. */
    private static final class Eof extends Exception {
        private static final long serialVersionUID = 1L;

        Eof() {
            super(null, null, false, false);
        }
    }

    private abstract static class Source {
        static final Eof EOF = new Eof();
        static final int PIECE = 1 << 16;

        /** Bytes consumed so far: the file offset of the next byte. */
        abstract long pos();

        /** Reads exactly n bytes or throws Eof (having consumed what was there). */
        abstract void readFully(byte[] b, int off, int n) throws IOException, Eof;

        /** Reads a block of exactly len bytes, allocating no more than is present (times two). */
        abstract byte[] block(int len) throws IOException, Eof;

        /** Consumes len bytes into crc. */
        abstract void skip(int len, CRC32C crc) throws IOException, Eof;

        /** Returns how many bytes follow (array), or 1 if any does (stream); consumes at most one byte. */
        abstract long trailing() throws IOException;
    }

    private static final class ArraySource extends Source {
        private final byte[] a;
        private int p;

        ArraySource(byte[] a) {
            this.a = Objects.requireNonNull(a, "data");
        }

        @Override
        long pos() {
            return p;
        }

        @Override
        void readFully(byte[] b, int off, int n) throws Eof {
            int k = Math.min(n, a.length - p);
            System.arraycopy(a, p, b, off, k);
            p += k;
            if (k < n) {
                throw EOF;
            }
        }

        @Override
        byte[] block(int len) throws Eof {
            if (len > a.length - p) {
                p = a.length;
                throw EOF;
            }
            byte[] b = Arrays.copyOfRange(a, p, p + len);
            p += len;
            return b;
        }

        @Override
        void skip(int len, CRC32C crc) throws Eof {
            if (len > a.length - p) {
                p = a.length;
                throw EOF;
            }
            crc.update(a, p, len);
            p += len;
        }

        @Override
        long trailing() {
            return a.length - p;
        }
    }

    private static final class StreamSource extends Source {
        private final InputStream in;
        private long p;
        private byte[] piece;

        StreamSource(InputStream in) {
            this.in = Objects.requireNonNull(in, "in");
        }

        @Override
        long pos() {
            return p;
        }

        /** Reads up to n bytes, returning fewer only at the end of the stream. */
        private int fill(byte[] b, int off, int n) throws IOException {
            int got = 0;
            int zeros = 0;
            while (got < n) {
                int k = in.read(b, off + got, n - got);
                if (k < 0) {
                    break;
                }
                if (k == 0) {
                    if (++zeros > 1000) {
                        throw new IOException("input stream returned no data 1000 times in a row");
                    }
                    continue;
                }
                zeros = 0;
                got += k;
                p += k;
            }
            return got;
        }

        @Override
        void readFully(byte[] b, int off, int n) throws IOException, Eof {
            if (fill(b, off, n) < n) {
                throw EOF;
            }
        }

        @Override
        byte[] block(int len) throws IOException, Eof {
            byte[] b = new byte[Math.min(len, PIECE)];
            int have = 0;
            while (true) {
                int k = fill(b, have, b.length - have);
                have += k;
                if (have < b.length) {
                    throw EOF;
                }
                if (have == len) {
                    return b;
                }
                b = Arrays.copyOf(b, (int) Math.min(len, 2L * b.length));
            }
        }

        @Override
        void skip(int len, CRC32C crc) throws IOException, Eof {
            if (piece == null) {
                piece = new byte[PIECE];
            }
            int left = len;
            while (left > 0) {
                int n = Math.min(left, PIECE);
                int k = fill(piece, 0, n);
                crc.update(piece, 0, k);
                if (k < n) {
                    throw EOF;
                }
                left -= n;
            }
        }

        @Override
        long trailing() throws IOException {
            byte[] one = new byte[1];
            return fill(one, 0, 1);
        }
    }

    // ---- parser --------------------------------------------------------------------------------------------------

    private static final class Parser {
        private final Source src;
        private final byte[] prefix = new byte[8];
        private final byte[] crcBytes = new byte[4];
        private int minor;
        private int chunkCount;

        private QtkHeader header;
        private final Map<ChunkType, Long> seen = new HashMap<>();
        private byte[] icc;
        private byte[] exif;
        private String xmp;
        private String comment;
        private AlphaPlane alpha;
        private final List<TokenStream> streams = new ArrayList<>();
        private boolean tokensStarted;

        /** The chunk being read. */
        private long start;
        private ChunkType type;
        private int length;

        Parser(Source src) {
            this.src = src;
        }

        private String ctx() {
            return "chunk " + type + " at offset " + start + ": ";
        }

        private QtkFormatException fail(long offset, String msg) {
            return new QtkFormatException(offset, ctx() + msg);
        }

        private void preamble() throws IOException {
            byte[] sig = new byte[QtkFormat.SIGNATURE_LENGTH + 2];
            try {
                src.readFully(sig, 0, sig.length);
            } catch (Eof e) {
                long n = src.pos();
                // Check what is there before complaining about the length.
                checkSignature(sig, (int) Math.min(n, QtkFormat.SIGNATURE_LENGTH));
                throw new QtkFormatException(n, "file ends after " + n + " bytes, inside the "
                        + (n < QtkFormat.SIGNATURE_LENGTH ? "8-byte signature" : "2-byte version"));
            }
            checkSignature(sig, QtkFormat.SIGNATURE_LENGTH);
            int major = sig[8] & 0xFF;
            if (major != QtkFormat.VERSION_MAJOR) {
                throw new QtkFormatException(8, "version at offset 8: major version " + major
                        + " not supported (this reader reads " + QtkFormat.VERSION_MAJOR + ".x)");
            }
            minor = sig[9] & 0xFF;
        }

        private static void checkSignature(byte[] sig, int n) throws QtkFormatException {
            for (int i = 0; i < n; i++) {
                if (sig[i] != QtkFormat.signatureByte(i)) {
                    boolean qtk = n >= 4 && sig[1] == 'Q' && sig[2] == 'T' && sig[3] == 'K';
                    throw new QtkFormatException(i, "signature at offset 0: byte " + i + " is "
                            + String.format("0x%02X, expected 0x%02X", sig[i] & 0xFF, QtkFormat.signatureByte(i) & 0xFF)
                            + (qtk ? " (damaged signature: was the file transferred in text mode?)"
                                    : " (not a qtk file)"));
                }
            }
        }

        /** Reads a chunk's length and type and checks its framing; Eof at the end of input. */
        private void chunkPrefix() throws IOException, Eof {
            start = src.pos();
            type = null;
            src.readFully(prefix, 0, 8);
            long len = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8)
                    | (prefix[3] & 0xFF);
            int code = ((prefix[4] & 0xFF) << 24) | ((prefix[5] & 0xFF) << 16) | ((prefix[6] & 0xFF) << 8)
                    | (prefix[7] & 0xFF);
            type = ChunkType.ofCode(code);
            if (type == null) {
                throw new QtkFormatException(start + 4, "chunk at offset " + start + ": type bytes "
                        + String.format("%02X %02X %02X %02X", prefix[4] & 0xFF, prefix[5] & 0xFF,
                                prefix[6] & 0xFF, prefix[7] & 0xFF) + " are not four ASCII letters");
            }
            if (++chunkCount > QtkFormat.MAX_CHUNKS) {
                throw fail(start, "more than " + QtkFormat.MAX_CHUNKS + " chunks");
            }
            if (len > QtkFormat.MAX_CHUNK_LENGTH) {
                throw fail(start, "length " + len + " exceeds the chunk limit " + QtkFormat.MAX_CHUNK_LENGTH);
            }
            length = (int) len;
        }

        /** Reads and checks the CRC of the current chunk whose data CRC has been accumulated in crc. */
        private void checkCrc(CRC32C crc) throws IOException, Eof {
            src.readFully(crcBytes, 0, 4);
            long stored = ((crcBytes[0] & 0xFFL) << 24) | ((crcBytes[1] & 0xFF) << 16) | ((crcBytes[2] & 0xFF) << 8)
                    | (crcBytes[3] & 0xFF);
            long computed = crc.getValue();
            if (stored != computed) {
                throw fail(start + 8 + length, String.format("CRC-32C mismatch: stored %08X, computed %08X",
                        stored, computed));
            }
        }

        private byte[] dataAndCrc() throws IOException, Eof {
            byte[] data = src.block(length);
            CRC32C crc = new CRC32C();
            crc.update(prefix, 4, 4);
            crc.update(data);
            checkCrc(crc);
            return data;
        }

        QtkHeader readHeaderOnly() throws IOException {
            preamble();
            try {
                chunkPrefix();
                admit();
                byte[] data = dataAndCrc();
                return HeaderCodec.decode(data, start + 8, ctx());
            } catch (Eof e) {
                throw endOfInput();
            }
        }

        ChunkListing list() throws IOException {
            preamble();
            List<ChunkInfo> chunks = new ArrayList<>();
            try {
                while (true) {
                    chunkPrefix();
                    CRC32C crc = new CRC32C();
                    crc.update(prefix, 4, 4);
                    try {
                        src.skip(length, crc);
                        checkCrc(crc);
                    } catch (Eof e) {
                        chunks.add(new ChunkInfo(type, start, length, false));
                        throw e;
                    }
                    chunks.add(new ChunkInfo(type, start, length, true));
                    if (type.equals(ChunkType.QEND)) {
                        checkTrailing();
                        return new ChunkListing(minor, chunks, false);
                    }
                }
            } catch (Eof e) {
                return new ChunkListing(minor, chunks, true);
            }
        }

        QtkFile readFile() throws IOException {
            preamble();
            try {
                while (true) {
                    chunkPrefix();
                    admit();
                    if (isUnknown(type)) {
                        CRC32C crc = new CRC32C();
                        crc.update(prefix, 4, 4);
                        src.skip(length, crc);
                        checkCrc(crc);
                        continue;
                    }
                    byte[] data = dataAndCrc();
                    if (interpret(data)) {
                        checkTrailing();
                        return result(false);
                    }
                }
            } catch (Eof e) {
                if (tokensStarted) {
                    return result(true);
                }
                throw endOfInput();
            }
        }

        private QtkFile result(boolean truncated) {
            return new QtkFile(header, ImageMetadata.trusted(icc, exif, xmp, comment), alpha, streams, truncated);
        }

        private QtkFormatException endOfInput() {
            long n = src.pos();
            String where = type != null ? "inside " + ctx().replace(": ", "")
                    : n == start ? "at a chunk boundary" : "inside the length and type of the chunk at offset " + start;
            return new QtkFormatException(n, "file ends at offset " + n + " " + where
                    + ", before the first QTOK chunk (only token data may be cut short)");
        }

        private void checkTrailing() throws IOException {
            long end = src.pos();
            long n = src.trailing();
            if (n > 0) {
                throw new QtkFormatException(end, "data after the QEND chunk at offset " + start + ": "
                        + (src instanceof ArraySource ? n + " trailing bytes" : "trailing bytes")
                        + " (a file ends with QEND)");
            }
        }

        private static boolean isUnknown(ChunkType t) {
            return !(t.equals(ChunkType.QHDR) || t.equals(ChunkType.QALP) || t.equals(ChunkType.QTOK)
                    || t.equals(ChunkType.QEND) || t.equals(ChunkType.ICCP) || t.equals(ChunkType.EXIF)
                    || t.equals(ChunkType.XMPD) || t.equals(ChunkType.CMNT));
        }

        private void lengthRange(int lo, int hi) throws QtkFormatException {
            if (length < lo || length > hi) {
                throw fail(start, "length " + length + " out of range " + lo + ".." + hi);
            }
        }

        /** Checks, from its length and type alone, that the chunk may appear here. */
        private void admit() throws QtkFormatException {
            if (header == null && !type.equals(ChunkType.QHDR)) {
                throw fail(start, "the first chunk must be QHDR");
            }
            if (isUnknown(type)) {
                if (type.isCritical()) {
                    throw fail(start + 4, "unknown critical chunk (a reader must reject the file)");
                }
                return;
            }
            boolean preToken = !(type.equals(ChunkType.QTOK) || type.equals(ChunkType.QEND)
                    || type.equals(ChunkType.QHDR));
            Long first = seen.get(type);
            if (first != null && !type.equals(ChunkType.QTOK)) {
                throw fail(start, "duplicate " + type + " chunk (first at offset " + first + ")");
            }
            if (preToken && tokensStarted) {
                throw fail(start, type + " must precede the first QTOK chunk");
            }
            seen.putIfAbsent(type, start);
            if (type.equals(ChunkType.QHDR)) {
                lengthRange(HeaderCodec.MIN_LENGTH, HeaderCodec.MAX_LENGTH);
            } else if (type.equals(ChunkType.QALP)) {
                if (!header.channels().hasAlpha()) {
                    throw fail(start, "alpha plane present but channels are " + header.channels()
                            + " (no alpha)");
                }
                lengthRange(1, QtkFormat.MAX_CHUNK_LENGTH);
            } else if (type.equals(ChunkType.ICCP)) {
                lengthRange(1, QtkFormat.MAX_ICC_LENGTH);
            } else if (type.equals(ChunkType.EXIF)) {
                lengthRange(8, QtkFormat.MAX_EXIF_LENGTH);
            } else if (type.equals(ChunkType.XMPD)) {
                lengthRange(1, QtkFormat.MAX_XMP_LENGTH);
            } else if (type.equals(ChunkType.CMNT)) {
                lengthRange(1, QtkFormat.MAX_COMMENT_LENGTH);
            } else if (type.equals(ChunkType.QEND)) {
                if (streams.size() < header.streamCount()) {
                    throw fail(start, "QEND after " + streams.size() + " of " + header.streamCount()
                            + " token streams");
                }
                lengthRange(0, 0);
            } else if (type.equals(ChunkType.QTOK)) {
                int i = streams.size();
                if (i == header.streamCount()) {
                    throw fail(start, "token stream " + (i + 1) + " but the header declares "
                            + header.streamCount());
                }
                if (!tokensStarted && header.channels().hasAlpha() && !seen.containsKey(ChunkType.QALP)) {
                    throw fail(start, "channels " + header.channels() + " need a QALP chunk before the first QTOK");
                }
                lengthRange(TokenStream.FIXED_BYTES + 4 * header.streamGroupCount(i), QtkFormat.MAX_CHUNK_LENGTH);
                tokensStarted = true;
            }
        }

        /** Interprets a complete, CRC-checked known chunk; returns true for QEND. */
        private boolean interpret(byte[] d) throws QtkFormatException {
            long base = start + 8;
            if (type.equals(ChunkType.QHDR)) {
                header = HeaderCodec.decode(d, base, ctx());
            } else if (type.equals(ChunkType.QALP)) {
                AlphaCodec.run(d, header.width(), header.height(), null, base, ctx() + "alpha plane");
                alpha = AlphaPlane.trusted(header.width(), header.height(), d);
            } else if (type.equals(ChunkType.ICCP)) {
                icc = d;
            } else if (type.equals(ChunkType.EXIF)) {
                String p = ImageMetadata.exifProblem(d);
                if (p != null) {
                    throw fail(base, p);
                }
                exif = d;
            } else if (type.equals(ChunkType.XMPD)) {
                xmp = utf8(d, "XMP packet");
            } else if (type.equals(ChunkType.CMNT)) {
                comment = utf8(d, "comment");
            } else if (type.equals(ChunkType.QTOK)) {
                streams.add(tokens(d, base));
            } else if (type.equals(ChunkType.QEND)) {
                return true;
            }
            return false;
        }

        private String utf8(byte[] d, String what) throws QtkFormatException {
            String s = ImageMetadata.decodeUtf8(d, 0, d.length);
            if (s == null) {
                throw fail(start + 8, what + " is not valid UTF-8");
            }
            return s;
        }

        private TokenStream tokens(byte[] d, long base) throws QtkFormatException {
            int i = streams.size();
            int wantFirst = header.streamFirstGroup(i);
            int wantCount = header.streamGroupCount(i);
            int first = ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
            if (first != wantFirst) {
                throw fail(base, "stream " + i + " first group " + first + ", the header layout says " + wantFirst);
            }
            int count = ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            if (count != wantCount) {
                throw fail(base + 2, "stream " + i + " group count " + count + ", the header layout says "
                        + wantCount);
            }
            int coder = d[4] & 0xFF;
            if (coder > QtkFormat.MAX_CODER_ID) {
                throw fail(base + 4, "coder id " + coder + " is reserved (0.." + QtkFormat.MAX_CODER_ID
                        + " allowed)");
            }
            int[] offsets = new int[count];
            int[] lengths = new int[count];
            int p = TokenStream.FIXED_BYTES;
            for (int g = 0; g < count; g++) {
                if (d.length - p < 4) {
                    throw fail(base + p, "data ends inside the payload length of group " + (first + g));
                }
                long n = ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8)
                        | (d[p + 3] & 0xFF);
                if (n > d.length - p - 4) {
                    throw fail(base + p, "group " + (first + g) + " payload length " + n + " exceeds the "
                            + (d.length - p - 4) + " bytes left in the chunk");
                }
                offsets[g] = p + 4;
                lengths[g] = (int) n;
                p += 4 + (int) n;
            }
            if (p != d.length) {
                throw fail(base + p, (d.length - p) + " bytes after the last payload");
            }
            return TokenStream.trusted(first, coder, d, offsets, lengths);
        }
    }
}
