package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkException;
import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import io.qtk.format.Channels;
import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import io.qtk.format.TokenStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Payload content per coder id ({@code qtk-format.md} 9.2): the raw packing, the coders' parameters, the rules. */
class TokenCodingTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static int[] decode(int coder, byte[] b, int n, int k, FrequencyTable t) throws EntropyCodingException {
        int[] out = new int[n];
        TokenCoding.decode(coder, b, 0, b.length, out, 0, n, k, t);
        return out;
    }

    @Test
    void rawBitsAndLengths() {
        assertEquals(1, TokenCoding.rawBits(2));
        assertEquals(2, TokenCoding.rawBits(3));
        assertEquals(2, TokenCoding.rawBits(4));
        assertEquals(3, TokenCoding.rawBits(5));
        assertEquals(4, TokenCoding.rawBits(16));
        assertEquals(5, TokenCoding.rawBits(17));
        assertEquals(8, TokenCoding.rawBits(256));
        assertEquals(9, TokenCoding.rawBits(257));
        assertEquals(16, TokenCoding.rawBits(65535));
        assertEquals(16, TokenCoding.rawBits(65536));
        assertEquals(0, TokenCoding.rawLength(0, 16));
        assertEquals(8, TokenCoding.rawLength(15, 16));
        assertEquals(2, TokenCoding.rawLength(3, 5));
        assertEquals(2L * 5, TokenCoding.rawLength(5, 65536));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.rawBits(1));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.rawBits(65537));
    }

    /** The worked examples of the spec (qtk-format.md 9.2). */
    @Test
    void rawWorkedExamples() throws EntropyCodingException {
        assertArrayEquals(hex("1A F0"), TokenCoding.encode(0, new int[] {1, 10, 15}, 16, null));
        assertArrayEquals(hex("81 80"), TokenCoding.encode(0, new int[] {4, 0, 3}, 5, null));
        assertArrayEquals(hex("B0"), TokenCoding.encode(0, new int[] {1, 0, 1, 1}, 2, null));
        assertArrayEquals(hex("01 2C FF FF"), TokenCoding.encode(0, new int[] {300, 65535}, 65536, null));
        assertArrayEquals(new int[] {1, 10, 15}, decode(0, hex("1A F0"), 3, 16, null));
        assertArrayEquals(new int[] {4, 0, 3}, decode(0, hex("81 80"), 3, 5, null));
        assertArrayEquals(new int[0], decode(0, new byte[0], 0, 16, null));
    }

    @Test
    void rawRoundTripsForEveryWidth() throws EntropyCodingException {
        Random r = new Random(7);
        for (int k : new int[] {2, 3, 4, 5, 7, 16, 17, 100, 255, 256, 257, 1000, 4096, 40000, 65535, 65536}) {
            for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 63, 100}) {
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i % 5 == 0 ? k - 1 : r.nextInt(k);
                }
                byte[] b = TokenCoding.encode(0, x, k, null);
                assertEquals(TokenCoding.rawLength(n, k), b.length);
                assertArrayEquals(x, decode(0, b, n, k, null), "K=" + k + " n=" + n);
                // reference: the bit string written one bit at a time
                int bits = TokenCoding.rawBits(k);
                byte[] ref = new byte[b.length];
                int at = 0;
                for (int v : x) {
                    for (int j = bits - 1; j >= 0; j--, at++) {
                        ref[at >> 3] |= (byte) (((v >> j) & 1) << (7 - (at & 7)));
                    }
                }
                assertArrayEquals(ref, b, "K=" + k + " n=" + n);
            }
        }
    }

    @Test
    void rawRejectsWrongLengthPaddingAndOutOfRangeIndices() {
        // 3 indices of 4 bits: exactly 2 bytes
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A F0 00"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("1A F1"), 3, 16, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("00"), 0, 16, null));
        // K = 5: 3 bits, values 5..7 are not indices
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("A0"), 1, 5, null));
        assertThrows(EntropyCodingException.class, () -> decode(0, hex("E0"), 1, 5, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(0, new int[] {5}, 5, null));
    }

    @Test
    void staticAndAdaptiveAreTheEntropyCodersWithTheSpecsParameters() throws EntropyCodingException {
        int k = 16;
        FrequencyTable t = FrequencyTable.fromCounts(new long[] {5, 2, 0, 1, 9, 9, 9, 9, 1, 1, 1, 1, 3, 3, 3, 3});
        assertEquals(16, t.totalBits());
        int[] x = new int[500];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(6) == 0 ? r.nextInt(k) : 4 + r.nextInt(4);
        }
        assertArrayEquals(IndexStreamCodec.encode(x, t), TokenCoding.encode(1, x, k, t));
        assertArrayEquals(IndexStreamCodec.encode(x, new AdaptiveModel(k, 32, 65536)),
                TokenCoding.encode(2, x, k, null));
        assertEquals(new AdaptiveModel(65536, 32, 1 << 22), TokenCoding.adaptiveModel(65536));
        assertArrayEquals(x, decode(1, TokenCoding.encode(1, x, k, t), x.length, k, t));
        assertArrayEquals(x, decode(2, TokenCoding.encode(2, x, k, null), x.length, k, null));
        assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(1, x, 17, t));
    }

    @Test
    void reservedCoderIds() {
        assertTrue(TokenCoding.supported(0));
        assertTrue(TokenCoding.supported(1));
        assertTrue(TokenCoding.supported(2));
        for (int id = 3; id <= 15; id++) {
            assertFalse(TokenCoding.supported(id));
            int c = id;
            assertThrows(IllegalArgumentException.class, () -> TokenCoding.encode(c, new int[] {1}, 16, null));
        }
    }

    static QtkFile file(int coder, List<byte[]> payloads) {
        QtkHeader h = QtkHeader.builder().size(8, 4).channels(Channels.GRAY)
                .model(ModelId.of("m", "1", new byte[32])).quantiser(new GridLayout(4, 2, 16, 2))
                .streamLayout(1, 1).build();
        return QtkFile.builder(h).addStream(TokenStream.of(0, 1, List.of(new byte[0])))
                .addStream(TokenStream.of(1, coder, payloads)).build();
    }

    @Test
    void decodeGroupsRefusesReservedCodersAndCorruptPayloads() throws Exception {
        FrequencyTable t = FrequencyTable.uniform(16);
        // 2 positions per group; group 0 is an empty static payload: two zeros
        QtkFile ok = file(0, List.of(hex("F3")));
        IndexGrid g = TokenCoding.decodeGroups(ok, 2, x -> t);
        assertArrayEquals(new int[] {0, 0}, g.group(0));
        assertArrayEquals(new int[] {15, 3}, g.group(1));
        // a prefix never reads later streams, whatever they hold
        assertEquals(1, TokenCoding.decodeGroups(file(9, List.of(hex("00"))), 1, x -> t).groups());
        QtkException reserved = assertThrows(QtkException.class,
                () -> TokenCoding.decodeGroups(file(9, List.of(hex("00"))), 2, x -> t));
        assertTrue(reserved.getMessage().contains("coder id 9"), reserved.getMessage());
        QtkFormatException corrupt = assertThrows(QtkFormatException.class,
                () -> TokenCoding.decodeGroups(file(0, List.of(hex("F3 00"))), 2, x -> t));
        assertTrue(corrupt.getMessage().contains("group 1"), corrupt.getMessage());
    }
}
