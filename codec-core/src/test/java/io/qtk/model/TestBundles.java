package io.qtk.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds small valid model bundles in memory (and, by changing a field, invalid ones) for tests. Defaults: a grid
 * model G=2, K=4, d=2, f=4, ladder 1,2, with placeholder ONNX bytes (bundle parsing does not look inside them).
 */
public final class TestBundles {
    public final Map<String, String> manifest = new LinkedHashMap<>();
    public byte[] encoder = "not really onnx: encoder".getBytes(StandardCharsets.US_ASCII);
    public byte[] decoder = "not really onnx: decoder".getBytes(StandardCharsets.US_ASCII);
    public float[] codebooks;
    public int[] order0;
    /** Optional {@code entropy/classes.bin} (null: not written). */
    public byte[] classes;
    /** Optional {@code entropy/context.bin} (null: not written). */
    public int[] context;
    /** Optional {@code entropy/weights.bin} (null: not written). */
    public byte[] weights;
    /** Optional {@code entropy/channel.bin} (null: not written). */
    public int[] channel;
    /** Optional {@code entropy/predict.bin} (null: not written). */
    public int[] predict;
    /** Optional {@code entropy/residual.bin} (null: not written). */
    public int[] residual;

    public TestBundles() {
        this("test-model", "1");
    }

    public TestBundles(String name, String version) {
        manifest.put("format", "qtk-model-bundle/1");
        manifest.put("name", name);
        manifest.put("version", version);
        manifest.put("quantiser", "grid");
        manifest.put("groups", "2");
        manifest.put("codebook.size", "4");
        manifest.put("codebook.dim", "2");
        manifest.put("latent.channels", "4");
        manifest.put("grid.factor", "4");
        manifest.put("halo", "8");
        manifest.put("ladder", "1,2");
        manifest.put("io.encoder.input", "image");
        manifest.put("io.encoder.output", "latent");
        manifest.put("io.decoder.input", "latent");
        manifest.put("io.decoder.output", "image");
        manifest.put("training.seed", "7");
        codebooks = new float[2 * 4 * 2];
        for (int i = 0; i < codebooks.length; i++) {
            codebooks[i] = i * 0.25f - 1f;
        }
        order0 = new int[2 * 4];
        for (int i = 0; i < order0.length; i++) {
            order0[i] = i + 1;
        }
    }

    public static byte[] floatsLe(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    public static byte[] intsLe(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }

    public byte[] manifestBytes() {
        StringBuilder sb = new StringBuilder("# test bundle\n");
        manifest.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Adds valid context tables for the default shape (G=2, K=4): the two entries and the manifest key.
     *
     * @return this
     */
    public TestBundles withContextTables() {
        manifest.put("entropy.context", "grid-neighbours-4");
        classes = new byte[] {0, 1, 2, 3, 3, 2, 1, 0};
        context = new int[2 * 25 * 4];
        for (int i = 0; i < context.length; i++) {
            context[i] = 1 + (i * 7) % 13;
        }
        return this;
    }

    /**
     * Adds valid channel tables for the default shape (G=2, K=4): window 3, thresholds 2,5 (so C = 4), the two
     * entries and the three manifest keys.
     *
     * @return this
     */
    public TestBundles withChannelTables() {
        manifest.put("entropy.channel", "previous-groups");
        manifest.put("entropy.channel.window", "3");
        manifest.put("entropy.channel.thresholds", "2,5");
        weights = new byte[] {1, 2, 3, 4, 8, 6, 4, (byte) 255};
        channel = new int[2 * 4 * 4];
        for (int i = 0; i < channel.length; i++) {
            channel[i] = 1 + (i * 5) % 11;
        }
        return this;
    }

    /**
     * Adds valid prediction tables for the default shape (G=2, K=4) over channel tables (added too when missing):
     * window 2, shift 12, activity 1,3 (so C5 = 4 * 3 = 12), the two entries and the four manifest keys.
     *
     * @return this
     */
    public TestBundles withPredictionTables() {
        if (channel == null) {
            withChannelTables();
        }
        manifest.put("entropy.predict", "linear-previous-groups-and-neighbours");
        manifest.put("entropy.predict.window", "2");
        manifest.put("entropy.predict.shift", "12");
        manifest.put("entropy.predict.activity", "1,3");
        // [G][N + 5]: group 0 cannot look back (slots 0, 1 zero), group 1 looks at group 0 (slot 1)
        predict = new int[] {0, 0, 2048, 1024, -512, 0, 7, 0, 4096, 0, 0, 0, 0, -(1 << 24)};
        residual = new int[2 * 12 * 4];
        for (int i = 0; i < residual.length; i++) {
            residual[i] = 1 + (i * 3) % 7;
        }
        return this;
    }

    /** A ZipBuilder with all five required entries (deflated), and the context tables when set, to add to or tweak. */
    public ZipBuilder zip() {
        ZipBuilder z = new ZipBuilder()
                .add(ModelBundle.MANIFEST, manifestBytes())
                .add(ModelBundle.ENCODER, encoder)
                .add(ModelBundle.DECODER, decoder)
                .add(ModelBundle.CODEBOOKS, floatsLe(codebooks))
                .add(ModelBundle.ORDER0, intsLe(order0));
        if (classes != null) {
            z.add(ModelBundle.CLASSES, classes);
        }
        if (context != null) {
            z.add(ModelBundle.CONTEXT, intsLe(context));
        }
        if (weights != null) {
            z.add(ModelBundle.WEIGHTS, weights);
        }
        if (channel != null) {
            z.add(ModelBundle.CHANNEL, intsLe(channel));
        }
        if (predict != null) {
            z.add(ModelBundle.PREDICT, intsLe(predict));
        }
        if (residual != null) {
            z.add(ModelBundle.RESIDUAL, intsLe(residual));
        }
        return z;
    }

    public byte[] bytes() {
        return zip().build();
    }
}
