package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exhaustive single-byte changes and truncations of small generated files and of the golden vectors, then random
 * structural mutations. Every input must give a correct (possibly progressive) decode or a
 * {@link QtkFormatException}; the counts are printed.
 *
 * <p>Scale with {@code -Dqtk.fuzz.tries=N} (random mutations; default 10000) and {@code -Dqtk.fuzz.files=N}
 * (generated files for the exhaustive part; default 8).
 */
class FuzzTest {
    static final int TRIES = Integer.getInteger("qtk.fuzz.tries", 10_000);
    static final int FILES = Integer.getInteger("qtk.fuzz.files", 8);
    static final long SEED = Long.getLong("qtk.fuzz.seed", 20261123L);

    static List<QtkFile> corpus() throws IOException {
        List<QtkFile> files = new ArrayList<>();
        Random r = new Random(SEED);
        for (int i = 0; i < FILES; i++) {
            files.add(TestFiles.random(r, true));
        }
        for (GoldenVectors.Vector v : GoldenVectors.build()) {
            if (!v.rejected() && !v.expected().truncated()) {
                files.add(v.expected());
            }
        }
        return files;
    }

    @Test
    void everyTruncation() throws IOException {
        Oracle o = new Oracle();
        for (QtkFile f : corpus()) {
            byte[] b = QtkWriter.toBytes(f);
            long firstTok = firstTokenOffset(b);
            for (int n = 0; n < b.length; n++) {
                byte[] cut = Arrays.copyOf(b, n);
                o.check(f, cut, true);
                Object r = Oracle.outcome(cut, false);
                // the spec's rule: progressive exactly when the first QTOK's length and type are present
                assertEquals(n >= firstTok + 8, r instanceof QtkFile, "cut at " + n + " of " + b.length);
                if (r instanceof QtkFile) {
                    assertTrue(((QtkFile) r).truncated());
                }
            }
            o.check(f, b, true);
        }
        for (GoldenVectors.Vector v : GoldenVectors.build()) {
            if (v.name().equals("minor3-ancillary.qtk")) {
                for (int n = 0; n <= v.bytes().length; n++) {
                    o.check(v.expected(), Arrays.copyOf(v.bytes(), n), true);
                }
            }
        }
        System.out.println("[qtk fuzz] truncations: " + o.summary());
        assertTrue(o.decodedTruncated > 0 && o.rejected > 0);
    }

    /**
     * Every single-bit flip of every byte of every corpus file; in addition all 255 other values of every byte of
     * the {@code qtk.fuzz.exhaustive} smallest files (default 1; set it to the corpus size for all 255 everywhere).
     */
    @Test
    void everySingleByteChange() throws IOException {
        int exhaustive = Integer.getInteger("qtk.fuzz.exhaustive", 1);
        Oracle o = new Oracle();
        List<QtkFile> corpus = corpus();
        // smallest files first, so the exhaustive part stays cheap
        corpus.sort(java.util.Comparator.comparingInt(f -> QtkWriter.toBytes(f).length));
        long bytes = 0;
        for (int k = 0; k < corpus.size(); k++) {
            QtkFile f = corpus.get(k);
            byte[] b = QtkWriter.toBytes(f);
            bytes += b.length;
            for (int i = 0; i < b.length; i++) {
                byte keep = b[i];
                for (int x = 1; x < 256; x++) {
                    boolean bit = Integer.bitCount(x) == 1;
                    if (bit || k < exhaustive) {
                        b[i] = (byte) (keep ^ x);
                        o.check(f, b, x == 1 || x == 0x80);
                    }
                }
                b[i] = keep;
            }
        }
        System.out.println("[qtk fuzz] single-byte changes of " + corpus.size() + " files (" + bytes
                + " bytes; every bit flip, all 255 values in " + Math.min(exhaustive, corpus.size()) + " files): "
                + o.summary());
        // only the minor version byte (offset 9) may change without an error or a truncated decode
        assertTrue(o.decodedComplete <= 255L * corpus.size());
    }

    @Test
    void goldenVectorsSingleByteChangesAndTruncations() throws IOException {
        Oracle o = new Oracle();
        long rejectOnly = 0;
        for (GoldenVectors.Vector v : GoldenVectors.build()) {
            byte[] b = Files.readAllBytes(GoldenVectorsTest.dir().resolve(v.name()));
            if (v.rejected()) {
                // a bad vector stays bad or becomes some other outcome; it must never escape the contract
                for (int i = 0; i < b.length; i++) {
                    for (int x : new int[] {0x01, 0x80}) {
                        b[i] ^= x;
                        weak(b);
                        b[i] ^= x;
                        rejectOnly++;
                    }
                }
                continue;
            }
            QtkFile ref = v.expected();
            for (int i = 0; i < b.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    b[i] ^= 1 << bit;
                    o.check(ref, b, bit == 0);
                    b[i] ^= 1 << bit;
                }
            }
            for (int n = 0; n < b.length; n++) {
                o.check(ref, Arrays.copyOf(b, n), false);
            }
        }
        System.out.println("[qtk fuzz] golden vectors, bit flips and truncations: " + o.summary() + "; plus "
                + rejectOnly + " flips of bit 0 and bit 7 of every byte of the reject vectors");
    }

    @Test
    void randomStructuralMutations() throws IOException {
        Random r = new Random(SEED ^ 0x5DEECE66DL);
        List<byte[]> pool = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            pool.add(QtkWriter.toBytes(TestFiles.random(r, i % 2 == 0)));
        }
        long accepted = 0;
        for (int t = 0; t < TRIES; t++) {
            byte[] b = pool.get(r.nextInt(pool.size())).clone();
            int mutations = 1 + r.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                b = mutate(r, b, pool);
            }
            if (weak(b)) {
                accepted++;
            }
            if (t % 8 == 0) {
                Object a = Oracle.outcome(b, false);
                Object s = Oracle.outcome(b, true);
                if (a instanceof QtkFormatException) {
                    assertTrue(s instanceof QtkFormatException);
                    assertEquals(((QtkFormatException) a).offset(), ((QtkFormatException) s).offset());
                } else {
                    assertEquals(a, s);
                }
            }
        }
        System.out.println("[qtk fuzz] random structural mutations: " + TRIES + " inputs, " + accepted
                + " decoded (checked by re-writing), " + (TRIES - accepted) + " rejected");
    }

    /** The weak oracle: a decode must be self-consistent and re-write to an equal file; else QtkFormatException. */
    static boolean weak(byte[] b) {
        Object o = Oracle.outcome(b, false);
        if (o instanceof QtkFormatException) {
            long off = ((QtkFormatException) o).offset();
            assertTrue(off >= 0 && off <= b.length);
            return false;
        }
        QtkFile f = (QtkFile) o;
        assertTrue(f.truncated() || f.allStreamsPresent());
        assertTrue(f.streams().size() <= f.header().streamCount());
        for (int i = 0; i < f.streams().size(); i++) {
            assertEquals(f.header().streamFirstGroup(i), f.streams().get(i).firstGroup());
            assertEquals(f.header().streamGroupCount(i), f.streams().get(i).groupCount());
        }
        if (!f.streams().isEmpty()) {
            QtkFile p = f.prefix(f.streams().size());
            try {
                assertEquals(p, QtkReader.read(QtkWriter.toBytes(p)));
            } catch (QtkFormatException e) {
                throw new AssertionError("re-written file rejected: " + e.getMessage(), e);
            }
        }
        return true;
    }

    static byte[] mutate(Random r, byte[] b, List<byte[]> pool) {
        int n = b.length;
        switch (r.nextInt(9)) {
            case 0: { // random bytes
                byte[] c = b.clone();
                for (int k = 1 + r.nextInt(3); k > 0 && n > 0; k--) {
                    c[r.nextInt(n)] = (byte) r.nextInt(256);
                }
                return c;
            }
            case 1: { // delete a range
                if (n == 0) {
                    return b;
                }
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(16, n - at));
                return TestFiles.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n));
            }
            case 2: { // insert random bytes
                int at = r.nextInt(n + 1);
                return TestFiles.concat(Arrays.copyOf(b, at), TestFiles.bytes(r, 1 + r.nextInt(16)),
                        Arrays.copyOfRange(b, at, n));
            }
            case 3: { // duplicate a range
                if (n == 0) {
                    return b;
                }
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(64, n - at));
                return TestFiles.concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, n));
            }
            case 4: { // a boundary value into a 32-bit field
                if (n < 4) {
                    return b;
                }
                long[] values = {0, 1, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, QtkFormat.MAX_CHUNK_LENGTH,
                    QtkFormat.MAX_CHUNK_LENGTH + 1L, n, n - 1, 1 << 24, (1 << 24) + 1};
                byte[] c = b.clone();
                TestFiles.putU32(c, r.nextInt(n - 3), values[r.nextInt(values.length)]);
                return c;
            }
            case 5: { // splice a chunk of another file in (CRC valid)
                List<byte[]> other = chunksOf(pool.get(r.nextInt(pool.size())));
                if (other.isEmpty()) {
                    return b;
                }
                List<byte[]> mine = chunksOf(b);
                byte[] pre = Arrays.copyOf(b, Math.min(n, QtkFormat.FIRST_CHUNK_OFFSET));
                mine.add(r.nextInt(mine.size() + 1), other.get(r.nextInt(other.size())));
                return TestFiles.concat(pre, TestFiles.concat(mine.toArray(new byte[0][])));
            }
            case 6: { // drop or swap whole chunks
                List<byte[]> mine = chunksOf(b);
                if (mine.size() < 2) {
                    return b;
                }
                byte[] pre = Arrays.copyOf(b, Math.min(n, QtkFormat.FIRST_CHUNK_OFFSET));
                int i = r.nextInt(mine.size());
                if (r.nextBoolean()) {
                    mine.remove(i);
                } else {
                    java.util.Collections.swap(mine, i, r.nextInt(mine.size()));
                }
                return TestFiles.concat(pre, TestFiles.concat(mine.toArray(new byte[0][])));
            }
            case 7: { // an unknown chunk with a valid CRC
                List<byte[]> mine = chunksOf(b);
                byte[] pre = Arrays.copyOf(b, Math.min(n, QtkFormat.FIRST_CHUNK_OFFSET));
                String[] types = {"zzzz", "Zzzz", "qHDR", "QHdR", "tEXt", "qtOK", "QTOK", "QEND", "QALP", "iCCP"};
                mine.add(r.nextInt(mine.size() + 1),
                        TestFiles.chunk(types[r.nextInt(types.length)], TestFiles.bytes(r, r.nextInt(20))));
                return TestFiles.concat(pre, TestFiles.concat(mine.toArray(new byte[0][])));
            }
            default: // truncate
                return Arrays.copyOf(b, r.nextInt(n + 1));
        }
    }

    /** Splits bytes after the preamble into chunks by their length fields, as far as that goes. */
    static List<byte[]> chunksOf(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int p = QtkFormat.FIRST_CHUNK_OFFSET;
        while (p + 12 <= b.length) {
            long len = ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (len > b.length - p - 12) {
                break;
            }
            out.add(Arrays.copyOfRange(b, p, p + 12 + (int) len));
            p += 12 + (int) len;
        }
        if (p < b.length && p >= QtkFormat.FIRST_CHUNK_OFFSET) {
            out.add(Arrays.copyOfRange(b, p, b.length));
        }
        return out;
    }

    static long firstTokenOffset(byte[] b) throws QtkFormatException {
        for (ChunkInfo c : QtkReader.listChunks(b).chunks()) {
            if (c.type().equals(ChunkType.QTOK)) {
                return c.offset();
            }
        }
        throw new AssertionError("no QTOK");
    }

    static QtkFile read(byte[] b) throws IOException {
        return QtkReader.read(new ByteArrayInputStream(b));
    }
}
