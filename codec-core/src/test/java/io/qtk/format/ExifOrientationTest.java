package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {
    /** A TIFF header + IFD0 with a DateTime-like entry first (so the tag is not always entry 0), then Orientation. */
    static byte[] exif(int orientation, boolean littleEndian) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 24 + 4);
        b.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 2);
        b.putShort((short) 0x0110).putShort((short) 2).putInt(4).putInt(0x41424300); // Model "ABC"
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    @Test
    void readsBothByteOrders() {
        for (int o = 1; o <= 8; o++) {
            assertEquals(o, ExifOrientation.read(exif(o, true)));
            assertEquals(o, ExifOrientation.read(exif(o, false)));
        }
    }

    @Test
    void brokenBlocksGiveZeroNotAnException() {
        assertEquals(0, ExifOrientation.read(null));
        assertEquals(0, ExifOrientation.read(new byte[0]));
        assertEquals(0, ExifOrientation.read("XX*\0\0\0\0\u0008".getBytes(StandardCharsets.ISO_8859_1)), "no II/MM");
        byte[] notTiff = exif(3, false);
        notTiff[3] = 43;
        assertEquals(0, ExifOrientation.read(notTiff), "magic is not 42");
        assertEquals(0, ExifOrientation.read(Arrays.copyOf(exif(3, true), 30)), "IFD cut before the tag");
        byte[] badOffset = exif(3, false);
        badOffset[7] = 100;
        assertEquals(0, ExifOrientation.read(badOffset), "IFD0 past the end");
        byte[] hugeCount = exif(3, true);
        hugeCount[8] = (byte) 0xFF;
        hugeCount[9] = (byte) 0xFF;
        hugeCount[22] = 0; // the second entry's tag no longer reads 0x0112
        assertEquals(0, ExifOrientation.read(hugeCount), "65535 entries declared in a 38-byte block");
        ByteBuffer none = ByteBuffer.allocate(14).put(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0});
        assertEquals(0, ExifOrientation.read(none.array()), "no entries");
    }

    @Test
    void minimalExifCarriesOnlyTheOrientation() {
        for (int o = 1; o <= 8; o++) {
            byte[] m = ExifOrientation.minimalExif(o);
            assertEquals(26, m.length);
            assertEquals(o, ExifOrientation.read(m));
        }
        assertArrayEquals(ExifOrientation.minimalExif(6), GoldenVectors.exifOrientation6());
        assertThrows(IllegalArgumentException.class, () -> ExifOrientation.minimalExif(0));
        assertThrows(IllegalArgumentException.class, () -> ExifOrientation.minimalExif(9));
    }
}
