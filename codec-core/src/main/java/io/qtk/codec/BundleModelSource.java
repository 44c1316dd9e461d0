package io.qtk.codec;

import io.qtk.ModelDescription;
import io.qtk.QtkConfig;
import io.qtk.QtkException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.model.ModelBundle;
import io.qtk.model.ModelInfo;
import io.qtk.model.ModelManifest;
import io.qtk.model.ModelNotFoundException;
import io.qtk.model.ModelRegistry;
import io.qtk.quant.GlobalQuantiser;
import io.qtk.quant.GridQuantiser;
import io.qtk.runtime.BackendOptions;
import io.qtk.runtime.FloatTensor;
import io.qtk.runtime.InferenceException;
import io.qtk.runtime.ModelSession;
import io.qtk.runtime.OnnxBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The production {@link ModelSource}: bundles from the {@link ModelRegistry} (embedded on the class path,
 * {@code QTK_MODEL_PATH} / {@code qtk.model.path}, and {@link QtkConfig#modelDirs()}), sessions from the ONNX
 * Runtime backend. A bundle is loaded once per source and its sessions are reused by every call; {@link #close()}
 * releases them all.
 *
 * <p>The default model (encode without a model name) is the first model embedded on the class path, or, when none
 * is, the first model of {@code QTK_MODEL_PATH} / {@code qtk.model.path}, then of {@link QtkConfig#modelDirs()}.
 */
public final class BundleModelSource implements ModelSource {
    private final ModelRegistry registry;
    private final OnnxBackend backend;
    private final Map<String, BundleModel> loaded = new ConcurrentHashMap<>();
    /** Encode lookups by requested name ("" = default): the registry is asked once per name. */
    private final Map<String, BundleModel> byName = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final List<Path> configDirs;

    private BundleModelSource(ModelRegistry registry, OnnxBackend backend, List<Path> configDirs) {
        this.registry = registry;
        this.backend = backend;
        this.configDirs = configDirs;
    }

    /**
     * @param config threads, provider and extra model directories
     * @return a new source
     * @throws QtkException when ONNX Runtime cannot start
     */
    public static BundleModelSource open(QtkConfig config) throws QtkException {
        ModelRegistry.Builder rb = ModelRegistry.builder();
        for (Path p : config.modelDirs()) {
            rb.addDirectory(p);
        }
        return open(rb.build(), config);
    }

    /**
     * @param registry where bundles are found
     * @param config threads and provider
     * @return a new source
     * @throws QtkException when ONNX Runtime cannot start
     */
    public static BundleModelSource open(ModelRegistry registry, QtkConfig config) throws QtkException {
        try {
            BackendOptions.Builder ob = BackendOptions.builder();
            if (config.intraOpThreads() > 0) {
                ob.intraOpThreads(config.intraOpThreads());
            }
            if (config.useCuda()) {
                ob.useCuda(Boolean.TRUE);
            }
            return new BundleModelSource(registry, OnnxBackend.create(ob.build()), config.modelDirs());
        } catch (InferenceException | RuntimeException | LinkageError e) {
            throw new QtkException("ONNX Runtime cannot start: " + e.getMessage(), e);
        }
    }

    /** @return the registry */
    public ModelRegistry registry() {
        return registry;
    }

    @Override
    public CodecModel forEncode(String name) throws IOException {
        ensureOpen();
        BundleModel cached = byName.get(name == null ? "" : name);
        if (cached != null) {
            return cached;
        }
        ModelBundle b;
        try {
            if (name != null) {
                b = registry.find(name);
            } else {
                ModelInfo def = defaultModel();
                if (def == null) {
                    throw new ModelNotFoundException(null, null, null, List.of(), List.of());
                } else {
                    b = registry.find(def.name(), def.version());
                }
            }
        } catch (ModelNotFoundException e) {
            throw notFound(e);
        }
        BundleModel m = model(b);
        byName.putIfAbsent(name == null ? "" : name, m);
        return m;
    }

    private ModelInfo defaultModel() {
        List<ModelInfo> all = ordered();
        return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public CodecModel forDecode(String name, String version, String sha256Hex) throws IOException {
        ensureOpen();
        BundleModel m = loaded.get(sha256Hex);
        if (m != null && m.bundle.name().equals(name) && m.bundle.version().equals(version)) {
            return m;
        }
        try {
            return model(registry.find(name, version, sha256Hex));
        } catch (ModelNotFoundException e) {
            throw notFound(e);
        }
    }

    /** A missing model is the API's {@link ModelNotFoundException} (an {@link IOException}), passed on as is. */
    static IOException notFound(ModelNotFoundException e) {
        return e;
    }

    private BundleModel model(ModelBundle b) throws QtkException {
        BundleModel m = loaded.computeIfAbsent(b.sha256Hex(), k -> new BundleModel(b, backend.session(b)));
        ensureOpen();
        return m;
    }

    /**
     * The registry's models in the API's order: embedded (class path) first, then {@code QTK_MODEL_PATH} /
     * {@code qtk.model.path}, then {@link QtkConfig#modelDirs()}.
     */
    private List<ModelInfo> ordered() {
        List<ModelInfo> cp = new ArrayList<>();
        List<ModelInfo> env = new ArrayList<>();
        List<ModelInfo> cfg = new ArrayList<>();
        for (ModelInfo i : registry.list()) {
            if (i.source().startsWith("classpath:")) {
                cp.add(i);
            } else if (i.path().isPresent() && inConfigDir(i.path().get())) {
                cfg.add(i);
            } else {
                env.add(i);
            }
        }
        cp.addAll(env);
        cp.addAll(cfg);
        return cp;
    }

    private boolean inConfigDir(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        for (Path d : configDirs) {
            if (abs.startsWith(d.toAbsolutePath().normalize())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ModelDescription> list() {
        List<ModelDescription> out = new ArrayList<>();
        for (ModelInfo i : ordered()) {
            String sha;
            try {
                sha = i.sha256Hex();
            } catch (IOException e) {
                continue;
            }
            out.add(describe(i.manifest(), sha, i.source()));
        }
        return out;
    }

    static ModelDescription describe(ModelManifest m, String sha, String source) {
        boolean grid = m.quantiser() == ModelManifest.Quantiser.GRID;
        List<Integer> ladder = new ArrayList<>();
        for (int g : m.ladder()) {
            ladder.add(g);
        }
        return new ModelDescription(m.name(), m.version(), sha, grid ? "grid" : "global", m.groups(),
                m.codebookSize(), m.codebookDim(), grid ? m.gridFactor() : m.globalTile(), List.copyOf(ladder),
                source);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model source is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BundleModel m : loaded.values()) {
            m.close();
        }
        loaded.clear();
        backend.close();
    }

    /** One loaded bundle: tables, quantiser and the (lazily created) ONNX sessions. */
    static final class BundleModel implements CodecModel, TileNetwork, LatentQuantiser, GlobalNetwork {
        final ModelBundle bundle;
        private final ModelSession session;
        private final ModelDescription description;
        private final FrequencyTable[] tables;
        /** Context tables per group, made on first use (null entries until then); null when the bundle has none. */
        private final AtomicReferenceArray<ContextTables> contexts;
        /** Coder 4's tables (each group's made on first use); null when the bundle has none. */
        private final ChannelTables channel;
        /** Coder 5's tables (each group's made on first use); null when the bundle has none. */
        private final PredictionTables prediction;
        private final GridQuantiser quantiser;
        private final GlobalQuantiser globalQuantiser;
        private final int factor;
        private final int channels;

        BundleModel(ModelBundle bundle, ModelSession session) {
            this.bundle = bundle;
            this.session = session;
            ModelManifest m = bundle.manifest();
            this.description = describe(m, bundle.sha256Hex(), bundle.source());
            this.tables = new FrequencyTable[m.groups()];
            for (int g = 0; g < tables.length; g++) {
                tables[g] = FrequencyTable.fromCounts(bundle.order0Counts(g));
            }
            this.contexts = bundle.hasContextTables() ? new AtomicReferenceArray<>(m.groups()) : null;
            if (bundle.hasChannelTables()) {
                int[][] w = new int[m.groups()][];
                for (int g = 0; g < w.length; g++) {
                    w[g] = bundle.channelWeights(g);
                }
                this.channel = ChannelTables.of(m.channelWindow(), m.channelThresholds(), w, bundle::channelCounts);
            } else {
                this.channel = null;
            }
            if (bundle.hasPredictionTables()) {
                int[][] a = new int[m.groups()][];
                for (int g = 0; g < a.length; g++) {
                    a[g] = bundle.predictionCoefficients(g);
                }
                this.prediction = PredictionTables.of(channel, m.predictWindow(), m.predictShift(),
                        m.predictActivity(), a, bundle::residualCounts);
            } else {
                this.prediction = null;
            }
            boolean grid = m.quantiser() == ModelManifest.Quantiser.GRID;
            this.quantiser = grid ? new GridQuantiser(bundle.codebooks()) : null;
            this.globalQuantiser = grid ? null : new GlobalQuantiser(bundle.codebooks());
            this.factor = grid ? m.gridFactor() : m.globalTile();
            this.channels = grid ? m.latentChannels() : m.groups() * m.codebookDim();
        }

        @Override
        public ModelDescription description() {
            return description;
        }

        @Override
        public int haloPixels() {
            return bundle.manifest().halo();
        }

        @Override
        public FrequencyTable table(int group) {
            return tables[group];
        }

        @Override
        public ContextTables contextTables(int group) {
            if (contexts == null) {
                return null;
            }
            ContextTables c = contexts.get(group);
            if (c == null) {
                c = ContextTables.fromCounts(bundle.contextClasses(group), bundle.contextCounts(group));
                contexts.compareAndSet(group, null, c);
            }
            return c;
        }

        @Override
        public boolean hasContextTables() {
            return contexts != null;
        }

        @Override
        public ChannelTables channelTables() {
            return channel;
        }

        @Override
        public PredictionTables predictionTables() {
            return prediction;
        }

        @Override
        public TileNetwork network() {
            return this;
        }

        @Override
        public LatentQuantiser quantiser() {
            return this;
        }

        @Override
        public GlobalNetwork globalNetwork() {
            if (globalQuantiser == null) {
                throw new UnsupportedOperationException("not a global model");
            }
            return this;
        }

        // GlobalNetwork

        @Override
        public int tileSize() {
            return factor;
        }

        @Override
        public int tokens() {
            return description.groups();
        }

        @Override
        public float[] encode(float[] rgb) throws QtkException {
            return encode(rgb, factor, factor);
        }

        @Override
        public float[] decode(float[] tokens) throws QtkException {
            try {
                return session.runDecoder(new FloatTensor(tokens, 1, description.groups(), description.codebookDim()))
                        .data();
            } catch (InferenceException e) {
                throw new QtkException("decoder of model " + description.name() + " " + description.version()
                        + " failed on a tile: " + e.getMessage(), e);
            }
        }

        @Override
        public int[] quantise(float[] tokens) {
            return globalQuantiser.quantiseTile(tokens);
        }

        @Override
        public float[] dequantise(int[] indices, int present) {
            return globalQuantiser.dequantiseTile(indices, present);
        }

        // TileNetwork

        @Override
        public int factor() {
            return factor;
        }

        @Override
        public int latentChannels() {
            return channels;
        }

        @Override
        public float[] encode(float[] rgb, int h, int w) throws QtkException {
            try {
                return session.runEncoder(rgb, h, w).data();
            } catch (InferenceException e) {
                throw new QtkException("encoder of model " + description.name() + " " + description.version()
                        + " failed on a " + w + "x" + h + " tile: " + e.getMessage(), e);
            }
        }

        @Override
        public float[] decode(float[] latent, int lh, int lw) throws QtkException {
            try {
                return session.runDecoder(latent, lh, lw).data();
            } catch (InferenceException e) {
                throw new QtkException("decoder of model " + description.name() + " " + description.version()
                        + " failed on a " + lw + "x" + lh + " latent: " + e.getMessage(), e);
            }
        }

        // LatentQuantiser

        @Override
        public int groups() {
            return description.groups();
        }

        @Override
        public int dim() {
            return description.codebookDim();
        }

        @Override
        public int codebookSize() {
            return description.codebookSize();
        }

        @Override
        public int[][] quantise(float[] latent, int n) {
            return quantiser.quantise(latent, 1, n);
        }

        @Override
        public void dequantise(int[][] indices, int groupsUsed, float[] latent) {
            quantiser.dequantise(indices, groupsUsed, latent);
        }

        @Override
        public float[] uniformLadder(int g) {
            return quantiser == null ? null : quantiser.uniformLadder(g);
        }

        @Override
        public void close() {
            session.close();
        }

        @Override
        public String toString() {
            return "model " + description.name() + " " + description.version() + " " + Arrays.toString(
                    new int[] {description.groups(), description.codebookSize(), description.codebookDim()});
        }
    }
}
