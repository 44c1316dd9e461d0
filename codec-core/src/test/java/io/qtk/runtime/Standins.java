package io.qtk.runtime;

import io.qtk.model.ModelBundle;
import io.qtk.model.TestBundles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Bundles around the stand-in ONNX graphs in src/test/resources/io/qtk/runtime (made by make_standins.py): plain
 * convolutions with fixed weights, not trained models, so the runtime can be tested without the real test model.
 */
final class Standins {
    static final int F = 4;
    static final int G = 4;
    static final int D = 2;
    static final int K = 16;
    static final int TILE = 8;
    static final int TOKENS = 4;

    private Standins() {}

    static byte[] resource(String name) {
        try (InputStream in = Standins.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestBundles gridSpec() {
        TestBundles t = new TestBundles("standin-grid", "1");
        t.manifest.put("groups", "" + G);
        t.manifest.put("codebook.size", "" + K);
        t.manifest.put("codebook.dim", "" + D);
        t.manifest.put("latent.channels", "" + G * D);
        t.manifest.put("grid.factor", "" + F);
        t.manifest.put("halo", "" + 2 * F);
        t.manifest.put("ladder", "1,2,4");
        t.encoder = resource("standin-grid-encoder.onnx");
        t.decoder = resource("standin-grid-decoder.onnx");
        Random r = new Random(1);
        t.codebooks = new float[G * K * D];
        for (int i = 0; i < t.codebooks.length; i++) {
            t.codebooks[i] = (float) r.nextGaussian() * 0.3f;
        }
        t.order0 = new int[G * K];
        java.util.Arrays.fill(t.order0, 1);
        return t;
    }

    static ModelBundle grid() {
        return read(gridSpec());
    }

    static ModelBundle global() {
        TestBundles t = new TestBundles("standin-global", "1");
        t.manifest.put("quantiser", "global");
        t.manifest.remove("latent.channels");
        t.manifest.remove("grid.factor");
        t.manifest.put("halo", "0");
        t.manifest.put("global.tile", "" + TILE);
        t.manifest.put("groups", "" + TOKENS);
        t.manifest.put("codebook.size", "" + K);
        t.manifest.put("codebook.dim", "" + D);
        t.manifest.put("ladder", "2,4");
        t.encoder = resource("standin-global-encoder.onnx");
        t.decoder = resource("standin-global-decoder.onnx");
        t.codebooks = new float[TOKENS * K * D];
        Random r = new Random(2);
        for (int i = 0; i < t.codebooks.length; i++) {
            t.codebooks[i] = (float) r.nextGaussian();
        }
        t.order0 = new int[TOKENS * K];
        java.util.Arrays.fill(t.order0, 3);
        return read(t);
    }

    static ModelBundle read(TestBundles t) {
        try {
            return ModelBundle.read(t.bytes(), t.manifest.get("name") + ".qtkm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deterministic test image in [0, 1]. */
    static float[] image(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] img = new float[3 * h * w];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextFloat();
        }
        return img;
    }
}
