package io.qtk.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typed, validated view of a bundle's {@code manifest.properties} (bundle spec, "Manifest keys"). Instances are
 * immutable; {@link #parse} is the only way to make one, and it rejects anything the spec does not allow.
 *
 * <p>Rules enforced: {@code format} is {@code qtk-model-bundle/1} (a minor suffix like {@code /1.2} is accepted,
 * another major is not); {@code name} matches {@code [a-z0-9][a-z0-9._-]{0,63}}, {@code version}
 * {@code [A-Za-z0-9._-]{1,32}}; {@code quantiser} is {@code grid} or {@code global}; {@code groups} 1..65535,
 * {@code codebook.size} 2..65536, {@code codebook.dim} 1..1024; grid models need {@code latent.channels == groups *
 * codebook.dim} and a positive {@code grid.factor}; global models need a positive {@code global.tile};
 * {@code halo} (optional, default 0) is {@code >= 0} and, for grid models, a multiple of the factor; {@code ladder}
 * is a non-empty, strictly increasing list of group counts in {@code 1..groups}; the four {@code io.*} tensor names
 * are present and non-empty; {@code entropy.context} (optional) is {@value #CONTEXT_GRID_NEIGHBOURS_4};
 * {@code entropy.channel} (optional) is {@value #CHANNEL_PREVIOUS_GROUPS} and comes with
 * {@code entropy.channel.window} (1..255) and {@code entropy.channel.thresholds} (1..62 strictly ascending integers
 * in 1..65535), neither of which may appear without it; {@code entropy.predict} (optional, and only with
 * {@code entropy.channel}) is {@value #PREDICT_LINEAR} and comes with {@code entropy.predict.window} (1..255),
 * {@code entropy.predict.shift} (1..30) and {@code entropy.predict.activity} (1..16 strictly ascending integers in
 * 1..65535), none of which may appear without it. Integers are plain decimal. A key given twice is an error.
 */
public final class ModelManifest {
    /** The manifest format this reader implements. */
    public static final String FORMAT = "qtk-model-bundle/1";

    private static final Pattern FORMAT_RE = Pattern.compile("qtk-model-bundle/(\\d{1,9})(\\.\\d{1,9})*");
    /** Model name syntax (bundle spec). */
    public static final Pattern NAME_SYNTAX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Model version syntax (bundle spec). */
    public static final Pattern VERSION_SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern INT_RE = Pattern.compile("\\d{1,9}");

    /** Manifest key naming the selector of the context tables ({@code entropy/classes.bin}, {@code context.bin}). */
    public static final String CONTEXT_KEY = "entropy.context";
    /**
     * The one value of {@link #CONTEXT_KEY} this reader knows: the grid neighbours selector with 4 classes
     * ({@code entropy-coding.md} section 5; 25 contexts), used by coder id 3 of {@code qtk-format.md} 9.2.
     */
    public static final String CONTEXT_GRID_NEIGHBOURS_4 = "grid-neighbours-4";
    /** Q: context classes of {@link #CONTEXT_GRID_NEIGHBOURS_4}; each codeword's class is in {@code [0, Q)}. */
    public static final int CONTEXT_CLASSES = 4;
    /** Contexts of {@link #CONTEXT_GRID_NEIGHBOURS_4}: {@code (Q + 1)^2 = 25}. */
    public static final int CONTEXTS = (CONTEXT_CLASSES + 1) * (CONTEXT_CLASSES + 1);

    /**
     * Manifest key naming the rule of the channel tables ({@code entropy/weights.bin}, {@code entropy/channel.bin})
     * of coder id 4.
     */
    public static final String CHANNEL_KEY = "entropy.channel";
    /**
     * The one value of {@link #CHANNEL_KEY} this reader knows: the context of an index is the window sum of the
     * weights of the previous groups' indices at the same position, against thresholds ({@code qtk-format.md} 9.2,
     * coder 4).
     */
    public static final String CHANNEL_PREVIOUS_GROUPS = "previous-groups";
    /** Manifest key of the channel tables' window N, 1..255 (with {@link #CHANNEL_KEY}). */
    public static final String CHANNEL_WINDOW_KEY = "entropy.channel.window";
    /**
     * Manifest key of the channel tables' thresholds {@code T_1..T_L}: comma-separated, strictly ascending, each
     * 1..65535, L 1..62 (with {@link #CHANNEL_KEY}).
     */
    public static final String CHANNEL_THRESHOLDS_KEY = "entropy.channel.thresholds";
    /** Largest channel window N. */
    public static final int MAX_CHANNEL_WINDOW = 255;
    /** Largest number of channel thresholds L. */
    public static final int MAX_CHANNEL_THRESHOLDS = 62;
    /** Largest channel threshold. */
    public static final int MAX_CHANNEL_THRESHOLD = 65535;

    /**
     * Manifest key naming the rule of the prediction tables ({@code entropy/predict.bin}, {@code entropy/residual.bin})
     * of coder id 5.
     */
    public static final String PREDICT_KEY = "entropy.predict";
    /**
     * The one value of {@link #PREDICT_KEY} this reader knows: an integer linear prediction of the index from the
     * previous groups at the same position and the same group's left, up, up-left and up-right neighbours
     * ({@code qtk-format.md} 9.2, coders 5 and 6).
     */
    public static final String PREDICT_LINEAR = "linear-previous-groups-and-neighbours";
    /** Manifest key of the prediction window N, 1..255 (with {@link #PREDICT_KEY}). */
    public static final String PREDICT_WINDOW_KEY = "entropy.predict.window";
    /** Manifest key of the prediction shift S, 1..30 (with {@link #PREDICT_KEY}). */
    public static final String PREDICT_SHIFT_KEY = "entropy.predict.shift";
    /**
     * Manifest key of the activity thresholds {@code T'_1..T'_M}: comma-separated, strictly ascending, each 1..65535,
     * M 1..16 (with {@link #PREDICT_KEY}).
     */
    public static final String PREDICT_ACTIVITY_KEY = "entropy.predict.activity";
    /** Largest prediction window N. */
    public static final int MAX_PREDICT_WINDOW = 255;
    /** Largest prediction shift S. */
    public static final int MAX_PREDICT_SHIFT = 30;
    /** Largest number of activity thresholds M. */
    public static final int MAX_PREDICT_ACTIVITY = 16;
    /** Largest activity threshold. */
    public static final int MAX_PREDICT_ACTIVITY_THRESHOLD = 65535;

    /** The two quantiser kinds of the spec. */
    public enum Quantiser {
        /** Grid (product) quantiser: {@code groups} codebooks over a {@code [C, H/f, W/f]} latent. */
        GRID,
        /** Global quantiser: one codebook per token position of a {@code [N, d]} tile latent. */
        GLOBAL
    }

    private final Map<String, String> properties;
    private final String format;
    private final String name;
    private final String version;
    private final Quantiser quantiser;
    private final int groups;
    private final int codebookSize;
    private final int codebookDim;
    private final int latentChannels;
    private final int gridFactor;
    private final int globalTile;
    private final int halo;
    private final int[] ladder;
    private final String encoderInput;
    private final String encoderOutput;
    private final String decoderInput;
    private final String decoderOutput;
    private final String contextSelector;
    private final String channelSelector;
    private final int channelWindow;
    private final int[] channelThresholds;
    private final String predictSelector;
    private final int predictWindow;
    private final int predictShift;
    private final int[] predictActivity;

    private ModelManifest(Map<String, String> p, String where) throws InvalidModelException {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(p));
        this.format = required(p, "format", where);
        Matcher fm = FORMAT_RE.matcher(format);
        if (!fm.matches()) {
            throw bad(where, "format", format, "expected " + FORMAT);
        }
        if (!fm.group(1).equals("1")) {
            throw bad(where, "format", format, "unsupported major version (this reader implements " + FORMAT + ")");
        }
        this.name = required(p, "name", where);
        if (!NAME_SYNTAX.matcher(name).matches()) {
            throw bad(where, "name", name, "must match " + NAME_SYNTAX.pattern());
        }
        this.version = required(p, "version", where);
        if (!VERSION_SYNTAX.matcher(version).matches()) {
            throw bad(where, "version", version, "must match " + VERSION_SYNTAX.pattern());
        }
        String q = required(p, "quantiser", where);
        if (q.equals("grid")) {
            this.quantiser = Quantiser.GRID;
        } else if (q.equals("global")) {
            this.quantiser = Quantiser.GLOBAL;
        } else {
            throw bad(where, "quantiser", q, "must be grid or global");
        }
        this.groups = intIn(p, "groups", 1, 65535, where);
        this.codebookSize = intIn(p, "codebook.size", 2, 65536, where);
        this.codebookDim = intIn(p, "codebook.dim", 1, 1024, where);
        if (quantiser == Quantiser.GRID) {
            this.latentChannels = intIn(p, "latent.channels", 1, Integer.MAX_VALUE, where);
            if ((long) groups * codebookDim != latentChannels) {
                throw bad(where, "latent.channels", p.get("latent.channels"),
                        "must equal groups * codebook.dim = " + (long) groups * codebookDim);
            }
            this.gridFactor = intIn(p, "grid.factor", 1, 65535, where);
            this.globalTile = 0;
        } else {
            this.latentChannels = 0;
            this.gridFactor = 0;
            this.globalTile = intIn(p, "global.tile", 1, 65535, where);
        }
        this.halo = p.containsKey("halo") ? intIn(p, "halo", 0, 65536, where) : 0;
        if (quantiser == Quantiser.GRID && halo % gridFactor != 0) {
            throw bad(where, "halo", p.get("halo"), "must be a multiple of grid.factor " + gridFactor);
        }
        this.ladder = parseLadder(required(p, "ladder", where), groups, where);
        this.encoderInput = required(p, "io.encoder.input", where);
        this.encoderOutput = required(p, "io.encoder.output", where);
        this.decoderInput = required(p, "io.decoder.input", where);
        this.decoderOutput = required(p, "io.decoder.output", where);
        if (p.containsKey(CONTEXT_KEY)) {
            String c = required(p, CONTEXT_KEY, where);
            if (!c.equals(CONTEXT_GRID_NEIGHBOURS_4)) {
                throw bad(where, CONTEXT_KEY, c, "unknown context selector (this reader knows "
                        + CONTEXT_GRID_NEIGHBOURS_4 + ")");
            }
            this.contextSelector = c;
        } else {
            this.contextSelector = null;
        }
        if (p.containsKey(CHANNEL_KEY)) {
            String c = required(p, CHANNEL_KEY, where);
            if (!c.equals(CHANNEL_PREVIOUS_GROUPS)) {
                throw bad(where, CHANNEL_KEY, c, "unknown channel context rule (this reader knows "
                        + CHANNEL_PREVIOUS_GROUPS + ")");
            }
            this.channelSelector = c;
            this.channelWindow = intIn(p, CHANNEL_WINDOW_KEY, 1, MAX_CHANNEL_WINDOW, where);
            this.channelThresholds = parseThresholds(required(p, CHANNEL_THRESHOLDS_KEY, where), where);
        } else {
            for (String key : new String[] {CHANNEL_WINDOW_KEY, CHANNEL_THRESHOLDS_KEY}) {
                if (p.containsKey(key)) {
                    throw bad(where, key, p.get(key), "given without '" + CHANNEL_KEY + "'");
                }
            }
            this.channelSelector = null;
            this.channelWindow = 0;
            this.channelThresholds = new int[0];
        }
        if (p.containsKey(PREDICT_KEY)) {
            String c = required(p, PREDICT_KEY, where);
            if (!c.equals(PREDICT_LINEAR)) {
                throw bad(where, PREDICT_KEY, c, "unknown prediction rule (this reader knows " + PREDICT_LINEAR
                        + ")");
            }
            if (channelSelector == null) {
                throw bad(where, PREDICT_KEY, c, "the prediction tables need the channel tables ('" + CHANNEL_KEY
                        + "', entropy/weights.bin, entropy/channel.bin), and the manifest has no '" + CHANNEL_KEY
                        + "'");
            }
            this.predictSelector = c;
            this.predictWindow = intIn(p, PREDICT_WINDOW_KEY, 1, MAX_PREDICT_WINDOW, where);
            this.predictShift = intIn(p, PREDICT_SHIFT_KEY, 1, MAX_PREDICT_SHIFT, where);
            this.predictActivity = parseList(required(p, PREDICT_ACTIVITY_KEY, where), PREDICT_ACTIVITY_KEY,
                    MAX_PREDICT_ACTIVITY, MAX_PREDICT_ACTIVITY_THRESHOLD, where);
        } else {
            for (String key : new String[] {PREDICT_WINDOW_KEY, PREDICT_SHIFT_KEY, PREDICT_ACTIVITY_KEY}) {
                if (p.containsKey(key)) {
                    throw bad(where, key, p.get(key), "given without '" + PREDICT_KEY + "'");
                }
            }
            this.predictSelector = null;
            this.predictWindow = 0;
            this.predictShift = 0;
            this.predictActivity = new int[0];
        }
    }

    private static int[] parseThresholds(String v, String where) throws InvalidModelException {
        return parseList(v, CHANNEL_THRESHOLDS_KEY, MAX_CHANNEL_THRESHOLDS, MAX_CHANNEL_THRESHOLD, where);
    }

    /** A comma-separated, strictly ascending list of 1..{@code maxCount} integers in 1..{@code maxValue}. */
    private static int[] parseList(String v, String key, int maxCount, int maxValue, String where)
            throws InvalidModelException {
        String[] parts = v.split(",", -1);
        if (parts.length > maxCount) {
            throw bad(where, key, v, parts.length + " thresholds, at most " + maxCount);
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].trim();
            if (!INT_RE.matcher(s).matches()) {
                throw bad(where, key, v, "must be comma-separated decimal integers");
            }
            out[i] = Integer.parseInt(s);
            if (out[i] < 1 || out[i] > maxValue) {
                throw bad(where, key, v, "threshold " + out[i] + " outside [1, " + maxValue + "]");
            }
            if (i > 0 && out[i] <= out[i - 1]) {
                throw bad(where, key, v, "must be strictly ascending");
            }
        }
        return out;
    }

    /**
     * Parses and validates manifest text (Java {@code Properties} format, ISO-8859-1 with {@code \\uXXXX} escapes).
     *
     * @param text the bytes of {@code manifest.properties}
     * @param where names the bundle in error messages (a path or resource name)
     * @throws InvalidModelException naming the offending key and value
     */
    public static ModelManifest parse(byte[] text, String where) throws InvalidModelException {
        Map<String, String> map = new TreeMap<>();
        String[] duplicate = new String[1];
        // Properties.load silently lets a later key win; a bundle with two values for one key is ambiguous.
        @SuppressWarnings("serial")
        Properties props = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (map.put((String) key, (String) value) != null && duplicate[0] == null) {
                    duplicate[0] = (String) key;
                }
                return null;
            }
        };
        try {
            props.load(new ByteArrayInputStream(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidModelException(where + ": manifest.properties is malformed: " + e.getMessage(), e);
        }
        if (duplicate[0] != null) {
            throw new InvalidModelException(where + ": manifest key '" + duplicate[0] + "' is given more than once");
        }
        return new ModelManifest(map, where);
    }

    /** Parses a manifest given as a map of keys to values (for tools and tests). */
    public static ModelManifest of(Map<String, String> properties, String where) throws InvalidModelException {
        return new ModelManifest(new TreeMap<>(properties), where);
    }

    private static String required(Map<String, String> p, String key, String where) throws InvalidModelException {
        String v = p.get(key);
        if (v == null) {
            throw new InvalidModelException(where + ": manifest key '" + key + "' is missing");
        }
        v = v.trim();
        if (v.isEmpty()) {
            throw new InvalidModelException(where + ": manifest key '" + key + "' is empty");
        }
        return v;
    }

    private static int intIn(Map<String, String> p, String key, int min, int max, String where)
            throws InvalidModelException {
        String v = required(p, key, where);
        if (!INT_RE.matcher(v).matches()) {
            throw bad(where, key, v, "must be a decimal integer in [" + min + ", " + max + "]");
        }
        int i = Integer.parseInt(v);
        if (i < min || i > max) {
            throw bad(where, key, v, "out of range [" + min + ", " + max + "]");
        }
        return i;
    }

    private static int[] parseLadder(String v, int groups, String where) throws InvalidModelException {
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].trim();
            if (!INT_RE.matcher(s).matches()) {
                throw bad(where, "ladder", v, "must be comma-separated group counts");
            }
            out[i] = Integer.parseInt(s);
            if (out[i] < 1 || out[i] > groups) {
                throw bad(where, "ladder", v, "step " + out[i] + " outside [1, groups=" + groups + "]");
            }
            if (i > 0 && out[i] <= out[i - 1]) {
                throw bad(where, "ladder", v, "must be strictly increasing");
            }
        }
        return out;
    }

    private static InvalidModelException bad(String where, String key, String value, String why) {
        return new InvalidModelException(where + ": manifest key '" + key + "' = '" + value + "': " + why);
    }

    /** All manifest entries, sorted by key (including {@code training.*}, {@code eval.*} and unknown keys). */
    public Map<String, String> properties() {
        return properties;
    }

    /** A raw value, or null. */
    public String get(String key) {
        return properties.get(key);
    }

    /** Entries whose key starts with {@code prefix} (e.g. {@code "training."}, {@code "eval."}), sorted by key. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /** {@code format}, e.g. {@code qtk-model-bundle/1}. */
    public String format() {
        return format;
    }

    /** Model name. */
    public String name() {
        return name;
    }

    /** Model version. */
    public String version() {
        return version;
    }

    /** Quantiser kind. */
    public Quantiser quantiser() {
        return quantiser;
    }

    /** G: groups (grid) or tokens N (global). */
    public int groups() {
        return groups;
    }

    /** K: codewords per codebook. */
    public int codebookSize() {
        return codebookSize;
    }

    /** d: codeword dimension. */
    public int codebookDim() {
        return codebookDim;
    }

    /** Grid: C = G * d; 0 for global models. */
    public int latentChannels() {
        return latentChannels;
    }

    /** Grid: the down-sampling factor f; 0 for global models. */
    public int gridFactor() {
        return gridFactor;
    }

    /** Global: the tile side T in pixels; 0 for grid models. */
    public int globalTile() {
        return globalTile;
    }

    /** Context pixels a tile needs on each side (0 when absent). */
    public int halo() {
        return halo;
    }

    /** The rate ladder: group counts (prefix lengths) the model decodes, strictly increasing (a copy). */
    public int[] ladder() {
        return ladder.clone();
    }

    /** Encoder ONNX input tensor name. */
    public String encoderInput() {
        return encoderInput;
    }

    /** Encoder ONNX output tensor name. */
    public String encoderOutput() {
        return encoderOutput;
    }

    /** Decoder ONNX input tensor name. */
    public String decoderInput() {
        return decoderInput;
    }

    /** Decoder ONNX output tensor name. */
    public String decoderOutput() {
        return decoderOutput;
    }

    /**
     * The context selector the bundle's context tables use ({@value #CONTEXT_GRID_NEIGHBOURS_4}), or null when the
     * manifest has no {@value #CONTEXT_KEY} key (the bundle then has no context tables).
     */
    public String contextSelector() {
        return contextSelector;
    }

    /**
     * The rule of the bundle's channel tables ({@value #CHANNEL_PREVIOUS_GROUPS}), or null when the manifest has no
     * {@value #CHANNEL_KEY} key (the bundle then has no channel tables).
     */
    public String channelSelector() {
        return channelSelector;
    }

    /** The channel tables' window N, 1..255; 0 without channel tables. */
    public int channelWindow() {
        return channelWindow;
    }

    /** The channel tables' thresholds {@code T_1..T_L} (a copy); empty without channel tables. */
    public int[] channelThresholds() {
        return channelThresholds.clone();
    }

    /** C = L + 2, the channel tables per group; 0 without channel tables. */
    public int channelContexts() {
        return channelSelector == null ? 0 : channelThresholds.length + 2;
    }

    /**
     * The rule of the bundle's prediction tables ({@value #PREDICT_LINEAR}), or null when the manifest has no
     * {@value #PREDICT_KEY} key (the bundle then has no prediction tables).
     */
    public String predictSelector() {
        return predictSelector;
    }

    /** The prediction window N, 1..255; 0 without prediction tables. */
    public int predictWindow() {
        return predictWindow;
    }

    /** The prediction shift S, 1..30; 0 without prediction tables. */
    public int predictShift() {
        return predictShift;
    }

    /** The activity thresholds {@code T'_1..T'_M} (a copy); empty without prediction tables. */
    public int[] predictActivity() {
        return predictActivity.clone();
    }

    /** C5 = (L + 2)(M + 1), the residual tables per group; 0 without prediction tables. */
    public int predictContexts() {
        return predictSelector == null ? 0 : channelContexts() * (predictActivity.length + 1);
    }

    /** Expected size of {@code entropy/predict.bin}: G * (N + 5) * 4. */
    public long predictBytes() {
        return predictSelector == null ? 0 : (long) groups * (predictWindow + 5) * Integer.BYTES;
    }

    /** Expected size of {@code entropy/residual.bin}: G * C5 * K * 4. */
    public long residualBytes() {
        return (long) groups * predictContexts() * codebookSize * Integer.BYTES;
    }

    /** Expected size of {@code entropy/weights.bin}: G * K (one uint8 per codeword). */
    public long weightsBytes() {
        return (long) groups * codebookSize;
    }

    /** Expected size of {@code entropy/channel.bin}: G * C * K * 4. */
    public long channelBytes() {
        return (long) groups * channelContexts() * codebookSize * Integer.BYTES;
    }

    /** Expected size of {@code entropy/classes.bin}: G * K (one uint8 per codeword). */
    public long classesBytes() {
        return (long) groups * codebookSize;
    }

    /** Expected size of {@code entropy/context.bin}: G * 25 * K * 4. */
    public long contextBytes() {
        return (long) groups * CONTEXTS * codebookSize * Integer.BYTES;
    }

    /** Expected size of {@code codebooks.bin}: G * K * d * 4. */
    public long codebooksBytes() {
        return (long) groups * codebookSize * codebookDim * Float.BYTES;
    }

    /** Expected size of {@code entropy/order0.bin}: G * K * 4. */
    public long order0Bytes() {
        return (long) groups * codebookSize * Integer.BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelManifest && ((ModelManifest) o).properties.equals(properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(properties);
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + quantiser.name().toLowerCase(java.util.Locale.ROOT) + ", G=" + groups
                + ", K=" + codebookSize + ", d=" + codebookDim
                + (quantiser == Quantiser.GRID ? ", f=" + gridFactor : ", T=" + globalTile)
                + ", ladder=" + Arrays.toString(ladder) + ")";
    }
}
