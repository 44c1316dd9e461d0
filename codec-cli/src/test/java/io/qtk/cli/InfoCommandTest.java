package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qtk info} reads only the container: it works with no model at all, and on truncated files. */
class InfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsHeaderModelGroupsChunksAndBpp() throws Exception {
        byte[] q = Cli.qtkFile("no-such-model-here", 64, 48, 3);
        Path f = Files.write(dir.resolve("a.qtk"), q);
        Cli.Result r = Cli.run("info", f.toString());
        assertEquals(0, r.code(), r::toString);
        String o = r.out();
        assertTrue(o.contains("image:      64x48, rgb, 8-bit source, orientation 1 (upright)"), o);
        assertTrue(o.contains("model:      no-such-model-here version 1"), o);
        assertTrue(o.contains("model hash: " + "ab".repeat(32)), o);
        assertTrue(o.contains("quantiser:  grid, factor f=16, 8 groups, K=256, d=4, token grid 4x3"), o);
        assertTrue(o.contains("groups:     6 of 8 coded, 6 present"), o);
        assertTrue(o.contains("streams:    3 (groups per stream: 2,2,2)"), o);
        String bpp = String.format(java.util.Locale.ROOT, "%.4f bpp", 8.0 * q.length / (64 * 48));
        assertTrue(o.contains("size:       " + String.format(java.util.Locale.ROOT, "%,d", q.length) + " bytes, "
                + bpp), o);
        assertTrue(o.contains("QHDR"), o);
        assertTrue(o.contains("QEND"), o);
        assertEquals(3, o.split("QTOK", -1).length - 1, o);
        assertTrue(o.contains("groups 4-5, coder 1; file up to here"), o);
    }

    @Test
    void aTruncatedFileSaysSo() throws Exception {
        byte[] q = Cli.qtkFile("m", 64, 48, 3);
        Path f = Files.write(dir.resolve("cut.qtk"), Arrays.copyOf(q, q.length - 30));
        Cli.Result r = Cli.run("info", f.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("(truncated)"), r.out());
        assertTrue(r.out().contains("incomplete (file cut short)"), r.out());
    }

    @Test
    void aCorruptFileFailsWithItsOffsetAndTheOthersAreStillShown() throws Exception {
        Path good = Files.write(dir.resolve("good.qtk"), Cli.qtkFile("m", 16, 16, 1));
        Path bad = Files.write(dir.resolve("bad.qtk"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        Cli.Result r = Cli.run("info", bad.toString(), good.toString());
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + bad + ": corrupt .qtk file (byte offset 0)"), r.err());
        assertTrue(r.out().contains("file:       " + good), r.out());
    }

    @Test
    void chunkListCanBeLeftOut() throws Exception {
        Path f = Files.write(dir.resolve("a.qtk"), Cli.qtkFile("m", 16, 16, 1));
        Cli.Result r = Cli.run("info", "--no-chunks", f.toString());
        assertEquals(0, r.code());
        assertTrue(!r.out().contains("QHDR"), r.out());
    }
}
