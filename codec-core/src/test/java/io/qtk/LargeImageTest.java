package io.qtk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 50-megapixel image through the public API and ONNX Runtime in a 1 GiB heap: memory is bounded by the tile, not
 * the image. Run with {@code JAVA_TOOL_OPTIONS=-Xmx1g mvn -pl codec-core test -Dtest=LargeImageTest
 * -Dqtk.test.large=true}.
 */
@Tag("large") // excluded unless -Dqtk.test.large=true (codec-core/pom.xml)
class LargeImageTest {
    @Test
    void fiftyMegapixels() throws Exception {
        int w = 8660;
        int h = 5774; // 50.0 MP
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (x * 255 / w);
                px[i + 1] = (byte) (y * 255 / h);
                px[i + 2] = (byte) (((x >> 5) ^ (y >> 5)) * 40 + (x + y) / 200);
            }
        }
        px = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        try (QtkEncoder enc = QtkEncoder.create(TestModels.config(0));
                QtkDecoder dec = QtkDecoder.create(TestModels.config(0))) {
            long t0 = System.nanoTime();
            byte[] f = enc.encode(img, TestModels.options().quality(1).build());
            long t1 = System.nanoTime();
            long peakEnc = peakHeap();
            BufferedImage back = dec.decode(f, DecodeOptions.DEFAULT).image();
            long t2 = System.nanoTime();
            assertEquals(w, back.getWidth());
            assertEquals(h, back.getHeight());
            double psnr = TestModels.psnr(img, back, 7); // every 7th row: the full image is too slow
            System.out.printf("50MP (%dx%d) with %s: file %d bytes (%.3f bpp), encode %.1f s, decode %.1f s, "
                    + "max heap %d MiB, peak heap used %d MiB (encode) / %d MiB (overall), RSS %d MiB, "
                    + "sampled PSNR %.2f dB%n", w, h, TestModels.name(), f.length, 8.0 * f.length / ((double) w * h),
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, Runtime.getRuntime().maxMemory() >> 20, peakEnc >> 20,
                    peakHeap() >> 20, ConcurrencyTest.rssKiB() >> 10, psnr);
            assertTrue(psnr > 20, "psnr " + psnr);
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
