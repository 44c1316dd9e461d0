package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees for bad input: the exit code, the file named, the cause, and nothing written. These failures are
 * all found before the codec runs, so they need no model.
 */
class CliErrorsTest {
    @TempDir
    Path dir;

    @Test
    void missingInputFile() throws Exception {
        Path in = dir.resolve("missing.png");
        Cli.Result r = Cli.run("compress", in.toString(), dir.resolve("out.qtk").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + in + ": no such file"), r.err());
        assertEquals(List.of(), Cli.tree(dir));
    }

    @Test
    void unreadableImage() throws Exception {
        Path in = Files.writeString(dir.resolve("text.png"), "this is not a PNG");
        Cli.Result r = Cli.run("compress", in.toString(), dir.resolve("out.qtk").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains(in + ": not a supported image (PNG, JPEG, BMP, GIF, TIFF, WebP)"), r.err());
        assertEquals(List.of("text.png"), Cli.tree(dir));
    }

    @Test
    void truncatedImage() throws Exception {
        byte[] png = ImageFiles.encode(Cli.gradient(64, 64), null, "png", 0.9f);
        Path in = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, 60));
        Cli.Result r = Cli.run("compress", in.toString(), dir.resolve("out.qtk").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains(in + ": unreadable image"), r.err());
    }

    @Test
    void maxPixelsRefusesALargerFileFromItsHeader() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 16, 8);
        Path qtk = dir.resolve("a.qtk");
        Cli.Result c = Cli.run(Cli.withModel("compress", in.toString(), qtk.toString()));
        assertEquals(ExitCodes.OK, c.code(), c::toString);
        Path out = dir.resolve("back.png");
        Cli.Result r = Cli.run(Cli.withModel("decompress", "--max-pixels", "127", qtk.toString(), out.toString()));
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("image 16x8 is 128 pixels, over the decode limit of 127 pixels"), r.err());
        assertTrue(Files.notExists(out));
        r = Cli.run(Cli.withModel("decompress", "--max-pixels", "128", qtk.toString(), out.toString()));
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        r = Cli.run(Cli.withModel("decompress", "--max-pixels", "0", qtk.toString(), dir.resolve("c.png").toString()));
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--max-pixels must be at least 1"), r.err());
    }

    @Test
    void existingOutputIsNotOverwrittenWithoutForce() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 8, 8);
        Path out = Files.write(dir.resolve("a.qtk"), new byte[] {42});
        Cli.Result r = Cli.run("compress", in.toString(), out.toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("exists (use --force to overwrite)"), r.err());
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(out));

        r = Cli.run("decompress", out.toString(), in.toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("a.png exists (use --force to overwrite)"), r.err());
    }

    @Test
    void outputBelowAFileIsUnwritable() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 8, 8);
        Path file = Files.write(dir.resolve("notadir"), new byte[] {1});
        Cli.Result r = Cli.run("compress", in.toString(), file.resolve("a.qtk").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("cannot write " + file.resolve("a.qtk") + ": " + file
                + " is a file, not a directory"), r.err());
    }

    @Test
    void corruptQtkNamesTheOffset() throws Exception {
        Path bad = Files.write(dir.resolve("bad.qtk"), "GIF89a not a qtk file at all".getBytes());
        Cli.Result r = Cli.run("decompress", bad.toString(), dir.resolve("o.png").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + bad + ": corrupt .qtk file (byte offset 0): "), r.err());
        assertTrue(Files.notExists(dir.resolve("o.png")));
    }

    @Test
    void aFlippedByteInsideAChunkIsACrcErrorWithItsOffset() throws Exception {
        byte[] q = Cli.qtkFile("some-model", 64, 48, 2);
        q[20] ^= 0x55; // inside QHDR's data
        Path bad = Files.write(dir.resolve("flip.qtk"), q);
        Cli.Result r = Cli.run("decompress", bad.toString(), dir.resolve("o.png").toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().matches("(?s).*corrupt \\.qtk file \\(byte offset \\d+\\): .*"), r.err());
    }

    @Test
    void missingQtkFile() {
        Path in = dir.resolve("nothing.qtk");
        Cli.Result r = Cli.run("decompress", in.toString(), dir.resolve("o.png").toString());
        assertEquals(ExitCodes.FAILED, r.code());
        assertTrue(r.err().contains("qtk: " + in + ": no such file"), r.err());
    }

    @Test
    void aBatchReportsEachFailedFileAndGoesOn() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("sub"));
        Files.writeString(in.resolve("a.png"), "junk");
        Files.writeString(in.resolve("sub/b.jpg"), "more junk");
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("compress", "--jobs", "2", in.toString(), out.toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: a.png: not a supported image"), r.err());
        assertTrue(r.err().contains("qtk: sub/b.jpg: not a supported image"), r.err());
        assertTrue(r.err().contains("0 of 2 files done, ") && r.err().contains("2 failed"), r.err());
        assertEquals(List.of(), Cli.tree(out));
    }

    @Test
    void anEmptyDirectoryIsNotAnError() throws Exception {
        Path in = Files.createDirectories(dir.resolve("empty"));
        Cli.Result r = Cli.run("compress", in.toString(), dir.resolve("out").toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.err().contains("no images found"), r.err());
    }

    @Test
    void inputsAreNeverTouched() throws Exception {
        Path in = Files.writeString(dir.resolve("x.png"), "junk");
        long before = Files.getLastModifiedTime(in).toMillis();
        Cli.run("compress", "--force", in.toString(), dir.resolve("x.qtk").toString());
        Cli.run("decompress", "--force", dir.resolve("x.qtk").toString(), in.toString());
        assertEquals("junk", Files.readString(in));
        assertEquals(before, Files.getLastModifiedTime(in).toMillis());
    }
}
