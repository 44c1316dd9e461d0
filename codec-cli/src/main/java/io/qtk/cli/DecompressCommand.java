package io.qtk.cli;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.ImageMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qtk decompress IN... OUT}: {@code .qtk} files to PNG, JPEG, BMP or TIFF, one file or directory trees.
 */
@Command(name = "decompress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decompress .qtk files to PNG, JPEG, BMP or TIFF.",
            "The format comes from OUT's extension or --format; a directory is mirrored into OUT as PNG unless "
                + "--format says otherwise. Outputs are written atomically and never overwritten without --force."},
        footerHeading = "%nExamples:%n",
        footer = {"  qtk decompress photo.qtk photo.png",
            "  qtk decompress --groups 4 photo.qtk preview.jpg",
            "  qtk decompress --format jpg photos-qtk/ photos-jpg/"})
public final class DecompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true, description = "Input .qtk files or directories, then the output.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FMT", description = "Output format: png, jpg, bmp or tiff "
            + "(default: from OUT's extension; png for directories).")
    String format;

    @Option(names = "--jpeg-quality", paramLabel = "Q", description = "JPEG output quality in [0, 1] "
            + "(default: 0.95).")
    float jpegQuality = 0.95f;

    @Option(names = "--groups", paramLabel = "N", description = "Decode at most N groups (a coarser preview).")
    Integer groups;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Refuse a file that would"
            + " decode to more than N pixels, from its header, before anything is allocated (default: 89478485, as"
            + " Pillow's MAX_IMAGE_PIXELS).")
    Long maxPixels;

    @Option(names = "--strip", description = "Do not write ICC, EXIF, XMP and comment into the output.")
    boolean strip;

    @Mixin
    BatchOptions batch;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        List<Path> inputs = paths.subList(0, paths.size() - 1);
        Path out = paths.get(paths.size() - 1);
        String fmt = format == null ? null : ImageFiles.outputFormat(format);
        if (format != null && fmt == null) {
            throw new UsageException("--format must be one of png, jpg, bmp, tiff, got '" + format + "'");
        }
        if (!(jpegQuality >= 0 && jpegQuality <= 1)) {
            throw new UsageException("--jpeg-quality must be in [0, 1], got " + jpegQuality);
        }
        if (groups != null && groups < 1) {
            throw new UsageException("--groups must be at least 1, got " + groups);
        }
        if (maxPixels != null && maxPixels < 1) {
            throw new UsageException("--max-pixels must be at least 1, got " + maxPixels);
        }
        boolean single = inputs.size() == 1 && !Files.isDirectory(inputs.get(0)) && !Files.isDirectory(out)
                && !out.toString().endsWith("/");
        if (single && fmt == null) {
            fmt = ImageFiles.outputFormat(ImageFiles.extension(out));
            if (fmt == null) {
                throw new UsageException("cannot tell the output format from '" + out
                        + "': give it a .png, .jpg, .bmp or .tiff name, or use --format");
            }
        }
        String outFormat = fmt == null ? "png" : fmt;
        BatchPlanner planner = new BatchPlanner(p -> ImageFiles.extension(p).equals("qtk"),
                name -> BatchPlanner.replaceExtension(name, outFormat.equals("jpg") ? "jpg" : outFormat));
        List<Task> tasks = planner.plan(inputs, out);
        Progress progress = new Progress(spec.commandLine().getOut(), spec.commandLine().getErr(), batch.mode());
        if (tasks.isEmpty()) {
            spec.commandLine().getErr().println("qtk: no .qtk files found in " + inputs);
            return ExitCodes.OK;
        }
        int jobs = batch.jobs(tasks.size());
        if (progress.isBar() || tasks.size() > 1) {
            tasks = tasks.stream().map(t -> t.withPixels(QtkFiles.pixels(t.input()))).toList();
        }
        DecodeOptions.Builder ob = DecodeOptions.builder();
        if (groups != null) {
            ob.maxGroups(groups);
        }
        if (maxPixels != null) {
            ob.maxPixels(maxPixels);
        }
        DecodeOptions options = ob.build();
        try (Codecs codecs = new Codecs(runtime.config(jobs))) {
            int failed = BatchRunner.run(tasks, jobs, (task, listener) -> {
                SafeOutput.checkTarget(task.output(), batch.force);
                byte[] data = ImageFiles.readAll(task.input());
                // The container is checked first: a corrupt file is reported with its offset without the model.
                io.qtk.format.QtkReader.read(data);
                long t0 = System.nanoTime();
                DecodedImage d = codecs.decoder().decode(data, options, listener);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                ImageMetadata meta = strip ? ImageMetadata.builder().orientation(d.metadata().orientation()).build()
                        : d.metadata();
                byte[] bytes = ImageFiles.encode(d.image(), meta, outFormat, jpegQuality);
                SafeOutput.write(task.output(), batch.force, bytes);
                long px = (long) d.image().getWidth() * d.image().getHeight();
                String trunc = d.info().truncated() ? "  (truncated file)" : "";
                return new BatchRunner.Done(String.format(Locale.ROOT, "-> %s  %dx%d  %d/%d groups%s  %d ms",
                        task.output(), d.image().getWidth(), d.image().getHeight(), d.groupsDecoded(),
                        d.info().groupsCoded(), trunc, ms), px);
            }, progress, batch.verbose);
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
