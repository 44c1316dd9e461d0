package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;

import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageWriteParam;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import org.junit.jupiter.api.Test;

/** {@link QtkImageWriteParam}'s standard contract and its mapping to {@link EncodeOptions}, without the engine. */
class QtkImageWriteParamTest {
    private static QtkImageWriteParam param() {
        return new QtkImageWriteParam(Locale.ROOT, List.of("qtk-test-tiny", "qtk-grid-f16"));
    }

    private static EncodeOptions options(ImageWriteParam p) throws IIOException {
        return new QtkImageWriter(new QtkImageWriterSpi()).encodeOptions(p, null);
    }

    @Test
    void capabilities() {
        QtkImageWriteParam p = param();
        assertTrue(p.canWriteCompressed());
        assertFalse(p.canWriteProgressive(), "always progressive at the ladder points: not switchable");
        assertThrows(UnsupportedOperationException.class, () -> p.setProgressiveMode(
                ImageWriteParam.MODE_DISABLED));
        assertFalse(p.canWriteTiles());
        assertFalse(p.canOffsetTiles());
        assertArrayEquals(new String[] {"auto", "qtk-test-tiny", "qtk-grid-f16"}, p.getCompressionTypes());
        assertEquals(ImageWriteParam.MODE_COPY_FROM_METADATA, p.getCompressionMode(), "the JDK's initial mode");
        assertEquals(Locale.ROOT, p.getLocale());
        // Duplicated model names (several versions of one model) make one type.
        assertArrayEquals(new String[] {"auto", "m"},
                new QtkImageWriteParam(null, List.of("m", "m", "auto")).getCompressionTypes());
    }

    @Test
    void explicitQualityAndType() throws IIOException {
        QtkImageWriteParam p = param();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        assertEquals("auto", p.getCompressionType());
        assertEquals((float) EncodeOptions.DEFAULT_QUALITY, p.getCompressionQuality());
        assertFalse(p.isCompressionLossless());
        String[] desc = p.getCompressionQualityDescriptions();
        float[] values = p.getCompressionQualityValues();
        assertEquals(desc.length + 1, values.length, "JDK contract: one more value than descriptions");
        assertEquals(0f, values[0]);
        assertEquals(1f, values[values.length - 1]);
        for (int i = 1; i < values.length; i++) {
            assertTrue(values[i] > values[i - 1]);
        }
        assertEquals(-1f, p.getBitRate(0.5f), "unknown bit rate");

        p.setCompressionQuality(0.3f);
        p.setCompressionType("qtk-test-tiny");
        EncodeOptions o = options(p);
        assertEquals(EncodeOptions.RateMode.QUALITY, o.rateMode());
        assertEquals(0.3, o.quality(), 1e-6);
        assertEquals("qtk-test-tiny", o.model());

        p.setCompressionType("auto");
        assertNull(options(p).model(), "auto means the codec's choice");
        p.setCompressionQuality(0f);
        assertEquals(0.0, options(p).quality());
        p.setCompressionQuality(1f);
        assertEquals(1.0, options(p).quality());
    }

    @Test
    void badExplicitValuesRejected() {
        QtkImageWriteParam p = param();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        assertThrows(IllegalArgumentException.class, () -> p.setCompressionQuality(-0.01f));
        assertThrows(IllegalArgumentException.class, () -> p.setCompressionQuality(1.01f));
        assertThrows(IllegalArgumentException.class, () -> p.setCompressionQuality(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> p.setCompressionType("no-such-model"));
        assertThrows(IllegalArgumentException.class, () -> p.setCompressionMode(42));
        assertThrows(IllegalArgumentException.class, () -> p.setTargetBitsPerPixel(0));
        assertThrows(IllegalArgumentException.class, () -> p.setTargetBitsPerPixel(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> p.setTargetFileSize(0));
        assertThrows(IllegalArgumentException.class, () -> p.setGroupsPerStream(-1));
        assertThrows(IllegalArgumentException.class, () -> p.setGroupsPerStream(65536));
    }

    @Test
    void explicitOnlySettersNeedExplicitMode() {
        QtkImageWriteParam p = param();
        p.setCompressionMode(ImageWriteParam.MODE_DEFAULT);
        assertThrows(IllegalStateException.class, () -> p.setCompressionQuality(0.5f));
        assertThrows(IllegalStateException.class, () -> p.setCompressionType("auto"));
        assertThrows(IllegalStateException.class, () -> p.getCompressionQuality());
        assertThrows(IllegalStateException.class, () -> p.getCompressionQualityDescriptions());
        assertThrows(IllegalStateException.class, () -> p.getCompressionQualityValues());
        assertThrows(IllegalStateException.class, () -> p.isCompressionLossless());
        assertThrows(IllegalStateException.class, () -> p.setTargetBitsPerPixel(1));
        assertThrows(IllegalStateException.class, () -> p.setTargetFileSize(1000));
        assertThrows(IllegalStateException.class, () -> p.unsetCompression());
    }

    @Test
    void rateTargets() throws IIOException {
        QtkImageWriteParam p = param();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setTargetBitsPerPixel(0.25);
        EncodeOptions o = options(p);
        assertEquals(EncodeOptions.RateMode.TARGET_BPP, o.rateMode());
        assertEquals(0.25, o.targetBpp());
        p.setTargetFileSize(5000);
        o = options(p);
        assertEquals(EncodeOptions.RateMode.TARGET_BYTES, o.rateMode());
        assertEquals(5000, o.targetBytes());
        assertEquals(0, p.getTargetBitsPerPixel(), "the last rate setting wins");
        p.setCompressionQuality(0.4f);
        assertEquals(EncodeOptions.RateMode.QUALITY, options(p).rateMode());
        p.setTargetBitsPerPixel(1.5);
        p.unsetCompression();
        assertEquals(0, p.getTargetBitsPerPixel());
        assertEquals("auto", p.getCompressionType());
        assertEquals((float) EncodeOptions.DEFAULT_QUALITY, p.getCompressionQuality());
        // Re-entering explicit mode resets too (the JDK calls unsetCompression).
        p.setTargetBitsPerPixel(2);
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        assertEquals(EncodeOptions.RateMode.QUALITY, options(p).rateMode());
    }

    @Test
    void defaultAndCopyModes() throws IIOException {
        QtkImageWriteParam p = param();
        assertEquals(EncodeOptions.DEFAULT, options(p), "copy-from-metadata without metadata = defaults");
        p.setCompressionMode(ImageWriteParam.MODE_DEFAULT);
        assertEquals(EncodeOptions.DEFAULT, options(p));

        // Copy from the metadata of a file read: the same rate (bits per pixel).
        p.setCompressionMode(ImageWriteParam.MODE_COPY_FROM_METADATA);
        QtkMetadata read = new QtkMetadata(QtkMetadataTest.info(3, 8, false), ImageMetadata.EMPTY);
        EncodeOptions o = new QtkImageWriter(new QtkImageWriterSpi()).encodeOptions(p, read);
        assertEquals(EncodeOptions.RateMode.TARGET_BPP, o.rateMode());
        assertEquals(0.5, o.targetBpp(), 1e-9);
        // Writer-side metadata holds no rate: defaults.
        assertEquals(EncodeOptions.DEFAULT,
                new QtkImageWriter(new QtkImageWriterSpi()).encodeOptions(p, new QtkMetadata()));
    }

    @Test
    void disabledCompressionIsRefusedAtWrite() {
        QtkImageWriteParam p = param();
        p.setCompressionMode(ImageWriteParam.MODE_DISABLED); // settable, as on any ImageWriteParam
        IIOException e = assertThrows(IIOException.class, () -> options(p));
        assertTrue(e.getMessage().contains("lossy"), e.getMessage());
    }

    @Test
    void progressiveAndMetadataSettings() throws IIOException {
        QtkImageWriteParam p = param();
        assertEquals(0, options(p).groupsPerStream());
        p.setGroupsPerStream(2);
        assertEquals(2, options(p).groupsPerStream());
        assertTrue(options(p).keepMetadata());
        p.setKeepMetadata(false);
        assertFalse(options(p).keepMetadata());
        assertFalse(p.isKeepMetadata());
        // rate-aware rounding strength: the codec's default, settable, checked
        assertEquals(EncodeOptions.DEFAULT_RDO_STRENGTH, options(p).rdoStrength());
        p.setRdoStrength(0);
        assertEquals(0, options(p).rdoStrength());
        p.setRdoStrength(2.5);
        assertEquals(2.5, options(p).rdoStrength());
        assertThrows(IllegalArgumentException.class, () -> p.setRdoStrength(-1));
        assertThrows(IllegalArgumentException.class, () -> p.setRdoStrength(EncodeOptions.MAX_RDO_STRENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> p.setRdoStrength(Double.NaN));
        assertEquals(2.5, p.getRdoStrength());
        // Another writer's progressive mode changes nothing.
        JPEGImageWriteParam jpeg = new JPEGImageWriteParam(Locale.ROOT);
        jpeg.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
        assertEquals(0, options(jpeg).groupsPerStream());
    }

    @Test
    void foreignParamsAreUnderstood() throws IIOException {
        // A JPEG param (e.g. from code written for JPEG) with an explicit quality.
        JPEGImageWriteParam jpeg = new JPEGImageWriteParam(Locale.ROOT);
        jpeg.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        jpeg.setCompressionQuality(0.6f);
        EncodeOptions o = options(jpeg);
        assertEquals(0.6, o.quality(), 1e-6);
        assertNull(o.model(), "JPEG's compression type is not a model: auto");
        // A bare ImageWriteParam cannot carry compression: defaults.
        assertEquals(EncodeOptions.DEFAULT, options(new ImageWriteParam(Locale.ROOT)));
    }
}
