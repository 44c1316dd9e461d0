package io.qtk.model;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds model bundles: bundles embedded on the class path (listed in {@value #INDEX_RESOURCE}), bundle files
 * ({@code *.qtkm}) in directories given through the API, the system property {@value #PATH_PROPERTY} and the
 * environment variable {@value #PATH_ENV} (each a list separated by {@link File#pathSeparator}), and bundles handed
 * over in memory. See the "Discovery" section of {@code format-spec/model-bundle.md}.
 *
 * <p>Precedence, highest first: in-memory bundles, API directories, {@value #PATH_PROPERTY}, {@value #PATH_ENV}, the
 * class path; within a directory, file names in order. When two bundles have the same name and version the first in
 * that order wins a name/version lookup; a hash lookup finds whichever has the hash.
 *
 * <p>Lazy: the first lookup scans the sources, reading only each bundle's manifest (class-path bundles are read
 * once to learn their hash; the bytes are not kept). Bundles are loaded and validated in full only when returned by
 * a lookup, and then cached. ONNX sessions are never created here. Bundles that fail to read are skipped with a
 * logged warning and listed by {@link #problems()}. Thread-safe.
 */
public final class ModelRegistry {
    /** The class-path index: a UTF-8 text resource listing bundle resource names, one per line. */
    public static final String INDEX_RESOURCE = "META-INF/qtk/models.list";
    /** System property holding bundle directories. */
    public static final String PATH_PROPERTY = "qtk.model.path";
    /** Environment variable holding bundle directories. */
    public static final String PATH_ENV = "QTK_MODEL_PATH";
    /** File name extension of bundle files. */
    public static final String EXTENSION = ".qtkm";

    /**
     * The order used to pick the latest version: versions are split into runs of digits and runs of letters (other
     * characters separate); runs compare pairwise, numbers by value, letters by ASCII, a number after any letters; when
     * one runs out of runs first it is the older; remaining ties are broken by the plain string order. So
     * {@code 2 < 10}, {@code 1.9 < 1.10}, {@code 1 < 1.1}.
     */
    public static final Comparator<String> VERSION_ORDER = ModelRegistry::compareVersions;

    private static final System.Logger LOG = System.getLogger("io.qtk.model");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<ModelBundle> bundles;
    private final List<Path> apiDirs;
    private final boolean useProperty;
    private final boolean useEnv;
    private final ClassLoader classLoader; // null: no class-path discovery

    private List<ModelInfo> scanned; // guarded by this
    private List<String> problems = List.of(); // guarded by this
    private List<String> searched = List.of(); // guarded by this

    private ModelRegistry(Builder b) {
        this.bundles = List.copyOf(b.bundles);
        this.apiDirs = List.copyOf(b.dirs);
        this.useProperty = b.useProperty;
        this.useEnv = b.useEnv;
        this.classLoader = b.classLoader;
    }

    /**
     * The usual registry: {@value #PATH_PROPERTY}, {@value #PATH_ENV} and the class path of the thread's context class
     * loader (or this class's loader).
     */
    public static ModelRegistry defaults() {
        return builder().build();
    }

    /** A builder, starting from the defaults (property, environment, class path). */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a registry. Not thread-safe; the registry it builds is. */
    public static final class Builder {
        private final List<ModelBundle> bundles = new ArrayList<>();
        private final List<Path> dirs = new ArrayList<>();
        private boolean useProperty = true;
        private boolean useEnv = true;
        private ClassLoader classLoader = defaultLoader();

        private Builder() {}

        private static ClassLoader defaultLoader() {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            return cl != null ? cl : ModelRegistry.class.getClassLoader();
        }

        /** Adds a directory of {@code *.qtkm} files (searched before the property, environment and class path). */
        public Builder addDirectory(Path dir) {
            dirs.add(Objects.requireNonNull(dir));
            return this;
        }

        /** Adds every directory of a {@link File#pathSeparator}-separated list (empty elements are ignored). */
        public Builder addPathList(String list) {
            dirs.addAll(splitPath(list));
            return this;
        }

        /** Adds a bundle already in memory (highest precedence). */
        public Builder addBundle(ModelBundle bundle) {
            bundles.add(Objects.requireNonNull(bundle));
            return this;
        }

        /** Whether to read directories from the {@value #PATH_PROPERTY} system property (default true). */
        public Builder useSystemProperty(boolean use) {
            this.useProperty = use;
            return this;
        }

        /** Whether to read directories from the {@value #PATH_ENV} environment variable (default true). */
        public Builder useEnvironment(boolean use) {
            this.useEnv = use;
            return this;
        }

        /** The class loader whose {@value #INDEX_RESOURCE} resources are read; null disables class-path discovery. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** The registry. Nothing is scanned until the first lookup. */
        public ModelRegistry build() {
            return new ModelRegistry(this);
        }
    }

    static List<Path> splitPath(String list) {
        List<Path> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(Pattern.quote(File.pathSeparator))) {
                if (!s.isBlank()) {
                    out.add(Paths.get(s.trim()));
                }
            }
        }
        return out;
    }

    /** Every bundle found, in precedence order (scans on first use). */
    public synchronized List<ModelInfo> list() {
        if (scanned == null) {
            scan();
        }
        return scanned;
    }

    /** Bundles skipped during the last scan, with the reason. */
    public synchronized List<String> problems() {
        list();
        return problems;
    }

    /** Forgets the last scan; the next lookup scans again (loaded bundles are dropped too). */
    public synchronized void refresh() {
        scanned = null;
    }

    /**
     * The latest version of a model (by {@link #VERSION_ORDER}).
     *
     * @throws ModelNotFoundException if there is no bundle of that name
     * @throws InvalidModelException if the chosen bundle is bad
     */
    public ModelBundle find(String name) throws ModelNotFoundException, IOException {
        ModelInfo best = null;
        for (ModelInfo i : list()) {
            if (i.name().equals(name) && (best == null || VERSION_ORDER.compare(i.version(), best.version()) > 0)) {
                best = i;
            }
        }
        if (best == null) {
            throw notFound(name, null, null, false);
        }
        return best.load();
    }

    /**
     * A model by name and version.
     *
     * @throws ModelNotFoundException if there is no such bundle
     */
    public ModelBundle find(String name, String version) throws ModelNotFoundException, IOException {
        for (ModelInfo i : list()) {
            if (i.name().equals(name) && i.version().equals(version)) {
                return i.load();
            }
        }
        throw notFound(name, version, null, false);
    }

    /**
     * The bundle that a {@code .qtk} file names: name, version and hash must all match (a decoder must refuse a bundle
     * whose hash differs).
     *
     * @param sha256 64 hex digits (either case)
     * @throws ModelNotFoundException if there is none; the message lists the available bundles with their hashes
     */
    public ModelBundle find(String name, String version, String sha256) throws ModelNotFoundException, IOException {
        String want = normaliseHash(sha256);
        for (ModelInfo i : list()) {
            if (i.name().equals(name) && i.version().equals(version) && want.equals(hashOrNull(i))) {
                return i.load();
            }
        }
        throw notFound(name, version, want, true);
    }

    /**
     * A bundle by its SHA-256, whatever its name.
     *
     * @throws ModelNotFoundException if no bundle has that hash
     */
    public ModelBundle findByHash(String sha256) throws ModelNotFoundException, IOException {
        String want = normaliseHash(sha256);
        List<ModelInfo> all = list();
        for (ModelInfo i : all) { // hashes already known first: no reading
            if (i.knownSha256().filter(want::equals).isPresent()) {
                return i.load();
            }
        }
        for (ModelInfo i : all) {
            if (want.equals(hashOrNull(i))) {
                return i.load();
            }
        }
        throw notFound(null, null, want, true);
    }

    private static String hashOrNull(ModelInfo i) {
        try {
            return i.sha256Hex();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot hash model bundle {0}: {1}", i.source(), e.getMessage());
            return null;
        }
    }

    private static String normaliseHash(String sha256) {
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("SHA-256 must be 64 hex digits: " + sha256);
        }
        return sha256.toLowerCase(Locale.ROOT);
    }

    private ModelNotFoundException notFound(String name, String version, String sha, boolean hashes) {
        List<String> avail = new ArrayList<>();
        for (ModelInfo i : list()) {
            avail.add(i.describe(hashes));
        }
        List<String> where;
        synchronized (this) {
            where = searched;
        }
        return new ModelNotFoundException(name, version, sha, avail, where);
    }

    private void scan() {
        List<ModelInfo> found = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (ModelBundle b : bundles) {
            found.add(ModelInfo.ofBundle(b));
        }
        if (!bundles.isEmpty()) {
            where.add(bundles.size() + " in-memory bundle(s)");
        }
        List<Path> dirs = new ArrayList<>(apiDirs);
        if (useProperty) {
            dirs.addAll(splitPath(System.getProperty(PATH_PROPERTY)));
        }
        if (useEnv) {
            dirs.addAll(splitPath(System.getenv(PATH_ENV)));
        }
        Set<Path> seenDirs = new HashSet<>();
        for (Path dir : dirs) {
            Path norm = dir.toAbsolutePath().normalize();
            if (!seenDirs.add(norm)) {
                continue;
            }
            where.add(norm.toString());
            scanDirectory(norm, found, bad);
        }
        if (classLoader != null) {
            where.add("class path (" + INDEX_RESOURCE + ")");
            scanClassPath(found, bad);
        }
        scanned = List.copyOf(found);
        problems = List.copyOf(bad);
        searched = List.copyOf(where);
    }

    private static void scanDirectory(Path dir, List<ModelInfo> found, List<String> bad) {
        if (!Files.isDirectory(dir)) {
            LOG.log(Level.DEBUG, "model directory {0} does not exist", dir);
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            problem(bad, dir.toString(), e);
            return;
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path f : files) {
            try {
                found.add(ModelInfo.ofFile(f));
            } catch (IOException e) {
                problem(bad, f.toString(), e);
            }
        }
    }

    private void scanClassPath(List<ModelInfo> found, List<String> bad) {
        Enumeration<URL> lists;
        try {
            lists = classLoader.getResources(INDEX_RESOURCE);
        } catch (IOException e) {
            problem(bad, INDEX_RESOURCE, e);
            return;
        }
        Set<String> seen = new HashSet<>();
        while (lists.hasMoreElements()) {
            URL list = lists.nextElement();
            List<String> names;
            try {
                names = readIndex(list);
            } catch (IOException e) {
                problem(bad, list.toString(), e);
                continue;
            }
            for (String name : names) {
                URL url = resolve(list, name);
                if (url == null) {
                    bad.add("classpath:" + name + " (listed in " + list + "): resource not found");
                    LOG.log(Level.WARNING, "model bundle classpath:{0} listed in {1} not found", name, list);
                    continue;
                }
                if (!seen.add(url.toString())) {
                    continue;
                }
                try {
                    found.add(ModelInfo.ofResource(url, name));
                } catch (IOException e) {
                    problem(bad, "classpath:" + name, e);
                }
            }
        }
    }

    /** Index syntax: one resource name per line; blank lines and lines starting with '#' are ignored. */
    static List<String> readIndex(URL list) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(list.openStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                names.add(line.startsWith("/") ? line.substring(1) : line);
            }
        }
        return names;
    }

    /**
     * A listed name resolves against the class-path root the index came from (so two jars may both embed a bundle
     * of the same resource name); if that root cannot be derived, the class loader resolves it.
     */
    private URL resolve(URL list, String name) {
        String s = list.toString();
        if (s.endsWith(INDEX_RESOURCE)) {
            try {
                URL u = new URL(s.substring(0, s.length() - INDEX_RESOURCE.length()) + name);
                try (var in = u.openStream()) {
                    return u;
                }
            } catch (IOException e) {
                // fall through to the class loader
            }
        }
        return classLoader.getResource(name);
    }

    private static void problem(List<String> bad, String where, Exception e) {
        String msg = e.getMessage() != null && e.getMessage().startsWith(where) ? e.getMessage()
                : where + ": " + e;
        bad.add(msg);
        LOG.log(Level.WARNING, "skipping model bundle: {0}", msg);
    }

    static int compareVersions(String a, String b) {
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
            String x = ta.get(i);
            String y = tb.get(i);
            boolean nx = Character.isDigit(x.charAt(0));
            boolean ny = Character.isDigit(y.charAt(0));
            int c;
            if (nx && ny) {
                String sx = x.replaceFirst("^0+(?=.)", "");
                String sy = y.replaceFirst("^0+(?=.)", "");
                c = sx.length() != sy.length() ? Integer.compare(sx.length(), sy.length()) : sx.compareTo(sy);
            } else if (nx != ny) {
                c = nx ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        if (ta.size() != tb.size()) {
            return Integer.compare(ta.size(), tb.size());
        }
        return a.compareTo(b);
    }

    private static List<String> tokens(String v) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            char ch = v.charAt(i);
            if (Character.isDigit(ch) || Character.isLetter(ch)) {
                boolean digit = Character.isDigit(ch);
                int j = i;
                while (j < v.length() && Character.isLetterOrDigit(v.charAt(j))
                        && Character.isDigit(v.charAt(j)) == digit) {
                    j++;
                }
                out.add(v.substring(i, j));
                i = j;
            } else {
                i++;
            }
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    @Override
    public String toString() {
        return "ModelRegistry" + list();
    }
}
