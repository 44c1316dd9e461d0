package io.qtk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One shared encoder and decoder used by 8 threads at once: every file must be byte-identical to the sequential one,
 * every decode pixel-identical, and native memory (RSS) must not grow with the number of calls. The default run does
 * 8 x 10 calls; {@code -Dqtk.test.concurrency.full=true} does 8 x 200.
 */
class ConcurrencyTest {
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void eightThreadsShareOneEncoderAndDecoder() throws Exception {
        boolean full = Boolean.getBoolean("qtk.test.concurrency.full");
        int threads = 8;
        int perThread = full ? 200 : 10;
        List<BufferedImage> images = new ArrayList<>();
        int[][] sizes = {{64, 48}, {33, 17}, {90, 70}, {1, 1}};
        for (int[] s : sizes) {
            images.add(TestModels.synthetic(s[0], s[1], BufferedImage.TYPE_3BYTE_BGR));
        }
        EncodeOptions opts = TestModels.options().quality(1).build();
        try (QtkEncoder enc = QtkEncoder.create(TestModels.config(48 * 48));
                QtkDecoder dec = QtkDecoder.create(TestModels.config(48 * 48))) {
            List<byte[]> files = new ArrayList<>();
            List<byte[]> decoded = new ArrayList<>();
            for (BufferedImage img : images) {
                byte[] f = enc.encode(img, opts);
                files.add(f);
                decoded.add(pixels(dec.decode(f, DecodeOptions.DEFAULT).image()));
            }
            // warm up every shape once more so the runtime's arenas are at steady state before measuring
            for (int i = 0; i < 3; i++) {
                for (BufferedImage img : images) {
                    dec.decode(enc.encode(img, opts), DecodeOptions.DEFAULT);
                }
            }
            // Rounds of concurrent calls; RSS after each. Round 1 brings the runtime's per-thread arenas to steady
            // state; a leak would then grow RSS in proportion to the calls of the later rounds.
            int rounds = 5;
            int perRound = Math.max(1, perThread / rounds);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger calls = new AtomicInteger();
            List<Long> rss = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                List<Future<?>> fs = new ArrayList<>();
                final int base = round * perRound;
                for (int t = 0; t < threads; t++) {
                    final int id = t;
                    fs.add(pool.submit(() -> {
                        for (int i = base; i < base + perRound; i++) {
                            int k = (id + i) % images.size();
                            byte[] f = enc.encode(images.get(k), opts);
                            assertArrayEquals(files.get(k), f, "file of image " + k);
                            assertArrayEquals(decoded.get(k), pixels(dec.decode(f, DecodeOptions.DEFAULT).image()));
                            calls.addAndGet(2);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                System.gc();
                rss.add(rssKiB() >> 10);
            }
            pool.shutdown();
            long t1 = System.nanoTime();
            System.out.printf("concurrency: %d threads x %d encode+decode = %d calls in %.1f s; RSS after each round "
                    + "(MiB): %s%n", threads, perRound * rounds, calls.get(), (t1 - t0) / 1e9, rss);
            assertEquals(threads * perRound * rounds * 2, calls.get());
            if (rss.get(0) > 0) {
                long growth = rss.get(rss.size() - 1) - rss.get(0);
                assertTrue(growth < 64, "RSS grew by " + growth + " MiB after the first round: " + rss);
            }
        }
    }
}
