package io.qtk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Turns the command line's inputs and output into {@link Task}s: one file to one file, one file into a directory, or
 * directory trees mirrored into an output directory ({@code IN/a/b.png -> OUT/a/b.qtk}).
 *
 * <p>Problems with the request as a whole (a directory to be written into a file) are {@link UsageException}s;
 * problems of one file (two inputs that would write the same output, an output equal to its input) become tasks
 * that fail with that message, so the rest of the batch still runs.
 */
public final class BatchPlanner {
    private final Predicate<Path> accepts;
    private final UnaryOperator<String> outputName;

    /**
     * @param accepts which files found in a directory are inputs (by name)
     * @param outputName the output file name for an input file name, e.g. {@code b.png -> b.qtk}
     */
    public BatchPlanner(Predicate<Path> accepts, UnaryOperator<String> outputName) {
        this.accepts = accepts;
        this.outputName = outputName;
    }

    /**
     * @param inputs files or directories, at least one
     * @param out the output file or directory
     * @return the tasks, in a stable order (inputs as given, directory contents sorted)
     * @throws UsageException when the inputs and output do not fit together
     */
    public List<Task> plan(List<Path> inputs, Path out) {
        boolean outIsDir = Files.isDirectory(out) || out.toString().endsWith("/")
                || out.toString().endsWith(java.io.File.separator);
        List<Task> tasks = new ArrayList<>();
        if (inputs.size() == 1 && !Files.isDirectory(inputs.get(0))) {
            Path in = inputs.get(0);
            Path target = outIsDir ? out.resolve(outputName.apply(fileName(in))) : out;
            tasks.add(new Task(in, target, in.toString(), 0, null));
            return check(tasks);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("output " + out + " must be a directory when the input is a directory or "
                    + "several files");
        }
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                for (Path f : walk(in, out)) {
                    Path rel = in.relativize(f);
                    Path parent = rel.getParent();
                    String name = outputName.apply(fileName(f));
                    Path target = parent == null ? out.resolve(name) : out.resolve(parent.toString()).resolve(name);
                    tasks.add(new Task(f, target, inputs.size() == 1 ? rel.toString() : f.toString(), 0, null));
                }
            } else {
                tasks.add(new Task(in, out.resolve(outputName.apply(fileName(in))), in.toString(), 0, null));
            }
        }
        return check(tasks);
    }

    private List<Path> walk(Path dir, Path out) {
        Path outAbs = out.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !fileName(p).startsWith(".")) // hidden files, our own temporary files
                    .filter(p -> !p.toAbsolutePath().normalize().startsWith(outAbs)) // output nested in input
                    .filter(accepts)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof IOException ? (IOException) e : ((UncheckedIOException) e).getCause();
            throw new UsageException("cannot list directory " + dir + ": " + Errors.ioCause(io));
        }
    }

    /** Marks tasks whose output collides with an earlier one or with its own input. */
    private static List<Task> check(List<Task> tasks) {
        Map<Path, Task> byOutput = new HashMap<>();
        List<Task> checked = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            Path key = t.output().toAbsolutePath().normalize();
            Task first = byOutput.putIfAbsent(key, t);
            if (first != null) {
                checked.add(new Task(t.input(), t.output(), t.label(), 0,
                        "output " + t.output() + " would also be written from " + first.label()
                                + "; skipped (rename one of them)"));
            } else if (key.equals(t.input().toAbsolutePath().normalize())) {
                checked.add(new Task(t.input(), t.output(), t.label(), 0, "output is the input itself; skipped"));
            } else {
                checked.add(t);
            }
        }
        return checked;
    }

    private static String fileName(Path p) {
        Path n = p.getFileName();
        return n == null ? p.toString() : n.toString();
    }

    /**
     * @param name a file name
     * @param newExtension the extension to put in place of the old one, without dot
     * @return the name with its extension replaced (or added when it had none)
     */
    public static String replaceExtension(String name, String newExtension) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base + "." + newExtension;
    }
}
