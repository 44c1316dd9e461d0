package io.qtk.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link NativeLibraryCacheTest}: installs the cache, starts ONNX Runtime, and reports what the
 * cache did and which file the process actually mapped for libonnxruntime (from /proc/self/maps).
 */
public final class NativeCacheProbe {
    private NativeCacheProbe() {}

    public static void main(String[] args) throws Exception {
        var r = NativeLibraryCache.install();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("version=" + env.getVersion());
        System.out.println("result=" + r.map(x -> (x.extracted() ? "extracted " : "reused ") + x.directory())
                .orElse("none"));
        System.out.println("property=" + System.getProperty(NativeLibraryCache.ORT_NATIVE_PATH));
        Path maps = Path.of("/proc/self/maps");
        if (Files.exists(maps)) {
            for (String line : Files.readAllLines(maps)) {
                if (line.endsWith("/libonnxruntime.so")) {
                    System.out.println("mapped=" + line.substring(line.indexOf('/')));
                    break;
                }
            }
        }
    }
}
