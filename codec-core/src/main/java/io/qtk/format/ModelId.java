package io.qtk.format;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of the model bundle a file was coded with: name, version and the SHA-256 of the bundle file
 * ({@code format-spec/model-bundle.md}, "Identity"). Immutable.
 */
public final class ModelId {
    /** Length of the SHA-256 in bytes. */
    public static final int SHA256_LENGTH = 32;

    private final String name;
    private final String version;
    private final byte[] sha256;

    private ModelId(String name, String version, byte[] sha256) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
    }

    /**
     * Creates a model identity.
     *
     * @param name    model name, {@code [a-z0-9][a-z0-9._-]{0,63}}
     * @param version model version, {@code [A-Za-z0-9._-]{1,32}}
     * @param sha256  SHA-256 of the bundle file, 32 bytes (copied)
     * @return the identity
     * @throws IllegalArgumentException if a value does not follow these rules
     */
    public static ModelId of(String name, String version, byte[] sha256) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
        String problem = checkName(name);
        if (problem == null) {
            problem = checkVersion(version);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (sha256.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("model sha256 must be 32 bytes, got " + sha256.length);
        }
        return new ModelId(name, version, sha256.clone());
    }

    /**
     * Creates a model identity from a hexadecimal hash.
     *
     * @param name      model name
     * @param version   model version
     * @param sha256Hex 64 hexadecimal digits
     * @return the identity
     * @throws IllegalArgumentException if a value is invalid
     */
    public static ModelId of(String name, String version, String sha256Hex) {
        return of(name, version, HexFormat.of().parseHex(sha256Hex));
    }

    private static boolean nameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '.' || c == '_' || c == '-'));
    }

    private static boolean versionChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '-';
    }

    static String checkName(String name) {
        boolean ok = !name.isEmpty() && name.length() <= QtkFormat.MAX_MODEL_NAME_LENGTH;
        for (int i = 0; ok && i < name.length(); i++) {
            ok = nameChar(name.charAt(i), i == 0);
        }
        if (!ok) {
            return "model name \"" + printable(name) + "\" does not match [a-z0-9][a-z0-9._-]{0,63}";
        }
        return null;
    }

    static String checkVersion(String version) {
        boolean ok = !version.isEmpty() && version.length() <= QtkFormat.MAX_MODEL_VERSION_LENGTH;
        for (int i = 0; ok && i < version.length(); i++) {
            ok = versionChar(version.charAt(i));
        }
        if (!ok) {
            return "model version \"" + printable(version) + "\" does not match [A-Za-z0-9._-]{1,32}";
        }
        return null;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\x%02X", (int) c & 0xFF));
            }
        }
        return b.toString();
    }

    /**
     * Returns the model name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the model version.
     *
     * @return the version
     */
    public String version() {
        return version;
    }

    /**
     * Returns the SHA-256 of the bundle file.
     *
     * @return a new 32-byte array
     */
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * Returns the SHA-256 of the bundle file in lowercase hexadecimal.
     *
     * @return 64 hexadecimal digits
     */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelId)) {
            return false;
        }
        ModelId m = (ModelId) o;
        return name.equals(m.name) && version.equals(m.version) && Arrays.equals(sha256, m.sha256);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + version.hashCode()) * 31 + Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return name + " " + version + " sha256:" + sha256Hex();
    }
}
