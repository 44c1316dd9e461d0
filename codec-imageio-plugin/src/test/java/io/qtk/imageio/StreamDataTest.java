package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Loading a file from an ImageInputStream: from its position, of unknown length, and bounded. */
class StreamDataTest {

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void readsFromTheCurrentPositionToTheEnd() throws IOException {
        byte[] all = data(100_000);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(all))) {
            in.skipBytes(1000);
            StreamData d = new StreamData(in);
            assertEquals(64, d.fill(64));
            assertFalse(d.atEnd());
            assertArrayEquals(Arrays.copyOfRange(all, 1000, 1064), d.bytes());
            byte[] rest = d.all();
            assertTrue(d.atEnd());
            assertArrayEquals(Arrays.copyOfRange(all, 1000, all.length), rest);
            assertEquals(rest.length, d.fill(Integer.MAX_VALUE), "nothing more after the end");
        }
    }

    @Test
    void continuesWhereItLeftOffWhenTheStreamWasMoved() throws IOException {
        byte[] all = data(5000);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(all))) {
            StreamData d = new StreamData(in);
            d.fill(100);
            in.seek(3); // e.g. an application or a provider probing the stream
            assertArrayEquals(all, d.all());
        }
    }

    @Test
    void streamThatDeliversInDribbles() throws IOException {
        byte[] all = data(70_000);
        InputStream slow = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < all.length ? all[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= all.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 3), all.length - pos); // at most 3 bytes per call
                System.arraycopy(all, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        try (ImageInputStream in = new MemoryCacheImageInputStream(slow)) {
            assertArrayEquals(all, new StreamData(in).all());
        }
    }

    @Test
    void emptyStream() throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(new byte[0]))) {
            StreamData d = new StreamData(in);
            assertEquals(0, d.all().length);
            assertTrue(d.atEnd());
        }
    }

    @Test
    @ResourceLock("system-properties")
    void boundedByTheLimit() throws IOException {
        String old = System.getProperty(StreamData.MAX_BYTES_PROPERTY);
        System.setProperty(StreamData.MAX_BYTES_PROPERTY, "1000");
        try {
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data(1001)))) {
                IIOException e = assertThrows(IIOException.class, () -> new StreamData(in).all());
                assertTrue(e.getMessage().contains("larger than 1000"), e.getMessage());
            }
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data(1000)))) {
                assertEquals(1000, new StreamData(in).all().length, "exactly at the limit is fine");
            }
            System.setProperty(StreamData.MAX_BYTES_PROPERTY, "not a number");
            assertEquals(Integer.MAX_VALUE - 8, StreamData.maxBytes());
        } finally {
            if (old == null) {
                System.clearProperty(StreamData.MAX_BYTES_PROPERTY);
            } else {
                System.setProperty(StreamData.MAX_BYTES_PROPERTY, old);
            }
        }
    }

    @Test
    void aLyingDeclaredLengthIsOnlyAHint() throws IOException {
        byte[] all = data(50_000);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(all)) {
            @Override
            public long length() {
                return 10; // claims far fewer bytes than it has
            }
        }) {
            assertArrayEquals(all, new StreamData(in).all());
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(all)) {
            @Override
            public long length() {
                return 1L << 40; // claims a terabyte
            }
        }) {
            StreamData d = new StreamData(in);
            assertArrayEquals(all, d.all());
            assertTrue(d.capacity() <= 64 << 20, "allocated " + d.capacity() + " bytes on a stream's word");
        }
    }

    /** A framed file: signature, version, one chunk "QHDR" of {@code n} bytes, "QEND"; CRCs are not checked here. */
    static byte[] framed(int n) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + 12 + n + 12);
        b.put(QtkImageReaderSpi.SIGNATURE).put((byte) 1).put((byte) 0);
        b.putInt(n).put("QHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(new byte[n]).putInt(0);
        b.putInt(0).put("QEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0);
        return b.array();
    }

    @Test
    void stopsAtQendAndLeavesTheStreamAfterTheFile() throws IOException {
        for (int n : new int[] {5, 100_000}) { // smaller and larger than the header probe
            byte[] file = framed(n);
            byte[] stream = Arrays.copyOf(file, file.length + 5000);
            Arrays.fill(stream, file.length, stream.length, (byte) 0x55);
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(stream))) {
                StreamData d = new StreamData(in);
                d.fill(64 * 1024);
                assertArrayEquals(file, d.all());
                assertEquals(file.length, in.getStreamPosition(), "stream left just after QEND");
                assertTrue(d.all() == d.all(), "loaded once");
            }
        }
    }

    @Test
    void cutShortFilesAreReturnedAsTheyAre() throws IOException {
        byte[] file = framed(1000);
        for (int cut : new int[] {3, 10, 15, 30, 500, file.length - 1}) {
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(
                    Arrays.copyOf(file, cut)))) {
                assertArrayEquals(Arrays.copyOf(file, cut), new StreamData(in).all(), "cut at " + cut);
            }
        }
    }

    @Test
    void hostileFramingDoesNotMislead() throws IOException {
        byte[] file = framed(10);
        file[10] = (byte) 0x7F; // chunk length ~2 GiB: beyond the format's limit, so no walk: everything is loaded
        byte[] stream = Arrays.copyOf(file, file.length + 300);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(stream))) {
            StreamData d = new StreamData(in);
            assertEquals(stream.length, d.all().length);
            assertTrue(d.capacity() < 1 << 20, "allocated by a hostile length field");
        }
    }
}
