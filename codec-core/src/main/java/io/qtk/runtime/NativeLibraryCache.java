package io.qtk.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Extracts ONNX Runtime's native libraries once into a stable cache directory and points ONNX Runtime at it.
 *
 * <p><b>Why.</b> ONNX Runtime Java ({@code ai.onnxruntime.OnnxRuntime.init}) copies {@code libonnxruntime} and
 * {@code libonnxruntime4j_jni} (and, for the GPU build, the several hundred MB CUDA provider) from the jar into a
 * fresh {@code onnxruntime-java*} temporary directory on every JVM start, loads them and deletes them. If the system
 * property {@code onnxruntime.native.path} names a directory, it instead loads the libraries from there (and finds
 * the shared providers there), extracting nothing.
 *
 * <p><b>What {@link #install()} does</b>, once per JVM and before any ONNX Runtime class is initialised:
 * <ol>
 *   <li>Does nothing if the user already set {@code onnxruntime.native.path} (or the per-library
 *       {@code onnxruntime.native.onnxruntime.path} / {@code onnxruntime.native.onnxruntime4j_jni.path}), or if
 *       {@value #CACHE_PROPERTY} / {@code QTK_NATIVE_CACHE} is {@code off}.
 *   <li>Finds the native libraries the ONNX Runtime jar holds for this platform
 *       ({@code ai/onnxruntime/native/<os>-<arch>/}) and fingerprints them cheaply from the jar's central directory
 *       (name, size, CRC-32; no decompression).
 *   <li>Uses {@code <root>/onnxruntime-<version>-<os-arch>-<fingerprint>/} if it is complete (a marker file holding
 *       the fingerprint and every library with its expected size). Otherwise, holding an exclusive file lock on
 *       {@code <root>/.lock} (other JVMs) and a monitor (this JVM), extracts into a temporary sibling directory and
 *       renames it into place atomically, so a reader never sees a half-written directory.
 *   <li>Sets {@code onnxruntime.native.path} to that directory.
 * </ol>
 * Any failure (read-only home, unsafe cache directory, libraries not in a jar, ...) is logged at DEBUG and leaves
 * ONNX Runtime's default behaviour in place. Different ONNX Runtime builds (CPU and GPU share a version number) get
 * different directories through the fingerprint.
 *
 * <p><b>Cache root:</b> {@value #CACHE_PROPERTY} system property, else the {@code QTK_NATIVE_CACHE} environment
 * variable, else {@code $XDG_CACHE_HOME/qtk}, else {@code ~/.cache/qtk}. On POSIX systems the root must be owned by
 * the current user and not writable by group or others (native code is loaded from it); directories it creates are
 * {@code rwx------}. Old versions are never deleted automatically; removing the directory is always safe while no JVM
 * is starting.
 */
public final class NativeLibraryCache {
    /** System property: the cache root directory, or {@code off} to disable the cache. */
    public static final String CACHE_PROPERTY = "qtk.native.cache";
    /** Environment variable: the cache root directory, or {@code off}. */
    public static final String CACHE_ENV = "QTK_NATIVE_CACHE";
    /** ONNX Runtime's system property: the directory to load all native libraries from. */
    public static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

    private static final System.Logger LOG = System.getLogger("io.qtk.runtime");
    private static final String MARKER = ".qtk-complete";
    /** Every library name ONNX Runtime 1.29 may load or expect beside itself (ai.onnxruntime.OnnxRuntime). */
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni",
            "onnxruntime_providers_shared", "onnxruntime_providers_cuda", "onnxruntime_providers_rocm",
            "onnxruntime_providers_dnnl", "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt",
            "onnxruntime_providers_qnn", "webgpu_dawn", "dxil", "dxcompiler");

    /** What {@link #prepare} did. */
    public static final class Result {
        private final Path directory;
        private final boolean extracted;

        Result(Path directory, boolean extracted) {
            this.directory = directory;
            this.extracted = extracted;
        }

        /** The directory holding the libraries. */
        public Path directory() {
            return directory;
        }

        /** True if this call extracted the libraries, false if it found them already there. */
        public boolean extracted() {
            return extracted;
        }

        @Override
        public String toString() {
            return (extracted ? "extracted to " : "reused ") + directory;
        }
    }

    private static Optional<Result> installed; // guarded by NativeLibraryCache.class

    private NativeLibraryCache() {}

    /**
     * Prepares the cache and sets {@value #ORT_NATIVE_PATH}, once per JVM (later calls return the first answer). Must
     * run before ONNX Runtime is first used to have an effect; {@link OnnxBackend#create} calls it. Never throws.
     *
     * @return what was done, or empty if the cache is disabled, the user configured ONNX Runtime's paths, or anything
     *     failed (ONNX Runtime then extracts to a temporary directory as usual)
     */
    public static synchronized Optional<Result> install() {
        if (installed != null) {
            return installed;
        }
        installed = Optional.empty();
        if (System.getProperty(ORT_NATIVE_PATH) != null
                || System.getProperty("onnxruntime.native.onnxruntime.path") != null
                || System.getProperty("onnxruntime.native.onnxruntime4j_jni.path") != null) {
            LOG.log(Level.DEBUG, "ONNX Runtime native paths set by the user; not using the qtk native cache");
            return installed;
        }
        Optional<Path> root = configuredRoot();
        if (root.isEmpty()) {
            LOG.log(Level.DEBUG, "qtk native cache disabled");
            return installed;
        }
        try {
            Result r = prepare(root.get());
            System.setProperty(ORT_NATIVE_PATH, r.directory().toString());
            LOG.log(Level.DEBUG, "ONNX Runtime natives: {0}", r);
            installed = Optional.of(r);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "qtk native cache not used ({0}); ONNX Runtime extracts to a temporary directory",
                    e.toString());
        }
        return installed;
    }

    /** The configured cache root, or empty if disabled ({@code off}/{@code false}/{@code none}). */
    public static Optional<Path> configuredRoot() {
        String v = System.getProperty(CACHE_PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(CACHE_ENV);
        }
        if (v != null && !v.isBlank()) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (s.equals("off") || s.equals("false") || s.equals("none")) {
                return Optional.empty();
            }
            return Optional.of(Paths.get(v.trim()));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
            return Optional.of(Paths.get(xdg, "qtk"));
        }
        return Optional.of(Paths.get(System.getProperty("user.home"), ".cache", "qtk"));
    }

    /** One library as found in the ONNX Runtime jar. */
    private static final class Lib {
        final String file;
        final URL url;
        final long size;
        final long crc;

        Lib(String file, URL url, long size, long crc) {
            this.file = file;
            this.url = url;
            this.size = size;
            this.crc = crc;
        }
    }

    /**
     * Makes sure the libraries are extracted under {@code root}; does not set any property. Package-visible for tests,
     * public for tools that want to pre-populate a cache (e.g. in a container image build).
     *
     * @throws IOException if the libraries cannot be found or written, or the root is unsafe
     */
    public static Result prepare(Path root) throws IOException {
        String osArch = osArch();
        List<Lib> libs = findLibraries(osArch);
        String version = Optional.ofNullable(OrtEnvironment.class.getPackage().getImplementationVersion())
                .orElse("unknown");
        StringBuilder fp = new StringBuilder("onnxruntime ").append(version).append(' ').append(osArch).append('\n');
        for (Lib l : libs) {
            fp.append(l.file).append(' ').append(l.size).append(' ').append(Long.toHexString(l.crc)).append('\n');
        }
        String fingerprint = fp.toString();
        String key = sha256(fingerprint).substring(0, 16);
        Path dir = root.resolve("onnxruntime-" + version + "-" + osArch + "-" + key);
        if (Files.isDirectory(root)) {
            checkSafe(root);
            if (complete(dir, libs, fingerprint)) {
                return new Result(dir, false);
            }
        }
        createPrivateDirectories(root);
        checkSafe(root);
        synchronized (NativeLibraryCache.class) { // FileLock is per JVM: serialise threads here first
            try (FileChannel lockCh = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = lockCh.lock()) {
                if (complete(dir, libs, fingerprint)) { // another process finished while we waited
                    return new Result(dir, false);
                }
                Path tmp = Files.createTempDirectory(root, ".tmp-onnxruntime-");
                try {
                    for (Lib l : libs) {
                        Path target = tmp.resolve(l.file);
                        try (InputStream in = l.url.openStream()) {
                            Files.copy(in, target);
                        }
                        if (Files.size(target) != l.size) {
                            throw new IOException("extracted " + l.file + " has " + Files.size(target)
                                    + " bytes, expected " + l.size);
                        }
                    }
                    Files.writeString(tmp.resolve(MARKER), fingerprint, StandardCharsets.UTF_8);
                    try (FileChannel ch = FileChannel.open(tmp.resolve(MARKER), StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    if (Files.exists(dir)) { // incomplete or damaged: move aside, then replace
                        Path stale = Files.createTempDirectory(root, ".stale-");
                        Files.move(dir, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                        deleteTree(stale);
                    }
                    try {
                        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, dir);
                    }
                    return new Result(dir, true);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    if (complete(dir, libs, fingerprint)) { // lost a race with a process ignoring the lock
                        return new Result(dir, false);
                    }
                    throw e;
                } finally {
                    if (Files.exists(tmp)) {
                        deleteTree(tmp);
                    }
                }
            }
        }
    }

    /** The same {@code <os>-<arch>} naming as ai.onnxruntime.OnnxRuntime. */
    static String osArch() throws IOException {
        String os = System.getProperty("os.name", "generic").toLowerCase(Locale.ENGLISH);
        String o;
        if (os.contains("mac") || os.contains("darwin")) {
            o = "osx";
        } else if (os.contains("win")) {
            o = "win";
        } else if (os.contains("nux")) {
            o = "linux";
        } else {
            throw new IOException("unsupported OS for the native cache: " + os);
        }
        String arch = System.getProperty("os.arch", "generic").toLowerCase(Locale.ENGLISH);
        String a;
        if (arch.startsWith("amd64") || arch.startsWith("x86_64")) {
            a = "x64";
        } else if (arch.startsWith("aarch64")) {
            a = "aarch64";
        } else {
            throw new IOException("unsupported architecture for the native cache: " + arch);
        }
        return o + "-" + a;
    }

    private static List<Lib> findLibraries(String osArch) throws IOException {
        List<Lib> libs = new ArrayList<>();
        for (String name : LIBRARIES) {
            String file = System.mapLibraryName(name).replace("jnilib", "dylib");
            // A class literal loads but does not initialise OrtEnvironment: no native loading happens here.
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + osArch + "/" + file);
            if (url == null) {
                continue;
            }
            long size;
            long crc;
            URLConnection c = url.openConnection();
            if (c instanceof JarURLConnection) {
                var entry = ((JarURLConnection) c).getJarEntry();
                size = entry.getSize();
                crc = entry.getCrc();
            } else if ("file".equals(url.getProtocol())) {
                try {
                    Path p = Paths.get(url.toURI());
                    size = Files.size(p);
                    crc = Files.getLastModifiedTime(p).toMillis(); // exploded class path: mtime stands in
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
            } else {
                throw new IOException("cannot fingerprint native library at " + url);
            }
            if (size < 0) {
                throw new IOException("unknown size of " + url);
            }
            libs.add(new Lib(file, url, size, crc));
        }
        if (libs.stream().noneMatch(l -> l.file.equals(System.mapLibraryName("onnxruntime4j_jni")
                .replace("jnilib", "dylib")))) {
            throw new IOException("no ONNX Runtime native libraries for " + osArch + " on the class path");
        }
        return libs;
    }

    private static boolean complete(Path dir, List<Lib> libs, String fingerprint) {
        try {
            if (!Files.isDirectory(dir)
                    || !fingerprint.equals(Files.readString(dir.resolve(MARKER), StandardCharsets.UTF_8))) {
                return false;
            }
            for (Lib l : libs) {
                Path p = dir.resolve(l.file);
                if (!Files.isRegularFile(p) || Files.size(p) != l.size) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void createPrivateDirectories(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path parent = root.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(root,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // created concurrently
            }
        } else {
            Files.createDirectories(root);
        }
    }

    /** Native code will be loaded from here: refuse a root others could write to. */
    private static void checkSafe(Path root) throws IOException {
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        String owner = Files.getOwner(root).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException("cache root " + root + " is owned by " + owner + ", not by "
                    + System.getProperty("user.name"));
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(root);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("cache root " + root + " is writable by group or others");
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    // best effort: a leftover temp directory is harmless
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
