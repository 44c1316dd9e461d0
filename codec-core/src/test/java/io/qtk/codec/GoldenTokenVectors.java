package io.qtk.codec;

import io.qtk.entropy.FrequencyTable;
import io.qtk.format.ChunkInfo;
import io.qtk.format.ChunkType;
import io.qtk.format.ChunkListing;
import io.qtk.format.Channels;
import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormat;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import io.qtk.model.ModelBundle;
import io.qtk.model.ModelManifest;
import io.qtk.model.ZipBuilder;
import io.qtk.quant.Codebook;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Generator of the token-level conformance vectors in {@code testdata/golden/tokens/}
 * ({@code format-spec/qtk-format.md} section 15.2): {@code .qtk} files whose payloads are real coded indices for the
 * tiny test model {@code testdata/models/qtk-test-tiny.qtkm} (grid, f 4, G 4, K 16, d 2), the coder-3 files
 * ({@code tiny-context-*}, format 1.1) for {@link #CONTEXT_MODEL}, the tiny model with context tables made here by
 * integer rules ({@link #contextBundle}), the coder-4 files ({@code tiny-channel-*}, format 1.2) for
 * {@link #CHANNEL_MODEL}, that bundle with channel tables added by integer rules ({@link #channelBundle}), the
 * coder-5 files ({@code tiny-predict-*}, format 1.3) for {@link #PREDICT_MODEL}, the channel bundle with prediction
 * tables added by integer rules ({@link #predictBundle}), and the coder-6 files ({@code tiny-predict-adaptive-*},
 * format 1.4) for the same bundle; the three bundles, and {@code expected.txt} with the header, the payloads and the
 * decoded indices of each.
 *
 * <p>The indices do <b>not</b> come from the model's ONNX encoder (whose float results may differ between CPUs):
 * they are made by integer-only rules documented in {@link #sampleOrder0} and {@link #ramp}, then coded with
 * {@link TokenCoding}. Everything here is deterministic; only the model's identity (hash), its order-0 counts and its
 * codebooks are read from the bundle.
 *
 * <p>Run {@code java -cp codec-core/target/classes:codec-core/target/test-classes:<dependencies>
 * io.qtk.codec.GoldenTokenVectors testdata/golden/tokens} from the repository root to rewrite the files (see
 * {@code testdata/golden/tokens/README.md}); {@code GoldenTokensTest} checks the committed files equal what this
 * class generates and decode to the listed indices.
 */
public final class GoldenTokenVectors {
    private GoldenTokenVectors() {
    }

    /** Relative path of the model bundle the vectors are made for. */
    static final String MODEL = "testdata/models/qtk-test-tiny.qtkm";

    /**
     * Relative path of the bundle the coder-3 vectors are made for: {@link #MODEL} with context tables added by
     * {@link #contextBundle(byte[])} (written by this generator; not in {@code testdata/models}, so that it is no
     * test's default model).
     */
    static final String CONTEXT_MODEL = "testdata/golden/tokens/qtk-test-tiny-ctx.qtkm";

    /** The model name of {@link #CONTEXT_MODEL}. */
    static final String CONTEXT_MODEL_NAME = "qtk-test-tiny-ctx";

    /**
     * Relative path of the bundle the coder-4 vectors are made for: {@link #CONTEXT_MODEL} with channel tables added
     * by {@link #channelBundle(byte[])} (so it has the tables of coders 1, 3 and 4).
     */
    static final String CHANNEL_MODEL = "testdata/golden/tokens/qtk-test-tiny-ch.qtkm";

    /** The model name of {@link #CHANNEL_MODEL}. */
    static final String CHANNEL_MODEL_NAME = "qtk-test-tiny-ch";

    /** The channel window N of {@link #CHANNEL_MODEL}: smaller than G = 4, so that groups leave the window. */
    static final int CHANNEL_WINDOW = 2;

    /** The channel thresholds of {@link #CHANNEL_MODEL} (C = 6): around the tiny model's weights. */
    static final int[] CHANNEL_THRESHOLDS = {14, 17, 20, 23};

    /**
     * Relative path of the bundle the coder-5 vectors are made for: {@link #CHANNEL_MODEL} with prediction tables
     * added by {@link #predictBundle(byte[])} (so it has the tables of coders 1, 3, 4 and 5).
     */
    static final String PREDICT_MODEL = "testdata/golden/tokens/qtk-test-tiny-pred.qtkm";

    /** The model name of {@link #PREDICT_MODEL}. */
    static final String PREDICT_MODEL_NAME = "qtk-test-tiny-pred";

    /** The prediction window N of {@link #PREDICT_MODEL}: smaller than G = 4, so groups leave the window. */
    static final int PREDICT_WINDOW = 2;

    /** The prediction shift S of {@link #PREDICT_MODEL}. */
    static final int PREDICT_SHIFT = 12;

    /** The activity thresholds of {@link #PREDICT_MODEL} (M = 2, so C5 = 6 * 3 = 18). */
    static final int[] PREDICT_ACTIVITY = {1, 3};

    /**
     * The coefficients of {@link #PREDICT_MODEL}, {@code a[g] = {x_{g-2}, x_{g-1}, L, U, UL, UR, bias}} in units of
     * {@code 2^-12}, hand-chosen: group 0 from its neighbours only (its previous-group slots must be 0), group 1 also
     * from group 0 (its slot for group -1 must be 0), groups 2 and 3 from both previous groups; negative coefficients
     * and non-zero biases throughout.
     */
    static final int[][] PREDICT_COEFFICIENTS = {
        {0, 0, 2048, 2048, -1024, 1024, 512},
        {0, 3072, 1024, 512, -512, 0, -2048},
        {1024, 2048, 1024, 512, -512, 0, 256},
        {-512, 3072, 1024, 1024, -512, 0, 1000},
    };

    /** Vectors with at most this many indices per group list them in full; larger ones give only their hash. */
    static final int LIST_LIMIT = 256;

    /**
     * One vector.
     *
     * @param name file name
     * @param bytes the file
     * @param note what it tests
     * @param source how the indices were made
     * @param indices the intended indices of the groups present, {@code [group][columns * rows]}
     * @param model the bundle the file names
     */
    record Vector(String name, byte[] bytes, String note, String source, int[][] indices, Model model) {
    }

    /**
     * The model data the vectors depend on.
     *
     * @param path the bundle's path relative to the repository root
     * @param classes {@code [G][K]} context classes, null without context tables
     * @param contextCounts {@code [G][25][K]}, null without context tables
     * @param contexts the context tables per group, null without
     * @param weights {@code [G][K]} channel weights, null without channel tables
     * @param channelCounts {@code [G][C][K]}, null without channel tables
     * @param channel the channel tables, null without
     * @param coefficients {@code [G][N + 5]} prediction coefficients, null without prediction tables
     * @param residualCounts {@code [G][C5][K]}, null without prediction tables
     * @param prediction the prediction tables, null without
     */
    record Model(String path, ModelId id, int groups, int k, int dim, int factor, long[][] counts,
                 FrequencyTable[] tables, List<Codebook> codebooks, int[][] classes, long[][][] contextCounts,
                 ContextTables[] contexts, int[][] weights, long[][][] channelCounts, ChannelTables channel,
                 int[][] coefficients, long[][][] residualCounts, PredictionTables prediction) {
        static Model of(ModelBundle b, String path) {
            ModelManifest m = b.manifest();
            if (m.quantiser() != ModelManifest.Quantiser.GRID) {
                throw new IllegalStateException("grid model expected");
            }
            FrequencyTable[] t = new FrequencyTable[m.groups()];
            for (int g = 0; g < t.length; g++) {
                t[g] = FrequencyTable.fromCounts(b.order0Counts(g));
            }
            int[][] classes = null;
            long[][][] counts = null;
            ContextTables[] contexts = null;
            if (b.hasContextTables()) {
                classes = new int[m.groups()][];
                counts = new long[m.groups()][][];
                contexts = new ContextTables[m.groups()];
                for (int g = 0; g < m.groups(); g++) {
                    classes[g] = b.contextClasses(g);
                    counts[g] = b.contextCounts(g);
                    contexts[g] = ContextTables.fromCounts(classes[g], counts[g]);
                }
            }
            int[][] weights = null;
            long[][][] channelCounts = null;
            ChannelTables channel = null;
            if (b.hasChannelTables()) {
                weights = new int[m.groups()][];
                channelCounts = new long[m.groups()][][];
                for (int g = 0; g < m.groups(); g++) {
                    weights[g] = b.channelWeights(g);
                    channelCounts[g] = b.channelCounts(g);
                }
                channel = ChannelTables.fromCounts(m.channelWindow(), m.channelThresholds(), weights, channelCounts);
            }
            int[][] coefficients = null;
            long[][][] residualCounts = null;
            PredictionTables prediction = null;
            if (b.hasPredictionTables()) {
                coefficients = new int[m.groups()][];
                residualCounts = new long[m.groups()][][];
                for (int g = 0; g < m.groups(); g++) {
                    coefficients[g] = b.predictionCoefficients(g);
                    residualCounts[g] = b.residualCounts(g);
                }
                prediction = PredictionTables.fromCounts(channel, m.predictWindow(), m.predictShift(),
                        m.predictActivity(), coefficients, residualCounts);
            }
            return new Model(path, ModelId.of(b.name(), b.version(), b.sha256()), m.groups(), m.codebookSize(),
                    m.codebookDim(), m.gridFactor(), b.order0Counts(), t, b.codebooks(), classes, counts, contexts,
                    weights, channelCounts, channel, coefficients, residualCounts, prediction);
        }

        ContextTables context(int g) {
            return contexts == null ? null : contexts[g];
        }
    }

    static Path repoRoot() {
        String root = System.getProperty("qtk.repo.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(MODEL))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(MODEL + " not found above " + root);
        }
        return p;
    }

    static Model model() throws IOException {
        return Model.of(ModelBundle.read(repoRoot().resolve(MODEL)), MODEL);
    }

    /** @return the bytes of {@link #CONTEXT_MODEL} as this generator makes them from {@link #MODEL} */
    static byte[] contextBundleBytes() throws IOException {
        return contextBundle(Files.readAllBytes(repoRoot().resolve(MODEL)));
    }

    /** @return the bytes of {@link #CHANNEL_MODEL} as this generator makes them from {@link #MODEL} */
    static byte[] channelBundleBytes() throws IOException {
        return channelBundle(contextBundleBytes());
    }

    /** @return the model of {@link #CONTEXT_MODEL}, from the generator's bytes */
    static Model contextModel() throws IOException {
        return Model.of(ModelBundle.read(contextBundleBytes(), CONTEXT_MODEL), CONTEXT_MODEL);
    }

    /**
     * The class of codeword s of a group with order-0 counts C (sum S), integer-only: the number of thresholds
     * t in {3, 4, 5} bits with {@code -log2(C[s] / S) >= t}, i.e. {@code [S >= 8 C[s]] + [S >= 16 C[s]] +
     * [S >= 32 C[s]]}: 0 for frequent codewords, 3 for rare ones (all four occur for the tiny model's K = 16).
     */
    static int contextClass(long[] c, int s) {
        long total = 0;
        for (long v : c) {
            total += v;
        }
        return (total >= 8 * c[s] ? 1 : 0) + (total >= 16 * c[s] ? 1 : 0) + (total >= 32 * c[s] ? 1 : 0);
    }

    /**
     * The context counts of the vectors' bundle, integer-only: for group g, context {@code c = left * 5 + up}
     * (each 0 for "no neighbour", else 1 + the neighbour's class) and codeword s,
     * {@code C_g[s] * (1 + 6 [left == 1 + class(s)] + 2 [up == 1 + class(s)]) + c}: a codeword is more likely next
     * to codewords of its class, more so on the left; every row differs, and swapping left and up changes the table.
     */
    static long contextCount(long[] c, int ctx, int s) {
        int cls = 1 + contextClass(c, s);
        int left = ctx / 5;
        int up = ctx % 5;
        return c[s] * (1 + (left == cls ? 6 : 0) + (up == cls ? 2 : 0)) + ctx;
    }

    /**
     * {@link #CONTEXT_MODEL}'s bytes: the entries of {@link #MODEL} in its order, all stored (no compression, so the
     * bytes depend on no zlib), the manifest with name {@value #CONTEXT_MODEL_NAME} and
     * {@code entropy.context=grid-neighbours-4}, {@code entropy/classes.bin} and {@code entropy/context.bin} from
     * {@link #contextClass} and {@link #contextCount} after {@code entropy/order0.bin}, and a README of its own.
     *
     * @param tiny the bytes of {@link #MODEL}
     * @return the bundle
     */
    static byte[] contextBundle(byte[] tiny) throws IOException {
        Map<String, byte[]> entries = ContextBundles.entries(tiny);
        ModelBundle b = ModelBundle.read(tiny, MODEL);
        String manifest = renamedManifest(entries, b, MODEL, ModelManifest.CONTEXT_KEY, CONTEXT_MODEL_NAME)
                + ModelManifest.CONTEXT_KEY + "=" + ModelManifest.CONTEXT_GRID_NEIGHBOURS_4 + "\n"
                + provenance("context", MODEL);
        byte[][] tables = perGroupTables(b, ContextTables.CONTEXTS, GoldenTokenVectors::contextClass,
                GoldenTokenVectors::contextCount);
        return derivedBundle(entries, manifest, readme(CONTEXT_MODEL_NAME, MODEL, b, "context tables for coder id 3",
                "context"), ModelBundle.ORDER0,
                List.of(Map.entry(ModelBundle.CLASSES, tables[0]), Map.entry(ModelBundle.CONTEXT, tables[1])));
    }

    /**
     * The channel weight of codeword s of a group with order-0 counts C (sum S), integer-only: the order-0 surprisal
     * in quarter bits rounded down, {@code floor(4 log2(S / C[s]))}, i.e. the largest q with
     * {@code C[s]^4 * 2^q <= S^4}, at most 255.
     */
    static int channelWeight(long[] c, int s) {
        java.math.BigInteger total = java.math.BigInteger.ZERO;
        for (long v : c) {
            total = total.add(java.math.BigInteger.valueOf(v));
        }
        java.math.BigInteger s4 = total.pow(4);
        java.math.BigInteger c4 = java.math.BigInteger.valueOf(c[s]).pow(4);
        int q = 0;
        while (q < 255 && c4.shiftLeft(q + 1).compareTo(s4) <= 0) {
            q++;
        }
        return q;
    }

    /** The context a window whose mean weight is w gives: {@code 1 + #{i : w >= T_i}} (1..L+1). */
    static int channelBucket(int w) {
        int c = 1;
        for (int t : CHANNEL_THRESHOLDS) {
            c += w >= t ? 1 : 0;
        }
        return c;
    }

    /**
     * The channel counts of the vectors' bundle, integer-only: for group g, context c and codeword s,
     * {@code C_g[s] * (1 + 6 [c == bucket(W_g[s])]) + c} with {@code bucket(w) = 1 + #{i : w >= T_i}}: a codeword is
     * more likely where the previous groups' mean weight is its own (rare after rare); context 0 (group 0 only) is
     * the order-0 row, and every row of a group differs.
     */
    static long channelCount(long[] c, int ctx, int s) {
        return c[s] * (1 + (ctx == channelBucket(channelWeight(c, s)) ? 6 : 0)) + ctx;
    }

    /**
     * {@link #CHANNEL_MODEL}'s bytes: the entries of {@link #CONTEXT_MODEL} in its order, all stored, the manifest
     * with name {@value #CHANNEL_MODEL_NAME}, {@code entropy.channel=previous-groups}, window
     * {@value #CHANNEL_WINDOW} and thresholds {@link #CHANNEL_THRESHOLDS} added, {@code entropy/weights.bin} and
     * {@code entropy/channel.bin} from {@link #channelWeight} and {@link #channelCount} after
     * {@code entropy/context.bin}, and a README of its own.
     *
     * @param ctx the bytes of {@link #CONTEXT_MODEL}
     * @return the bundle
     */
    static byte[] channelBundle(byte[] ctx) throws IOException {
        Map<String, byte[]> entries = ContextBundles.entries(ctx);
        ModelBundle b = ModelBundle.read(ctx, CONTEXT_MODEL);
        String manifest = renamedManifest(entries, b, CONTEXT_MODEL, ModelManifest.CHANNEL_KEY, CHANNEL_MODEL_NAME)
                + ModelManifest.CHANNEL_KEY + "=" + ModelManifest.CHANNEL_PREVIOUS_GROUPS + "\n"
                + ModelManifest.CHANNEL_WINDOW_KEY + "=" + CHANNEL_WINDOW + "\n"
                + ModelManifest.CHANNEL_THRESHOLDS_KEY + "=" + ContextBundles.csv(CHANNEL_THRESHOLDS) + "\n"
                + provenance("channel", CONTEXT_MODEL);
        byte[][] tables = perGroupTables(b, CHANNEL_THRESHOLDS.length + 2, GoldenTokenVectors::channelWeight,
                GoldenTokenVectors::channelCount);
        return derivedBundle(entries, manifest, readme(CHANNEL_MODEL_NAME, CONTEXT_MODEL, b,
                "channel tables for coder id 4", "context" /* the committed README's words */), ModelBundle.CONTEXT,
                List.of(Map.entry(ModelBundle.WEIGHTS, tables[0]), Map.entry(ModelBundle.CHANNEL, tables[1])));
    }

    /**
     * The residual count of {@link #PREDICT_MODEL} for group g, context ctx and symbol s, integer-only: with
     * {@code q = ctx mod (M + 1)} (the activity class), {@code ch = ctx div (M + 1)} (the channel context) and
     * {@code e = min(s, K - s)} (the distance of the residual from 0, modulo K),
     * {@code 1 + ((1024 + 64 ch + g) >> min(30, e (M + 1 - q)))}: peaked at residual 0, narrower where the
     * neighbours were predicted well, every row different.
     */
    static long residualCount(int k, int g, int ctx, int s) {
        int m1 = PREDICT_ACTIVITY.length + 1;
        int q = ctx % m1;
        int ch = ctx / m1;
        int e = Math.min(s, k - s);
        return 1 + ((1024L + 64L * ch + g) >> Math.min(30, e * (m1 - q)));
    }

    /**
     * {@link #PREDICT_MODEL}'s bytes: the entries of {@link #CHANNEL_MODEL} in its order, all stored, the manifest
     * with name {@value #PREDICT_MODEL_NAME} and the four {@code entropy.predict} keys added,
     * {@code entropy/predict.bin} ({@link #PREDICT_COEFFICIENTS}) and {@code entropy/residual.bin}
     * ({@link #residualCount}) after {@code entropy/channel.bin}, and a README of its own.
     *
     * @param channelBundle the bytes of {@link #CHANNEL_MODEL}
     * @return the bundle
     */
    static byte[] predictBundle(byte[] channelBundle) throws IOException {
        Map<String, byte[]> entries = ContextBundles.entries(channelBundle);
        ModelBundle b = ModelBundle.read(channelBundle, CHANNEL_MODEL);
        int groups = b.manifest().groups();
        int k = b.manifest().codebookSize();
        int contexts = b.manifest().channelContexts() * (PREDICT_ACTIVITY.length + 1);
        if (groups != PREDICT_COEFFICIENTS.length) {
            throw new IllegalStateException(CHANNEL_MODEL + ": unexpected manifest");
        }
        String manifest = renamedManifest(entries, b, CHANNEL_MODEL, ModelManifest.PREDICT_KEY, PREDICT_MODEL_NAME)
                + ModelManifest.PREDICT_KEY + "=" + ModelManifest.PREDICT_LINEAR + "\n"
                + ModelManifest.PREDICT_WINDOW_KEY + "=" + PREDICT_WINDOW + "\n"
                + ModelManifest.PREDICT_SHIFT_KEY + "=" + PREDICT_SHIFT + "\n"
                + ModelManifest.PREDICT_ACTIVITY_KEY + "=" + ContextBundles.csv(PREDICT_ACTIVITY) + "\n"
                + provenance("predict", CHANNEL_MODEL);
        ByteBuffer predict = ByteBuffer.allocate(groups * (PREDICT_WINDOW + 5) * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int[] row : PREDICT_COEFFICIENTS) {
            for (int v : row) {
                predict.putInt(v);
            }
        }
        ByteBuffer residual = ByteBuffer.allocate(groups * contexts * k * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < contexts; c++) {
                for (int s = 0; s < k; s++) {
                    residual.putInt((int) residualCount(k, g, c, s));
                }
            }
        }
        return derivedBundle(entries, manifest, readme(PREDICT_MODEL_NAME, CHANNEL_MODEL, b,
                "prediction tables for coder id 5", "prediction"), ModelBundle.CHANNEL,
                List.of(Map.entry(ModelBundle.PREDICT, predict.array()),
                        Map.entry(ModelBundle.RESIDUAL, residual.array())));
    }

    /**
     * The manifest of bundle b (read from {@code path}) with its name line replaced by {@code name}, to which the
     * caller appends the new keys.
     *
     * @throws IllegalStateException when it has no such name line or already has {@code key}
     */
    private static String renamedManifest(Map<String, byte[]> entries, ModelBundle b, String path, String key,
            String name) {
        String manifest = new String(entries.get(ModelBundle.MANIFEST), StandardCharsets.ISO_8859_1);
        String nameLine = "\nname=" + b.name() + "\n";
        if (!manifest.contains(nameLine) || manifest.contains(key)) {
            throw new IllegalStateException(path + ": unexpected manifest");
        }
        return manifest.replace(nameLine, "\nname=" + name + "\n");
    }

    /** The manifest line that says where a derived bundle's {@code training.<what>} tables come from. */
    private static String provenance(String what, String base) {
        return "training." + what + "=made from " + base + " by io.qtk.codec.GoldenTokenVectors (integer rules of "
                + "testdata/golden/tokens/README.md)\n";
    }

    /** The README of a derived bundle: what it is made from and that it is not trained. */
    private static String readme(String name, String base, ModelBundle b, String tables, String kind) {
        return name + ": " + base + " (sha256 " + b.sha256Hex() + ") with " + tables + ",\nmade by"
                + " io.qtk.codec.GoldenTokenVectors for the token vectors of testdata/golden/tokens/ (see README.md"
                + " there).\nNot a trained " + kind + " model.\n";
    }

    /** An integer rule giving a byte per codeword s of a group with order-0 counts c. */
    private interface CodewordRule {
        int apply(long[] c, int s);
    }

    /** An integer rule giving the count of codeword s in context ctx of a group with order-0 counts c. */
    private interface CountRule {
        long apply(long[] c, int ctx, int s);
    }

    /**
     * @return {@code {per codeword [G * K] bytes, counts [G][contexts][K] as little-endian u32}}, each group's from
     *     its order-0 counts by the rules
     */
    private static byte[][] perGroupTables(ModelBundle b, int contexts, CodewordRule perCodeword, CountRule count) {
        int groups = b.manifest().groups();
        int k = b.manifest().codebookSize();
        byte[] codewords = new byte[groups * k];
        ByteBuffer counts = ByteBuffer.allocate(groups * contexts * k * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < groups; g++) {
            long[] c = b.order0Counts(g);
            for (int s = 0; s < k; s++) {
                codewords[g * k + s] = (byte) perCodeword.apply(c, s);
            }
            for (int ctx = 0; ctx < contexts; ctx++) {
                for (int s = 0; s < k; s++) {
                    counts.putInt((int) count.apply(c, ctx, s));
                }
            }
        }
        return new byte[][] {codewords, counts.array()};
    }

    /**
     * A bundle derived from another's entries, in their order and all stored (no compression, so the bytes depend
     * on no zlib): the manifest and README replaced, and the {@code added} entries right after entry {@code after}.
     */
    private static byte[] derivedBundle(Map<String, byte[]> entries, String manifest, String readme, String after,
            List<Map.Entry<String, byte[]>> added) {
        ZipBuilder out = new ZipBuilder();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            switch (e.getKey()) {
                case ModelBundle.MANIFEST -> out.add(e.getKey(), manifest.getBytes(StandardCharsets.ISO_8859_1), false);
                case "README.txt" -> out.add(e.getKey(), readme.getBytes(StandardCharsets.US_ASCII), false);
                default -> {
                    out.add(e.getKey(), e.getValue(), false);
                    if (e.getKey().equals(after)) {
                        added.forEach(a -> out.add(a.getKey(), a.getValue(), false));
                    }
                }
            }
        }
        return out.build();
    }

    static List<Vector> build(Model m, Model mc, Model mh) {
        return build(m, mc, mh, null);
    }

    static List<Vector> build(Model m, Model mc, Model mh, Model mp) {
        List<Vector> v = new ArrayList<>();

        // 1. one latent position: 1 index per group; group 0 is index 0, whose static payload is empty
        int[][] i1 = {{0}, {15}, {7}, {1}};
        v.add(vector(m, "tiny-static-gray-1x1.qtk", 1, 1, Channels.GRAY, new int[] {4}, new int[] {1}, i1,
                "1x1 gray: one index per group; coder 1; group 0 (index 0) has an empty payload",
                "hand-picked: group 0..3 = 0, 15, 7, 1"));

        // 2. small RGB, one stream per group (the model's ladder 1,2,3,4)
        v.add(vector(m, "tiny-static-rgb-12x8.qtk", 12, 8, Channels.RGB, new int[] {1, 1, 1, 1},
                new int[] {1, 1, 1, 1}, sampleOrder0(m, 3 * 2, 1),
                "12x8 RGB, latent 3x2; coder 1; four streams of one group", "order0 sample, seed 1"));

        // 3. odd size: the latent grid is rounded up
        v.add(vector(m, "tiny-static-gray-37x23.qtk", 37, 23, Channels.GRAY, new int[] {2, 2}, new int[] {1, 1},
                sampleOrder0(m, 10 * 6, 2),
                "37x23 gray, latent ceil(37/4) x ceil(23/4) = 10x6; coder 1; streams of 2 and 2 groups",
                "order0 sample, seed 2"));

        // 4. raw coder: 15 indices of 4 bits = 60 bits = 8 bytes with 4 padding bits
        v.add(vector(m, "tiny-raw-rgb-17x9.qtk", 17, 9, Channels.RGB, new int[] {4}, new int[] {0},
                ramp(m, 5 * 3), "17x9 RGB, latent 5x3; coder 0 (raw, 4 bits per index, 4 padding bits per group)",
                "ramp: index = (7 * p + 5 * g) mod 16"));

        // 5. adaptive coder
        v.add(vector(m, "tiny-adaptive-rgb-64x48.qtk", 64, 48, Channels.RGB, new int[] {1, 1, 2},
                new int[] {2, 2, 2}, sampleOrder0(m, 16 * 12, 4),
                "64x48 RGB, latent 16x12; coder 2 (adaptive, increment 32, limit 65536); streams 1, 1, 2",
                "order0 sample, seed 4"));

        // 6. three coders in one file
        int[] mixedLayout = {1, 1, 2};
        int[] mixedCoders = {1, 2, 0};
        int[][] i6 = sampleOrder0(m, 10 * 7, 5);
        Vector mixed = vector(m, "tiny-mixed-rgb-40x28.qtk", 40, 28, Channels.RGB, mixedLayout, mixedCoders, i6,
                "40x28 RGB, latent 10x7; streams of 1, 1, 2 groups with coders 1, 2, 0", "order0 sample, seed 5");
        v.add(mixed);

        // 7. larger: hashes only
        v.add(vector(m, "tiny-static-rgb-256x192.qtk", 256, 192, Channels.RGB, new int[] {1, 1, 1, 1},
                new int[] {1, 1, 1, 1}, sampleOrder0(m, 64 * 48, 6),
                "256x192 RGB, latent 64x48 (3072 indices per group, listed by hash); coder 1",
                "order0 sample, seed 6"));

        // 8. progressive truncation: vector 6 cut in the middle of its third QTOK
        v.add(new Vector("tiny-mixed-truncated.qtk", cutInsideQtok(mixed.bytes(), 2),
                "tiny-mixed-rgb-40x28.qtk cut inside its third QTOK: groups 0 and 1 present (coders 1 and 2), "
                        + "groups 2 and 3 missing (zero latent)", "as tiny-mixed-rgb-40x28.qtk",
                Arrays.copyOf(i6, 2), m));

        // 9.. coder 3 (version 1.1), for the bundle with context tables
        int[][] i9 = sampleContext(mc, 11, 6, 7);
        Vector ctx = vector(mc, "tiny-context-rgb-44x24.qtk", 44, 24, Channels.RGB, new int[] {1, 1, 2},
                new int[] {3, 1, 3}, i9,
                "44x24 RGB, latent 11x6; streams of 1, 1, 2 groups with coders 3, 1, 3 (version 1.1)",
                "context sample, seed 7");
        v.add(ctx);
        v.add(vector(mc, "tiny-context-gray-3x37.qtk", 3, 37, Channels.GRAY, new int[] {4}, new int[] {3},
                sampleContext(mc, 1, 10, 8),
                "3x37 gray, latent 1x10: columns 1, so no left neighbour ever; coder 3, one stream",
                "context sample, seed 8"));
        v.add(vector(mc, "tiny-context-rgb-132x92.qtk", 132, 92, Channels.RGB, new int[] {1, 1, 1, 1},
                new int[] {3, 3, 3, 3}, sampleContext(mc, 33, 23, 9),
                "132x92 RGB, latent 33x23 (759 indices per group, listed by hash); coder 3",
                "context sample, seed 9"));
        v.add(new Vector("tiny-context-truncated.qtk", cutInsideQtok(ctx.bytes(), 2),
                "tiny-context-rgb-44x24.qtk cut inside its third QTOK: groups 0 and 1 present (coders 3 and 1), "
                        + "groups 2 and 3 missing (zero latent)", "as tiny-context-rgb-44x24.qtk",
                Arrays.copyOf(i9, 2), mc));

        // 13.. coder 4 (version 1.2), for the bundle with channel (and context) tables
        v.add(vector(mh, "tiny-channel-rgb-36x20.qtk", 36, 20, Channels.RGB, new int[] {4}, new int[] {4},
                sampleChannel(mh, 9 * 5, 10),
                "36x20 RGB, latent 9x5; coder 4 (version 1.2), one stream of 4 groups: group 0 in context 0, "
                        + "groups 1-3 on the window sums of the groups before them (window 2)",
                "channel sample, seed 10"));
        int[][] i14 = sampleChannel(mh, 11 * 6, 11);
        Vector mixed4 = vector(mh, "tiny-channel-mixed-rgb-44x24.qtk", 44, 24, Channels.RGB,
                new int[] {1, 1, 1, 1}, new int[] {3, 1, 4, 4}, i14,
                "44x24 RGB, latent 11x6; streams of one group with coders 3, 1, 4, 4 (version 1.2): the coder-4 "
                        + "groups take their contexts from groups of coder-3 and coder-1 streams",
                "channel sample, seed 11");
        v.add(mixed4);
        ChannelTables probe = mh.channel();
        v.add(vector(mh, "tiny-channel-rgb-96x64.qtk", 96, 64, Channels.RGB, new int[] {2, 2}, new int[] {4, 4},
                sampleChannel(mh, 24 * 16, 12),
                "96x64 RGB, latent 24x16 (384 indices per group, listed by hash); coder 4, streams of 2 and 2 groups"
                        + " (window " + probe.window() + ")", "channel sample, seed 12"));
        v.add(new Vector("tiny-channel-truncated.qtk", cutInsideQtok(mixed4.bytes(), 3),
                "tiny-channel-mixed-rgb-44x24.qtk cut inside its fourth QTOK: groups 0-2 present (coders 3, 1, 4), "
                        + "group 3 missing (zero latent)", "as tiny-channel-mixed-rgb-44x24.qtk",
                Arrays.copyOf(i14, 3), mh));
        if (mp == null) {
            return v;
        }

        // 17.. coder 5 (version 1.3), for the bundle with prediction (and channel and context) tables
        v.add(vector(mp, "tiny-predict-rgb-36x20.qtk", 36, 20, Channels.RGB, new int[] {4}, new int[] {5},
                samplePredict(mp, 9, 5, 13),
                "36x20 RGB, latent 9x5; coder 5 (version 1.3), one stream of 4 groups: group 0 predicted from its"
                        + " neighbours, groups 1-3 also from the groups before them (window 2)",
                "prediction sample, seed 13"));
        int[][] i18 = samplePredict(mp, 11, 6, 14);
        Vector mixed5 = vector(mp, "tiny-predict-mixed-rgb-44x24.qtk", 44, 24, Channels.RGB,
                new int[] {1, 1, 1, 1}, new int[] {3, 1, 4, 5}, i18,
                "44x24 RGB, latent 11x6; streams of one group with coders 3, 1, 4, 5 (version 1.3): the coder-5 "
                        + "group predicted from groups of coder-1 and coder-4 streams, its channel context from the"
                        + " coder-1 and coder-4 groups", "prediction sample, seed 14");
        v.add(mixed5);
        v.add(vector(mp, "tiny-predict-gray-4x40.qtk", 4, 40, Channels.GRAY, new int[] {1, 3}, new int[] {5, 5},
                samplePredict(mp, 1, 10, 15),
                "4x40 gray, latent 1x10: columns 1, so no left, up-left or up-right neighbour ever; coder 5, streams"
                        + " of 1 and 3 groups", "prediction sample, seed 15"));
        v.add(vector(mp, "tiny-predict-rgb-96x64.qtk", 96, 64, Channels.RGB, new int[] {2, 2}, new int[] {5, 5},
                samplePredict(mp, 24, 16, 16),
                "96x64 RGB, latent 24x16 (384 indices per group, listed by hash); coder 5, streams of 2 and 2 groups",
                "prediction sample, seed 16"));
        v.add(new Vector("tiny-predict-truncated.qtk", cutInsideQtok(mixed5.bytes(), 3),
                "tiny-predict-mixed-rgb-44x24.qtk cut inside its fourth QTOK (the coder-5 stream): groups 0-2 present"
                        + " (coders 3, 1, 4), group 3 missing (zero latent)", "as tiny-predict-mixed-rgb-44x24.qtk",
                Arrays.copyOf(i18, 3), mp));

        // 22.. coder 6 (version 1.4), for the same bundle: coder 5's rule with primed adaptive tables
        v.add(vector(mp, "tiny-predict-adaptive-rgb-36x20.qtk", 36, 20, Channels.RGB, new int[] {4}, new int[] {6},
                samplePredict(mp, 9, 5, 17),
                "36x20 RGB, latent 9x5; coder 6 (version 1.4), one stream of 4 groups: coder 5's predictions and"
                        + " contexts, each table primed with coder 5's and adapted within the payload",
                "prediction sample, seed 17"));
        v.add(vector(mp, "tiny-predict-adaptive-mixed-rgb-44x24.qtk", 44, 24, Channels.RGB,
                new int[] {1, 1, 1, 1}, new int[] {5, 1, 6, 6}, samplePredict(mp, 11, 6, 18),
                "44x24 RGB, latent 11x6; streams of one group with coders 5, 1, 6, 6 (version 1.4): the coder-6"
                        + " groups start their tables afresh (no state passes between payloads)",
                "prediction sample, seed 18"));
        v.add(vector(mp, "tiny-predict-adaptive-rgb-96x64.qtk", 96, 64, Channels.RGB, new int[] {2, 2},
                new int[] {6, 6}, samplePredict(mp, 24, 16, 19),
                "96x64 RGB, latent 24x16 (384 indices per group, listed by hash); coder 6, streams of 2 and 2 groups",
                "prediction sample, seed 19"));
        return v;
    }

    private static Vector vector(Model m, String name, int w, int h, Channels ch, int[] layout, int[] coders,
            int[][] indices, String note, String source) {
        QtkHeader hd = QtkHeader.builder().size(w, h).channels(ch).model(m.id())
                .quantiser(new GridLayout(m.factor(), m.groups(), m.k(), m.dim())).streamLayout(layout).build();
        int n = Math.toIntExact(hd.tokensPerGroup());
        IndexGrid grid = new IndexGrid(indices.length, n, m.k());
        for (int g = 0; g < indices.length; g++) {
            if (indices[g].length != n) {
                throw new IllegalStateException(name + ": group " + g + " has " + indices[g].length
                        + " indices, the header needs " + n);
            }
            grid.setGroup(g, indices[g]);
        }
        QtkFile f = codedFile(hd, coders, grid, g -> m.tables()[g], m::context, m.channel(), m.prediction());
        return new Vector(name, QtkWriter.toBytes(f), note, source, indices, m);
    }

    /**
     * A file of header h whose stream s codes its groups of {@code grid} with {@code coders[s]} (qtk-format.md 9.2):
     * coders 5 and 6 with the prediction tables, the others through {@link TokenCoding#encode} with the group's tables
     * (coder 4 with the channel contexts of the groups before it). Tables that no stream's coder uses may be null.
     */
    static QtkFile codedFile(QtkHeader h, int[] coders, IndexGrid grid, IntFunction<FrequencyTable> order0,
            IntFunction<ContextTables> contexts, ChannelTables channel, PredictionTables prediction) {
        int n = Math.toIntExact(h.tokensPerGroup());
        int columns = h.tokenColumns();
        int k = h.quantiser().codebookSize();
        ChannelTables.Window window = channel == null ? null : channel.newWindow(n);
        PredictionTables.Coder coder = prediction == null ? null : prediction.newCoder(n, columns);
        QtkFile.Builder fb = QtkFile.builder(h);
        int g = 0;
        for (int s = 0; s < coders.length; s++) {
            List<byte[]> p = new ArrayList<>();
            for (int j = 0; j < h.streamLayout().get(s); j++, g++) {
                if (coders[s] == QtkFormat.CODER_PREDICTION || coders[s] == QtkFormat.CODER_ADAPTIVE_PREDICTION) {
                    p.add(coder.encode(grid, g, coders[s] == QtkFormat.CODER_ADAPTIVE_PREDICTION));
                } else {
                    p.add(TokenCoding.encode(coders[s], grid.group(g), k, columns, order0.apply(g), contexts.apply(g),
                            coders[s] == QtkFormat.CODER_CHANNEL
                                    ? channel.model(g, window.contexts(grid, g, new int[n])) : null));
                }
            }
            fb.addStream(TokenStream.of(h.streamFirstGroup(s), coders[s], p));
        }
        return fb.build();
    }

    /**
     * Indices drawn from the model's order-0 distribution, integer-only. With the 64-bit LCG of
     * {@code entropy-coding.md} 8.3, {@code x = seed}, for every group g = 0..G-1 and every position p = 0..n-1 in
     * token order: {@code x = x * 6364136223846793005 + 1442695040888963407 (mod 2^64)}, {@code u = x >> 40}
     * (24 bits), {@code t = (u * S_g) >> 24} with {@code S_g} the sum of the counts {@code C_g} of group g, and the
     * index is the smallest s with {@code C_g[0] + ... + C_g[s] > t}.
     */
    static int[][] sampleOrder0(Model m, int n, long seed) {
        return sample(m, n, seed, (drawn, g, p) -> m.counts()[g]);
    }

    /** The counts row that position p of group g draws from, given the indices drawn before it. */
    private interface RowRule {
        long[] row(int[][] drawn, int g, int p);
    }

    /** n indices per group, each drawn from its row with one LCG sequence through all groups, in token order. */
    private static int[][] sample(Model m, int n, long seed, RowRule rule) {
        int[][] out = new int[m.groups()][n];
        Lcg lcg = new Lcg(seed);
        for (int g = 0; g < m.groups(); g++) {
            for (int p = 0; p < n; p++) {
                out[g][p] = lcg.draw(rule.row(out, g, p));
            }
        }
        return out;
    }

    /**
     * Indices drawn from the bundle's context tables, integer-only, on a grid of {@code columns x rows}: as
     * {@link #sampleOrder0} (one LCG sequence through all groups, {@code u = x >> 40}), but position p of group g
     * uses the counts {@code context[g][ctx]} of its context, {@code ctx = left * 5 + up} from the indices already
     * drawn (qtk-format.md 9.2, coder 3): {@code t = (u * S) >> 24} with S the sum of that row, and the index is
     * the smallest s with {@code row[0] + ... + row[s] > t}.
     */
    static int[][] sampleContext(Model m, int columns, int rows, long seed) {
        return sample(m, columns * rows, seed,
                (drawn, g, p) -> m.contextCounts()[g][m.contexts()[g].context(drawn[g], p, columns)]);
    }

    /**
     * Indices drawn from the bundle's channel tables, integer-only, n per group: as {@link #sampleOrder0} (one LCG
     * sequence through all groups, {@code u = x >> 40}), but position p of group g uses the counts
     * {@code channel[g][ctx]} of its context, coder 4's rule over the groups already drawn (qtk-format.md 9.2):
     * {@code t = (u * S) >> 24} with S the sum of that row, the index the smallest s with
     * {@code row[0] + ... + row[s] > t}.
     */
    static int[][] sampleChannel(Model m, int n, long seed) {
        return sample(m, n, seed, (drawn, g, p) -> m.channelCounts()[g][m.channel().context(drawn, g, p)]);
    }

    /**
     * Indices drawn from the bundle's prediction tables, integer-only, on a grid of {@code columns x rows}: as
     * {@link #sampleOrder0} (one LCG sequence through all groups, {@code u = x >> 40}), but position p of group g
     * draws a residual s from the counts {@code residual[g][ctx]} of its coder-5 context, with the prediction pred
     * and the context of coder 5's rule over the indices already drawn (qtk-format.md 9.2; here by
     * {@link #predictStep}): {@code t = (u * S) >> 24} with S the sum of that row, s the smallest with
     * {@code row[0] + ... + row[s] > t}, and the index {@code (s + pred) mod K}.
     */
    static int[][] samplePredict(Model m, int columns, int rows, long seed) {
        int n = columns * rows;
        int[][] out = new int[m.groups()][n];
        Lcg lcg = new Lcg(seed);
        for (int g = 0; g < m.groups(); g++) {
            int[] pred = new int[n];
            for (int p = 0; p < n; p++) {
                int ctx = predictStep(m, out, g, p, columns, pred);
                out[g][p] = (lcg.draw(m.residualCounts()[g][ctx]) + pred[p]) % m.k();
            }
        }
        return out;
    }

    /**
     * Coder 5's rule for one position, written out from the spec (qtk-format.md 9.2): sets {@code pred[p]} from
     * the groups before g and the indices of group g before p, and returns the context.
     */
    static int predictStep(Model m, int[][] x, int g, int p, int columns, int[] pred) {
        PredictionTables t = m.prediction();
        int q = predictionRule(x, g, p, columns, m.k(), t.window(), t.shift(), t.activity(), t.coefficients(g), pred);
        return m.channel().context(x, g, p) * (t.activity().length + 1) + q;
    }

    /**
     * Coder 5's prediction and activity class at position p of group g (qtk-format.md 9.2), written out directly
     * (the generator's and {@code PredictionTablesTest}'s reference): sets {@code pred[p]} from the groups before g
     * in the window and the indices of group g before p ({@code K / 2} for an absent neighbour), and returns
     * {@code q}, the number of activity thresholds that the prediction errors of the left and up positions reach.
     *
     * @param a group g's coefficients {@code {x_{g-N}, ..., x_{g-1}, L, U, UL, UR, bias}}
     * @param pred the predictions of group g, filled up to p
     */
    static int predictionRule(int[][] x, int g, int p, int columns, int k, int window, int shift, int[] activity,
            int[] a, int[] pred) {
        int half = k / 2;
        int r = p / columns;
        int c = p % columns;
        long acc = a[window + 4];
        for (int i = 0; i < window; i++) {
            if (g - window + i >= 0) {
                acc += (long) a[i] * x[g - window + i][p];
            }
        }
        long left = c > 0 ? x[g][p - 1] : half;
        long up = r > 0 ? x[g][p - columns] : half;
        long upLeft = r > 0 && c > 0 ? x[g][p - columns - 1] : half;
        long upRight = r > 0 && c < columns - 1 ? x[g][p - columns + 1] : half;
        acc += a[window] * left + a[window + 1] * up + a[window + 2] * upLeft + a[window + 3] * upRight;
        long v = Math.floorDiv(acc + (1L << (shift - 1)), 1L << shift);
        pred[p] = (int) Math.max(0, Math.min(k - 1, v));
        long act = (c > 0 ? Math.abs(left - pred[p - 1]) : 0) + (r > 0 ? Math.abs(up - pred[p - columns]) : 0);
        int q = 0;
        for (int t : activity) {
            q += act >= t ? 1 : 0;
        }
        return q;
    }

    /** The samplers' one LCG sequence ({@code entropy-coding.md} 8.3) and their integer inverse-CDF draw. */
    private static final class Lcg {
        private long x;

        Lcg(long seed) {
            x = seed;
        }

        /**
         * Steps {@code x = x * 6364136223846793005 + 1442695040888963407 (mod 2^64)}, takes {@code u = x >> 40}
         * (24 bits) and {@code t = (u * S) >> 24} with S the sum of c, and returns the smallest s with
         * {@code c[0] + ... + c[s] > t}.
         */
        int draw(long[] c) {
            long total = 0;
            for (long v : c) {
                total += v;
            }
            x = x * 6364136223846793005L + 1442695040888963407L;
            long t = ((x >>> 40) * total) >>> 24;
            long acc = 0;
            int s = 0;
            while (true) {
                acc += c[s];
                if (acc > t) {
                    return s;
                }
                s++;
            }
        }
    }

    /** Hand-picked indices covering every value: {@code (7 * p + 5 * g) mod K}. */
    static int[][] ramp(Model m, int n) {
        int[][] out = new int[m.groups()][n];
        for (int g = 0; g < m.groups(); g++) {
            for (int p = 0; p < n; p++) {
                out[g][p] = (7 * p + 5 * g) % m.k();
            }
        }
        return out;
    }

    /** @return the QTOK chunks of a file, in order */
    static List<ChunkInfo> qtoks(byte[] file) {
        return listing(file).chunks().stream().filter(c -> c.type().equals(ChunkType.QTOK)).toList();
    }

    /** @return the file cut in the middle of the data of its QTOK number {@code index} (from 0): a truncated file */
    static byte[] cutInsideQtok(byte[] file, int index) {
        ChunkInfo c = qtoks(file).get(index);
        return Arrays.copyOf(file, (int) (c.offset() + 8 + c.dataLength() / 2));
    }

    static ChunkListing listing(byte[] b) {
        try {
            return QtkReader.listChunks(b);
        } catch (QtkFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    // ----------------------------------------------------------------------------------------- expected.txt

    /**
     * The text of {@code expected.txt}: a model block per bundle, then one block per vector made from its source
     * indices.
     */
    static String expected(Model m, Model mc, Model mh, List<Vector> vectors) {
        return expected(m, mc, mh, null, vectors);
    }

    static String expected(Model m, Model mc, Model mh, Model mp, List<Vector> vectors) {
        StringBuilder s = new StringBuilder();
        s.append("# qtk token-level conformance vectors: expected results (generated by\n");
        s.append("# io.qtk.codec.GoldenTokenVectors; format described in README.md).\n");
        s.append("# A model block per bundle, then one block per file.\n");
        modelBlock(s, m);
        modelBlock(s, mc);
        modelBlock(s, mh);
        if (mp != null) {
            modelBlock(s, mp);
        }
        for (Vector v : vectors) {
            QtkFile f;
            try {
                f = QtkReader.read(v.bytes());
            } catch (QtkFormatException e) {
                throw new IllegalStateException(v.name(), e);
            }
            s.append(block(v.model(), v.name(), v.bytes(), v.note(), v.source(), f, v.indices()));
        }
        return s.toString();
    }

    static void modelBlock(StringBuilder s, Model m) {
        s.append("\n== model ").append(m.path()).append('\n');
        s.append("model_name ").append(m.id().name()).append('\n');
        s.append("model_version ").append(m.id().version()).append('\n');
        s.append("model_sha256 ").append(m.id().sha256Hex()).append('\n');
        s.append("G ").append(m.groups()).append('\n');
        s.append("K ").append(m.k()).append('\n');
        s.append("d ").append(m.dim()).append('\n');
        s.append("static_precision ").append(m.tables()[0].totalBits()).append('\n');
        for (int g = 0; g < m.groups(); g++) {
            line(s, "order0 " + g, m.counts()[g]);
            line(s, "static_table " + g, m.tables()[g].frequencies());
        }
        if (m.contexts() != null) {
            contextBlock(s, m);
        }
        if (m.channel() != null) {
            channelBlock(s, m);
        }
        if (m.prediction() != null) {
            predictBlock(s, m);
        }
    }

    private static void predictBlock(StringBuilder s, Model m) {
        PredictionTables t = m.prediction();
        s.append("entropy.predict ").append(ModelManifest.PREDICT_LINEAR).append('\n');
        s.append("predict_window ").append(t.window()).append('\n');
        s.append("predict_shift ").append(t.shift()).append('\n');
        line(s, "predict_activity", t.activity());
        for (int g = 0; g < m.groups(); g++) {
            int group = g;
            line(s, "predict " + g, m.coefficients()[g]);
            tableLines(s, "residual", g, t.contexts(), m.residualCounts()[g], c -> t.table(group, c));
        }
    }

    private static void channelBlock(StringBuilder s, Model m) {
        ChannelTables t = m.channel();
        s.append("entropy.channel ").append(ModelManifest.CHANNEL_PREVIOUS_GROUPS).append('\n');
        s.append("channel_window ").append(t.window()).append('\n');
        line(s, "channel_thresholds", t.thresholds());
        for (int g = 0; g < m.groups(); g++) {
            int group = g;
            line(s, "weights " + g, m.weights()[g]);
            tableLines(s, "channel", g, t.contexts(), m.channelCounts()[g], c -> t.table(group, c));
        }
    }

    private static void contextBlock(StringBuilder s, Model m) {
        s.append("entropy.context ").append(ModelManifest.CONTEXT_GRID_NEIGHBOURS_4).append('\n');
        for (int g = 0; g < m.groups(); g++) {
            line(s, "classes " + g, m.classes()[g]);
            tableLines(s, "context", g, ContextTables.CONTEXTS, m.contextCounts()[g], m.contexts()[g]::table);
        }
    }

    /** For each of the contexts of group g, a line of its counts, then one of its normalised table. */
    private static void tableLines(StringBuilder s, String name, int g, int contexts, long[][] counts,
            IntFunction<FrequencyTable> table) {
        for (int c = 0; c < contexts; c++) {
            line(s, name + " " + g + " " + c, counts[c]);
            line(s, name + "_table " + g + " " + c, table.apply(c).frequencies());
        }
    }

    /** A line of {@code expected.txt}: the head, then each value after a space. */
    private static void line(StringBuilder s, String head, long[] values) {
        s.append(head);
        for (long v : values) {
            s.append(' ').append(v);
        }
        s.append('\n');
    }

    private static void line(StringBuilder s, String head, int[] values) {
        s.append(head);
        for (int v : values) {
            s.append(' ').append(v);
        }
        s.append('\n');
    }

    /**
     * One vector's block.
     *
     * @param indices the indices of the groups present ({@code f.groupsPresent()} rows), from the generator or
     *     from decoding
     */
    static String block(Model m, String name, byte[] bytes, String note, String source, QtkFile f,
            int[][] indices) {
        StringBuilder s = new StringBuilder();
        QtkHeader h = f.header();
        s.append("\n== ").append(name).append('\n');
        s.append("bytes ").append(bytes.length).append('\n');
        s.append("sha256 ").append(hex(sha256(bytes))).append('\n');
        s.append("note ").append(note).append('\n');
        s.append("source ").append(source).append('\n');
        s.append("truncated ").append(f.truncated() ? "yes" : "no").append('\n');
        s.append("width ").append(h.width()).append('\n');
        s.append("height ").append(h.height()).append('\n');
        s.append("channels ").append(h.channels().code()).append('\n');
        s.append("model_name ").append(h.model().name()).append('\n');
        s.append("model_version ").append(h.model().version()).append('\n');
        s.append("model_sha256 ").append(h.model().sha256Hex()).append('\n');
        s.append("quantiser ").append(h.quantiser().kindName()).append('\n');
        s.append("f ").append(h.quantiser().cellSize()).append('\n');
        s.append("G ").append(h.quantiser().groups()).append('\n');
        s.append("K ").append(h.quantiser().codebookSize()).append('\n');
        s.append("d ").append(h.quantiser().codewordDim()).append('\n');
        s.append("latent_width ").append(h.tokenColumns()).append('\n');
        s.append("latent_height ").append(h.tokenRows()).append('\n');
        s.append("groups_coded ").append(h.groupsCoded()).append('\n');
        s.append("stream_layout");
        for (int n : h.streamLayout()) {
            s.append(' ').append(n);
        }
        s.append('\n');
        s.append("groups_present ").append(f.groupsPresent()).append('\n');
        for (int i = 0; i < f.streams().size(); i++) {
            TokenStream t = f.streams().get(i);
            s.append("stream ").append(i).append(" first_group ").append(t.firstGroup()).append(" groups ")
                    .append(t.groupCount()).append(" coder ").append(t.coderId()).append('\n');
            for (int g = 0; g < t.groupCount(); g++) {
                s.append("  payload ").append(t.firstGroup() + g).append(" length ").append(t.payloadLength(g))
                        .append(" sha256 ").append(hex(sha256(t.payload(g)))).append('\n');
            }
        }
        int cols = h.tokenColumns();
        for (int g = 0; g < indices.length; g++) {
            int[] row = indices[g];
            s.append("group ").append(g).append(" indices_sha256 ").append(hex(sha256(u16be(row)))).append('\n');
            if (row.length <= LIST_LIMIT) {
                for (int y = 0; y < h.tokenRows(); y++) {
                    s.append("  row ").append(y).append(':');
                    for (int x = 0; x < cols; x++) {
                        s.append(' ').append(row[y * cols + x]);
                    }
                    s.append('\n');
                }
            }
        }
        for (int g = indices.length; g < h.quantiser().groups(); g++) {
            s.append("group ").append(g).append(" absent\n");
        }
        s.append("latent_sha256 ").append(hex(sha256(latentBytes(m, h, indices)))).append('\n');
        return s.toString();
    }

    /** Indices as big-endian u16, in token order. */
    static byte[] u16be(int[] indices) {
        ByteBuffer b = ByteBuffer.allocate(2 * indices.length);
        for (int v : indices) {
            b.putShort((short) v);
        }
        return b.array();
    }

    /**
     * The de-quantised latent of the spec (section 9.3), {@code [C][rows][columns]} with C = G * d: channel
     * {@code g * d + j} at position p is component j of codeword {@code indices[g][p]} of codebook g for the groups
     * present, +0.0 for the others; as IEEE 754 binary32, big-endian.
     */
    static float[] latent(Model m, QtkHeader h, int[][] indices) {
        int n = Math.toIntExact(h.tokensPerGroup());
        int d = m.dim();
        float[] out = new float[m.groups() * d * n];
        for (int g = 0; g < indices.length; g++) {
            Codebook cb = m.codebooks().get(g);
            for (int p = 0; p < n; p++) {
                for (int j = 0; j < d; j++) {
                    out[(g * d + j) * n + p] = cb.get(indices[g][p], j);
                }
            }
        }
        return out;
    }

    static byte[] latentBytes(Model m, QtkHeader h, int[][] indices) {
        float[] l = latent(m, h, indices);
        ByteBuffer b = ByteBuffer.allocate(4 * l.length);
        for (float v : l) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        return b.array();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * @return the generator's files of {@code testdata/golden/tokens/} by name: the vectors, {@code expected.txt}
     *     and the context bundle {@link #CONTEXT_MODEL}
     */
    static Map<String, byte[]> files(Model m, Model mc, Model mh, Model mp, byte[] contextBundle,
            byte[] channelBundle, byte[] predictBundle, List<Vector> vectors) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Vector v : vectors) {
            out.put(v.name(), v.bytes());
        }
        out.put("expected.txt", expected(m, mc, mh, mp, vectors).getBytes(StandardCharsets.UTF_8));
        out.put(Path.of(CONTEXT_MODEL).getFileName().toString(), contextBundle);
        out.put(Path.of(CHANNEL_MODEL).getFileName().toString(), channelBundle);
        out.put(Path.of(PREDICT_MODEL).getFileName().toString(), predictBundle);
        return out;
    }

    /**
     * Writes the vectors.
     *
     * @param args the output directory (default {@code testdata/golden/tokens})
     * @throws IOException on a write error
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "testdata/golden/tokens");
        Files.createDirectories(dir);
        Model m = model();
        byte[] cb = contextBundleBytes();
        Model mc = Model.of(ModelBundle.read(cb, CONTEXT_MODEL), CONTEXT_MODEL);
        byte[] hb = channelBundle(cb);
        Model mh = Model.of(ModelBundle.read(hb, CHANNEL_MODEL), CHANNEL_MODEL);
        byte[] pb = predictBundle(hb);
        Model mp = Model.of(ModelBundle.read(pb, PREDICT_MODEL), PREDICT_MODEL);
        for (Map.Entry<String, byte[]> e : files(m, mc, mh, mp, cb, hb, pb, build(m, mc, mh, mp)).entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println(dir.resolve(e.getKey()) + " " + e.getValue().length + " bytes");
        }
    }
}
