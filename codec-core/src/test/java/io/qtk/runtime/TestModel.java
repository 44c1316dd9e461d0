package io.qtk.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Locates the real tiny test model, {@code testdata/models/qtk-test-tiny.qtkm} in the repository. */
final class TestModel {
    static final String RELATIVE = "testdata/models/qtk-test-tiny.qtkm";

    private TestModel() {}

    /** The model file, if it is present (surefire sets qtk.repo.root; otherwise search upwards from the cwd). */
    static Optional<Path> find() {
        String root = System.getProperty("qtk.repo.root");
        if (root != null && Files.isRegularFile(Paths.get(root, RELATIVE))) {
            return Optional.of(Paths.get(root, RELATIVE));
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(RELATIVE))) {
                return Optional.of(p.resolve(RELATIVE));
            }
        }
        return Optional.empty();
    }
}
