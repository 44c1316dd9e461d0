package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 50 megapixels through the whole engine with the pure-Java model, to show that memory is bounded by the tiles
 * (run with {@code -Dqtk.test.large=true -DargLine=-Xmx1g}).
 */
@Tag("large") // excluded unless -Dqtk.test.large=true (codec-core/pom.xml)
class LargeFakeImageTest {
    @Test
    void fiftyMegapixelsInOneGigabyte() throws Exception {
        int w = 8660;
        int h = 5774;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int p = i / 3;
            px[i] = (byte) ((p % w) * 7 + (p / w) * 3 + i % 3 * 50);
        }
        CodecEngine engine = new CodecEngine(new FakeModels(), 0);
        long t0 = System.nanoTime();
        byte[] f = engine.encode(img, ImageMetadata.EMPTY, EncodeOptions.DEFAULT, ProgressListener.NONE);
        long t1 = System.nanoTime();
        img = null;
        px = null;
        DecodedImage d = engine.decode(f, DecodeOptions.DEFAULT, ProgressListener.NONE);
        long t2 = System.nanoTime();
        assertEquals(w, d.image().getWidth());
        System.out.printf("50MP fake model: file %d bytes, encode %.1f s, decode %.1f s, max heap %d MiB%n", f.length,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
    }
}
