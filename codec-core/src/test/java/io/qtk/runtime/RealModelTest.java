package io.qtk.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.model.ModelBundle;
import io.qtk.model.ModelManifest;
import io.qtk.model.ModelRegistry;
import io.qtk.quant.GridQuantiser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end on the real tiny test model (made by the training side; deterministic). Skipped, with the reason, only
 * while {@code testdata/models/qtk-test-tiny.qtkm} is not in the repository.
 */
class RealModelTest {
    static Path file;
    static ModelBundle bundle;
    static OnnxBackend backend;
    static ModelSession session;
    static int f;

    @BeforeAll
    static void load() throws Exception {
        var found = TestModel.find();
        if (found.isEmpty()) {
            return; // every test fails in requireModel(), naming the missing file
        }
        file = found.get();
        bundle = ModelBundle.read(file);
        f = bundle.manifest().gridFactor();
        backend = OnnxBackend.create(BackendOptions.builder().intraOpThreads(2).build());
        session = backend.session(bundle);
    }

    @BeforeEach
    void requireModel() {
        Assertions.assertNotNull(bundle, "the committed test model is missing: " + TestModel.RELATIVE);
        Assertions.assertEquals(ModelManifest.Quantiser.GRID, bundle.manifest().quantiser(), "grid model expected");
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void bundleIsValidAndDiscoverable() throws Exception {
        ModelManifest m = bundle.manifest();
        assertEquals(m.groups(), bundle.codebooks().size());
        assertEquals(m.latentChannels(), m.groups() * m.codebookDim());
        ModelRegistry reg = ModelRegistry.builder().useEnvironment(false).useSystemProperty(false).classLoader(null)
                .addDirectory(file.getParent()).build();
        assertEquals(bundle.sha256Hex(), reg.find(m.name()).sha256Hex());
        assertEquals(bundle.sha256Hex(), reg.find(m.name(), m.version(), bundle.sha256Hex()).sha256Hex());
        assertEquals(bundle.sha256Hex(), reg.findByHash(bundle.sha256Hex()).sha256Hex());
    }

    @Test
    void encoderAndDecoderShapesForSeveralSizes() throws Exception {
        int c = bundle.manifest().latentChannels();
        for (int[] hw : new int[][] {{f, f}, {2 * f, 3 * f}, {4 * f, 2 * f}, {5 * f, 7 * f}}) {
            int h = hw[0];
            int w = hw[1];
            FloatTensor lat = session.runEncoder(Standins.image(h, w, h + 7L * w), h, w);
            assertArrayEquals(new int[] {1, c, h / f, w / f}, lat.shape(), h + "x" + w);
            FloatTensor img = session.runDecoder(lat.data(), h / f, w / f);
            assertArrayEquals(new int[] {1, 3, h, w}, img.shape(), h + "x" + w);
        }
    }

    @Test
    void quantiseDequantiseDecodeAtEveryLadderStep() throws Exception {
        GridQuantiser q = new GridQuantiser(bundle.codebooks());
        int h = 8 * f;
        int w = 6 * f;
        float[] img = Standins.image(h, w, 11);
        FloatTensor lat = session.runEncoder(img, h, w);
        int[][] idx = q.quantise(lat.data(), h / f, w / f);
        assertEquals(bundle.manifest().groups(), idx.length);
        for (int[] row : idx) {
            for (int i : row) {
                assertTrue(i >= 0 && i < bundle.manifest().codebookSize());
            }
        }
        for (int groups : bundle.ladder()) {
            float[] deq = q.dequantise(idx, groups, (h / f) * (w / f));
            float[] out = session.runDecoder(deq, h / f, w / f).data();
            assertEquals(3 * h * w, out.length);
            for (float v : out) {
                assertTrue(Float.isFinite(v), "decoder output must be finite at " + groups + " groups");
            }
        }
        // Deterministic: the same image gives the same indices again.
        assertArrayEquals(idx, q.quantise(session.runEncoder(img, h, w).data(), h / f, w / f));
    }

    @Test
    void concurrentUseGivesIdenticalResults() throws Exception {
        GridQuantiser q = new GridQuantiser(bundle.codebooks());
        int h = 4 * f;
        int w = 4 * f;
        float[] img = Standins.image(h, w, 12);
        float[] lat0 = session.runEncoder(img, h, w).data();
        int[][] idx0 = q.quantise(lat0, h / f, w / f);
        float[] out0 = session.runDecoder(q.dequantise(idx0, idx0.length, (h / f) * (w / f)), h / f, w / f).data();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        float[] lat = session.runEncoder(img, h, w).data();
                        assertArrayEquals(lat0, lat);
                        int[][] idx = q.quantise(lat, h / f, w / f);
                        assertArrayEquals(idx0, idx);
                        assertArrayEquals(out0, session.runDecoder(q.dequantise(idx, idx.length, (h / f) * (w / f)),
                                h / f, w / f).data());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<Void> fu : fs) {
                fu.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertSame(session, backend.session(bundle));
    }

    /** Key to values, from golden-qtk-test-tiny.txt (made by make_golden.py with Python ONNX Runtime and numpy). */
    private static java.util.Map<String, String[]> golden() throws Exception {
        java.util.Map<String, String[]> m = new java.util.HashMap<>();
        try (var in = RealModelTest.class.getResourceAsStream("golden-qtk-test-tiny.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                String[] parts = line.trim().split("\\s+");
                m.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
            }
        }
        return m;
    }

    private static void assertClose(String[] expect, float[] got, double tol, String what) {
        assertEquals(expect.length, got.length, what + " length");
        for (int i = 0; i < got.length; i++) {
            assertEquals(Double.parseDouble(expect[i]), got[i], tol, what + "[" + i + "]");
        }
    }

    @Test
    void matchesThePythonReference() throws Exception {
        var gold = golden();
        Assertions.assertEquals(gold.get("model_sha256")[0], bundle.sha256Hex(),
                "golden file was made for another build of the test model; rerun make_golden.py");
        int h = Integer.parseInt(gold.get("size")[0]);
        int w = Integer.parseInt(gold.get("size")[1]);
        float[] img = new float[3 * h * w]; // the same formula as make_golden.py
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img[(c * h + y) * w + x] = (float) (((x * 7 + y * 13 + c * 29) % 256) / 255.0);
                }
            }
        }
        int lh = h / f;
        int lw = w / f;
        int g = bundle.manifest().groups();
        float[] lat = session.runEncoder(img, h, w).data();
        assertClose(gold.get("latent"), lat, 1e-5, "latent"); // Java ORT 1.29 vs Python ORT

        // The quantiser on the reference latent must reproduce numpy's float64 arg-min exactly.
        String[] goldLat = gold.get("latent");
        float[] refLat = new float[goldLat.length];
        for (int i = 0; i < refLat.length; i++) {
            refLat[i] = Float.parseFloat(goldLat[i]);
        }
        GridQuantiser q = new GridQuantiser(bundle.codebooks());
        int[][] idx = q.quantise(refLat, lh, lw);
        String[] goldIdx = gold.get("indices");
        for (int i = 0; i < goldIdx.length; i++) {
            assertEquals(Integer.parseInt(goldIdx[i]), idx[i / (lh * lw)][i % (lh * lw)], "index " + i);
        }
        // End to end from the Java latent: equal wherever the runner-up is not within rounding of the best.
        int[][] javaIdx = q.quantise(lat, lh, lw);
        String[] gaps = gold.get("gaps");
        for (int i = 0; i < goldIdx.length; i++) {
            if (Double.parseDouble(gaps[i]) > 1e-4) {
                assertEquals(idx[i / (lh * lw)][i % (lh * lw)], javaIdx[i / (lh * lw)][i % (lh * lw)], "pos " + i);
            }
        }
        float[] all = session.runDecoder(q.dequantise(idx, g, lh * lw), lh, lw).data();
        assertClose(gold.get("decoded_all"), all, 1e-4, "decoded with all groups");
        float[] one = session.runDecoder(q.dequantise(idx, 1, lh * lw), lh, lw).data();
        assertClose(gold.get("decoded_g1"), one, 1e-4, "decoded with 1 group");
    }
}
