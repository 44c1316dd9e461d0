package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qtk.ImageMetadata;
import io.qtk.format.ExifOrientation;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ICC / EXIF / XMP / comment / orientation: written into PNG and JPEG, found again in PNG, JPEG and WebP. */
class MetadataCodecTest {
    @TempDir
    Path dir;

    static ImageMetadata sample() {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(); // any real, non-sRGB profile
        return ImageMetadata.builder().icc(icc).exif(ExifOrientation.minimalExif(6))
                .xmp("<x:xmpmeta xmlns:x='adobe:ns:meta/'>qtk</x:xmpmeta>".getBytes(StandardCharsets.UTF_8))
                .comment("made by qtk \u00e9").orientation(6).build();
    }

    @Test
    void pngRoundTrip() throws Exception {
        ImageMetadata m = sample();
        byte[] png = ImageFiles.encode(Cli.gradient(8, 8), null, "png", 0.9f);
        byte[] with = MetadataCodec.embedPng(png, m);
        Path f = Files.write(dir.resolve("m.png"), with);
        ImageFiles.Input in = ImageFiles.read(f); // the file still decodes, and the metadata is found again
        assertEquals(8, in.image().getWidth());
        assertEquals(m, in.metadata());
    }

    @Test
    void jpegRoundTripWithAMultiSegmentIccProfile() throws Exception {
        byte[] bigIcc = new byte[150_000]; // needs three APP2 segments
        byte[] real = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        System.arraycopy(real, 0, bigIcc, 0, real.length);
        ImageMetadata m = sample().toBuilder().icc(bigIcc).build();
        byte[] jpg = ImageFiles.encode(Cli.gradient(16, 16), null, "jpg", 0.9f);
        byte[] with = MetadataCodec.embedJpeg(jpg, m);
        ImageMetadata back = MetadataCodec.extract(with, null);
        assertArrayEquals(bigIcc, back.icc());
        assertArrayEquals(m.exif(), back.exif());
        assertArrayEquals(m.xmp(), back.xmp());
        assertEquals(m.comment(), back.comment());
        assertEquals(6, back.orientation());
    }

    @Test
    void jpegWithRealProfileStillDecodes() throws Exception {
        ImageMetadata m = sample();
        byte[] with = ImageFiles.encode(Cli.gradient(16, 16), m, "jpg", 0.9f);
        ImageFiles.Input in = ImageFiles.read(Files.write(dir.resolve("m.jpg"), with));
        assertEquals(16, in.image().getHeight());
        assertArrayEquals(m.icc(), in.metadata().icc());
        assertEquals(6, in.metadata().orientation());
    }

    @Test
    void orientationAloneBecomesAMinimalExif() {
        ImageMetadata m = ImageMetadata.builder().orientation(3).build();
        byte[] png = MetadataCodec.embedPng(ImageFilesTestSupport.png(), m);
        assertEquals(3, MetadataCodec.extract(png, null).orientation());
    }

    @Test
    void webpChunksAreFound() throws Exception {
        byte[] icc = {1, 2, 3};
        byte[] exif = ExifOrientation.minimalExif(5);
        byte[] xmp = "<xmp/>".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        riff(chunks, "VP8X", new byte[10]);
        riff(chunks, "ICCP", icc);
        riff(chunks, "EXIF", exif);
        riff(chunks, "XMP ", xmp);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(le32(chunks.size() + 4));
        file.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(chunks.toByteArray());
        ImageMetadata m = MetadataCodec.extract(file.toByteArray(), null);
        assertArrayEquals(icc, m.icc());
        assertArrayEquals(exif, m.exif());
        assertArrayEquals(xmp, m.xmp());
        assertEquals(5, m.orientation());
    }

    @Test
    void brokenMetadataIsIgnoredNotFatal() {
        byte[] png = ImageFilesTestSupport.png();
        byte[] broken = png.clone();
        broken[10] = 0x7F; // IHDR length now absurd: the walk stops, nothing is found, nothing throws
        ImageMetadata m = MetadataCodec.extract(broken, null);
        assertNull(m.icc());
        assertEquals(1, m.orientation());
    }

    private static void riff(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(data.length));
        out.writeBytes(data);
        if (data.length % 2 == 1) {
            out.write(0);
        }
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
