package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.ImageMetadata;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compress and decompress for real, through the CLI, with the small test model. Skipped (with the reason) where the
 * codec engine cannot run.
 */
class EndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "gif", "tiff", "webp"})
    void everyInputFormatRoundTrips(String format) throws Exception {
        Path in = format.equals("webp")
                ? Files.copy(Path.of(getClass().getResource("/images/gradient-16x16.webp").toURI()),
                        dir.resolve("in.webp"))
                : Cli.image(dir.resolve("in." + format), format, 40, 24);
        int w = ImageFiles.read(in).image().getWidth();
        Path q = dir.resolve("in.qtk");
        Cli.Result r = Cli.run(Cli.withModel("compress", in.toString(), q.toString()));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("-> " + q), r.out());
        assertTrue(r.out().contains(" bpp"), r.out());
        for (String of : new String[] {"png", "jpg", "bmp", "tiff"}) {
            Path o = dir.resolve("out." + of);
            r = Cli.run(Cli.withModel("decompress", q.toString(), o.toString()));
            assertEquals(0, r.code(), r::toString);
            BufferedImage back = ImageIO.read(o.toFile());
            assertEquals(w, back.getWidth(), of);
        }
    }

    @Test
    void infoOfARealFileAgreesWithTheCompressLine() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 64, 48);
        Path q = dir.resolve("a.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", in.toString(), q.toString())).code());
        Cli.Result r = Cli.run("info", q.toString()); // no --model-dir: info needs no model
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("image:      64x48, rgb"), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%,d bytes", Files.size(q))), r.out());
    }

    @Test
    void metadataIsCarriedThrough() throws Exception {
        ImageMetadata m = MetadataCodecTest.sample();
        byte[] png = ImageFiles.encode(Cli.gradient(32, 32), m, "png", 0.9f);
        Path in = Files.write(dir.resolve("meta.png"), png);
        Path q = dir.resolve("meta.qtk");
        Cli.Result r = Cli.run(Cli.withModel("compress", in.toString(), q.toString()));
        assertEquals(0, r.code(), r::toString);
        r = Cli.run("info", q.toString());
        assertTrue(r.out().contains("ICC " + m.icc().length + " B, EXIF " + m.exif().length + " B"), r.out());
        Path out = dir.resolve("meta-out.png");
        assertEquals(0, Cli.run(Cli.withModel("decompress", q.toString(), out.toString())).code());
        ImageMetadata back = MetadataCodec.extract(Files.readAllBytes(out), null);
        assertArrayEquals(m.icc(), back.icc());
        assertArrayEquals(m.exif(), back.exif());
        assertArrayEquals(m.xmp(), back.xmp());
        assertEquals(m.comment(), back.comment());
        assertEquals(6, back.orientation());

        Path stripped = dir.resolve("stripped.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", "--strip", in.toString(), stripped.toString())).code());
        assertTrue(Cli.run("info", stripped.toString()).out().contains("ICC none, EXIF none"));
    }

    @Test
    void aDirectoryIsMirroredInParallelAndABadFileDoesNotStopTheRest() throws Exception {
        Path in = dir.resolve("in");
        Cli.image(in.resolve("a.png"), "png", 32, 32);
        Cli.image(in.resolve("sub/b.jpg"), "jpg", 24, 40);
        Cli.image(in.resolve("sub/deep/c.bmp"), "bmp", 17, 9);
        Files.writeString(in.resolve("sub/bad.png"), "not an image");
        Files.writeString(in.resolve("readme.txt"), "ignored");
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run(Cli.withModel("compress", "--jobs", "2", "--progress", "plain", in.toString(),
                out.toString()));
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: sub/bad.png: not a supported image"), r.err());
        assertTrue(r.err().contains("3 of 4 files done, ") && r.err().contains("1 failed"), r.err());
        assertEquals(List.of("a.qtk", "sub/b.qtk", "sub/deep/c.qtk"), Cli.tree(out));
        for (String label : new String[] {"a.png -> ", "sub/b.jpg -> ", "sub/deep/c.bmp -> "}) {
            assertTrue(r.out().contains(label), r.out());
        }

        Path back = dir.resolve("back");
        r = Cli.run(Cli.withModel("decompress", "-j", "3", out.toString(), back.toString()));
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("a.png", "sub/b.png", "sub/deep/c.png"), Cli.tree(back));
        assertEquals(17, ImageIO.read(back.resolve("sub/deep/c.png").toFile()).getWidth());

        Path jpgs = dir.resolve("jpgs");
        r = Cli.run(Cli.withModel("decompress", "--format", "jpg", out.toString(), jpgs.toString()));
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("a.jpg", "sub/b.jpg", "sub/deep/c.jpg"), Cli.tree(jpgs));

        // Run again: every output exists, nothing is overwritten, and each file says so.
        r = Cli.run(Cli.withModel("decompress", out.toString(), back.toString()));
        assertEquals(ExitCodes.FAILED, r.code());
        assertEquals(3, r.err().split("exists \\(use --force to overwrite\\)", -1).length - 1, r.err());
        r = Cli.run(Cli.withModel("decompress", "--force", "-q", out.toString(), back.toString()));
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void forceReplacesAnExistingOutput() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 16, 16);
        Path q = Files.write(dir.resolve("a.qtk"), new byte[] {1});
        assertEquals(ExitCodes.FAILED, Cli.run(Cli.withModel("compress", in.toString(), q.toString())).code());
        assertEquals(1, Files.size(q));
        assertEquals(0, Cli.run(Cli.withModel("compress", "-f", in.toString(), q.toString())).code());
        assertTrue(Files.size(q) > 1);
        assertEquals(List.of("a.png", "a.qtk"), Cli.tree(dir));
    }

    @Test
    void rateOptionsChangeTheSize() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 96, 64);
        long[] sizes = new long[2];
        String[][] opts = {{"--quality", "0"}, {"--quality", "1"}};
        for (int i = 0; i < 2; i++) {
            Path q = dir.resolve("q" + i + ".qtk");
            assertEquals(0, Cli.run(Cli.withModel("compress", opts[i][0], opts[i][1], in.toString(),
                    q.toString())).code());
            sizes[i] = Files.size(q);
        }
        assertTrue(sizes[0] < sizes[1], Arrays.toString(sizes));
        Path s = dir.resolve("s.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", "--size", String.valueOf(sizes[1]), in.toString(),
                s.toString())).code());
        assertTrue(Files.size(s) <= sizes[1]);
        Path b = dir.resolve("b.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", "--bpp", "0.0001", in.toString(), b.toString())).code());
        assertEquals(sizes[0], Files.size(b), "an unreachable target gives the smallest ladder point");
    }

    @Test
    void unknownModelIsAUsageErrorListingTheAvailableOnes() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 16, 16);
        Cli.Result r = Cli.run(Cli.withModel("compress", "--model", "no-such-model", in.toString(),
                dir.resolve("a.qtk").toString()));
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("unknown model 'no-such-model'; available: "), r.err());
        assertTrue(Files.notExists(dir.resolve("a.qtk")));
    }

    @Test
    void aFileWhoseModelIsMissingSaysWhichModel() throws Exception {
        Path q = Files.write(dir.resolve("other.qtk"), Cli.qtkFile("model-we-do-not-have", 32, 32, 2));
        Cli.Result r = Cli.run(Cli.withModel("decompress", q.toString(), dir.resolve("o.png").toString()));
        assertEquals(ExitCodes.FAILED, r.code(), r::toString);
        assertTrue(r.err().contains("qtk: " + q + ": model not available"), r.err());
        assertTrue(r.err().contains("model-we-do-not-have"), r.err());
        assertTrue(Files.notExists(dir.resolve("o.png")));
    }

    @Test
    void fewerGroupsAndTruncatedFilesStillDecode() throws Exception {
        Path in = Cli.image(dir.resolve("a.png"), "png", 64, 64);
        Path q = dir.resolve("a.qtk");
        assertEquals(0, Cli.run(Cli.withModel("compress", "--quality", "1", in.toString(), q.toString())).code());
        Cli.Result r = Cli.run(Cli.withModel("decompress", "--groups", "1", q.toString(),
                dir.resolve("g1.png").toString()));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains(" 1/"), r.out());

        byte[] all = Files.readAllBytes(q);
        Path cut = Files.write(dir.resolve("cut.qtk"), Arrays.copyOf(all, all.length - 10));
        r = Cli.run(Cli.withModel("decompress", cut.toString(), dir.resolve("cut.png").toString()));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("(truncated file)"), r.out());
        assertNotEquals(0, Files.size(dir.resolve("cut.png")));
    }

    @Test
    void modelsListsTheLadder() {
        Cli.Result r = Cli.run(Cli.withModel("models"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("NAME"), r.out());
        assertTrue(r.out().contains("LADDER"), r.out());
        assertTrue(r.out().contains("sha256"), r.out());
    }
}
