package io.qtk.cli.bench;

import io.qtk.cli.ExitCodes;
import io.qtk.cli.FileFailure;
import io.qtk.cli.ImageFiles;
import io.qtk.cli.RuntimeOptions;
import io.qtk.cli.SafeOutput;
import io.qtk.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qtk bench DIR}: rate-distortion and speed of qtk against JPEG (the JDK's writer) and, when installed,
 * libjpeg-turbo's {@code cjpeg} and libwebp's {@code cwebp}. Writes {@code results.csv} (every coding),
 * {@code summary.csv} (one R-D point per codec and setting, averaged over the images), {@code bdrate.csv} and
 * {@code rd.png}, and prints the summary and the BD-rates.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure rate-distortion and speed of qtk against JPEG and WebP.",
            "Every image of DIR is coded by each codec at each setting. bpp comes from the real file sizes; PSNR is "
                + "on 8-bit RGB, averaged per image; MS-SSIM is on RGB (5 scales, Gaussian 11x11 sigma 1.5, "
                + "mean of the channels). Writes results.csv, summary.csv, bdrate.csv and rd.png into --out and "
                + "prints the BD-rate (Bjontegaard, cubic fit in log-rate, PSNR) of qtk against each other codec.",
            "Codecs: qtk; jpeg (the JDK's writer, in process); cjpeg (libjpeg-turbo cjpeg/djpeg) and webp "
                + "(cwebp/dwebp) when on PATH, else skipped with a note."},
        footerHeading = "%nExample:%n",
        footer = {"  qtk bench ../shared/datasets/eval/kodak --out bench-kodak"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Directories (searched recursively) or images.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--codecs", paramLabel = "LIST", split = ",",
            description = "Codecs to run, from qtk, jpeg, cjpeg, webp (default: all four).")
    List<String> codecs = new ArrayList<>(List.of("qtk", "jpeg", "cjpeg", "webp"));

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSV files and the plot go "
            + "(default: qtk-bench).")
    Path out = Path.of("qtk-bench");

    @Option(names = "--qualities", paramLabel = "LIST", split = ",",
            description = "qtk qualities in [0, 1] (default: 0,0.125,...,1).")
    List<Double> qualities = new ArrayList<>(List.of(0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0));

    @Option(names = "--jpeg-qualities", paramLabel = "LIST", split = ",",
            description = "JPEG qualities 1..100 for jpeg and cjpeg (default: 5,10,15,20,30,40,50,60,70,80,90,95).")
    List<Integer> jpegQualities = new ArrayList<>(List.of(5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 95));

    @Option(names = "--webp-qualities", paramLabel = "LIST", split = ",",
            description = "WebP qualities 0..100 (default: 5,10,20,30,40,50,60,70,80,90,95).")
    List<Integer> webpQualities = new ArrayList<>(List.of(5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95));

    @Option(names = "--model", paramLabel = "NAME", description = "qtk model (default: the codec's choice).")
    String model;

    @Option(names = "--rdo", paramLabel = "S", description = "qtk rate-aware rounding strength, 0 = off "
            + "(default: " + io.qtk.EncodeOptions.DEFAULT_RDO_STRENGTH + ").")
    double rdo = io.qtk.EncodeOptions.DEFAULT_RDO_STRENGTH;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N images (sorted by path).")
    Integer limit;

    @Option(names = "--plot-max-bpp", paramLabel = "B",
            description = "Right end of the plot's rate axis (default: the largest rate measured).")
    Double plotMaxBpp;

    @Option(names = {"-f", "--force"}, description = "Overwrite earlier results in --out.")
    boolean force;

    @Mixin
    RuntimeOptions runtime;

    /** One coding of one image. */
    record Row(String codec, String setting, String image, int width, int height, long bytes, double bpp,
            double psnr, double msssim, double encodeMs, double decodeMs, String timing) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter outw = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        List<Path> images = findImages();
        if (images.isEmpty()) {
            throw new UsageException("no images found in " + inputs);
        }
        List<String> outputs = List.of("results.csv", "summary.csv", "bdrate.csv", "rd.png");
        if (!force) {
            List<String> existing = outputs.stream().filter(n -> Files.exists(out.resolve(n))).toList();
            if (!existing.isEmpty()) {
                throw new UsageException("earlier results in " + out + " (" + String.join(", ", existing)
                        + "); use --force to overwrite or --out for another directory");
            }
        }
        List<BenchCodec> active = new ArrayList<>();
        int failures = 0;
        Path scratch = Files.createTempDirectory("qtk-bench");
        try {
            for (String c : codecs) {
                BenchCodec codec = open(c, err);
                if (codec != null) {
                    active.add(codec);
                }
            }
            if (active.isEmpty()) {
                err.println("qtk: bench: no codec could run");
                return ExitCodes.FAILED;
            }
            err.printf(Locale.ROOT, "bench: %d image%s, codecs %s%n", images.size(), images.size() == 1 ? "" : "s",
                    String.join(", ", active.stream().map(BenchCodec::name).toList()));
            List<Row> rows = new ArrayList<>();
            boolean warmed = false;
            for (int i = 0; i < images.size(); i++) {
                Path p = images.get(i);
                String name = label(p);
                java.awt.image.BufferedImage img;
                try {
                    img = ImageFiles.read(p).image();
                } catch (FileFailure e) {
                    err.println("qtk: " + p + ": " + e.getMessage());
                    failures++;
                    continue;
                }
                BenchSource src = new BenchSource(name, BenchSource.toRgb(img), scratch);
                Metrics.Rgb ref = Metrics.rgb(src.rgb());
                if (!warmed) {
                    warmUp(active, src);
                    warmed = true;
                }
                long t0 = System.nanoTime();
                for (BenchCodec codec : active) {
                    for (String setting : codec.settings()) {
                        try {
                            BenchCodec.Coded c = codec.code(src, setting);
                            Metrics.Rgb dec = Metrics.rgb(c.decoded());
                            double px = (double) img.getWidth() * img.getHeight();
                            rows.add(new Row(codec.name(), setting, name, img.getWidth(), img.getHeight(), c.bytes(),
                                    8.0 * c.bytes() / px, Metrics.psnr(ref, dec), Metrics.msssim(ref, dec),
                                    c.encodeMs(), c.decodeMs(), codec.timing()));
                        } catch (Exception e) {
                            failures++;
                            err.println("qtk: " + name + ": " + codec.name() + " " + setting + " failed: "
                                    + io.qtk.cli.Errors.describe(e));
                        }
                    }
                }
                err.printf(Locale.ROOT, "[%d/%d] %s (%s)%n", i + 1, images.size(), name,
                        seconds(System.nanoTime() - t0));
                err.flush();
            }
            List<Summary.Point> points = Summary.points(rows, images.size());
            List<Summary.Bd> bds = Summary.bdRates(points, active.stream().map(BenchCodec::name).toList());
            writeOutputs(rows, points, bds);
            Summary.print(outw, points, bds, images.size());
            outw.printf(Locale.ROOT, "%nwrote %s, %s, %s, %s%n", out.resolve("results.csv"), out.resolve("summary.csv"),
                    out.resolve("bdrate.csv"), out.resolve("rd.png"));
            outw.flush();
            return failures == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            for (BenchCodec c : active) {
                c.close();
            }
            deleteTree(scratch);
        }
    }

    private void validate() {
        for (String c : codecs) {
            if (!List.of("qtk", "jpeg", "cjpeg", "webp").contains(c)) {
                throw new UsageException("unknown codec '" + c + "' in --codecs (choose from qtk, jpeg, cjpeg, webp)");
            }
        }
        for (double q : qualities) {
            if (!(q >= 0 && q <= 1)) {
                throw new UsageException("--qualities must be in [0, 1], got " + q);
            }
        }
        for (int q : jpegQualities) {
            if (q < 1 || q > 100) {
                throw new UsageException("--jpeg-qualities must be in 1..100, got " + q);
            }
        }
        for (int q : webpQualities) {
            if (q < 0 || q > 100) {
                throw new UsageException("--webp-qualities must be in 0..100, got " + q);
            }
        }
        if (plotMaxBpp != null && !(plotMaxBpp > 0)) {
            throw new UsageException("--plot-max-bpp must be positive, got " + plotMaxBpp);
        }
        if (!(rdo >= 0 && rdo <= io.qtk.EncodeOptions.MAX_RDO_STRENGTH)) {
            throw new UsageException("--rdo must be in [0, " + io.qtk.EncodeOptions.MAX_RDO_STRENGTH + "], got " + rdo);
        }
        if (limit != null && limit < 1) {
            throw new UsageException("--limit must be at least 1, got " + limit);
        }
    }

    private BenchCodec open(String c, PrintWriter err) {
        switch (c) {
            case "qtk" -> {
                try {
                    return new QtkBenchCodec(runtime.config(1), qualities, model, rdo);
                } catch (Exception | LinkageError e) {
                    err.println("bench: note: qtk skipped: " + io.qtk.cli.Errors.describe(e));
                    return null;
                }
            }
            case "jpeg" -> {
                return new JdkJpegCodec(jpegQualities);
            }
            default -> {
                ExternalCodec ext = c.equals("webp") ? ExternalCodec.webp(webpQualities)
                        : ExternalCodec.cjpeg(jpegQualities);
                String missing = ext.missing();
                if (missing != null) {
                    err.println("bench: note: " + c + " skipped: " + missing);
                    return null;
                }
                return ext;
            }
        }
    }

    /** One untimed coding per codec so that class loading, JIT and model start-up do not count. */
    private static void warmUp(List<BenchCodec> codecs, BenchSource src) {
        for (BenchCodec c : codecs) {
            List<String> s = c.settings();
            try {
                c.code(src, s.get(s.size() / 2));
            } catch (Exception ignored) {
                // The timed run reports failures.
            }
        }
    }

    private List<Path> findImages() {
        List<Path> found = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile)
                            .filter(p -> ImageFiles.INPUT_EXTENSIONS.contains(ImageFiles.extension(p)))
                            .sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new UsageException("cannot list " + in + ": " + io.qtk.cli.Errors.ioCause(e));
                }
            } else if (Files.isRegularFile(in)) {
                found.add(in);
            } else {
                throw new UsageException("no such file or directory: " + in);
            }
        }
        return limit == null || found.size() <= limit ? found : found.subList(0, limit);
    }

    private String label(Path p) {
        for (Path in : inputs) {
            if (Files.isDirectory(in) && p.startsWith(in)) {
                return in.relativize(p).toString();
            }
        }
        return p.getFileName().toString();
    }

    private void writeOutputs(List<Row> rows, List<Summary.Point> points, List<Summary.Bd> bds) throws FileFailure {
        StringBuilder r = new StringBuilder("codec,setting,image,width,height,bytes,bpp,psnr_rgb,ms_ssim_rgb,"
                + "encode_ms,decode_ms,timing\n");
        for (Row x : rows) {
            r.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%.6f,%.4f,%.6f,%.2f,%.2f,%s%n", x.codec(),
                    x.setting(), csv(x.image()), x.width(), x.height(), x.bytes(), x.bpp(), x.psnr(), x.msssim(),
                    x.encodeMs(), x.decodeMs(), x.timing()));
        }
        SafeOutput.write(out.resolve("results.csv"), true, r.toString().getBytes(StandardCharsets.UTF_8));
        SafeOutput.write(out.resolve("summary.csv"), true, Summary.csv(points).getBytes(StandardCharsets.UTF_8));
        SafeOutput.write(out.resolve("bdrate.csv"), true, Summary.bdCsv(bds).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            int n = (int) rows.stream().map(Row::image).distinct().count();
            ImageIO.write(Summary.plot(points, n, plotMaxBpp == null ? Double.POSITIVE_INFINITY : plotMaxBpp),
                    "png", png);
        } catch (IOException e) {
            throw new FileFailure("cannot draw the plot: " + e.getMessage(), e);
        }
        SafeOutput.write(out.resolve("rd.png"), true, png.toByteArray());
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp directory left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // ditto
        }
    }
}
