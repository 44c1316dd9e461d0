package io.qtk.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One bundle known to a {@link ModelRegistry}: its manifest (read when listing) and, on demand, its SHA-256 and the
 * full {@link ModelBundle}. Listing never reads the ONNX graphs of bundle files and never creates ONNX sessions.
 * Thread-safe; the hash and the loaded bundle are computed once and cached.
 */
public final class ModelInfo {
    private final ModelManifest manifest;
    private final String source;
    private final Path path; // a bundle file, or null
    private final URL url; // a class-path resource, or null
    private String sha256; // lazily
    private ModelBundle bundle; // lazily

    private ModelInfo(ModelManifest manifest, String source, Path path, URL url, String sha256, ModelBundle bundle) {
        this.manifest = manifest;
        this.source = source;
        this.path = path;
        this.url = url;
        this.sha256 = sha256;
        this.bundle = bundle;
    }

    static ModelInfo ofFile(Path file) throws IOException {
        return new ModelInfo(ModelBundle.readManifest(file), file.toString(), file, null, null, null);
    }

    /** A class-path bundle: read once to learn manifest and hash; the bytes are not kept. */
    static ModelInfo ofResource(URL url, String name) throws IOException {
        String where = "classpath:" + name;
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = ModelBundle.readBounded(in, where);
        }
        ModelManifest m = ModelBundle.readManifest(bytes, where);
        return new ModelInfo(m, where, null, url, HexFormat.of().formatHex(ModelBundle.sha256(bytes)), null);
    }

    static ModelInfo ofBundle(ModelBundle b) {
        return new ModelInfo(b.manifest(), b.source(), null, null, b.sha256Hex(), b);
    }

    /** Model name. */
    public String name() {
        return manifest.name();
    }

    /** Model version. */
    public String version() {
        return manifest.version();
    }

    /** The bundle's manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Where the bundle lives: a file path or {@code classpath:<resource>}. */
    public String source() {
        return source;
    }

    /** The bundle file, if it is one (not a class-path resource). */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The hash if it is already known, without reading anything. */
    synchronized Optional<String> knownSha256() {
        return Optional.ofNullable(sha256);
    }

    /**
     * The SHA-256 of the bundle file (64 lower-case hex digits). For a file this streams the file once (then cached).
     */
    public synchronized String sha256Hex() throws IOException {
        if (sha256 == null) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(path), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            sha256 = HexFormat.of().formatHex(md.digest());
        }
        return sha256;
    }

    /**
     * Reads and validates the whole bundle (then cached). Creates no ONNX session.
     *
     * @throws InvalidModelException if the bundle is bad, or it changed since it was listed
     */
    public synchronized ModelBundle load() throws IOException {
        if (bundle == null) {
            ModelBundle b;
            if (path != null) {
                b = ModelBundle.read(path);
            } else {
                byte[] bytes;
                try (InputStream in = url.openStream()) {
                    bytes = ModelBundle.readBounded(in, source);
                }
                b = ModelBundle.read(bytes, source);
            }
            if (sha256 != null && !sha256.equals(b.sha256Hex())) {
                throw new InvalidModelException(source + ": the bundle changed since it was listed (SHA-256 was "
                        + sha256 + ", now " + b.sha256Hex() + ")");
            }
            if (!b.manifest().name().equals(manifest.name()) || !b.manifest().version().equals(manifest.version())) {
                throw new InvalidModelException(source + ": the bundle changed since it was listed (was "
                        + manifest.name() + " " + manifest.version() + ", now " + b.name() + " " + b.version() + ")");
            }
            sha256 = b.sha256Hex();
            bundle = b;
        }
        return bundle;
    }

    /** {@code name version sha256:<hex or ?> (source)}. */
    String describe(boolean withHash) {
        String h;
        if (withHash) {
            try {
                h = sha256Hex();
            } catch (IOException e) {
                h = "? (" + e.getMessage() + ")";
            }
        } else {
            h = knownSha256().orElse("?");
        }
        return name() + " " + version() + " sha256:" + h + " (" + source + ")";
    }

    @Override
    public String toString() {
        return describe(false);
    }
}
