package io.qtk.cli;

import io.qtk.format.QtkHeader;
import io.qtk.format.QtkReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers around {@code .qtk} files that need only the container reader (never the model). */
final class QtkFiles {
    private QtkFiles() {
    }

    /**
     * @param file a {@code .qtk} file
     * @return width * height from its header, or 0 when it cannot be read (the real error comes later)
     */
    static long pixels(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            QtkHeader h = QtkReader.readHeader(in);
            return h.pixelCount();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
