package io.qtk.model;

import java.io.IOException;
import java.util.List;

/**
 * No model bundle matches a request. The message names what was asked for (name, version, SHA-256; whichever were
 * given) and lists the bundles that are available, with their hashes and where they live, plus where the registry
 * looked. Checked: a missing model is an expected condition (a {@code .qtk} file made with a model this machine does
 * not have) that callers must handle. It is an {@link IOException}, the exception family of the public API
 * ({@code io.qtk.QtkException}), so it passes through {@code throws IOException} signatures unwrapped.
 */
public class ModelNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The artifact that carries the shipped model bundles on the class path; named when nothing is found. */
    public static final String SHIPPED_MODELS = "io.qtk:codec-models";

    private final String name;
    private final String version;
    private final String sha256;
    private final List<String> available;

    /**
     * @param name the requested name, or null
     * @param version the requested version, or null (latest)
     * @param sha256 the requested hash (hex), or null
     * @param available one line per available bundle ({@code name version sha256:... (source)})
     * @param searched where the registry looked
     */
    public ModelNotFoundException(String name, String version, String sha256, List<String> available,
            List<String> searched) {
        super(message(name, version, sha256, available, searched));
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.available = List.copyOf(available);
    }

    private static String message(String name, String version, String sha256, List<String> available,
            List<String> searched) {
        StringBuilder sb = new StringBuilder("No model bundle ");
        sb.append(name != null ? "'" + name + "'" : "(any name)");
        sb.append(version != null ? " version " + version : name != null ? " (latest version)" : "");
        if (sha256 != null) {
            sb.append(" with SHA-256 ").append(sha256);
        }
        sb.append(" found.");
        if (available.isEmpty()) {
            sb.append(" No bundles are available.");
        } else {
            sb.append(" Available:");
            for (String a : available) {
                sb.append("\n  ").append(a);
            }
        }
        sb.append("\nSearched: ").append(searched.isEmpty() ? "(nothing)" : String.join(", ", searched));
        String dirs = "a directory of .qtkm bundles with -D" + ModelRegistry.PATH_PROPERTY + "=DIR or "
                + ModelRegistry.PATH_ENV + "=DIR.";
        if (available.isEmpty()) {
            // The usual cause: the application has codec-core without the artifact that carries the models.
            sb.append("\nThe shipped models come with the Maven artifact " + SHIPPED_MODELS
                    + " (a dependency of io.qtk:codec-imageio-plugin); for other models add " + dirs);
        } else {
            sb.append("\nAdd " + dirs);
        }
        return sb.toString();
    }

    /** The requested model name, or null. */
    public String requestedName() {
        return name;
    }

    /** The requested version, or null. */
    public String requestedVersion() {
        return version;
    }

    /** The requested SHA-256 (hex), or null. */
    public String requestedSha256() {
        return sha256;
    }

    /** The available bundles, one description each. */
    public List<String> available() {
        return available;
    }
}
