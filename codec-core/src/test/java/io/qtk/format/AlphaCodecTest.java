package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The alpha-plane codec: lossless, bounded, strict. */
class AlphaCodecTest {

    @Property(tries = 200)
    void losslessRoundTrip(@ForAll @IntRange(min = 1, max = 200) int w, @ForAll @IntRange(min = 1, max = 200) int h,
                           @ForAll long seed) throws QtkFormatException {
        byte[] a = TestFiles.alphaSamples(new Random(seed), w, h);
        byte[] data = AlphaCodec.encode(a, w, h);
        assertEquals(AlphaCodec.METHOD_DELTA_ZLIB, data[0]);
        assertArrayEquals(a, AlphaCodec.decode(data, w, h));
        int[] rows = {0};
        AlphaCodec.decode(data, w, h, (y, row) -> {
            assertEquals(rows[0]++, y);
            assertEquals(w, row.length);
            for (int x = 0; x < w; x++) {
                assertEquals(a[y * w + x], row[x]);
            }
        });
        assertEquals(h, rows[0]);
        AlphaPlane p = AlphaPlane.of(w, h, a);
        assertArrayEquals(a, p.decode());
    }

    @Test
    void wrongSizeIsRejected() {
        byte[] data = AlphaCodec.encode(new byte[12], 4, 3);
        assertThrows(QtkFormatException.class, () -> AlphaCodec.decode(data, 4, 4));
        assertThrows(QtkFormatException.class, () -> AlphaCodec.decode(data, 11, 1));
        assertThrows(IllegalArgumentException.class, () -> AlphaCodec.encode(new byte[12], 5, 3));
    }

    @Test
    void sixteenBitConversion() {
        for (int a = 0; a < 256; a++) {
            assertEquals(a, AlphaCodec.reduce16(AlphaCodec.expand8(a)));
        }
        for (int a16 = 0; a16 < 65536; a16++) {
            int r = AlphaCodec.reduce16(a16);
            // nearest 8-bit level
            double exact = a16 * 255.0 / 65535.0;
            assertTrue(Math.abs(r - exact) <= 0.5 + 1e-9, a16 + " -> " + r);
        }
        assertEquals(0, AlphaCodec.reduce16(128));
        assertEquals(1, AlphaCodec.reduce16(129));
        assertThrows(IllegalArgumentException.class, () -> AlphaCodec.reduce16(65536));
        AlphaPlane p = AlphaPlane.of16(2, 1, new char[] {0, 65535});
        assertArrayEquals(new byte[] {0, (byte) 255}, p.decode());
    }

    @Test
    void filterIsLeftDeltaPerRow() throws QtkFormatException {
        // a horizontal ramp filters to a constant, which is what makes it compress
        int w = 256;
        byte[] ramp = new byte[w * 4];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (i % w);
        }
        byte[] data = AlphaCodec.encode(ramp, w, 4);
        assertTrue(data.length < 40, "ramp compressed to " + data.length);
        byte[] stored = GoldenVectors.storedZlib(new byte[] {10, 5, (byte) 251, 20, 0, 1});
        byte[] out = AlphaCodec.decode(TestFiles.concat(new byte[] {0}, stored), 3, 2);
        assertArrayEquals(new byte[] {10, 15, 10, 20, 20, 21}, out);
    }
}
