package io.qtk.model;

import io.qtk.quant.Codebook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A model bundle ({@code .qtkm}) read into memory and validated against {@code format-spec/model-bundle.md}:
 * manifest, codebooks, order-0 entropy counts, and the encoder/decoder ONNX graphs, plus the SHA-256 of the whole
 * file, which is the model's identity.
 *
 * <p>Reading checks: a well-formed ZIP with at most {@value #MAX_ENTRIES} entries, no duplicate or unsafe names,
 * declared entry sizes of at most {@link #MAX_ENTRY_SIZE}, stored or deflated only, CRC-32 of every entry read; the
 * required entries present; the manifest valid ({@link ModelManifest}); {@code codebooks.bin} exactly
 * {@code G*K*d*4} bytes of finite floats; {@code entropy/order0.bin} exactly {@code G*K*4} bytes of counts
 * {@code >= 1}; the optional context tables all or nothing: {@code entropy/classes.bin} exactly {@code G*K} bytes of
 * classes {@code <= 3}, {@code entropy/context.bin} exactly {@code G*25*K*4} bytes of counts {@code >= 1}, and the
 * manifest key {@code entropy.context} naming their selector; the optional channel tables all or nothing too:
 * {@code entropy/weights.bin} exactly {@code G*K} bytes, {@code entropy/channel.bin} exactly {@code G*C*K*4} bytes of
 * counts {@code >= 1} (C = L + 2 from the manifest's thresholds), and the manifest key {@code entropy.channel}; the
 * optional prediction tables all or nothing, and only with the channel tables: {@code entropy/predict.bin} exactly
 * {@code G*(N+5)*4} bytes of int32 coefficients with {@code |a| <= 2^24} and zero in the slots of groups before group
 * 0, {@code entropy/residual.bin} exactly {@code G*C5*K*4} bytes of counts {@code >= 1} (C5 = C * (M + 1)), and the
 * manifest key {@code entropy.predict}.
 * Every violation is an {@link InvalidModelException}.
 * Unknown entries are ignored (their names are kept, see {@link #entryNames()}).
 *
 * <p>Immutable and thread-safe. Reading a bundle does not touch ONNX Runtime; sessions are made by
 * {@code io.qtk.runtime}.
 */
public final class ModelBundle {
    /** Most entries a bundle may have (spec). */
    public static final int MAX_ENTRIES = 64;
    /** Largest declared uncompressed size of one entry (spec: 256 MiB). */
    public static final long MAX_ENTRY_SIZE = 256L << 20;
    /** Largest bundle file this reader accepts (spec: bundles are smaller than 2 GiB). */
    public static final long MAX_BUNDLE_SIZE = Integer.MAX_VALUE - 64;

    /** Required entry names. */
    public static final String MANIFEST = "manifest.properties";
    /** Required entry: the encoder graph. */
    public static final String ENCODER = "encoder.onnx";
    /** Required entry: the decoder graph. */
    public static final String DECODER = "decoder.onnx";
    /** Required entry: float32 LE {@code [G][K][d]}. */
    public static final String CODEBOOKS = "codebooks.bin";
    /** Required entry: uint32 LE {@code [G][K]}. */
    public static final String ORDER0 = "entropy/order0.bin";
    /**
     * Optional entry (with {@link #CONTEXT}): uint8 {@code [G][K]}, the context class (0..3) of every codeword, for
     * the grid neighbours selector of coder id 3.
     */
    public static final String CLASSES = "entropy/classes.bin";
    /** Optional entry (with {@link #CLASSES}): uint32 LE {@code [G][25][K]}, the counts of each context's table. */
    public static final String CONTEXT = "entropy/context.bin";
    /**
     * Optional entry (with {@link #CHANNEL}): uint8 {@code [G][K]}, the weight (0..255) of every codeword for the
     * channel context of coder id 4.
     */
    public static final String WEIGHTS = "entropy/weights.bin";
    /** Optional entry (with {@link #WEIGHTS}): uint32 LE {@code [G][C][K]}, the counts of each channel context's table. */
    public static final String CHANNEL = "entropy/channel.bin";
    /**
     * Optional entry (with {@link #RESIDUAL} and the channel tables): int32 LE {@code [G][N + 5]}, the coefficients of
     * coder id 5's prediction.
     */
    public static final String PREDICT = "entropy/predict.bin";
    /** Optional entry (with {@link #PREDICT}): uint32 LE {@code [G][C5][K]}, the counts of each residual table. */
    public static final String RESIDUAL = "entropy/residual.bin";
    /** Largest magnitude of a coefficient of {@link #PREDICT}: {@code |a| <= 2^24}. */
    public static final int MAX_COEFFICIENT = 1 << 24;

    private final String source;
    private final long size;
    private final byte[] sha256;
    private final ModelManifest manifest;
    private final List<Codebook> codebooks;
    private final int[] order0; // uint32 bit patterns, [G][K] flattened
    private final byte[] classes; // [G][K], or null
    private final int[] context; // uint32 bit patterns, [G][25][K] flattened, or null
    private final byte[] weights; // [G][K], or null
    private final int[] channel; // uint32 bit patterns, [G][C][K] flattened, or null
    private final int[] predict; // int32, [G][N + 5] flattened, or null
    private final int[] residual; // uint32 bit patterns, [G][C5][K] flattened, or null
    private final byte[] encoder;
    private final byte[] decoder;
    private final List<String> entryNames;

    private ModelBundle(String source, long size, byte[] sha256, ModelManifest manifest, List<Codebook> codebooks,
            int[] order0, byte[] classes, int[] context, byte[] weights, int[] channel, int[] predict, int[] residual,
            byte[] encoder, byte[] decoder, List<String> entryNames) {
        this.source = source;
        this.size = size;
        this.sha256 = sha256;
        this.manifest = manifest;
        this.codebooks = codebooks;
        this.order0 = order0;
        this.classes = classes;
        this.context = context;
        this.weights = weights;
        this.channel = channel;
        this.predict = predict;
        this.residual = residual;
        this.encoder = encoder;
        this.decoder = decoder;
        this.entryNames = entryNames;
    }

    /**
     * Reads a bundle file.
     *
     * @throws InvalidModelException if it violates the spec
     * @throws IOException if it cannot be read
     */
    public static ModelBundle read(Path file) throws IOException {
        long n = Files.size(file);
        if (n > MAX_BUNDLE_SIZE) {
            throw new InvalidModelException(file + ": " + n + " bytes, bundles must be smaller than 2 GiB");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads a bundle from its bytes (not retained: the parts are copied out).
     *
     * @param where names the bundle in error messages and {@link #source()}
     * @throws InvalidModelException if it violates the spec
     */
    public static ModelBundle read(byte[] bundle, String where) throws InvalidModelException {
        Objects.requireNonNull(where, "where");
        try {
            ZipReader zip = ZipReader.open(ZipReader.Source.of(bundle), where);
            ModelManifest m = ModelManifest.parse(readRequired(zip, MANIFEST, where), where);
            byte[] cb = readRequired(zip, CODEBOOKS, where, m.codebooksBytes());
            byte[] o0 = readRequired(zip, ORDER0, where, m.order0Bytes());
            byte[] enc = readRequired(zip, ENCODER, where);
            byte[] dec = readRequired(zip, DECODER, where);
            List<Codebook> codebooks;
            try {
                codebooks = Codebook.fromLittleEndian(cb, m.groups(), m.codebookSize(), m.codebookDim());
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(where + ": " + CODEBOOKS + ": " + e.getMessage(), e);
            }
            int[] counts = new int[m.groups() * m.codebookSize()];
            IntBuffer ib = ByteBuffer.wrap(o0).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            ib.get(counts);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw new InvalidModelException(where + ": " + ORDER0 + ": count of group "
                            + i / m.codebookSize() + " index " + i % m.codebookSize() + " is 0 (must be >= 1)");
                }
            }
            byte[] classes = null;
            int[] context = null;
            if (hasContextTables(zip, m, where)) {
                // Sizes are checked against the manifest before anything is inflated (ZipReader bounds every
                // entry by MAX_ENTRY_SIZE): a bundle cannot make this reader allocate more than it declares.
                classes = readRequired(zip, CLASSES, where, m.classesBytes());
                for (int i = 0; i < classes.length; i++) {
                    if ((classes[i] & 0xFF) >= ModelManifest.CONTEXT_CLASSES) {
                        throw new InvalidModelException(where + ": " + CLASSES + ": class of group "
                                + i / m.codebookSize() + " index " + i % m.codebookSize() + " is "
                                + (classes[i] & 0xFF) + " (must be 0.." + (ModelManifest.CONTEXT_CLASSES - 1) + ")");
                    }
                }
                byte[] cx = readRequired(zip, CONTEXT, where, m.contextBytes());
                context = new int[cx.length / Integer.BYTES];
                ByteBuffer.wrap(cx).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(context);
                cx = null;
                int k = m.codebookSize();
                int rows = ModelManifest.CONTEXTS;
                for (int i = 0; i < context.length; i++) {
                    if (context[i] == 0) {
                        throw new InvalidModelException(where + ": " + CONTEXT + ": count of group " + i / (rows * k)
                                + " context " + i / k % rows + " index " + i % k + " is 0 (must be >= 1)");
                    }
                }
            }
            byte[] weights = null;
            int[] channel = null;
            if (hasChannelTables(zip, m, where)) {
                // As for the context tables: sizes against the manifest first, then every count.
                weights = readRequired(zip, WEIGHTS, where, m.weightsBytes());
                byte[] ch = readRequired(zip, CHANNEL, where, m.channelBytes());
                channel = new int[ch.length / Integer.BYTES];
                ByteBuffer.wrap(ch).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(channel);
                ch = null;
                int k = m.codebookSize();
                int rows = m.channelContexts();
                for (int i = 0; i < channel.length; i++) {
                    if (channel[i] == 0) {
                        throw new InvalidModelException(where + ": " + CHANNEL + ": count of group " + i / (rows * k)
                                + " context " + i / k % rows + " index " + i % k + " is 0 (must be >= 1)");
                    }
                }
            }
            int[] predict = null;
            int[] residual = null;
            if (hasPredictionTables(zip, m, where)) {
                if (channel == null) {
                    // (the manifest refuses entropy.predict without entropy.channel, so this is a guard)
                    throw new InvalidModelException(where + ": prediction tables need the channel tables");
                }
                byte[] pr = readRequired(zip, PREDICT, where, m.predictBytes());
                predict = new int[pr.length / Integer.BYTES];
                ByteBuffer.wrap(pr).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(predict);
                int n = m.predictWindow();
                int row = n + 5;
                for (int i = 0; i < predict.length; i++) {
                    int g = i / row;
                    int j = i % row;
                    int a = predict[i];
                    if (a < -MAX_COEFFICIENT || a > MAX_COEFFICIENT) {
                        throw new InvalidModelException(where + ": " + PREDICT + ": coefficient " + j + " of group "
                                + g + " is " + a + ", outside [-2^24, 2^24]");
                    }
                    if (j < n && g - n + j < 0 && a != 0) {
                        throw new InvalidModelException(where + ": " + PREDICT + ": coefficient " + j + " of group "
                                + g + " is " + a + " but multiplies group " + (g - n + j)
                                + " (before group 0), so it must be 0");
                    }
                }
                byte[] rs = readRequired(zip, RESIDUAL, where, m.residualBytes());
                residual = new int[rs.length / Integer.BYTES];
                ByteBuffer.wrap(rs).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(residual);
                rs = null;
                int k = m.codebookSize();
                int rows = m.predictContexts();
                for (int i = 0; i < residual.length; i++) {
                    if (residual[i] == 0) {
                        throw new InvalidModelException(where + ": " + RESIDUAL + ": count of group "
                                + i / (rows * k) + " context " + i / k % rows + " index " + i % k
                                + " is 0 (must be >= 1)");
                    }
                }
            }
            return new ModelBundle(where, bundle.length, sha256(bundle), m, codebooks, counts, classes, context,
                    weights, channel, predict, residual, enc, dec, List.copyOf(zip.names()));
        } catch (InvalidModelException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Anything else out of the parser is still a bad bundle, never a crash.
            throw new InvalidModelException(where + ": corrupt bundle: " + e, e);
        }
    }

    /** Whether the bundle has context tables (coder 3): both entries and the manifest key, or none of them. */
    private static boolean hasContextTables(ZipReader zip, ModelManifest m, String where)
            throws InvalidModelException {
        return allOrNone(zip, where, "context", CLASSES, CONTEXT, ModelManifest.CONTEXT_KEY,
                m.contextSelector() != null);
    }

    /** Whether the bundle has channel tables (coder 4): both entries and the manifest key, or none of them. */
    private static boolean hasChannelTables(ZipReader zip, ModelManifest m, String where)
            throws InvalidModelException {
        return allOrNone(zip, where, "channel", WEIGHTS, CHANNEL, ModelManifest.CHANNEL_KEY,
                m.channelSelector() != null);
    }

    /** Whether the bundle has prediction tables (coders 5, 6): both entries and the manifest key, or none of them. */
    private static boolean hasPredictionTables(ZipReader zip, ModelManifest m, String where)
            throws InvalidModelException {
        return allOrNone(zip, where, "prediction", PREDICT, RESIDUAL, ModelManifest.PREDICT_KEY,
                m.predictSelector() != null);
    }

    /**
     * Optional tables come as two entries plus a manifest key, all or none.
     *
     * @throws InvalidModelException when only some are present, naming what is missing
     */
    private static boolean allOrNone(ZipReader zip, String where, String what, String entryA, String entryB,
            String keyName, boolean key) throws InvalidModelException {
        boolean a = zip.entry(entryA) != null;
        boolean b = zip.entry(entryB) != null;
        if (!a && !b && !key) {
            return false;
        }
        if (a && b && key) {
            return true;
        }
        StringBuilder missing = new StringBuilder();
        if (!a) {
            missing.append("entry '").append(entryA).append("'");
        }
        if (!b) {
            missing.append(missing.length() > 0 ? " and " : "").append("entry '").append(entryB).append("'");
        }
        if (!key) {
            missing.append(missing.length() > 0 ? " and " : "").append("manifest key '").append(keyName).append("'");
        }
        throw new InvalidModelException(where + ": " + what + " tables are incomplete: " + missing
                + (missing.indexOf(" and ") >= 0 ? " are" : " is") + " missing (entries '" + entryA + "', '"
                + entryB + "' and manifest key '" + keyName + "' come together)");
    }

    /**
     * Reads a bundle from the class path.
     *
     * @param loader the class loader to ask ({@code null}: this class's loader)
     * @param resource the resource name, e.g. {@code io/qtk/models/qtk-grid-f16.qtkm} (no leading {@code /})
     * @throws java.io.FileNotFoundException if there is no such resource
     */
    public static ModelBundle readResource(ClassLoader loader, String resource) throws IOException {
        ClassLoader cl = loader != null ? loader : ModelBundle.class.getClassLoader();
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("class-path resource not found: " + name);
            }
            return read(readBounded(in, "classpath:" + name), "classpath:" + name);
        }
    }

    /** Reads at most {@link #MAX_BUNDLE_SIZE} bytes of a stream. */
    static byte[] readBounded(InputStream in, String where) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(MAX_BUNDLE_SIZE + 1, Integer.MAX_VALUE - 8));
        if (b.length > MAX_BUNDLE_SIZE) {
            throw new InvalidModelException(where + ": bundles must be smaller than 2 GiB");
        }
        return b;
    }

    /**
     * Reads only the manifest of a bundle file (central directory and one entry): what listing models needs, without
     * reading the graphs. The full validation happens in {@link #read(Path)}.
     */
    public static ModelManifest readManifest(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            String where = file.toString();
            try {
                ZipReader zip = ZipReader.open(ZipReader.Source.of(ch), where);
                return ModelManifest.parse(readRequired(zip, MANIFEST, where), where);
            } catch (InvalidModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InvalidModelException(where + ": corrupt bundle: " + e, e);
            }
        }
    }

    /** Reads only the manifest of a bundle given as bytes. */
    static ModelManifest readManifest(byte[] bundle, String where) throws InvalidModelException {
        try {
            ZipReader zip = ZipReader.open(ZipReader.Source.of(bundle), where);
            return ModelManifest.parse(readRequired(zip, MANIFEST, where), where);
        } catch (InvalidModelException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(where + ": corrupt bundle: " + e, e);
        }
    }

    private static byte[] readRequired(ZipReader zip, String name, String where) throws IOException {
        return readRequired(zip, name, where, -1);
    }

    private static byte[] readRequired(ZipReader zip, String name, String where, long expectedSize)
            throws IOException {
        ZipReader.Entry e = zip.entry(name);
        if (e == null) {
            throw new InvalidModelException(where + ": required entry '" + name + "' is missing");
        }
        if (expectedSize >= 0 && e.size != expectedSize) {
            // Checked before inflating: a wrong size says the arrays do not match the manifest.
            throw new InvalidModelException(where + ": entry '" + name + "' has " + e.size + " bytes, the manifest"
                    + " implies " + expectedSize);
        }
        return zip.read(e);
    }

    /** SHA-256 of the bytes. */
    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Where the bundle was read from (a path, {@code classpath:...}, or the name given to {@link #read(byte[], String)}). */
    public String source() {
        return source;
    }

    /** Size of the bundle file in bytes. */
    public long size() {
        return size;
    }

    /** The validated manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Shorthand for {@code manifest().name()}. */
    public String name() {
        return manifest.name();
    }

    /** Shorthand for {@code manifest().version()}. */
    public String version() {
        return manifest.version();
    }

    /** The model hash: SHA-256 of the whole bundle file (a copy, 32 bytes). */
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The model hash as 64 lower-case hex digits. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The G codebooks (grid: one per group; global: one per token position), unmodifiable. */
    public List<Codebook> codebooks() {
        return codebooks;
    }

    /** The codebook of group (or token position) {@code g}. */
    public Codebook codebook(int g) {
        return codebooks.get(g);
    }

    /** The rate ladder, as in the manifest (a copy). */
    public int[] ladder() {
        return manifest.ladder();
    }

    /** Order-0 count of index {@code k} in group {@code g}: an unsigned 32-bit value, {@code >= 1}. */
    public long order0Count(int g, int k) {
        int kk = manifest.codebookSize();
        if (g < 0 || g >= manifest.groups() || k < 0 || k >= kk) {
            throw new IndexOutOfBoundsException("group " + g + " index " + k);
        }
        return Integer.toUnsignedLong(order0[g * kk + k]);
    }

    /** The order-0 counts of group {@code g}: {@code K} values {@code >= 1} (a copy). */
    public long[] order0Counts(int g) {
        int kk = manifest.codebookSize();
        if (g < 0 || g >= manifest.groups()) {
            throw new IndexOutOfBoundsException("group " + g);
        }
        long[] out = new long[kk];
        for (int k = 0; k < kk; k++) {
            out[k] = Integer.toUnsignedLong(order0[g * kk + k]);
        }
        return out;
    }

    /** All order-0 counts, {@code [G][K]} (a copy). */
    public long[][] order0Counts() {
        long[][] out = new long[manifest.groups()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = order0Counts(g);
        }
        return out;
    }

    /**
     * @return whether the bundle has context tables ({@link #CLASSES}, {@link #CONTEXT} and the manifest's
     *     {@code entropy.context}), which coder id 3 of {@code qtk-format.md} 9.2 needs
     */
    public boolean hasContextTables() {
        return context != null;
    }

    /**
     * The context classes of group {@code g}: row g of {@code entropy/classes.bin}, K values in {@code [0, 3]}
     * (a copy).
     *
     * @throws IllegalStateException when the bundle has no context tables
     */
    public int[] contextClasses(int g) {
        return byteRow(classes, checkGroup(context, "context", g));
    }

    /**
     * The context counts of group {@code g}: {@code [25][K]}, row c the counts of context c's table (unsigned 32-bit
     * values {@code >= 1}; a copy).
     *
     * @throws IllegalStateException when the bundle has no context tables
     */
    public long[][] contextCounts(int g) {
        return countRows(context, checkGroup(context, "context", g), ModelManifest.CONTEXTS);
    }

    /**
     * @return whether the bundle has channel tables ({@link #WEIGHTS}, {@link #CHANNEL} and the manifest's
     *     {@code entropy.channel}), which coder id 4 of {@code qtk-format.md} 9.2 needs
     */
    public boolean hasChannelTables() {
        return channel != null;
    }

    /**
     * The channel weights of group {@code g}: row g of {@code entropy/weights.bin}, K values in {@code [0, 255]}
     * (a copy).
     *
     * @throws IllegalStateException when the bundle has no channel tables
     */
    public int[] channelWeights(int g) {
        return byteRow(weights, checkGroup(channel, "channel", g));
    }

    /**
     * The channel counts of group {@code g}: {@code [C][K]} with C = L + 2, row c the counts of context c's table
     * (unsigned 32-bit values {@code >= 1}; a copy).
     *
     * @throws IllegalStateException when the bundle has no channel tables
     */
    public long[][] channelCounts(int g) {
        return countRows(channel, checkGroup(channel, "channel", g), manifest.channelContexts());
    }

    /**
     * @return whether the bundle has prediction tables ({@link #PREDICT}, {@link #RESIDUAL} and the manifest's
     *     {@code entropy.predict}, over the channel tables), which coder id 5 of {@code qtk-format.md} 9.2 needs
     */
    public boolean hasPredictionTables() {
        return predict != null;
    }

    /**
     * The prediction coefficients of group {@code g}: row g of {@code entropy/predict.bin}, {@code N + 5} int32
     * values {@code a[g][0..N+4]} (a copy).
     *
     * @throws IllegalStateException when the bundle has no prediction tables
     */
    public int[] predictionCoefficients(int g) {
        int row = manifest.predictWindow() + 5;
        checkGroup(predict, "prediction", g);
        return Arrays.copyOfRange(predict, g * row, (g + 1) * row);
    }

    /**
     * The residual counts of group {@code g}: {@code [C5][K]} with C5 = (L + 2)(M + 1), row c the counts of
     * context c's table (unsigned 32-bit values {@code >= 1}; a copy).
     *
     * @throws IllegalStateException when the bundle has no prediction tables
     */
    public long[][] residualCounts(int g) {
        return countRows(residual, checkGroup(residual, "prediction", g), manifest.predictContexts());
    }

    /** Row g (K unsigned bytes) of a {@code [G][K]} uint8 table. */
    private int[] byteRow(byte[] table, int g) {
        int kk = manifest.codebookSize();
        int[] out = new int[kk];
        for (int k = 0; k < kk; k++) {
            out[k] = table[g * kk + k] & 0xFF;
        }
        return out;
    }

    /** The {@code [rows][K]} block of group g of a {@code [G][rows][K]} uint32 table, as unsigned values. */
    private long[][] countRows(int[] table, int g, int rows) {
        int kk = manifest.codebookSize();
        long[][] out = new long[rows][kk];
        int base = g * rows * kk;
        for (int c = 0; c < rows; c++) {
            for (int k = 0; k < kk; k++) {
                out[c][k] = Integer.toUnsignedLong(table[base + c * kk + k]);
            }
        }
        return out;
    }

    /** Checks that the tables are present and g is a group; returns g. */
    private int checkGroup(int[] tables, String what, int g) {
        if (tables == null) {
            throw new IllegalStateException(this + " has no " + what + " tables");
        }
        if (g < 0 || g >= manifest.groups()) {
            throw new IndexOutOfBoundsException("group " + g);
        }
        return g;
    }

    /** The encoder ONNX graph (a copy: hand it to the runtime once per session). */
    public byte[] encoderOnnx() {
        return encoder.clone();
    }

    /** The decoder ONNX graph (a copy). */
    public byte[] decoderOnnx() {
        return decoder.clone();
    }

    /** Every entry name in the archive, in central-directory order (including entries this reader ignores). */
    public List<String> entryNames() {
        return entryNames;
    }

    @Override
    public String toString() {
        return manifest.name() + " " + manifest.version() + " sha256:" + sha256Hex() + " (" + source + ")";
    }
}
