package io.qtk.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.model.ModelBundle;
import io.qtk.model.TestBundles;
import io.qtk.quant.GlobalQuantiser;
import io.qtk.quant.GridQuantiser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend on the stand-in graphs: shapes, data layout, errors, concurrency, lifecycle, CUDA fallback. */
class OnnxBackendTest {
    static OnnxBackend backend;

    @BeforeAll
    static void start() throws Exception {
        backend = OnnxBackend.create(BackendOptions.builder().intraOpThreads(1).useCuda(false).build());
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void gridEncoderAndDecoderShapes() throws Exception {
        ModelSession s = backend.session(Standins.grid());
        for (int[] hw : new int[][] {{4, 4}, {8, 12}, {16, 4}, {32, 24}}) {
            int h = hw[0];
            int w = hw[1];
            FloatTensor lat = s.runEncoder(Standins.image(h, w, h * 31 + w), h, w);
            assertArrayEquals(new int[] {1, Standins.G * Standins.D, h / Standins.F, w / Standins.F}, lat.shape());
            FloatTensor img = s.runDecoder(lat.data(), h / Standins.F, w / Standins.F);
            assertArrayEquals(new int[] {1, 3, h, w}, img.shape());
        }
        assertEquals(ExecutionProvider.CPU, s.provider());
    }

    @Test
    void encoderOutputIsTheConvolutionInCOrder() throws Exception {
        // The stand-in encoder is Conv(k=f, s=f) with weights sin(0.7 i + 1) * 0.1: recompute one case in Java to
        // prove that data goes in and comes out in CHW order (no transposition anywhere).
        int h = 8;
        int w = 12;
        int f = Standins.F;
        int c = Standins.G * Standins.D;
        float[] img = Standins.image(h, w, 5);
        FloatTensor lat = backend.session(Standins.grid()).runEncoder(img, h, w);
        for (int o = 0; o < c; o++) {
            for (int y = 0; y < h / f; y++) {
                for (int x = 0; x < w / f; x++) {
                    double sum = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        for (int ky = 0; ky < f; ky++) {
                            for (int kx = 0; kx < f; kx++) {
                                int wi = ((o * 3 + ch) * f + ky) * f + kx;
                                float wv = (float) (Math.sin(wi * 0.7 + 1.0) * 0.1);
                                sum += wv * img[(ch * h + y * f + ky) * w + x * f + kx];
                            }
                        }
                    }
                    assertEquals(sum, lat.data()[(o * (h / f) + y) * (w / f) + x], 1e-4, "c" + o + " y" + y + " x" + x);
                }
            }
        }
    }

    @Test
    void quantiseDequantiseDecodeForEveryLadderStep() throws Exception {
        ModelBundle b = Standins.grid();
        ModelSession s = backend.session(b);
        GridQuantiser q = new GridQuantiser(b.codebooks());
        int h = 16;
        int w = 20;
        FloatTensor lat = s.runEncoder(Standins.image(h, w, 9), h, w);
        int lh = lat.dim(2);
        int lw = lat.dim(3);
        int[][] idx = q.quantise(lat.data(), lh, lw);
        for (int groups : b.ladder()) {
            float[] deq = q.dequantise(idx, groups, lh * lw);
            FloatTensor img = s.runDecoder(deq, lh, lw);
            assertArrayEquals(new int[] {1, 3, h, w}, img.shape());
            for (float v : img.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void globalModel() throws Exception {
        ModelBundle b = Standins.global();
        ModelSession s = backend.session(b);
        FloatTensor lat = s.runEncoder(Standins.image(Standins.TILE, Standins.TILE, 3), Standins.TILE, Standins.TILE);
        assertArrayEquals(new int[] {1, Standins.TOKENS, Standins.D}, lat.shape());
        GlobalQuantiser q = new GlobalQuantiser(b.codebooks());
        int[] idx = q.quantiseTile(lat.data());
        FloatTensor img = s.runDecoder(new FloatTensor(q.dequantiseTile(idx, 2), Standins.TOKENS, Standins.D));
        assertArrayEquals(new int[] {1, 3, Standins.TILE, Standins.TILE}, img.shape());
        assertThrows(IllegalArgumentException.class, () -> s.runEncoder(new float[3 * 16 * 16], 16, 16));
        assertThrows(IllegalArgumentException.class, () -> s.runDecoder(new float[8], 1, 1));
    }

    @Test
    void badInputsAndBadGraphs() throws Exception {
        ModelSession s = backend.session(Standins.grid());
        assertThrows(IllegalArgumentException.class, () -> s.runEncoder(new float[3 * 6 * 8], 6, 8)); // not x4
        assertThrows(IllegalArgumentException.class, () -> s.runEncoder(new float[10], 4, 4));
        assertThrows(IllegalArgumentException.class, () -> s.runDecoder(new FloatTensor(new float[3 * 4], 1, 3, 2, 2)));

        TestBundles wrongNames = Standins.gridSpec();
        wrongNames.manifest.put("io.encoder.input", "pixels");
        ModelSession w = backend.session(Standins.read(wrongNames));
        InferenceException e = assertThrows(InferenceException.class,
                () -> w.runEncoder(new float[3 * 16], 4, 4));
        assertTrue(e.getMessage().contains("'pixels'") && e.getMessage().contains("[image]"), e.getMessage());

        TestBundles garbage = Standins.gridSpec();
        garbage.decoder = "this is not an ONNX protobuf".getBytes();
        ModelSession g = backend.session(Standins.read(garbage));
        e = assertThrows(InferenceException.class, () -> g.runDecoder(new float[8], 1, 1));
        assertTrue(e.getMessage().contains("decoder") && e.getMessage().contains("cannot load"), e.getMessage());
        // the encoder of the same bundle is fine: graphs load independently
        assertEquals(4, g.runEncoder(new float[3 * 16], 4, 4).rank());

        TestBundles wrongChannels = Standins.gridSpec(); // the graph makes 8 channels; claim 4 groups of 1
        wrongChannels.manifest.put("codebook.dim", "1");
        wrongChannels.manifest.put("latent.channels", "4");
        wrongChannels.codebooks = new float[Standins.G * Standins.K];
        ModelSession wc = backend.session(Standins.read(wrongChannels));
        e = assertThrows(InferenceException.class, () -> wc.runEncoder(new float[3 * 16], 4, 4));
        assertTrue(e.getMessage().contains("expected FLOAT [1, 4, 1, 1]"), e.getMessage());
    }

    @Test
    void concurrentRunsGiveIdenticalResults() throws Exception {
        ModelSession s = backend.session(Standins.grid());
        int h = 32;
        int w = 32;
        float[] img = Standins.image(h, w, 77);
        float[] expectLat = s.runEncoder(img, h, w).data();
        float[] expectImg = s.runDecoder(expectLat, h / 4, w / 4).data();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        float[] lat = s.runEncoder(img, h, w).data();
                        assertArrayEquals(expectLat, lat);
                        assertArrayEquals(expectImg, s.runDecoder(lat, h / 4, w / 4).data());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<Void> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sessionsAreSharedAndCloseable() throws Exception {
        try (OnnxBackend own = OnnxBackend.create(BackendOptions.builder().intraOpThreads(1).useCuda(false).build())) {
            ModelBundle b = Standins.grid();
            ModelSession s1 = own.session(b);
            assertSame(s1, own.session(b));
            assertSame(s1, own.session(Standins.grid())); // same bytes, same hash: same session
            s1.preload();
            s1.close();
            assertThrows(IllegalStateException.class, () -> s1.runEncoder(new float[48], 4, 4));
            ModelSession s2 = own.session(b); // a closed session is forgotten; a new one is made
            assertNotSame(s1, s2);
            s2.runEncoder(new float[48], 4, 4);
            own.close();
            assertThrows(IllegalStateException.class, () -> s2.runEncoder(new float[48], 4, 4));
            assertThrows(IllegalStateException.class, () -> own.session(b));
            own.close(); // idempotent
        }
    }

    @Test
    void cudaRequestedOnTheCpuRuntimeFallsBackWithOneLogLine() throws Exception {
        Logger jul = Logger.getLogger("io.qtk.runtime");
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (records) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try (OnnxBackend cuda = OnnxBackend.create(BackendOptions.builder().intraOpThreads(1).useCuda(true).build())) {
            assertEquals(ExecutionProvider.CUDA, cuda.preferredProvider());
            ModelSession s = cuda.session(Standins.grid());
            assertArrayEquals(new int[] {1, 8, 1, 1}, s.runEncoder(new float[48], 4, 4).shape());
            assertEquals(ExecutionProvider.CPU, s.provider());
            assertEquals(ExecutionProvider.CPU, cuda.preferredProvider());
            cuda.session(Standins.global()).preload(); // a second model: no second log line
        } finally {
            jul.removeHandler(h);
        }
        List<LogRecord> cudaLines = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getMessage() != null && r.getMessage().contains("CUDA")) {
                cudaLines.add(r);
            }
        }
        assertEquals(1, cudaLines.size(), "exactly one CUDA fallback line: " + cudaLines);
        assertEquals(java.util.logging.Level.WARNING, cudaLines.get(0).getLevel());
        assertTrue(cudaLines.get(0).getMessage().startsWith("CUDA execution provider unavailable, running on CPU: "),
                cudaLines.get(0).getMessage());
    }

    @Test
    void defaultsAndVersion() {
        BackendOptions d = BackendOptions.defaults();
        assertEquals(Runtime.getRuntime().availableProcessors(), d.intraOpThreads());
        assertEquals(null, d.useCuda());
        assertTrue(backend.runtimeVersion().startsWith("1.29"), backend.runtimeVersion());
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.builder().intraOpThreads(0));
    }
}
