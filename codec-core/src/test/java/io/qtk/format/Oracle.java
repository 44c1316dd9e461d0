package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * The contract every input must meet: the reader returns the original content (possibly a progressive prefix of its
 * streams, flagged truncated) or throws {@link QtkFormatException}; nothing else, quickly.
 */
final class Oracle {
    long inputs;
    long decodedComplete;
    long decodedTruncated;
    long rejected;
    long maxNanos;

    /** Checks one mutated input against the file it was derived from. */
    void check(QtkFile original, byte[] input, boolean alsoStream) {
        inputs++;
        long t0 = System.nanoTime();
        Object fromArray = outcome(input, false);
        long dt = System.nanoTime() - t0;
        maxNanos = Math.max(maxNanos, dt);
        if (dt > 2_000_000_000L) {
            fail("reader took " + dt / 1_000_000 + " ms on " + TestFiles.hex(input));
        }
        if (fromArray instanceof QtkFormatException) {
            rejected++;
            long off = ((QtkFormatException) fromArray).offset();
            assertTrue(off >= 0 && off <= input.length, "offset " + off + " outside input of " + input.length);
        } else {
            QtkFile f = (QtkFile) fromArray;
            assertConsistent(original, f, input);
            if (f.truncated()) {
                decodedTruncated++;
            } else {
                decodedComplete++;
            }
        }
        if (alsoStream) {
            Object fromStream = outcome(input, true);
            if (fromArray instanceof QtkFormatException) {
                assertTrue(fromStream instanceof QtkFormatException, "stream reader accepted what the array reader"
                        + " rejected: " + TestFiles.hex(input));
                QtkFormatException a = (QtkFormatException) fromArray;
                QtkFormatException s = (QtkFormatException) fromStream;
                if (!a.getMessage().contains("trailing") || !s.getMessage().contains("trailing")) {
                    assertEquals(a.getMessage(), s.getMessage());
                }
                assertEquals(a.offset(), s.offset());
            } else {
                assertEquals(fromArray, fromStream, "array and stream readers disagree");
            }
        }
    }

    static void assertConsistent(QtkFile original, QtkFile f, byte[] input) {
        String ctx = " (input " + TestFiles.hex(input) + ")";
        assertEquals(original.header(), f.header(), "header" + ctx);
        assertEquals(original.metadata(), f.metadata(), "metadata" + ctx);
        assertEquals(original.alpha(), f.alpha(), "alpha" + ctx);
        List<TokenStream> s = f.streams();
        assertTrue(s.size() <= original.streams().size(), "more streams than written" + ctx);
        assertEquals(original.streams().subList(0, s.size()), s, "streams are not a prefix" + ctx);
        if (!f.truncated()) {
            assertEquals(original, f, "untruncated decode differs" + ctx);
        }
        int groups = s.isEmpty() ? 0 : s.get(s.size() - 1).endGroup();
        assertEquals(groups, f.groupsPresent());
    }

    /** Returns the QtkFile or the QtkFormatException; fails the test on anything else. */
    static Object outcome(byte[] input, boolean stream) {
        try {
            return stream ? QtkReader.read(new ByteArrayInputStream(input)) : QtkReader.read(input);
        } catch (QtkFormatException e) {
            return e;
        } catch (IOException | RuntimeException | Error e) {
            throw new AssertionError("reader threw " + e + " on " + TestFiles.hex(input), e);
        }
    }

    String summary() {
        return inputs + " inputs: " + decodedComplete + " decoded complete, " + decodedTruncated
                + " decoded progressively (truncated), " + rejected + " rejected with QtkFormatException; slowest "
                + maxNanos / 1000 + " us";
    }
}
