package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Random valid files round-trip exactly through writer and reader, by every read path. */
class RoundTripTest {

    /** An input stream that hands out one byte per read call, to exercise partial reads. */
    static InputStream trickle(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
    }

    @Property(tries = 250)
    void roundTrip(@ForAll long seed) throws IOException {
        QtkFile file = TestFiles.random(new Random(seed), false);
        byte[] bytes = QtkWriter.toBytes(file);
        assertArrayEquals(bytes, QtkWriter.toBytes(file), "writer is deterministic");

        QtkFile back = QtkReader.read(bytes);
        assertEquals(file, back);
        assertFalse(back.truncated());
        assertEquals(file.header().groupsCoded(), back.groupsPresent());
        assertArrayEquals(bytes, QtkWriter.toBytes(back), "re-written bytes are identical");

        assertEquals(file, QtkReader.read(new ByteArrayInputStream(bytes)));
        assertEquals(file, QtkReader.read(trickle(bytes)));
        assertEquals(file.header(), QtkReader.readHeader(bytes));

        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        assertEquals(file.header(), QtkReader.readHeader(in));
        int hdrEnd = bytes.length - in.available();
        assertEquals("QHDR", TestFiles.type(java.util.Arrays.copyOfRange(bytes, 10, hdrEnd)));

        ChunkListing listing = QtkReader.listChunks(bytes);
        assertFalse(listing.truncated());
        // version 1.4 when a stream uses coder id 6, 1.3 when one uses coder id 5, else 1.2 when one uses coder id 4,
        // else 1.1 when one uses coder id 3 (qtk-format.md section 4)
        boolean has6 = file.streams().stream().anyMatch(s -> s.coderId() == 6);
        boolean has5 = file.streams().stream().anyMatch(s -> s.coderId() == 5);
        boolean has4 = file.streams().stream().anyMatch(s -> s.coderId() == 4);
        boolean has3 = file.streams().stream().anyMatch(s -> s.coderId() == 3);
        assertEquals(has6 ? 4 : has5 ? 3 : has4 ? 2 : has3 ? 1 : 0, listing.minorVersion());
        List<ChunkInfo> chunks = listing.chunks();
        assertEquals("QHDR", chunks.get(0).type().name());
        assertEquals("QEND", chunks.get(chunks.size() - 1).type().name());
        long tokens = chunks.stream().filter(c -> c.type().equals(ChunkType.QTOK)).count();
        assertEquals(file.header().streamCount(), tokens);
        long end = QtkFormat.FIRST_CHUNK_OFFSET;
        for (ChunkInfo c : chunks) {
            assertEquals(end, c.offset());
            assertTrue(c.complete());
            end += c.totalLength();
        }
        assertEquals(bytes.length, end);
        assertEquals(listing, QtkReader.listChunks(trickle(bytes)));

        if (file.alpha().isPresent()) {
            AlphaPlane a = file.alpha().get();
            byte[] samples = a.decode();
            assertArrayEquals(samples, back.alpha().get().decode());
            assertEquals(a, AlphaPlane.fromChunkData(a.width(), a.height(), a.chunkData()));
        }
    }

    @Property(tries = 100)
    void everyStreamPrefixIsACompleteFile(@ForAll long seed) throws IOException {
        QtkFile file = TestFiles.random(new Random(seed), true);
        for (int k = 1; k <= file.streams().size(); k++) {
            QtkFile p = file.prefix(k);
            assertEquals(k, p.header().streamCount());
            assertEquals(p.groupsPresent(), p.header().groupsCoded());
            assertEquals(p, QtkReader.read(QtkWriter.toBytes(p)));
        }
    }

    @Property(tries = 100)
    void cutAfterEachStreamDecodesThatPrefix(@ForAll long seed) throws IOException {
        QtkFile file = TestFiles.random(new Random(seed), false);
        byte[] bytes = QtkWriter.toBytes(file);
        ChunkListing listing = QtkReader.listChunks(bytes);
        int streams = 0;
        for (ChunkInfo c : listing.chunks()) {
            if (!c.type().equals(ChunkType.QTOK)) {
                continue;
            }
            // cut right after the 8-byte prefix of this stream: the previous streams are present
            QtkFile cut = QtkReader.read(java.util.Arrays.copyOf(bytes, (int) c.offset() + 8));
            assertTrue(cut.truncated());
            assertEquals(file.streams().subList(0, streams), cut.streams());
            streams++;
            QtkFile after = QtkReader.read(java.util.Arrays.copyOf(bytes, (int) (c.offset() + c.totalLength())));
            assertTrue(after.truncated());
            assertEquals(file.streams().subList(0, streams), after.streams());
            assertEquals(file.prefix(streams), after.prefix(streams));
        }
    }
}
