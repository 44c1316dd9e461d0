package io.qtk.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed conformance vectors equal what the generator makes, and decode (or fail) as documented. */
class GoldenVectorsTest {

    static Path dir() {
        String root = System.getProperty("qtk.repo.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata/golden/container"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("testdata/golden/container not found above " + root);
        }
        return p.resolve("testdata/golden/container");
    }

    @Test
    void committedFilesMatchTheGenerator() throws IOException {
        Map<String, byte[]> files = GoldenVectors.files(GoldenVectors.build());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = dir().resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing; run GoldenVectors.main");
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), f + " differs from the generator");
        }
    }

    @Test
    void vectorsDecodeAsDocumented() throws IOException {
        List<GoldenVectors.Vector> vectors = GoldenVectors.build();
        for (GoldenVectors.Vector v : vectors) {
            byte[] bytes = Files.readAllBytes(dir().resolve(v.name()));
            if (v.rejected()) {
                QtkFormatException e = assertThrows(QtkFormatException.class, () -> QtkReader.read(bytes), v.name());
                assertTrue(e.getMessage().contains(v.rejectPhrase()), v.name() + ": " + e.getMessage());
                QtkFormatException s = assertThrows(QtkFormatException.class,
                        () -> QtkReader.read(new ByteArrayInputStream(bytes)), v.name());
                assertEquals(e.offset(), s.offset());
            } else {
                QtkFile f = QtkReader.read(bytes);
                assertEquals(v.expected(), f, v.name());
                assertEquals(f, QtkReader.read(new ByteArrayInputStream(bytes)), v.name());
                StringBuilder a = new StringBuilder();
                StringBuilder b = new StringBuilder();
                GoldenVectors.describe(a, v.expected());
                GoldenVectors.describe(b, f);
                assertEquals(a.toString(), b.toString());
            }
        }
    }
}
