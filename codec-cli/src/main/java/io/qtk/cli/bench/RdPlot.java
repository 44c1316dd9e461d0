package io.qtk.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws rate-distortion curves with Java2D (no plotting dependency): one panel per quality metric, bits per pixel
 * on the x axis, one coloured curve with markers per codec, ticks at 1-2-5 steps, a legend.
 */
public final class RdPlot {
    /** Colours assigned to curves in order; qtk is drawn first so it gets the first colour. */
    private static final Color[] COLOURS = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4),
        new Color(0x2C, 0xA0, 0x2C), new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD),
        new Color(0x8C, 0x56, 0x4B), new Color(0x7F, 0x7F, 0x7F)};

    /**
     * One curve.
     *
     * @param name legend label
     * @param x rates (bpp)
     * @param y qualities
     */
    public record Series(String name, double[] x, double[] y) {
    }

    /**
     * One panel.
     *
     * @param title panel title
     * @param yLabel y axis label
     * @param series its curves
     */
    public record Panel(String title, String yLabel, List<Series> series) {
    }

    private RdPlot() {
    }

    /**
     * @param title the figure title
     * @param panels panels drawn side by side
     * @return the picture, 700 pixels wide per panel
     */
    public static BufferedImage render(String title, List<Panel> panels) {
        int pw = 700;
        int ph = 560;
        int top = 40;
        BufferedImage img = new BufferedImage(pw * Math.max(1, panels.size()), ph + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (img.getWidth() - fm.stringWidth(title)) / 2, 28);
            for (int i = 0; i < panels.size(); i++) {
                Graphics2D pg = (Graphics2D) g.create(i * pw, top, pw, ph);
                try {
                    drawPanel(pg, panels.get(i), pw, ph);
                } finally {
                    pg.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawPanel(Graphics2D g, Panel p, int w, int h) {
        int left = 70;
        int right = 20;
        int top = 30;
        int bottom = 55;
        int aw = w - left - right;
        int ah = h - top - bottom;
        double[] xr = range(p.series(), true);
        double[] yr = range(p.series(), false);
        double[] xt = ticks(xr[0], xr[1]);
        double[] yt = ticks(yr[0], yr[1]);
        double x0 = xt[0];
        double x1 = xt[xt.length - 1];
        double y0 = yt[0];
        double y1 = yt[yt.length - 1];

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(p.title(), left + (aw - fm.stringWidth(p.title())) / 2, 20);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        // grid and ticks
        for (double t : xt) {
            int px = left + (int) Math.round((t - x0) / (x1 - x0) * aw);
            g.setColor(new Color(0xE5, 0xE5, 0xE5));
            g.drawLine(px, top, px, top + ah);
            g.setColor(Color.BLACK);
            g.drawLine(px, top + ah, px, top + ah + 5);
            String s = fmt(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, top + ah + 20);
        }
        for (double t : yt) {
            int py = top + ah - (int) Math.round((t - y0) / (y1 - y0) * ah);
            g.setColor(new Color(0xE5, 0xE5, 0xE5));
            g.drawLine(left, py, left + aw, py);
            g.setColor(Color.BLACK);
            g.drawLine(left - 5, py, left, py);
            String s = fmt(t);
            g.drawString(s, left - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, aw, ah);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        fm = g.getFontMetrics();
        String xl = "bits per pixel";
        g.drawString(xl, left + (aw - fm.stringWidth(xl)) / 2, h - 12);
        AffineTransform at = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(p.yLabel(), -(top + (ah + fm.stringWidth(p.yLabel())) / 2), 18);
        g.setTransform(at);

        // curves
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.series().size(); i++) {
            Series s = p.series().get(i);
            Color c = COLOURS[i % COLOURS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (int k = 0; k < s.x().length; k++) {
                if (!finite(s.x()[k]) || !finite(s.y()[k])) {
                    continue;
                }
                double px = left + (s.x()[k] - x0) / (x1 - x0) * aw;
                double py = top + ah - (s.y()[k] - y0) / (y1 - y0) * ah;
                if (first) {
                    path.moveTo(px, py);
                    first = false;
                } else {
                    path.lineTo(px, py);
                }
                marker(g, i, px, py);
            }
            g.draw(path);
            names.add(s.name());
        }
        // legend, bottom right (curves rise to the top left)
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        fm = g.getFontMetrics();
        int lw = 0;
        for (String n : names) {
            lw = Math.max(lw, fm.stringWidth(n));
        }
        int lh = names.size() * 20 + 10;
        int lx = left + aw - lw - 50;
        int ly = top + ah - lh - 10;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx, ly, lw + 40, lh);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(lx, ly, lw + 40, lh);
        for (int i = 0; i < names.size(); i++) {
            int yy = ly + 18 + i * 20;
            g.setColor(COLOURS[i % COLOURS.length]);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(lx + 8, yy - 4, lx + 28, yy - 4);
            marker(g, i, lx + 18, yy - 4);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), lx + 34, yy);
        }
    }

    /**
     * Draws marker {@code i}: filled circle, hollow square, filled triangle, hollow diamond, ... Hollow markers are
     * larger, so a curve lying exactly on another (libjpeg-turbo on the JDK's libjpeg) stays visible.
     */
    private static void marker(Graphics2D g, int i, double x, double y) {
        java.awt.Stroke old = g.getStroke();
        g.setStroke(new BasicStroke(1.6f));
        switch (i % 4) {
            case 0 -> g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
            case 1 -> g.draw(new java.awt.geom.Rectangle2D.Double(x - 5.5, y - 5.5, 11, 11));
            case 2 -> {
                Path2D t = new Path2D.Double();
                t.moveTo(x, y - 5);
                t.lineTo(x + 4.5, y + 3.5);
                t.lineTo(x - 4.5, y + 3.5);
                t.closePath();
                g.fill(t);
            }
            default -> {
                Path2D d = new Path2D.Double();
                d.moveTo(x, y - 7);
                d.lineTo(x + 7, y);
                d.lineTo(x, y + 7);
                d.lineTo(x - 7, y);
                d.closePath();
                g.draw(d);
            }
        }
        g.setStroke(old);
    }

    private static double[] range(List<Series> series, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = x ? s.x() : s.y();
            double[] o = x ? s.y() : s.x();
            for (int i = 0; i < v.length; i++) {
                if (finite(v[i]) && finite(o[i])) {
                    lo = Math.min(lo, v[i]);
                    hi = Math.max(hi, v[i]);
                }
            }
        }
        if (!finite(lo)) {
            return new double[] {0, 1};
        }
        if (x) {
            lo = 0; // rates start at zero: the eye compares areas
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        return new double[] {lo, hi};
    }

    /**
     * @param lo smallest value
     * @param hi largest value
     * @return 4 to 11 tick values at a 1-2-5 step covering [lo, hi]
     */
    static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        double raw = span / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double start = Math.floor(lo / step + 1e-9) * step;
        double end = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }
}
