package io.qtk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.cli.ExitCodes;
import io.qtk.cli.QtkCli;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qtk bench} on a few small images: CSV files, plot, BD-rate lines, skipping of absent tools. */
class BenchCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run bench(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        List<String> a = new ArrayList<>(List.of("bench"));
        a.addAll(List.of(args));
        int code = QtkCli.run(new PrintWriter(o), new PrintWriter(e), a.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    private Path images(int n) throws Exception {
        Path d = dir.resolve("img");
        Files.createDirectories(d);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    img.setRGB(x, y, ((x * 4 + i * 40) % 256) << 16 | ((y * 5) % 256) << 8 | ((x ^ y) * 3 % 256));
                }
            }
            ImageIO.write(img, "png", d.resolve("im" + i + ".png").toFile());
        }
        return d;
    }

    @Test
    void jpegOnlyBenchWritesCsvPlotAndSummary() throws Exception {
        Path img = images(2);
        Path out = dir.resolve("out");
        Run r = bench("--codecs", "jpeg", "--jpeg-qualities", "20,40,60,80,95", "--out", out.toString(),
                img.toString());
        assertEquals(0, r.code(), r.err());
        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("codec,setting,image,width,height,bytes,bpp,psnr_rgb,ms_ssim_rgb,encode_ms,decode_ms,timing",
                results.get(0));
        assertEquals(1 + 2 * 5, results.size());
        assertTrue(results.get(1).startsWith("jpeg,q=20,im0.png,64,48,"), results.get(1));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(1 + 5, summary.size());
        assertTrue(summary.get(0).startsWith("codec,setting,images,bpp,psnr_rgb,ms_ssim_rgb,ms_ssim_db"));
        // bpp really comes from the file sizes: check one row against its own bytes column
        String[] f = results.get(1).split(",");
        assertEquals(8.0 * Long.parseLong(f[5]) / (64 * 48), Double.parseDouble(f[6]), 1e-5);
        BufferedImage plot = ImageIO.read(out.resolve("rd.png").toFile());
        assertEquals(1400, plot.getWidth());
        assertTrue(r.out().contains("R-D points (mean over 2 images)"), r.out());
        assertTrue(r.out().contains("BD-rate"), r.out());
        assertTrue(Files.readAllLines(out.resolve("bdrate.csv")).get(0).startsWith("test,anchor,bd_rate_psnr"));

        Run again = bench("--codecs", "jpeg", "--out", out.toString(), img.toString());
        assertEquals(ExitCodes.USAGE, again.code(), "earlier results are kept without --force");
        assertTrue(again.err().contains("use --force"), again.err());
    }

    @Test
    void absentToolsAreSkippedWithANote() throws Exception {
        // A real process with an empty PATH: the tools are absent whatever this machine has installed.
        Path img = images(1);
        io.qtk.cli.CliTestAccess.Result r = io.qtk.cli.CliTestAccess.runProcessWithPath(dir.resolve("empty-path"),
                "bench", "--codecs", "jpeg,cjpeg,webp", "--jpeg-qualities", "50", "--webp-qualities", "50",
                "--out", dir.resolve("o").toString(), img.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("cjpeg skipped: cjpeg and djpeg not on PATH (Debian: apt-get install "
                + "libjpeg-turbo-progs)"), r.err());
        assertTrue(r.err().contains("webp skipped: cwebp and dwebp not on PATH (Debian: apt-get install webp)"),
                r.err());
        assertTrue(Files.isRegularFile(dir.resolve("o/summary.csv")));
    }

    @Test
    void externalCodecsRunWhenInstalled() throws Exception {
        Assumptions.assumeTrue(ExternalCodec.onPath("cjpeg") != null && ExternalCodec.onPath("djpeg") != null
                && ExternalCodec.onPath("cwebp") != null && ExternalCodec.onPath("dwebp") != null,
                "needs host: cjpeg/djpeg/cwebp/dwebp not all on PATH (apt-get install libjpeg-turbo-progs webp)");
        Path img = images(2);
        Path out = dir.resolve("o");
        Run r = bench("--codecs", "jpeg,cjpeg,webp", "--jpeg-qualities", "20,40,60,80,95", "--webp-qualities",
                "20,40,60,80,95", "--out", out.toString(), img.toString());
        assertEquals(0, r.code(), r.err());
        String csv = Files.readString(out.resolve("summary.csv"));
        assertTrue(csv.contains("\ncjpeg,q=60,2,"), csv);
        assertTrue(csv.contains("\nwebp,q=60,2,"), csv);
        assertTrue(csv.contains(",process\n"), csv);
        // Without qtk, each codec is compared with the JDK's JPEG; libjpeg-turbo at the same quality settings
        // makes nearly the same files, so its BD-rate against it is small.
        assertTrue(r.out().contains("cjpeg vs jpeg: PSNR "), r.out());
        assertTrue(r.out().contains("webp vs jpeg: PSNR "), r.out());
    }

    @Test
    void qtkAgainstJpegGivesABdRateLine() throws Exception {
        Path img = images(2);
        Path out = dir.resolve("q");
        List<String> args = new ArrayList<>(List.of("--codecs", "qtk,jpeg", "--jpeg-qualities", "10,30,50,70,90",
                "--qualities", "0,0.34,0.67,1", "--out", out.toString(), img.toString()));
        args.addAll(io.qtk.cli.CliTestAccess.modelArgs());
        Run r = bench(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vs jpeg: PSNR "), r.out());
        String summary = Files.readString(out.resolve("summary.csv"));
        assertTrue(summary.contains("\nqtk,q=0.000,2,"), summary);
    }

    @Test
    void kodakImageUsesTheFullFiveScales() throws Exception {
        Path kodak = io.qtk.cli.CliTestAccess.repoRoot().resolve("../shared/datasets/eval/kodak/kodim23.png");
        Assumptions.assumeTrue(Files.isRegularFile(kodak), "needs ../shared: Kodak image not found at " + kodak);
        Run r = bench("--codecs", "jpeg", "--jpeg-qualities", "50,75", "--out", dir.resolve("k").toString(),
                kodak.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("k/results.csv"));
        double msssim = Double.parseDouble(rows.get(1).split(",")[8]);
        assertTrue(msssim > 0.9 && msssim < 1, rows.get(1));
    }
}
