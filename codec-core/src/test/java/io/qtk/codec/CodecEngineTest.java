package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkInfo;
import io.qtk.TestModels;
import io.qtk.format.QtkFormatException;
import io.qtk.image.SourceImageTestAccess;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The whole file path (pixels, tiles, quantiser, entropy, container, rate control) with a pure-Java model. */
class CodecEngineTest {
    private final CodecEngine engine = new CodecEngine(new FakeModels(), 32 * 32 * 4);

    private byte[] enc(BufferedImage img, EncodeOptions o) throws Exception {
        return engine.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
    }

    private DecodedImage dec(byte[] f, DecodeOptions o) throws Exception {
        return engine.decode(f, o, ProgressListener.NONE);
    }

    @Test
    void streamLayoutCutsAtLadderPoints() {
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2}, CodecEngine.streamLayout(new int[] {1, 2, 3, 4, 6, 8}, 8, 0));
        assertArrayEquals(new int[] {1, 1, 2, 2, 2}, CodecEngine.streamLayout(new int[] {1, 2, 4, 8}, 8, 2));
        assertArrayEquals(new int[] {1, 2, 1, 3}, CodecEngine.streamLayout(new int[] {1, 3, 4, 7}, 7, 0));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, CodecEngine.streamLayout(new int[] {1, 7}, 7, 1));
    }

    @Test
    void oddSizesRoundTripAndInfo() throws Exception {
        for (int[] s : new int[][] {{1, 1}, {17, 3}, {130, 33}, {3, 70}}) {
            BufferedImage img = GridPipelineTest.gradient(s[0], s[1]);
            byte[] f = enc(img, EncodeOptions.builder().quality(1).build());
            QtkInfo info = CodecEngine.info(f);
            assertEquals(s[0], info.width());
            assertEquals(s[1], info.height());
            assertEquals(3, info.channels());
            assertEquals(2, info.groupsCoded());
            assertEquals(2, info.groupsPresent());
            assertFalse(info.truncated());
            DecodedImage d = dec(f, DecodeOptions.DEFAULT);
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, d.image().getType());
            assertEquals(s[0], d.image().getWidth());
            assertEquals(s[1], d.image().getHeight());
            assertEquals(2, d.groupsDecoded());
            assertTrue(TestModels.psnr(img, d.image()) > 8, "psnr " + TestModels.psnr(img, d.image()));
        }
    }

    @Test
    void alphaIsBitExactAndGrayStaysGray() throws Exception {
        BufferedImage rgba = SourceImageTestAccess.randomImage(BufferedImage.TYPE_INT_ARGB, 41, 23, 9);
        DecodedImage d = dec(enc(rgba, EncodeOptions.DEFAULT), DecodeOptions.DEFAULT);
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, d.image().getType());
        assertEquals(4, d.info().channels());
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 41; x++) {
                assertEquals(rgba.getRGB(x, y) >>> 24, d.image().getRGB(x, y) >>> 24);
            }
        }
        BufferedImage gray = new BufferedImage(20, 9, BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawLine(0, 0, 19, 8);
        DecodedImage g = dec(enc(gray, EncodeOptions.DEFAULT), DecodeOptions.DEFAULT);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.image().getType());
        assertEquals(1, g.info().channels());
    }

    @Test
    void metadataIsCarriedVerbatim() throws Exception {
        byte[] exif = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0};
        byte[] icc = new byte[200];
        Arrays.fill(icc, (byte) 7);
        ImageMetadata m = ImageMetadata.builder().icc(icc).exif(exif)
                .xmp("<x:xmpmeta>\u00e9</x:xmpmeta>".getBytes(StandardCharsets.UTF_8)).comment("hello \u263a")
                .orientation(6).build();
        BufferedImage img = GridPipelineTest.gradient(10, 10);
        byte[] f = engine.encode(img, m, EncodeOptions.DEFAULT, ProgressListener.NONE);
        DecodedImage d = dec(f, DecodeOptions.DEFAULT);
        assertEquals(m, d.metadata());
        assertEquals(6, d.info().orientation());
        byte[] stripped = engine.encode(img, m, EncodeOptions.builder().keepMetadata(false).build(),
                ProgressListener.NONE);
        assertEquals(ImageMetadata.builder().orientation(6).build(), dec(stripped, DecodeOptions.DEFAULT).metadata());
        assertTrue(stripped.length < f.length);
    }

    @Test
    void rateControlTruncationAndMaxGroups() throws Exception {
        BufferedImage img = GridPipelineTest.gradient(64, 48);
        CodecEngine.Encoded e = engine.encodeAll(img, ImageMetadata.EMPTY, EncodeOptions.DEFAULT,
                ProgressListener.NONE);
        long s1 = e.sizeFor(1);
        long s2 = e.sizeFor(2);
        assertTrue(s1 < s2);
        byte[] small = enc(img, EncodeOptions.builder().targetBytes(s2 - 1).build());
        assertEquals(s1, small.length);
        assertEquals(1, CodecEngine.info(small).groupsCoded());
        byte[] exact = enc(img, EncodeOptions.builder().targetBytes(s2).build());
        assertEquals(s2, exact.length);
        byte[] tiny = enc(img, EncodeOptions.builder().targetBytes(10).build());
        assertEquals(s1, tiny.length, "lowest point when nothing fits");
        byte[] bpp = enc(img, EncodeOptions.builder().targetBpp(8.0 * s2 / (64 * 48)).build());
        assertEquals(s2, bpp.length);
        assertEquals(1, CodecEngine.info(enc(img, EncodeOptions.builder().quality(0).build())).groupsCoded());

        // truncation: cut the full file inside its last stream -> decodes at 1 group
        byte[] full = exact;
        byte[] cut = Arrays.copyOf(full, full.length - 20);
        QtkInfo ci = CodecEngine.info(cut);
        assertTrue(ci.truncated());
        assertEquals(1, ci.groupsPresent());
        DecodedImage dc = dec(cut, DecodeOptions.DEFAULT);
        assertEquals(1, dc.groupsDecoded());
        DecodedImage d1 = dec(full, DecodeOptions.builder().maxGroups(1).build());
        assertEquals(1, d1.groupsDecoded());
        DecodedImage d2 = dec(full, DecodeOptions.DEFAULT);
        assertEquals(2, d2.groupsDecoded());
        assertEquals(TestModels.psnr(d1.image(), dc.image()), 99.0);
        assertTrue(TestModels.psnr(img, d2.image()) > TestModels.psnr(img, d1.image()));
    }

    @Test
    void regionDecode() throws Exception {
        BufferedImage img = GridPipelineTest.gradient(90, 50);
        byte[] f = enc(img, EncodeOptions.DEFAULT);
        BufferedImage full = dec(f, DecodeOptions.DEFAULT).image();
        BufferedImage part = dec(f, DecodeOptions.builder().region(new Rectangle(30, 10, 100, 20)).build()).image();
        assertEquals(60, part.getWidth());
        assertEquals(20, part.getHeight());
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 60; x++) {
                assertEquals(full.getRGB(30 + x, 10 + y), part.getRGB(x, y));
            }
        }
        assertThrows(io.qtk.QtkException.class,
                () -> dec(f, DecodeOptions.builder().region(new Rectangle(200, 0, 5, 5)).build()));
    }

    @Test
    void garbageIsAFormatError() {
        assertThrows(QtkFormatException.class, () -> dec(new byte[] {1, 2, 3}, DecodeOptions.DEFAULT));
        assertThrows(QtkFormatException.class, () -> CodecEngine.info(new byte[40]));
    }
}
