package io.qtk.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {

    private static Map<String, Object> snapshot(Path dir) throws IOException {
        Map<String, Object> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                m.put(p.getFileName().toString(), a.fileKey() + "@" + a.lastModifiedTime().toMillis());
            }
        }
        return m;
    }

    @Test
    void extractsOnceThenReuses(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("cache");
        NativeLibraryCache.Result first = NativeLibraryCache.prepare(root);
        assertTrue(first.extracted());
        assertTrue(first.directory().getFileName().toString().startsWith("onnxruntime-1.29.0-"));
        assertTrue(Files.size(first.directory().resolve(System.mapLibraryName("onnxruntime"))) > 1_000_000);
        Map<String, Object> before = snapshot(first.directory());
        NativeLibraryCache.Result second = NativeLibraryCache.prepare(root);
        assertFalse(second.extracted());
        assertEquals(first.directory(), second.directory());
        assertEquals(before, snapshot(second.directory())); // same inodes and mtimes: nothing rewritten
        try (Stream<Path> s = Files.list(root)) { // no temp or stale directories left behind
            assertEquals(List.of(".lock", first.directory().getFileName().toString()),
                    s.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList()));
        }
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        }
    }

    @Test
    void repairsADamagedCache(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("cache");
        Path dir = NativeLibraryCache.prepare(root).directory();
        Path lib = dir.resolve(System.mapLibraryName("onnxruntime"));
        Files.write(lib, new byte[10]); // truncated, e.g. by a full disk
        NativeLibraryCache.Result again = NativeLibraryCache.prepare(root);
        assertTrue(again.extracted());
        assertTrue(Files.size(lib) > 1_000_000);
        Files.delete(dir.resolve(".qtk-complete")); // interrupted before the marker: not trusted
        assertTrue(NativeLibraryCache.prepare(root).extracted());
    }

    @Test
    void refusesARootOthersCanWrite(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("shared");
        Files.createDirectory(root);
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> NativeLibraryCache.prepare(root));
        assertTrue(e.getMessage().contains("writable by group or others"), e.getMessage());
    }

    @Test
    void configuredRootHonoursPropertyAndOff() {
        String old = System.getProperty(NativeLibraryCache.CACHE_PROPERTY);
        try {
            System.setProperty(NativeLibraryCache.CACHE_PROPERTY, "off");
            assertTrue(NativeLibraryCache.configuredRoot().isEmpty());
            System.setProperty(NativeLibraryCache.CACHE_PROPERTY, "/some/where");
            assertEquals(Path.of("/some/where"), NativeLibraryCache.configuredRoot().orElseThrow());
        } finally {
            if (old == null) {
                System.clearProperty(NativeLibraryCache.CACHE_PROPERTY);
            } else {
                System.setProperty(NativeLibraryCache.CACHE_PROPERTY, old);
            }
        }
    }

    private static Map<String, String> probe(Path cacheRoot, Path tmpdir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + tmpdir, "-D" + NativeLibraryCache.CACHE_PROPERTY + "=" + cacheRoot,
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", NativeCacheProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        Map<String, String> m = new TreeMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    @Test
    void secondJvmStartLoadsFromTheCacheWithoutExtracting(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("cache");
        Path tmpdir = Files.createDirectory(tmp.resolve("jvm-tmp"));
        Map<String, String> first = probe(root, tmpdir);
        assertTrue(first.get("result").startsWith("extracted "), first.toString());
        String dir = first.get("result").substring("extracted ".length());
        assertEquals(dir, first.get("property"));
        Map<String, Object> files = snapshot(Path.of(dir));

        Map<String, String> second = probe(root, tmpdir);
        assertEquals("reused " + dir, second.get("result"), second.toString());
        assertEquals(files, snapshot(Path.of(dir)), "the second start must not rewrite the libraries");
        if (Files.exists(Path.of("/proc/self/maps"))) { // Linux: the library really was loaded from the cache
            assertEquals(Path.of(dir, System.mapLibraryName("onnxruntime")).toString(), second.get("mapped"));
        }
        try (Stream<Path> s = Files.walk(tmpdir)) { // nothing of ONNX Runtime's default extraction remains
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("libonnxruntime")));
        }
    }
}
