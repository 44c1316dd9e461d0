package io.qtk.format;

import static io.qtk.format.TestFiles.chunk;
import static io.qtk.format.TestFiles.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Hand-made hostile and malformed inputs, each with the exact outcome the specification requires. */
class HostileInputTest {
    static final ModelId MODEL = ModelId.of("m", "1", new byte[32]);

    /** RGBA 16x16, every metadata chunk, 3 streams: chunks QHDR iCCP eXIf xMPd cMNt QALP QTOK QTOK QTOK QEND. */
    static QtkFile rich() {
        QtkHeader h = QtkHeader.builder().size(16, 16).channels(Channels.RGBA).model(MODEL)
                .quantiser(new GridLayout(8, 8, 256, 4)).streamLayout(1, 2, 3).build();
        byte[] a = new byte[256];
        Arrays.fill(a, (byte) 200);
        return QtkFile.builder(h)
                .metadata(ImageMetadata.builder().icc(new byte[] {1, 2, 3}).exif(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0})
                        .xmp("<xmp/>").comment("hi").build())
                .alpha(AlphaPlane.of(16, 16, a))
                .addStream(1, List.of(new byte[] {1, 1}))
                .addStream(2, List.of(new byte[] {2}, new byte[] {2, 2}))
                .addStream(0, List.of(new byte[] {3}, new byte[0], new byte[] {3, 3, 3})).build();
    }

    static List<byte[]> richChunks() {
        return TestFiles.splitChunks(QtkWriter.toBytes(rich()));
    }

    static byte[] file(byte[]... chunks) {
        return concat(TestFiles.preamble(1, 0), concat(chunks));
    }

    static byte[] file(List<byte[]> chunks) {
        return file(chunks.toArray(new byte[0][]));
    }

    static QtkFormatException rejects(byte[] input, String phrase) {
        QtkFormatException e = assertThrows(QtkFormatException.class, () -> QtkReader.read(input));
        assertTrue(e.getMessage().contains(phrase), "message \"" + e.getMessage() + "\" lacks \"" + phrase + "\"");
        QtkFormatException s = assertThrows(QtkFormatException.class,
                () -> QtkReader.read(new ByteArrayInputStream(input)));
        assertEquals(e.offset(), s.offset());
        return e;
    }

    static long allocated(Executable action) throws Throwable {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        action.execute();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    // ---- lying lengths ---------------------------------------------------------------------------------------

    @Test
    void hugeDeclaredLengthOnTinyStreamBeforeTokensIsAnErrorWithoutAllocating() throws Throwable {
        List<byte[]> c = richChunks();
        byte[] lie = c.get(1).clone(); // iCCP claiming 16 MiB with 3 bytes present
        TestFiles.putU32(lie, 0, QtkFormat.MAX_ICC_LENGTH);
        byte[] input = file(c.get(0), lie);
        long bytes = allocated(() -> {
            QtkFormatException e = rejects(input, "file ends at offset " + input.length);
            assertEquals(input.length, e.offset());
            assertTrue(e.getMessage().contains("inside chunk iCCP"), e.getMessage());
        });
        assertTrue(bytes < 2_000_000, "allocated " + bytes + " bytes");
    }

    @Test
    void hugeDeclaredTokenLengthOnTinyStreamIsAProgressiveDecode() throws Throwable {
        List<byte[]> c = richChunks();
        byte[] lie = c.get(7).clone(); // second QTOK claims 1 GiB
        TestFiles.putU32(lie, 0, QtkFormat.MAX_CHUNK_LENGTH);
        byte[] input = file(concat(c.subList(0, 7).toArray(new byte[0][])), lie);
        long bytes = allocated(() -> {
            QtkFile f = QtkReader.read(new ByteArrayInputStream(input));
            assertTrue(f.truncated());
            assertEquals(1, f.streams().size());
            assertEquals(1, f.groupsPresent());
            assertEquals(rich().streams().get(0), f.streams().get(0));
            assertEquals(f, QtkReader.read(input));
        });
        assertTrue(bytes < 2_000_000, "allocated " + bytes + " bytes");
    }

    @Test
    void lyingLengthOnALongerStreamAllocatesAtMostTwiceWhatArrives() throws Throwable {
        List<byte[]> c = richChunks();
        byte[] lie = c.get(6).clone(); // first QTOK claims 1 GiB, 8 MiB follow
        TestFiles.putU32(lie, 0, QtkFormat.MAX_CHUNK_LENGTH);
        byte[] head = file(concat(c.subList(0, 6).toArray(new byte[0][])), Arrays.copyOf(lie, 8));
        int extra = 8 << 20;
        InputStream in = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < head.length + extra ? (pos < head.length ? head[pos++] & 0xFF : pos++ * 0) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int left = head.length + extra - pos;
                if (left <= 0) {
                    return -1;
                }
                int n = Math.min(len, left);
                for (int i = 0; i < n; i++, pos++) {
                    b[off + i] = pos < head.length ? head[pos] : 0;
                }
                return n;
            }
        };
        long bytes = allocated(() -> {
            QtkFile f = QtkReader.read(in);
            assertTrue(f.truncated());
            assertEquals(0, f.streams().size());
            assertEquals(0, f.groupsPresent());
        });
        assertTrue(bytes < 4L * extra, "allocated " + bytes + " bytes for " + extra + " arrived");
    }

    @Test
    void lengthsBeyondTheChunkLimitAreErrors() {
        List<byte[]> c = richChunks();
        for (long len : new long[] {QtkFormat.MAX_CHUNK_LENGTH + 1L, 0x80000000L, 0xFFFFFFFFL}) {
            byte[] lie = c.get(6).clone();
            TestFiles.putU32(lie, 0, len);
            List<byte[]> l = new ArrayList<>(c);
            l.set(6, lie);
            byte[] input = file(l);
            QtkFormatException e = rejects(input, "exceeds the chunk limit 1073741824");
            assertEquals(offsetOf(c, 6), e.offset());
        }
    }

    @Test
    void perTypeLengthLimits() {
        List<byte[]> c = richChunks();
        byte[] bigComment = chunk("cMNt", new byte[QtkFormat.MAX_COMMENT_LENGTH + 1]);
        rejects(file(c.get(0), bigComment), "length 1048577 out of range 1..1048576");
        rejects(file(c.get(0), chunk("iCCP", new byte[0])), "length 0 out of range 1..16777216");
        rejects(file(c.get(0), chunk("eXIf", new byte[] {'I', 'I', 42, 0, 8, 0})),
                "length 6 out of range 8..16777216");
        List<byte[]> l = new ArrayList<>(c);
        l.set(l.size() - 1, chunk("QEND", new byte[1]));
        rejects(file(l), "chunk QEND at offset " + offsetOf(c, l.size() - 1) + ": length 1 out of range 0..0");
        rejects(file(chunk("QHDR", new byte[72])), "length 72 out of range 73..");
    }

    static long offsetOf(List<byte[]> chunks, int index) {
        long p = QtkFormat.FIRST_CHUNK_OFFSET;
        for (int i = 0; i < index; i++) {
            p += chunks.get(i).length;
        }
        return p;
    }

    // ---- image size limits -----------------------------------------------------------------------------------

    static byte[] header(int w, int h, Channels ch) {
        QtkHeader hd = QtkHeader.builder().size(1, 1).channels(ch).model(MODEL).quantiser(new GridLayout(16, 4, 256, 4))
                .streamLayout(4).build();
        byte[] d = HeaderCodec.encode(hd);
        TestFiles.putU32(d, 0, w);
        TestFiles.putU32(d, 4, h);
        // latent size fields: 14 and 10 bytes before the end of a one-stream header
        TestFiles.putU32(d, d.length - 14, (w + 15L) / 16);
        TestFiles.putU32(d, d.length - 10, (h + 15L) / 16);
        return d;
    }

    @Test
    void twoToThe31PixelsIsTheLimit() throws IOException {
        byte[] ok = file(chunk("QHDR", header(65536, 32768, Channels.RGB)));
        QtkHeader h = QtkReader.readHeader(ok);
        assertEquals(1L << 31, h.pixelCount());
        assertEquals(4096, h.tokenColumns());
        assertEquals(2048, h.tokenRows());
        byte[] okTall = file(chunk("QHDR", header(128, 1 << 24, Channels.RGB)));
        assertEquals(1L << 31, QtkReader.readHeader(okTall).pixelCount());

        QtkFormatException e = rejects(file(chunk("QHDR", header(46341, 46341, Channels.RGB))),
                "width*height 2147488281 exceeds 2147483648");
        assertEquals(18, e.offset());
        rejects(file(chunk("QHDR", header(1 << 24, 1 << 24, Channels.RGB))), "width*height");
        e = rejects(file(chunk("QHDR", header((1 << 24) + 1, 1, Channels.RGB))),
                "chunk QHDR at offset 10: width 16777217 out of range 1..16777216");
        assertEquals(18, e.offset());
        e = rejects(file(chunk("QHDR", header(1, 0, Channels.RGB))), "height 0 out of range 1..16777216");
        assertEquals(22, e.offset());
        assertThrows(IllegalArgumentException.class, () -> QtkHeader.builder().size(46341, 46341)
                .channels(Channels.RGB).model(MODEL).quantiser(new GridLayout(16, 4, 256, 4)).streamLayout(4).build());
    }

    @Test
    void hugeAlphaPlaneWithTinyQalpFailsFast() {
        byte[] hdr = chunk("QHDR", header(65536, 32768, Channels.RGBA));
        long t0 = System.nanoTime();
        rejects(file(hdr, chunk("QALP", concat(new byte[] {0}, GoldenVectors.fixedHuffmanZeros(1 << 20))),
                chunk("QEND", new byte[0])), "zlib stream ends after 1048771 of 2147483648 bytes");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    // ---- alpha -----------------------------------------------------------------------------------------------

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(9);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            o.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return o.toByteArray();
    }

    @Test
    void zipBombAlphaIsRejectedQuicklyAndSmall() throws Throwable {
        List<byte[]> c = richChunks();
        byte[] bomb = concat(new byte[] {0}, deflate(new byte[64 << 20])); // 64 MiB of zeros for a 16x16 plane
        assertTrue(bomb.length < 100_000);
        List<byte[]> l = new ArrayList<>(c);
        l.set(5, chunk("QALP", bomb));
        long t0 = System.nanoTime();
        long bytes = allocated(() -> rejects(file(l), "alpha plane: inflates to more than W*H = 256 bytes"));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertTrue(bytes < 5_000_000, "allocated " + bytes);
    }

    @Test
    void alphaStreamProblems() {
        List<byte[]> c = richChunks();
        byte[][] bad = {
            concat(new byte[] {0}, deflate(new byte[255])),
            concat(new byte[] {1}, deflate(new byte[256])),
            new byte[] {0},
            concat(new byte[] {0}, deflate(new byte[256]), new byte[] {9}),
            concat(new byte[] {0}, Arrays.copyOf(deflate(new byte[256]), 5)),
            new byte[] {0, 0x78, 0x01, (byte) 0xFF, (byte) 0xFF},
            dictionaryStream(),
        };
        String[] phrases = {"zlib stream ends after 255 of 256 bytes", "alpha method 1 unknown",
            "zlib stream ends after 0 of 256", "1 bytes after the end of the zlib stream", "zlib stream ends after",
            "corrupt zlib stream", "preset dictionary"};
        for (int i = 0; i < bad.length; i++) {
            List<byte[]> l = new ArrayList<>(c);
            l.set(5, chunk("QALP", bad[i]));
            rejects(file(l), phrases[i]);
        }
        List<byte[]> none = new ArrayList<>(c);
        none.remove(5);
        rejects(file(none), "channels RGBA need a QALP chunk before the first QTOK");
        List<byte[]> rgb = TestFiles.splitChunks(QtkWriter.toBytes(rich().prefix(1)));
        byte[] rgbHeader = TestFiles.data(rgb.get(0));
        rgbHeader[8] = 3;
        rejects(file(chunk("QHDR", rgbHeader), c.get(5)), "alpha plane present but channels are RGB (no alpha)");
    }

    static byte[] dictionaryStream() {
        Deflater d = new Deflater(9);
        d.setDictionary(new byte[] {1, 2, 3});
        d.setInput(new byte[256]);
        d.finish();
        byte[] buf = new byte[1000];
        int n = d.deflate(buf);
        d.end();
        return concat(new byte[] {0}, Arrays.copyOf(buf, n));
    }

    // ---- chunk order, duplicates, unknown chunks -------------------------------------------------------------

    @Test
    void duplicatesAreErrors() {
        List<byte[]> c = richChunks();
        for (int i = 0; i <= 5; i++) {
            List<byte[]> l = new ArrayList<>(c);
            l.add(i + 1, c.get(i));
            String type = TestFiles.type(c.get(i));
            QtkFormatException e = rejects(file(l), "duplicate " + type + " chunk (first at offset " + offsetOf(c, i));
            assertEquals(offsetOf(l, i + 1), e.offset());
        }
    }

    @Test
    void orderRules() {
        List<byte[]> c = richChunks();
        rejects(file(c.get(1), c.get(0)), "chunk iCCP at offset 10: the first chunk must be QHDR");
        rejects(file(c.get(6)), "the first chunk must be QHDR");
        rejects(file(), "file ends at offset 10 at a chunk boundary");
        for (int meta = 1; meta <= 5; meta++) {
            List<byte[]> l = new ArrayList<>(c);
            byte[] m = l.remove(meta);
            l.add(7, m);
            rejects(file(l), meta == 5 ? "channels RGBA need a QALP chunk before the first QTOK"
                    : TestFiles.type(m) + " must precede the first QTOK chunk");
        }
        List<byte[]> swapped = new ArrayList<>(c);
        java.util.Collections.swap(swapped, 6, 7);
        rejects(file(swapped), "stream 0 first group 1, the header layout says 0");
        List<byte[]> early = new ArrayList<>(c);
        early.remove(8);
        rejects(file(early), "QEND after 2 of 3 token streams");
        List<byte[]> extra = new ArrayList<>(c);
        extra.add(9, c.get(8));
        rejects(file(extra), "token stream 4 but the header declares 3");
        List<byte[]> noEnd = new ArrayList<>(c);
        noEnd.remove(9);
        QtkFile f = assertDoesNotThrowRead(file(noEnd));
        assertTrue(f.truncated());
        assertEquals(6, f.groupsPresent());
        assertTrue(f.allStreamsPresent());
    }

    static QtkFile assertDoesNotThrowRead(byte[] b) {
        try {
            QtkFile f = QtkReader.read(b);
            assertEquals(f, QtkReader.read(new ByteArrayInputStream(b)));
            return f;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownCriticalIsAnErrorUnknownAncillaryIsSkipped() {
        List<byte[]> c = richChunks();
        for (String t : new String[] {"QFUT", "Abcd", "QHdR", "QTOk", "Zzzz", "XyZw"}) {
            List<byte[]> l = new ArrayList<>(c);
            l.add(2, chunk(t, new byte[] {1}));
            QtkFormatException e = rejects(file(l), "chunk " + t + " at offset " + offsetOf(c, 2)
                    + ": unknown critical chunk");
            assertEquals(offsetOf(c, 2) + 4, e.offset());
        }
        QtkFile want = rich();
        // ancillary: public future, private, reserved bit lowercase (never "known", even with a known name)
        for (String t : new String[] {"zzzz", "tEXt", "qtOK", "cMnt", "iCcP", "xprv"}) {
            for (int at : new int[] {1, 6, 7, 9}) {
                List<byte[]> l = new ArrayList<>(c);
                l.add(at, chunk(t, t.getBytes(StandardCharsets.US_ASCII)));
                assertEquals(want, assertDoesNotThrowRead(file(l)), t + " at " + at);
            }
        }
        List<byte[]> badCrc = new ArrayList<>(c);
        byte[] anc = chunk("zzzz", new byte[] {1, 2, 3});
        anc[anc.length - 1] ^= 1;
        badCrc.add(1, anc);
        rejects(file(badCrc), "chunk zzzz at offset " + offsetOf(c, 1) + ": CRC-32C mismatch");
    }

    @Test
    void chunkTypeMustBeLetters() {
        List<byte[]> c = richChunks();
        List<byte[]> l = new ArrayList<>(c);
        l.add(1, chunk("ab1d", new byte[0]));
        QtkFormatException e = rejects(file(l), "type bytes 61 62 31 64 are not four ASCII letters");
        assertEquals(offsetOf(c, 1) + 4, e.offset());
    }

    @Test
    void tooManyChunks() {
        List<byte[]> c = richChunks();
        byte[] anc = chunk("zzzz", new byte[0]);
        byte[][] parts = new byte[QtkFormat.MAX_CHUNKS + 2][];
        parts[0] = c.get(0);
        for (int i = 1; i < parts.length; i++) {
            parts[i] = anc;
        }
        rejects(file(parts), "more than 131072 chunks");
    }

    @Test
    void trailingGarbage() throws IOException {
        byte[] good = QtkWriter.toBytes(rich());
        QtkFormatException e = rejects(concat(good, new byte[] {0, 0, 0}), "data after the QEND chunk");
        assertEquals(good.length, e.offset());
        assertTrue(e.getMessage().contains("3 trailing bytes"));
        rejects(concat(good, good), "data after the QEND chunk");
        ChunkListing l = QtkReader.listChunks(good);
        assertFalse(l.truncated());
        assertThrows(QtkFormatException.class, () -> QtkReader.listChunks(concat(good, new byte[1])));
    }

    // ---- preamble --------------------------------------------------------------------------------------------

    @Test
    void signatureAndVersion() throws IOException {
        byte[] good = QtkWriter.toBytes(rich());
        rejects(new byte[0], "file ends after 0 bytes, inside the 8-byte signature");
        rejects(Arrays.copyOf(good, 9), "file ends after 9 bytes, inside the 2-byte version");
        // CRLF -> LF, as a text-mode transfer does
        byte[] mangled = concat(Arrays.copyOf(good, 4), Arrays.copyOfRange(good, 5, good.length));
        QtkFormatException e = rejects(mangled, "text mode");
        assertEquals(4, e.offset());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        rejects(png, "not a qtk file");
        byte[] seven = good.clone();
        seven[0] &= 0x7F; // 7-bit channel
        rejects(seven, "signature");
        for (int major : new int[] {0, 2, 255}) {
            byte[] b = good.clone();
            b[8] = (byte) major;
            e = rejects(b, "major version " + major + " not supported");
            assertEquals(8, e.offset());
        }
        byte[] minor = good.clone();
        minor[9] = (byte) 255;
        assertEquals(rich(), QtkReader.read(minor));
        assertEquals(255, QtkReader.listChunks(minor).minorVersion());
    }

    // ---- token stream data -----------------------------------------------------------------------------------

    @Test
    void tokenChunkProblems() {
        List<byte[]> c = richChunks();
        long base = offsetOf(c, 7) + 8;
        byte[] d = TestFiles.data(c.get(7)); // stream 1: groups 1..2, coder 2
        Object[][] cases = {
            {0, new byte[] {0, 2}, "stream 1 first group 2, the header layout says 1", 0},
            {2, new byte[] {0, 3}, "stream 1 group count 3, the header layout says 2", 2},
            {4, new byte[] {16}, "coder id 16 is reserved (0..15 allowed)", 4},
            {4, new byte[] {(byte) 255}, "coder id 255 is reserved", 4},
            {5, new byte[] {0, 0, 0, 9}, "group 1 payload length 9 exceeds the 7 bytes left in the chunk", 5},
        };
        for (Object[] k : cases) {
            byte[] m = d.clone();
            byte[] patch = (byte[]) k[1];
            System.arraycopy(patch, 0, m, (int) k[0], patch.length);
            List<byte[]> l = new ArrayList<>(c);
            l.set(7, chunk("QTOK", m));
            QtkFormatException e = rejects(file(l), (String) k[2]);
            assertEquals(base + (int) k[3], e.offset(), (String) k[2]);
        }
        List<byte[]> l = new ArrayList<>(c);
        l.set(7, chunk("QTOK", concat(d, new byte[] {7})));
        QtkFormatException after = rejects(file(l), "1 bytes after the last payload");
        assertEquals(base + d.length, after.offset());
        l.set(7, chunk("QTOK", Arrays.copyOf(d, 12)));
        rejects(file(l), "length 12 out of range 13..1073741824");
        l.set(7, chunk("QTOK", concat(Arrays.copyOf(d, 10), new byte[] {0, 0, 0})));
        rejects(file(l), "data ends inside the payload length of group 2");
        // coder ids 0..15 are all accepted
        for (int coder = 0; coder <= 15; coder++) {
            byte[] m = d.clone();
            m[4] = (byte) coder;
            List<byte[]> ok = new ArrayList<>(c);
            ok.set(7, chunk("QTOK", m));
            assertEquals(coder, assertDoesNotThrowRead(file(ok)).streams().get(1).coderId());
        }
    }

    @Test
    void metadataContentProblems() {
        List<byte[]> c = richChunks();
        rejects(file(c.get(0), chunk("eXIf", "Exif\0\0II*\0".getBytes(StandardCharsets.ISO_8859_1))),
                "EXIF block does not start with a TIFF header");
        rejects(file(c.get(0), chunk("xMPd", new byte[] {'<', (byte) 0xC3, '>'})), "XMP packet is not valid UTF-8");
        rejects(file(c.get(0), chunk("cMNt", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                "comment is not valid UTF-8");
        rejects(file(c.get(0), chunk("cMNt", new byte[] {(byte) 0xC0, (byte) 0x80})), "comment is not valid UTF-8");
    }

    @Test
    void crcMismatchIsAlwaysAnError() {
        byte[] good = QtkWriter.toBytes(rich());
        List<byte[]> c = richChunks();
        for (int i = 0; i < c.size(); i++) {
            byte[] b = good.clone();
            int crcAt = (int) (offsetOf(c, i) + c.get(i).length - 1);
            b[crcAt] ^= 0x10;
            QtkFormatException e = rejects(b, "CRC-32C mismatch");
            assertEquals(crcAt - 3, e.offset());
        }
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    @Test
    void streamThatNeverEndsAndStreamErrors() {
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return 0;
            }
        };
        IOException e = assertThrows(IOException.class, () -> QtkReader.read(zeros));
        assertFalse(e instanceof QtkFormatException);
        byte[] good = QtkWriter.toBytes(rich());
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == 100) {
                    throw new IOException("disk on fire");
                }
                return good[pos++] & 0xFF;
            }
        };
        IOException f = assertThrows(IOException.class, () -> QtkReader.read(failing));
        assertEquals("disk on fire", f.getMessage());
    }

    @Test
    void readHeaderReadsOnlyTheHeader() throws IOException {
        byte[] good = QtkWriter.toBytes(rich());
        List<byte[]> c = richChunks();
        int hdrEnd = QtkFormat.FIRST_CHUNK_OFFSET + c.get(0).length;
        assertEquals(rich().header(), QtkReader.readHeader(Arrays.copyOf(good, hdrEnd)));
        ByteArrayInputStream in = new ByteArrayInputStream(good);
        assertEquals(rich().header(), QtkReader.readHeader(in));
        assertEquals(good.length - hdrEnd, in.available());
        QtkFormatException e = assertThrows(QtkFormatException.class,
                () -> QtkReader.readHeader(Arrays.copyOf(good, hdrEnd - 1)));
        assertEquals(hdrEnd - 1, e.offset());
        ChunkListing l = QtkReader.listChunks(Arrays.copyOf(good, hdrEnd + 9));
        assertTrue(l.truncated());
        assertEquals(2, l.chunks().size());
        assertFalse(l.chunks().get(1).complete());
        assertEquals(ChunkType.ICCP, l.chunks().get(1).type());
        ChunkListing edge = QtkReader.listChunks(Arrays.copyOf(good, hdrEnd + 3));
        assertEquals(1, edge.chunks().size());
        assertTrue(edge.truncated());
    }
}
