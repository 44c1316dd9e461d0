package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How inputs and output become tasks: single files, directories mirrored, collisions. */
class BatchPlannerTest {
    @TempDir
    Path dir;

    private final BatchPlanner planner = new BatchPlanner(
            p -> ImageFiles.INPUT_EXTENSIONS.contains(ImageFiles.extension(p)),
            n -> BatchPlanner.replaceExtension(n, "qtk"));

    @Test
    void oneFileToOneFile() {
        List<Task> t = planner.plan(List.of(dir.resolve("a.png")), dir.resolve("x.qtk"));
        assertEquals(1, t.size());
        assertEquals(dir.resolve("x.qtk"), t.get(0).output());
    }

    @Test
    void oneFileIntoAnExistingDirectory() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        List<Task> t = planner.plan(List.of(dir.resolve("a.png")), out);
        assertEquals(out.resolve("a.qtk"), t.get(0).output());
    }

    @Test
    void aDirectoryTreeIsMirroredAndOnlyImagesAreTaken() throws Exception {
        Path in = dir.resolve("in");
        for (String f : new String[] {"a.png", "sub/b.JPG", "sub/deep/c.webp", "notes.txt", ".hidden.png",
            "sub/.x.qtk.123.qtk-tmp"}) {
            Path p = in.resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
        Path out = dir.resolve("out");
        List<Task> t = planner.plan(List.of(in), out);
        assertEquals(List.of("a.png", "sub/b.JPG", "sub/deep/c.webp"), t.stream().map(Task::label).toList());
        assertEquals(List.of(out.resolve("a.qtk"), out.resolve("sub/b.qtk"), out.resolve("sub/deep/c.qtk")),
                t.stream().map(Task::output).toList());
        t.forEach(x -> assertNull(x.preFailure()));
    }

    @Test
    void twoInputsForOneOutputAreReportedNotOverwritten() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("a.jpg"), new byte[] {1});
        Files.write(in.resolve("a.png"), new byte[] {1});
        List<Task> t = planner.plan(List.of(in), dir.resolve("out"));
        assertNull(t.get(0).preFailure());
        assertTrue(t.get(1).preFailure().contains("would also be written from a.jpg"), t.get(1).preFailure());
    }

    @Test
    void anOutputInsideTheInputTreeIsNotReadAsInput() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("out/old"));
        Files.write(in.resolve("a.png"), new byte[] {1});
        Files.write(in.resolve("out/old/z.png"), new byte[] {1});
        List<Task> t = planner.plan(List.of(in), in.resolve("out"));
        assertEquals(List.of("a.png"), t.stream().map(Task::label).toList());
    }

    @Test
    void aDirectoryCannotGoIntoAFile() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path file = Files.write(dir.resolve("file.qtk"), new byte[] {1});
        UsageException e = assertThrows(UsageException.class, () -> planner.plan(List.of(in), file));
        assertTrue(e.getMessage().contains("must be a directory"), e.getMessage());
    }

    @Test
    void severalFilesGoIntoTheOutputDirectory() {
        List<Task> t = planner.plan(List.of(dir.resolve("x/a.png"), dir.resolve("y/b.bmp")), dir.resolve("o"));
        assertEquals(List.of(dir.resolve("o/a.qtk"), dir.resolve("o/b.qtk")), t.stream().map(Task::output).toList());
    }

    @Test
    void anOutputEqualToItsInputIsRefused() {
        BatchPlanner same = new BatchPlanner(p -> true, n -> n);
        List<Task> t = same.plan(List.of(dir.resolve("a.png")), dir.resolve("a.png"));
        assertTrue(t.get(0).preFailure().contains("output is the input itself"));
    }

    @Test
    void extensionsAreReplaced() {
        assertEquals("a.qtk", BatchPlanner.replaceExtension("a.png", "qtk"));
        assertEquals("a.b.qtk", BatchPlanner.replaceExtension("a.b.png", "qtk"));
        assertEquals("noext.qtk", BatchPlanner.replaceExtension("noext", "qtk"));
        assertEquals(".rc.qtk", BatchPlanner.replaceExtension(".rc", "qtk"));
    }
}
