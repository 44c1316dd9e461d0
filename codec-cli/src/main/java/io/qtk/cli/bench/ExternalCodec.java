package io.qtk.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A codec run through command-line tools found on PATH: libjpeg-turbo's {@code cjpeg -optimize}/{@code djpeg} or
 * libwebp's {@code cwebp -m 6}/{@code dwebp} (Debian: {@code apt-get install libjpeg-turbo-progs webp}), the settings
 * of {@code ../shared/tools/classic_rd.py}, so that the two cross-check. Times include process
 * start-up, a few milliseconds, and say so in the CSV ({@code timing=process}).
 */
final class ExternalCodec implements BenchCodec {
    private final String name;
    private final String encoder;
    private final String decoder;
    private final List<Integer> qualities;

    private ExternalCodec(String name, String encoder, String decoder, List<Integer> qualities) {
        this.name = name;
        this.encoder = encoder;
        this.decoder = decoder;
        this.qualities = List.copyOf(qualities);
    }

    /**
     * @param qualities quality values 0..100
     * @return cjpeg + djpeg (the decoder is required too, so both sides are libjpeg-turbo)
     */
    static ExternalCodec cjpeg(List<Integer> qualities) {
        return new ExternalCodec("cjpeg", "cjpeg", "djpeg", qualities);
    }

    /**
     * @param qualities quality values 0..100
     * @return cwebp + dwebp
     */
    static ExternalCodec webp(List<Integer> qualities) {
        return new ExternalCodec("webp", "cwebp", "dwebp", qualities);
    }

    /** @return null when both tools are on PATH, else which is missing and how to install it */
    String missing() {
        List<String> absent = new ArrayList<>();
        for (String tool : List.of(encoder, decoder)) {
            if (onPath(tool) == null) {
                absent.add(tool);
            }
        }
        if (absent.isEmpty()) {
            return null;
        }
        String pkg = name.equals("webp") ? "webp" : "libjpeg-turbo-progs";
        return String.join(" and ", absent) + " not on PATH (Debian: apt-get install " + pkg + ")";
    }

    /**
     * @param tool a command name
     * @return its path on PATH, or null
     */
    static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> settings() {
        return qualities.stream().map(q -> "q=" + q).toList();
    }

    @Override
    public String timing() {
        return "process";
    }

    @Override
    public Coded code(BenchSource source, String setting) throws Exception {
        String q = setting.substring(2);
        Path dir = source.scratch();
        Path compressed = dir.resolve(name.equals("webp") ? "out.webp" : "out.jpg");
        Path decoded = dir.resolve("decoded.ppm");
        Files.deleteIfExists(compressed);
        Files.deleteIfExists(decoded);
        List<String> enc;
        List<String> dec;
        if (name.equals("webp")) {
            Path in = source.png();
            // -m 6: the slowest, best method, as ../shared/tools/classic_rd.py and the README's anchors
            enc = List.of(encoder, "-quiet", "-q", q, "-m", "6", in.toString(), "-o", compressed.toString());
            dec = List.of(decoder, "-quiet", compressed.toString(), "-ppm", "-o", decoded.toString());
        } else {
            Path in = source.ppm();
            // -optimize: optimal Huffman tables, as classic_rd.py (the default tables cost 56 % more bits at q=5 on Kodak)
            enc = List.of(encoder, "-quality", q, "-optimize", "-outfile", compressed.toString(), in.toString());
            dec = List.of(decoder, "-ppm", "-outfile", decoded.toString(), compressed.toString());
        }
        long t0 = System.nanoTime();
        exec(enc);
        long t1 = System.nanoTime();
        exec(dec);
        long t2 = System.nanoTime();
        long size = Files.size(compressed);
        return new Coded(size, BenchSource.readPnm(decoded), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed (exit " + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8).trim());
        }
    }
}
