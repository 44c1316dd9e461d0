package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders and value types reject what the format cannot hold (IllegalArgumentException) and stay immutable. */
class ApiValidationTest {
    static final ModelId MODEL = ModelId.of("qtk-grid-f16", "1", new byte[32]);

    static QtkHeader.Builder base() {
        return QtkHeader.builder().size(100, 50).channels(Channels.RGB).model(MODEL)
                .quantiser(new GridLayout(16, 8, 256, 4)).streamLayout(2, 2);
    }

    static void iae(String phrase, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(phrase), "\"" + e.getMessage() + "\" lacks \"" + phrase + "\"");
    }

    @Test
    void headerRules() {
        QtkHeader h = base().build();
        assertEquals(7, h.tokenColumns());
        assertEquals(4, h.tokenRows());
        assertEquals(28, h.tokensPerGroup());
        assertEquals(4, h.groupsCoded());
        assertEquals(List.of(2, 2), h.streamLayout());
        assertEquals(2, h.streamFirstGroup(1));
        assertEquals(8, h.codedBitDepth());
        iae("width 0 out of range 1..16777216", () -> base().size(0, 5).build());
        iae("height 16777217 out of range", () -> base().size(5, (1 << 24) + 1).build());
        iae("width*height 2147516416 exceeds 2147483648", () -> base().size(65537, 32768).build());
        iae("source bit depth 12 is not 8 or 16", () -> base().sourceBitDepth(12).build());
        iae("orientation 9 out of range 1..8", () -> base().orientation(9).build());
        iae("orientation 0 out of range", () -> base().orientation(0).build());
        iae("stream count 0 out of range 1..8", () -> base().streamLayout().build());
        iae("stream 1 group count 0 out of range", () -> base().streamLayout(1, 0).build());
        iae("groups coded 9 out of range 1..8", () -> base().streamLayout(4, 5).build());
        assertThrows(NullPointerException.class, () -> QtkHeader.builder().size(1, 1).build());
        assertEquals(h, h.toBuilder().build());
        assertEquals(List.of(2), h.prefix(1).streamLayout());
        QtkHeader global = base().quantiser(new GlobalLayout(32, 16, 1024, 8)).build();
        assertEquals(4, global.tokenColumns());
        assertEquals(2, global.tokenRows());
    }

    @Test
    void layoutAndModelRules() {
        iae("grid factor f 0 out of range 1..65535", () -> new GridLayout(0, 1, 2, 1));
        iae("groups G 65536 out of range", () -> new GridLayout(1, 65536, 2, 1));
        iae("codebook size K 1 out of range 2..65536", () -> new GridLayout(1, 1, 1, 1));
        iae("codebook size K 65537 out of range", () -> new GlobalLayout(1, 1, 65537, 1));
        iae("codeword dim d 1025 out of range 1..1024", () -> new GlobalLayout(1, 1, 2, 1025));
        iae("tokens N 0 out of range", () -> new GlobalLayout(1, 0, 2, 1));
        iae("tile size T 0", () -> new GlobalLayout(0, 1, 2, 1));
        iae("does not match [a-z0-9][a-z0-9._-]{0,63}", () -> ModelId.of("Upper", "1", new byte[32]));
        iae("does not match", () -> ModelId.of("-lead", "1", new byte[32]));
        iae("does not match", () -> ModelId.of("a".repeat(65), "1", new byte[32]));
        ModelId.of("a".repeat(64), "v".repeat(32), new byte[32]);
        iae("model version", () -> ModelId.of("a", "", new byte[32]));
        iae("model version", () -> ModelId.of("a", "v".repeat(33), new byte[32]));
        iae("model version", () -> ModelId.of("a", "1 0", new byte[32]));
        iae("32 bytes", () -> ModelId.of("a", "1", new byte[31]));
        byte[] sha = new byte[32];
        ModelId m = ModelId.of("a", "1", sha);
        sha[0] = 1;
        assertEquals(0, m.sha256()[0], "defensive copy");
        m.sha256()[0] = 5;
        assertEquals(0, m.sha256()[0]);
        assertEquals(m, ModelId.of("a", "1", "00".repeat(32)));
    }

    @Test
    void chunkTypeBits() {
        assertTrue(ChunkType.QHDR.isCritical());
        assertTrue(ChunkType.QHDR.isPublic());
        assertTrue(ChunkType.QHDR.isReservedBitValid());
        assertFalse(ChunkType.QHDR.isSafeToCopy());
        assertFalse(ChunkType.EXIF.isCritical());
        assertTrue(ChunkType.EXIF.isSafeToCopy());
        assertFalse(ChunkType.ICCP.isSafeToCopy());
        ChunkType priv = ChunkType.of("zqXt");
        assertFalse(priv.isPublic());
        assertFalse(ChunkType.of("abcd").isReservedBitValid());
        assertEquals("QTOK", ChunkType.QTOK.name());
        assertEquals(ChunkType.QTOK, ChunkType.of("QTOK"));
        iae("4 letters", () -> ChunkType.of("QTO"));
        iae("ASCII letters", () -> ChunkType.of("QT0K"));
        for (ChunkType t : new ChunkType[] {ChunkType.QHDR, ChunkType.QALP, ChunkType.QTOK, ChunkType.QEND,
            ChunkType.ICCP, ChunkType.EXIF, ChunkType.XMPD, ChunkType.CMNT}) {
            assertTrue(t.isPublic() && t.isReservedBitValid(), t.name());
        }
    }

    @Test
    void metadataRules() {
        iae("ICC profile length 0", () -> ImageMetadata.builder().icc(new byte[0]));
        iae("EXIF block of 4 bytes", () -> ImageMetadata.builder().exif(new byte[] {'I', 'I', 42, 0}));
        iae("TIFF header", () -> ImageMetadata.builder().exif("Exif\0\0MM\0*".getBytes()));
        iae("comment length 0", () -> ImageMetadata.builder().comment(""));
        iae("comment length 1048577", () -> ImageMetadata.builder().comment("x".repeat((1 << 20) + 1)));
        iae("unpaired surrogate", () -> ImageMetadata.builder().xmp("a\uD800b"));
        byte[] icc = {1, 2, 3};
        ImageMetadata m = ImageMetadata.builder().icc(icc).comment("\uD83D\uDE00").build();
        icc[0] = 9;
        assertEquals(1, m.icc().get()[0]);
        assertTrue(ImageMetadata.EMPTY.isEmpty());
        assertEquals(m, m.toBuilder().build());
        assertEquals(ImageMetadata.EMPTY, m.toBuilder().icc(null).comment(null).build());
    }

    @Test
    void streamsAndFileRules() throws IOException {
        iae("coder id 16 out of range 0..15", () -> TokenStream.of(0, 16, List.of(new byte[0])));
        iae("group count 0 out of range", () -> TokenStream.of(0, 0, List.of()));
        iae("first group 65535 out of range", () -> TokenStream.of(65535, 0, List.of(new byte[0])));
        byte[] p = {1, 2, 3};
        TokenStream t = TokenStream.of(4, 1, List.of(p, new byte[0]));
        p[0] = 7;
        assertArrayEquals(new byte[] {1, 2, 3}, t.payload(0));
        ByteBuffer bb = t.payloadBuffer(0);
        assertTrue(bb.isReadOnly());
        assertEquals(3, bb.remaining());
        assertEquals(1, bb.get(0));
        assertEquals(0, t.payloadLength(1));
        assertEquals(6, t.endGroup());
        assertEquals(5 + 4 + 3 + 4, t.chunkDataLength());

        QtkHeader h = base().build();
        iae("header has 2 streams, 1 added", () -> QtkFile.builder(h).addStream(0, List.of(p, p)).build());
        iae("stream 1 holds groups 2+1", () -> QtkFile.builder(h).addStream(0, List.of(p, p))
                .addStream(0, List.of(p)).build());
        iae("stream 0 holds groups 1+2", () -> QtkFile.builder(h).addStream(TokenStream.of(1, 0, List.of(p, p)))
                .addStream(0, List.of(p, p)).build());
        iae("channels RGB have no alpha plane", () -> QtkFile.builder(h).alpha(AlphaPlane.of(100, 50,
                new byte[5000])).addStream(0, List.of(p, p)).addStream(0, List.of(p, p)).build());
        QtkHeader rgba = base().channels(Channels.RGBA).build();
        iae("channels RGBA need an alpha plane", () -> QtkFile.builder(rgba).addStream(0, List.of(p, p))
                .addStream(0, List.of(p, p)).build());
        iae("does not match image 100x50", () -> QtkFile.builder(rgba).alpha(AlphaPlane.of(50, 100,
                new byte[5000])).addStream(0, List.of(p, p)).addStream(0, List.of(p, p)).build());

        QtkFile f = QtkFile.builder(h).addStream(0, List.of(p, p)).addStream(3, List.of(p, p)).build();
        byte[] b = QtkWriter.toBytes(f);
        QtkFile cut = QtkReader.read(java.util.Arrays.copyOf(b, b.length - 20));
        assertTrue(cut.truncated());
        iae("cannot write a truncated file", () -> QtkWriter.toBytes(cut));
        QtkFile repaired = cut.prefix(1);
        assertFalse(repaired.truncated());
        assertEquals(2, repaired.header().groupsCoded());
        assertEquals(repaired, QtkReader.read(QtkWriter.toBytes(repaired)));
        iae("stream prefix 2 out of range 1..1", () -> cut.prefix(2));
        assertThrows(UnsupportedOperationException.class, () -> f.streams().add(t));
    }

    @Test
    void largeStreamsAreRejectedByTheBuilderNotTheWriter() {
        byte[] half = new byte[1 << 19];
        List<byte[]> big = new ArrayList<>();
        for (int i = 0; i < 2048; i++) {
            big.add(half); // 2048 * 512 KiB + 5 + 4 * 2048 bytes: just over 1 GiB, checked before any copy
        }
        iae("exceeds the chunk limit", () -> TokenStream.of(0, 0, big));
    }
}
