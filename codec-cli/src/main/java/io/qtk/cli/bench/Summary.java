package io.qtk.cli.bench;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Averages bench rows into R-D points, computes BD-rates, and formats tables, CSV and the plot. */
final class Summary {
    /** PSNR of an exact reconstruction (infinite) counts as this much in averages. */
    static final double PSNR_CAP = 100;

    private Summary() {
    }

    /**
     * One R-D point: a codec at one setting, averaged over the images.
     *
     * @param codec codec name
     * @param setting its setting
     * @param images how many images were coded (fewer than the set when some failed)
     * @param bpp mean bits per pixel
     * @param psnr mean of the per-image PSNRs
     * @param msssim mean MS-SSIM
     * @param encodeMs mean encode time
     * @param decodeMs mean decode time
     * @param encodeMps encode megapixels per second (total pixels / total time)
     * @param decodeMps decode megapixels per second
     * @param timing "in-process" or "process"
     */
    record Point(String codec, String setting, int images, double bpp, double psnr, double msssim, double encodeMs,
            double decodeMs, double encodeMps, double decodeMps, String timing) {
        double msssimDb() {
            return Metrics.msssimDb(msssim);
        }
    }

    /**
     * A BD-rate of one codec against another.
     *
     * @param test the codec measured
     * @param anchor the reference
     * @param psnr BD-rate on PSNR in percent (negative: test needs fewer bits)
     * @param msssimDb BD-rate on MS-SSIM in dB in percent
     * @param testPoints R-D points of test used
     * @param anchorPoints R-D points of the anchor used
     */
    record Bd(String test, String anchor, double psnr, double msssimDb, int testPoints, int anchorPoints) {
    }

    static List<Point> points(List<BenchCommand.Row> rows, int images) {
        Map<String, List<BenchCommand.Row>> groups = new LinkedHashMap<>();
        for (BenchCommand.Row r : rows) {
            groups.computeIfAbsent(r.codec() + "\u0000" + r.setting(), k -> new ArrayList<>()).add(r);
        }
        List<Point> points = new ArrayList<>();
        for (List<BenchCommand.Row> g : groups.values()) {
            BenchCommand.Row f = g.get(0);
            double px = 0;
            double bpp = 0;
            double psnr = 0;
            double ms = 0;
            double enc = 0;
            double dec = 0;
            for (BenchCommand.Row r : g) {
                bpp += r.bpp();
                psnr += Math.min(PSNR_CAP, r.psnr());
                ms += r.msssim();
                enc += r.encodeMs();
                dec += r.decodeMs();
                px += (double) r.width() * r.height();
            }
            int n = g.size();
            points.add(new Point(f.codec(), f.setting(), n, bpp / n, psnr / n, ms / n, enc / n, dec / n,
                    enc > 0 ? px / 1e6 / (enc / 1e3) : Double.NaN, dec > 0 ? px / 1e6 / (dec / 1e3) : Double.NaN,
                    f.timing()));
        }
        return points;
    }

    /** @return the codec's points measured on every image, by rate, without repeated rates */
    static List<Point> curve(List<Point> points, String codec) {
        int max = points.stream().filter(p -> p.codec().equals(codec)).mapToInt(Point::images).max().orElse(0);
        List<Point> c = new ArrayList<>(points.stream().filter(p -> p.codec().equals(codec) && p.images() == max)
                .sorted(Comparator.comparingDouble(Point::bpp)).toList());
        // Settings that land on the same ladder point give the same files: keep one of each.
        for (int i = c.size() - 1; i > 0; i--) {
            if (Math.abs(c.get(i).bpp() - c.get(i - 1).bpp()) < 1e-9) {
                c.remove(i);
            }
        }
        return c;
    }

    /**
     * @param points all points
     * @param codecs the codecs in run order
     * @return qtk against each other codec; without qtk, each codec against jpeg
     */
    static List<Bd> bdRates(List<Point> points, List<String> codecs) {
        String test = codecs.stream().filter(c -> c.startsWith("qtk")).findFirst().orElse(null);
        List<Bd> out = new ArrayList<>();
        if (test != null) {
            for (String a : codecs) {
                if (!a.equals(test)) {
                    out.add(bd(points, test, a));
                }
            }
        } else if (codecs.contains("jpeg")) {
            for (String t : codecs) {
                if (!t.equals("jpeg")) {
                    out.add(bd(points, t, "jpeg"));
                }
            }
        }
        return out;
    }

    private static Bd bd(List<Point> points, String test, String anchor) {
        List<Point> t = curve(points, test);
        List<Point> a = curve(points, anchor);
        double[] tr = t.stream().mapToDouble(Point::bpp).toArray();
        double[] ar = a.stream().mapToDouble(Point::bpp).toArray();
        double psnr = BdRate.bdRate(ar, a.stream().mapToDouble(Point::psnr).toArray(), tr,
                t.stream().mapToDouble(Point::psnr).toArray());
        double ms = BdRate.bdRate(ar, a.stream().mapToDouble(Point::msssimDb).toArray(), tr,
                t.stream().mapToDouble(Point::msssimDb).toArray());
        return new Bd(test, anchor, psnr, ms, t.size(), a.size());
    }

    static void print(PrintWriter out, List<Point> points, List<Bd> bds, int images) {
        out.printf(Locale.ROOT, "R-D points (mean over %d image%s):%n", images, images == 1 ? "" : "s");
        out.printf(Locale.ROOT, "%-8s %-9s %7s %8s %8s %8s %9s %9s %10s%n", "codec", "setting", "bpp", "PSNR",
                "MS-SSIM", "(dB)", "enc ms", "dec ms", "timing");
        for (Point p : points) {
            out.printf(Locale.ROOT, "%-8s %-9s %7.4f %8.3f %8.5f %8.3f %9.1f %9.1f %10s%s%n", p.codec(),
                    p.setting(), p.bpp(), p.psnr(), p.msssim(), p.msssimDb(), p.encodeMs(), p.decodeMs(), p.timing(),
                    p.images() < images ? "  (" + p.images() + " images)" : "");
        }
        out.println();
        out.println("BD-rate (Bjontegaard: cubic fit of log-rate against quality over the common range; negative = "
                + "fewer bits for the same quality):");
        if (bds.isEmpty()) {
            out.println("  none (needs two codecs)");
        }
        for (Bd b : bds) {
            out.printf(Locale.ROOT, "  %s vs %s: PSNR %s, MS-SSIM(dB) %s  [%d vs %d points]%n", b.test(),
                    b.anchor(), pct(b.psnr()), pct(b.msssimDb()), b.testPoints(), b.anchorPoints());
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a (needs 4+ points on both curves and overlapping quality)"
                : String.format(Locale.ROOT, "%+.2f%%", v);
    }

    static String csv(List<Point> points) {
        StringBuilder sb = new StringBuilder("codec,setting,images,bpp,psnr_rgb,ms_ssim_rgb,ms_ssim_db,encode_ms,"
                + "decode_ms,encode_mpx_per_s,decode_mpx_per_s,timing\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.4f,%.6f,%.4f,%.2f,%.2f,%.3f,%.3f,%s%n", p.codec(),
                    p.setting(), p.images(), p.bpp(), p.psnr(), p.msssim(), p.msssimDb(), p.encodeMs(),
                    p.decodeMs(), p.encodeMps(), p.decodeMps(), p.timing()));
        }
        return sb.toString();
    }

    static String bdCsv(List<Bd> bds) {
        StringBuilder sb = new StringBuilder("test,anchor,bd_rate_psnr_percent,bd_rate_ms_ssim_db_percent,"
                + "points_test,points_anchor\n");
        for (Bd b : bds) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%d,%d%n", b.test(), b.anchor(), b.psnr(),
                    b.msssimDb(), b.testPoints(), b.anchorPoints()));
        }
        return sb.toString();
    }

    static BufferedImage plot(List<Point> points, int images, double maxBpp) {
        List<String> codecs = points.stream().map(Point::codec).distinct().toList();
        List<RdPlot.Series> psnr = new ArrayList<>();
        List<RdPlot.Series> ms = new ArrayList<>();
        for (String c : codecs) {
            // Points beyond the axis are left out; the curve still runs to the last point inside.
            List<Point> cv = curve(points, c).stream().filter(p -> p.bpp() <= maxBpp).toList();
            double[] x = cv.stream().mapToDouble(Point::bpp).toArray();
            psnr.add(new RdPlot.Series(c, x, cv.stream().mapToDouble(Point::psnr).toArray()));
            ms.add(new RdPlot.Series(c, x, cv.stream().mapToDouble(Point::msssimDb).toArray()));
        }
        String title = "Rate-distortion, mean over " + images + " image" + (images == 1 ? "" : "s");
        return RdPlot.render(title, List.of(new RdPlot.Panel("PSNR (RGB)", "PSNR [dB]", psnr),
                new RdPlot.Panel("MS-SSIM (RGB)", "MS-SSIM [dB]  = -10 log10(1 - MS-SSIM)", ms)));
    }
}
