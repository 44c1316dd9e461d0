package io.qtk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** End-to-end tests of the public API with the tiny test model through ONNX Runtime. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QtkApiTest {
    private QtkEncoder encoder;
    private QtkDecoder decoder;

    @BeforeAll
    void open() throws Exception {
        encoder = QtkEncoder.create(TestModels.config(0));
        decoder = QtkDecoder.create(TestModels.config(0));
    }

    @AfterAll
    void close() {
        encoder.close();
        decoder.close();
    }

    private byte[] enc(BufferedImage img) throws Exception {
        return encoder.encode(img, TestModels.options().quality(1).build());
    }

    private DecodedImage dec(byte[] f) throws Exception {
        return decoder.decode(f, DecodeOptions.DEFAULT);
    }

    @Test
    void oddSizesRoundTrip() throws Exception {
        for (int[] s : new int[][] {{1, 1}, {17, 3}, {3, 17}, {64, 48}, {101, 67}, {16384, 2}, {2, 16384}}) {
            BufferedImage img = TestModels.synthetic(s[0], s[1], BufferedImage.TYPE_3BYTE_BGR);
            byte[] f = enc(img);
            QtkInfo info = Qtk.info(f);
            assertEquals(s[0], info.width());
            assertEquals(s[1], info.height());
            assertEquals(TestModels.name(), info.modelName());
            assertEquals("grid", info.quantiser());
            DecodedImage d = dec(f);
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, d.image().getType());
            assertEquals(s[0], d.image().getWidth());
            assertEquals(s[1], d.image().getHeight());
            assertEquals(info.groupsCoded(), d.groupsDecoded());
            if (s[0] >= 64 && s[1] >= 48) { // tiny or 2-px-thin images are mostly padding: size checks only
                double p = TestModels.psnr(img, d.image());
                assertTrue(p > 20, s[0] + "x" + s[1] + " psnr " + p);
            }
        }
    }

    @Test
    void wideImageInManyTilesHasNoSeams() throws Exception {
        BufferedImage img = TestModels.synthetic(4097, 33, BufferedImage.TYPE_3BYTE_BGR);
        EncodeOptions o = TestModels.options().quality(1).build();
        byte[] whole = encoder.encode(img, o);
        try (QtkEncoder tiledEnc = QtkEncoder.create(TestModels.config(64 * 64));
                QtkDecoder tiledDec = QtkDecoder.create(TestModels.config(64 * 64))) {
            byte[] tiled = tiledEnc.encode(img, o);
            BufferedImage a = dec(whole).image();
            BufferedImage b = tiledDec.decode(tiled, DecodeOptions.DEFAULT).image();
            BufferedImage c = tiledDec.decode(whole, DecodeOptions.DEFAULT).image();
            System.out.printf("4097x33: whole %d bytes, %d-px tiles %d bytes; PSNR tiled vs whole encode+decode %.2f dB, "
                    + "tiled decode of the same file %.2f dB, vs source %.2f dB%n", whole.length, 64 * 64,
                    tiled.length, TestModels.psnr(a, b), TestModels.psnr(a, c), TestModels.psnr(img, b));
            // Tiling is a run-time detail: the result may differ only by float rounding.
            assertTrue(TestModels.psnr(a, b) > 45, "tiled vs whole: " + TestModels.psnr(a, b));
            assertTrue(TestModels.psnr(a, c) > 45, "tiled decode of the same file: " + TestModels.psnr(a, c));
            assertTrue(TestModels.psnr(img, b) > 20);
        }
    }

    @Test
    void grayStaysGrayAndAlphaIsBitExact() throws Exception {
        BufferedImage gray = TestModels.synthetic(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        DecodedImage g = dec(enc(gray));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.image().getType());
        assertEquals(1, g.info().channels());
        assertTrue(TestModels.psnr(gray, g.image()) > 20);

        BufferedImage rgba = TestModels.synthetic(37, 29, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 29; y++) {
            for (int x = 0; x < 37; x++) {
                int a = (x * 7 + y * 13) & 0xFF;
                rgba.setRGB(x, y, (rgba.getRGB(x, y) & 0xFFFFFF) | (a << 24));
            }
        }
        DecodedImage d = dec(enc(rgba));
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, d.image().getType());
        assertTrue(d.info().hasAlpha());
        for (int y = 0; y < 29; y++) {
            for (int x = 0; x < 37; x++) {
                assertEquals(rgba.getRGB(x, y) >>> 24, d.image().getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
            }
        }

        // gray + alpha -> ABGR with equal colour samples
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(9, 5);
        for (int i = 0; i < 45; i++) {
            r.setPixel(i % 9, i / 9, new int[] {i * 5, 255 - i});
        }
        DecodedImage ga = dec(enc(new BufferedImage(cm, r, false, null)));
        assertEquals(2, ga.info().channels());
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, ga.image().getType());
        int p = ga.image().getRGB(4, 2);
        assertEquals(255 - 22, p >>> 24);
        assertEquals((p >> 16) & 0xFF, p & 0xFF);
    }

    @Test
    void sixteenBitCodesLikeItsEightBitRounding() throws Exception {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(30, 20);
        BufferedImage eight = new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage base = TestModels.synthetic(30, 20, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                int rgb = base.getRGB(x, y);
                int[] v16 = new int[3];
                for (int c = 0; c < 3; c++) {
                    int v8 = (rgb >> (16 - 8 * c)) & 0xFF;
                    v16[c] = Math.min(65535, v8 * 257 + (x % 3) * 40 - 40 + 40); // off the exact 257 multiples
                }
                r.setPixel(x, y, v16);
                int rr = (int) Math.round(v16[0] * 255.0 / 65535);
                int gg = (int) Math.round(v16[1] * 255.0 / 65535);
                int bb = (int) Math.round(v16[2] * 255.0 / 65535);
                eight.setRGB(x, y, (rr << 16) | (gg << 8) | bb);
            }
        }
        BufferedImage sixteen = new BufferedImage(cm, r, false, null);
        byte[] f16 = enc(sixteen);
        byte[] f8 = enc(eight);
        assertEquals(16, Qtk.info(f16).sourceBitDepth());
        assertEquals(8, Qtk.info(f8).sourceBitDepth());
        BufferedImage d16 = dec(f16).image();
        BufferedImage d8 = dec(f8).image();
        assertEquals(99.0, TestModels.psnr(d8, d16), "same samples, same result");
    }

    @Test
    void indexedBecomesRgb() throws Exception {
        byte[] red = new byte[16];
        byte[] green = new byte[16];
        byte[] blue = new byte[16];
        for (int i = 0; i < 16; i++) {
            red[i] = (byte) (i * 16);
            green[i] = (byte) (255 - i * 16);
            blue[i] = (byte) 128;
        }
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(4, 16, red, green, blue));
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                img.getRaster().setSample(x, y, 0, (x / 2) & 15);
            }
        }
        DecodedImage d = dec(enc(img));
        assertEquals(3, d.info().channels());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, d.image().getType());
        assertTrue(TestModels.psnr(img, d.image()) > 15);
    }

    @Test
    void metadataIsCarriedVerbatim() throws Exception {
        byte[] exif = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] xmp = "<?xpacket begin=\"\ufeff\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\u00e9</x:xmpmeta>"
                .getBytes(StandardCharsets.UTF_8);
        ImageMetadata m = ImageMetadata.builder().icc(icc).exif(exif).xmp(xmp).comment("caf\u00e9 \u263a")
                .orientation(8).build();
        BufferedImage img = TestModels.synthetic(20, 20, BufferedImage.TYPE_3BYTE_BGR);
        byte[] f = encoder.encode(img, m, TestModels.options().build(), ProgressListener.NONE);
        DecodedImage d = dec(f);
        assertArrayEquals(icc, d.metadata().icc());
        assertArrayEquals(exif, d.metadata().exif());
        assertArrayEquals(xmp, d.metadata().xmp());
        assertEquals(m, d.metadata());
        assertEquals(8, d.info().orientation());

        // An image in a non-sRGB ICC colour space carries that profile when no metadata names one.
        ColorModel lin = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage li = new BufferedImage(lin, lin.createCompatibleWritableRaster(8, 8), false, null);
        assertArrayEquals(icc, dec(enc(li)).metadata().icc());

        // Streams API: same bytes through OutputStream / InputStream.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(img, m, TestModels.options().build(), out);
        assertArrayEquals(f, out.toByteArray());
        DecodedImage ds = decoder.decode(new ByteArrayInputStream(f), DecodeOptions.DEFAULT);
        assertEquals(f.length, ds.info().fileBytes());
        assertEquals(m, ds.metadata());
    }

    @Test
    void truncatedFilesDecodeProgressively() throws Exception {
        BufferedImage img = TestModels.synthetic(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        byte[] full = encoder.encode(img, TestModels.options().quality(1).groupsPerStream(1).build());
        QtkInfo fi = Qtk.info(full);
        int groups = fi.groupsCoded();
        assertTrue(groups >= 2, "test model needs several groups");
        double prev = 0;
        int prevGroups = -1;
        int seen = 0;
        for (int cut = 40; cut <= full.length; cut += Math.max(1, full.length / 60)) {
            byte[] part = Arrays.copyOf(full, cut);
            QtkInfo info;
            try {
                info = Qtk.info(part);
            } catch (QtkFormatException e) {
                continue; // cut inside the header
            }
            if (info.groupsPresent() == 0 || info.groupsPresent() == prevGroups) {
                continue;
            }
            DecodedImage d = dec(part);
            assertEquals(info.groupsPresent(), d.groupsDecoded());
            assertTrue(info.truncated() || cut == full.length);
            double p = TestModels.psnr(img, d.image());
            assertTrue(p >= prev - 1e-9, "PSNR fell from " + prev + " to " + p + " at " + info.groupsPresent());
            prev = p;
            prevGroups = info.groupsPresent();
            seen++;
        }
        assertTrue(seen >= 2, "saw " + seen + " distinct prefixes");
        // maxGroups decodes the same as a truncated prefix
        DecodedImage one = decoder.decode(full, DecodeOptions.builder().maxGroups(1).build());
        assertEquals(1, one.groupsDecoded());
        QtkFile f = QtkReader.read(full);
        byte[] firstStream = QtkWriter.toBytes(f.prefix(1));
        assertEquals(99.0, TestModels.psnr(one.image(), dec(firstStream).image()));
    }

    @Test
    void rateControlRespectsTargets() throws Exception {
        BufferedImage img = TestModels.synthetic(128, 96, BufferedImage.TYPE_3BYTE_BGR);
        byte[] best = encoder.encode(img, TestModels.options().quality(1).build());
        byte[] worst = encoder.encode(img, TestModels.options().quality(0).build());
        assertTrue(worst.length < best.length);
        assertEquals(1, Qtk.info(worst).groupsCoded());
        for (long target : new long[] {worst.length, (worst.length + best.length) / 2, best.length - 1, best.length,
            1_000_000}) {
            byte[] f = encoder.encode(img, TestModels.options().targetBytes(target).build());
            assertTrue(f.length <= target, f.length + " > " + target);
        }
        byte[] tiny = encoder.encode(img, TestModels.options().targetBytes(5).build());
        assertArrayEquals(worst, tiny, "lowest point when nothing fits");
        double bpp = 8.0 * best.length / (128 * 96);
        assertArrayEquals(best, encoder.encode(img, TestModels.options().targetBpp(bpp).build()));
        // quality is monotone
        long prev = 0;
        for (double q = 0; q <= 1.0001; q += 0.1) {
            long n = encoder.encode(img, TestModels.options().quality(Math.min(1, q)).build()).length;
            assertTrue(n >= prev);
            prev = n;
        }
    }

    @Test
    void unknownModelsFailWithTheirIdentity() throws Exception {
        Exception e = assertThrows(io.qtk.model.ModelNotFoundException.class,
                () -> encoder.encode(TestModels.synthetic(8, 8, BufferedImage.TYPE_3BYTE_BGR),
                        EncodeOptions.builder().model("no-such-model").build()));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());

        byte[] f = enc(TestModels.synthetic(8, 8, BufferedImage.TYPE_3BYTE_BGR));
        QtkFile file = QtkReader.read(f).prefix(1);
        String sha = "0123456789abcdef".repeat(4);
        QtkFile other = QtkFile.builder(file.header().toBuilder().model(ModelId.of("qtk-gone", "7", sha)).build())
                .metadata(file.metadata()).addStream(file.streams().get(0)).build();
        byte[] alien = QtkWriter.toBytes(other);
        QtkInfo info = Qtk.info(alien);
        assertEquals("qtk-gone", info.modelName());
        Exception d = assertThrows(io.qtk.model.ModelNotFoundException.class, () -> dec(alien));
        for (String part : List.of("qtk-gone", "7", sha)) {
            assertTrue(d.getMessage().contains(part), d.getMessage());
        }
    }

    @Test
    void modelsListAndLifecycle() throws Exception {
        List<ModelDescription> models = encoder.models();
        assertTrue(models.stream().anyMatch(m -> m.name().equals(TestModels.name())), models.toString());
        assertTrue(models.get(0).source().startsWith("classpath:"), "embedded first: " + models);
        QtkEncoder e = QtkEncoder.create(TestModels.config(0));
        e.close();
        e.close(); // idempotent
        assertThrows(IllegalStateException.class,
                () -> e.encode(TestModels.synthetic(4, 4, BufferedImage.TYPE_3BYTE_BGR), EncodeOptions.DEFAULT));
        // the one-liners use the default (embedded) model
        BufferedImage img = TestModels.synthetic(24, 16, BufferedImage.TYPE_3BYTE_BGR);
        byte[] f = Qtk.encode(img);
        assertNotNull(Qtk.decode(f));
        assertEquals(models.get(0).name(), Qtk.info(f).modelName());
        assertFalse(Qtk.info(f).truncated());
    }

    @Test
    void regionDecodeAndCancellation() throws Exception {
        BufferedImage img = TestModels.synthetic(80, 60, BufferedImage.TYPE_3BYTE_BGR);
        byte[] f = enc(img);
        BufferedImage full = dec(f).image();
        BufferedImage part = decoder.decode(f, DecodeOptions.builder().region(new java.awt.Rectangle(20, 10, 30, 40))
                .build()).image();
        assertEquals(30, part.getWidth());
        double p = TestModels.psnr(full.getSubimage(20, 10, 30, 40), part);
        assertTrue(p > 45, "region vs crop " + p);
        assertThrows(QtkCancelledException.class,
                () -> decoder.decode(f, DecodeOptions.DEFAULT, TestModels.CANCELLED));
        List<Float> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        decoder.decode(f, DecodeOptions.DEFAULT, seen::add);
        encoder.encode(img, ImageMetadata.EMPTY, TestModels.options().build(), seen::add);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1) || seen.get(i) == 0f, "progress " + seen);
        }
        assertEquals(1f, seen.get(seen.size() - 1));
        assertThrows(QtkCancelledException.class,
                () -> encoder.encode(img, ImageMetadata.EMPTY, EncodeOptions.DEFAULT, TestModels.CANCELLED));
    }
}
