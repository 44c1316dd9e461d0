package io.qtk.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    private static String write(Path dir, String file, String name, String version) throws Exception {
        byte[] b = new TestBundles(name, version).bytes();
        Files.createDirectories(dir);
        Files.write(dir.resolve(file), b);
        return ModelBundle.read(b, file).sha256Hex();
    }

    private static ModelRegistry dirsOnly(Path... dirs) {
        ModelRegistry.Builder b = ModelRegistry.builder().useEnvironment(false).useSystemProperty(false)
                .classLoader(null);
        for (Path d : dirs) {
            b.addDirectory(d);
        }
        return b.build();
    }

    @Test
    void findsByNameLatestVersionNameVersionAndHash(@TempDir Path dir) throws Exception {
        write(dir, "a1.qtkm", "alpha", "1");
        String a2 = write(dir, "a2.qtkm", "alpha", "2");
        String a10 = write(dir, "a10.qtkm", "alpha", "10");
        String b1 = write(dir, "b1.qtkm", "beta", "1.0");
        Files.writeString(dir.resolve("notes.txt"), "ignored: not a bundle extension");
        ModelRegistry reg = dirsOnly(dir);
        assertEquals(4, reg.list().size());
        assertEquals("10", reg.find("alpha").version()); // 10 > 2 numerically
        assertEquals(a10, reg.find("alpha").sha256Hex());
        assertEquals(a2, reg.find("alpha", "2").sha256Hex());
        assertEquals("beta", reg.findByHash(b1.toUpperCase()).name());
        assertEquals(a2, reg.find("alpha", "2", a2).sha256Hex());
        assertSame(reg.find("alpha", "2"), reg.find("alpha", "2")); // loaded once, cached
        assertTrue(reg.problems().isEmpty());
    }

    @Test
    void notFoundNamesTheRequestAndListsWhatIsAvailable(@TempDir Path dir) throws Exception {
        String a1 = write(dir, "a1.qtkm", "alpha", "1");
        ModelRegistry reg = dirsOnly(dir);
        String wrong = "ab".repeat(32);

        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> reg.find("alpha", "1", wrong));
        String m = e.getMessage();
        assertTrue(m.contains("'alpha' version 1 with SHA-256 " + wrong), m);
        assertTrue(m.contains("alpha 1 sha256:" + a1 + " (" + dir.resolve("a1.qtkm") + ")"), m);
        assertTrue(m.contains("Searched: " + dir.toAbsolutePath().normalize()), m);
        assertEquals("alpha", e.requestedName());
        assertEquals("1", e.requestedVersion());
        assertEquals(wrong, e.requestedSha256());
        assertEquals(1, e.available().size());

        m = assertThrows(ModelNotFoundException.class, () -> reg.find("gamma")).getMessage();
        assertTrue(m.contains("'gamma' (latest version)"), m);
        assertTrue(m.contains("alpha 1"), m);
        m = assertThrows(ModelNotFoundException.class, () -> reg.find("alpha", "7")).getMessage();
        assertTrue(m.contains("'alpha' version 7"), m);
        m = assertThrows(ModelNotFoundException.class, () -> reg.findByHash(wrong)).getMessage();
        assertTrue(m.contains("(any name) with SHA-256 " + wrong), m);
        m = assertThrows(ModelNotFoundException.class, () -> dirsOnly().find("x")).getMessage();
        assertTrue(m.contains("No bundles are available"), m);
        assertTrue(m.contains("come with the Maven artifact io.qtk:codec-models"), m); // names what supplies one
        assertTrue(m.contains("-Dqtk.model.path=DIR or QTK_MODEL_PATH=DIR"), m);
        assertThrows(IllegalArgumentException.class, () -> reg.findByHash("abc"));
    }

    @Test
    void listingReadsManifestsOnlyAndSkipsBadBundles(@TempDir Path dir) throws Exception {
        write(dir, "good.qtkm", "good", "1");
        Files.write(dir.resolve("junk.qtkm"), "not a zip".getBytes(StandardCharsets.US_ASCII));
        TestBundles lazy = new TestBundles("lazy", "1");
        lazy.codebooks = new float[3]; // manifest fine, arrays wrong: only a full load notices
        Files.write(dir.resolve("lazy.qtkm"), lazy.bytes());
        ModelRegistry reg = dirsOnly(dir);
        List<String> names = new ArrayList<>();
        reg.list().forEach(i -> names.add(i.name()));
        assertEquals(List.of("good", "lazy"), names); // junk skipped, lazy listed without loading its arrays
        assertEquals(1, reg.problems().size());
        assertTrue(reg.problems().get(0).contains("junk.qtkm"), reg.problems().toString());
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> reg.find("lazy"));
        assertTrue(e.getMessage().contains("codebooks.bin"), e.getMessage());
        assertEquals("good", reg.find("good").name());
    }

    @Test
    void precedencePropertyBeforeApiDirectory(@TempDir Path tmp) throws Exception {
        Path api = tmp.resolve("api");
        Path prop = tmp.resolve("prop");
        String fromApi = write(api, "m.qtkm", "shared", "1");
        TestBundles other = new TestBundles("shared", "1");
        other.manifest.put("training.seed", "8"); // same name and version, different bytes
        Files.createDirectories(prop);
        Files.write(prop.resolve("m.qtkm"), other.bytes());
        String fromProp = ModelBundle.read(other.bytes(), "x").sha256Hex();
        write(prop, "only-prop.qtkm", "propmodel", "3");
        String old = System.getProperty(ModelRegistry.PATH_PROPERTY);
        System.setProperty(ModelRegistry.PATH_PROPERTY, prop + java.io.File.pathSeparator + tmp.resolve("absent"));
        try {
            ModelRegistry reg = ModelRegistry.builder().useEnvironment(false).classLoader(null).addDirectory(api)
                    .build();
            assertEquals(fromProp, reg.find("shared", "1").sha256Hex()); // the property is searched first
            assertEquals(fromApi, reg.find("shared", "1", fromApi).sha256Hex()); // the hash picks the other
            assertEquals(fromApi, reg.findByHash(fromApi).sha256Hex());
            assertEquals("3", reg.find("propmodel").version());
        } finally {
            if (old == null) {
                System.clearProperty(ModelRegistry.PATH_PROPERTY);
            } else {
                System.setProperty(ModelRegistry.PATH_PROPERTY, old);
            }
        }
    }

    @Test
    void classPathIndexAndInMemoryBundles(@TempDir Path tmp) throws Exception {
        Path cp = tmp.resolve("cp");
        String h = write(cp.resolve("io/qtk/models"), "cp-model.qtkm", "cpmodel", "2");
        Files.createDirectories(cp.resolve("META-INF/qtk"));
        Files.writeString(cp.resolve(ModelRegistry.INDEX_RESOURCE),
                "# embedded models\n\nio/qtk/models/cp-model.qtkm\n/io/qtk/models/missing.qtkm\n");
        ModelBundle mem = ModelBundle.read(new TestBundles("memory", "1").bytes(), "memory");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {cp.toUri().toURL()}, null)) {
            ModelRegistry reg = ModelRegistry.builder().useEnvironment(false).useSystemProperty(false)
                    .classLoader(cl).addBundle(mem).build();
            assertEquals(2, reg.list().size());
            ModelInfo info = reg.list().get(0); // class path first, in-memory last
            assertEquals("classpath:io/qtk/models/cp-model.qtkm", info.source());
            assertTrue(info.path().isEmpty());
            assertEquals(h, info.sha256Hex());
            assertEquals(h, reg.find("cpmodel").sha256Hex());
            assertSame(mem, reg.find("memory", "1"));
            assertEquals(1, reg.problems().size());
            assertTrue(reg.problems().get(0).contains("missing.qtkm"), reg.problems().toString());
        }
    }

    @Test
    void refreshPicksUpNewFiles(@TempDir Path dir) throws Exception {
        ModelRegistry reg = dirsOnly(dir);
        assertEquals(0, reg.list().size());
        write(dir, "n.qtkm", "newer", "1");
        assertEquals(0, reg.list().size()); // scanned once, cached
        reg.refresh();
        assertEquals("newer", reg.find("newer").name());
    }

    @Test
    void versionOrder() {
        String[] ascending = {"v1", "v2", "0", "1", "1.0", "1.1", "1.9", "1.10", "2", "2a", "10"}; // letters before numbers
        for (int i = 0; i < ascending.length; i++) {
            for (int j = 0; j < ascending.length; j++) {
                int c = ModelRegistry.VERSION_ORDER.compare(ascending[i], ascending[j]);
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(c),
                        ascending[i] + " vs " + ascending[j]);
            }
        }
        assertTrue(ModelRegistry.VERSION_ORDER.compare("01", "1") != 0); // total order: ties broken by text
    }
}
