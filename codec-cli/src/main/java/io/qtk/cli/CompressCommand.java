package io.qtk.cli;

import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.QtkDecoder;
import io.qtk.QtkEncoder;
import io.qtk.QtkInfo;
import java.awt.Dimension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qtk compress IN... OUT}: images (PNG, JPEG, BMP, GIF, TIFF, WebP) to {@code .qtk}, one file or whole
 * directory trees, keeping ICC / EXIF / XMP / comment where the input has them.
 */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress images (PNG, JPEG, BMP, GIF, TIFF, WebP) to .qtk.",
            "IN may be a file or a directory; a directory is searched recursively and mirrored into OUT "
                + "(IN/a/b.png -> OUT/a/b.qtk). With several inputs, or when OUT is an existing directory, "
                + "the outputs go into OUT. Outputs are written atomically and never overwritten without --force."},
        footerHeading = "%nExamples:%n",
        footer = {"  qtk compress photo.png photo.qtk",
            "  qtk compress --bpp 0.25 photo.jpg small.qtk",
            "  qtk compress --size 20k photo.png thumb.qtk",
            "  qtk compress -j 4 photos/ photos-qtk/"})
public final class CompressCommand implements Callable<Integer> {
    /** Exactly one way to set the rate. */
    static final class Rate {
        @Option(names = "--quality", paramLabel = "Q",
                description = "Quality in [0, 1]: 0 the smallest file, 1 the best the models can do (default "
                        + EncodeOptions.DEFAULT_QUALITY + ").")
        Double quality;

        @Option(names = "--bpp", paramLabel = "B",
                description = "Target bits per pixel: the best quality whose file is at most B bpp.")
        Double bpp;

        @Option(names = "--size", paramLabel = "BYTES",
                description = "Target file size: the best quality whose file fits, e.g. 50000, 48k, 1.5M "
                        + "(k = 1000, Ki = 1024).")
        String size;
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true, description = "Input files or directories, then the output.")
    List<Path> paths = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Rate rate;

    @Option(names = "--model", paramLabel = "NAME", description = "Model to use (see 'qtk models'; default: "
            + "the codec's choice along the rate ladder).")
    String model;

    @Option(names = "--strip", description = "Do not carry ICC, EXIF, XMP and comment (orientation is kept).")
    boolean strip;

    @Option(names = "--rdo", paramLabel = "S", description = "Rate-aware rounding strength: where a value lies "
            + "between two codewords, take the cheaper one. 0 = nearest codeword, 1 = tuned for PSNR without losing "
            + "MS-SSIM (default: " + EncodeOptions.DEFAULT_RDO_STRENGTH + "), up to " + EncodeOptions.MAX_RDO_STRENGTH
            + ".")
    Double rdo;

    @Option(names = "--groups-per-stream", paramLabel = "N", hidden = true,
            description = "Groups per token-stream chunk (0 = codec's choice); smaller = finer progressive steps.")
    int groupsPerStream;

    @Mixin
    BatchOptions batch;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        EncodeOptions options = encodeOptions();
        List<Path> inputs = paths.subList(0, paths.size() - 1);
        Path out = paths.get(paths.size() - 1);
        BatchPlanner planner = new BatchPlanner(p -> ImageFiles.INPUT_EXTENSIONS.contains(ImageFiles.extension(p)),
                name -> BatchPlanner.replaceExtension(name, "qtk"));
        List<Task> tasks = planner.plan(inputs, out);
        Progress progress = new Progress(spec.commandLine().getOut(), spec.commandLine().getErr(), batch.mode());
        if (tasks.isEmpty()) {
            spec.commandLine().getErr().println("qtk: no images found in " + inputs
                    + " (looked for " + String.join(", ", new java.util.TreeSet<>(ImageFiles.INPUT_EXTENSIONS)) + ")");
            return ExitCodes.OK;
        }
        int jobs = batch.jobs(tasks.size());
        if (progress.isBar() || tasks.size() > 1) {
            tasks = tasks.stream().map(t -> {
                Dimension d = ImageFiles.probe(t.input());
                return d == null ? t : t.withPixels((long) d.width * d.height);
            }).toList();
        }
        try (Codecs codecs = new Codecs(runtime.config(jobs))) {
            checkModel(codecs);
            int failed = BatchRunner.run(tasks, jobs, (task, listener) -> {
                SafeOutput.checkTarget(task.output(), batch.force); // before the expensive work
                ImageFiles.Input in = ImageFiles.read(task.input());
                QtkEncoder encoder = codecs.encoder();
                ImageMetadata meta = in.metadata();
                long t0 = System.nanoTime();
                byte[] qtk = encoder.encode(in.image(), meta, options, listener);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                SafeOutput.write(task.output(), batch.force, qtk);
                long px = (long) in.image().getWidth() * in.image().getHeight();
                return new BatchRunner.Done(describe(task.output(), in, qtk, px, ms), px);
            }, progress, batch.verbose);
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private void checkModel(Codecs codecs) {
        if (model == null) {
            return;
        }
        List<io.qtk.ModelDescription> models;
        try {
            models = codecs.encoder().models();
        } catch (Exception | LinkageError e) {
            return; // the engine is not usable here: each file reports why
        }
        if (models.stream().noneMatch(m -> m.name().equals(model))) {
            throw new UsageException("unknown model '" + model + "'; available: "
                    + (models.isEmpty() ? "none" : String.join(", ", models.stream().map(m -> m.name()).toList()))
                    + " (see 'qtk models')");
        }
    }

    private static String describe(Path out, ImageFiles.Input in, byte[] qtk, long px, long ms) {
        String groups = "";
        try {
            QtkInfo info = QtkDecoder.info(qtk);
            groups = String.format(Locale.ROOT, "  %s %d/%d groups", info.modelName(), info.groupsCoded(),
                    info.groupsTotal());
        } catch (Exception | LinkageError e) {
            // The line is informative only.
        }
        return String.format(Locale.ROOT, "-> %s  %dx%d  %d B  %.3f bpp%s  %d ms", out, in.image().getWidth(),
                in.image().getHeight(), qtk.length, 8.0 * qtk.length / px, groups, ms);
    }

    private EncodeOptions encodeOptions() {
        EncodeOptions.Builder b = EncodeOptions.builder().model(model).keepMetadata(!strip);
        try {
            if (groupsPerStream != 0) {
                b.groupsPerStream(groupsPerStream);
            }
            if (rdo != null) {
                b.rdoStrength(rdo);
            }
            if (rate != null && rate.quality != null) {
                b.quality(rate.quality);
            } else if (rate != null && rate.bpp != null) {
                b.targetBpp(rate.bpp);
            } else if (rate != null && rate.size != null) {
                b.targetBytes(parseSize(rate.size));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("targetBpp", "--bpp").replace("targetBytes", "--size")
                    .replace("quality must", "--quality must").replace("rdoStrength", "--rdo"));
        }
        return b.build();
    }

    /**
     * @param s a size such as "50000", "48k", "48KB", "1.5M", "64Ki", "2MiB"
     * @return bytes
     * @throws UsageException when not a positive size
     */
    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        if (t.endsWith("ki")) {
            mult = 1024;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("mi")) {
            mult = 1024 * 1024;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("k")) {
            mult = 1000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * mult;
            if (!(v >= 1) || v > Long.MAX_VALUE / 2) {
                throw new NumberFormatException();
            }
            return (long) Math.floor(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--size must be a positive number of bytes such as 50000, 48k or 1.5M, got '"
                    + s + "'");
        }
    }
}
