package io.qtk.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports a batch as it runs. On a terminal it draws one self-updating bar (files, megapixels, speed, ETA) on
 * stderr and prints failures above it; otherwise (pipes, files, CI logs) it prints one plain line per file, so logs
 * stay readable. Successful files go to stdout, failures and the summary to stderr. Thread-safe.
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        /** A bar when stderr is a terminal ({@code System.console() != null}), else plain lines. */
        AUTO,
        /** Always the bar (for terminals that Java does not recognise). */
        BAR,
        /** One line per file. */
        PLAIN,
        /** Only failures and nothing else. */
        NONE
    }

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean bar;
    private final boolean lines;
    private final Map<Task, Float> inFlight = new ConcurrentHashMap<>();
    private int totalFiles;
    private double totalMp;
    private int done;
    private int failed;
    private double doneMp;
    private long startNanos;
    private long lastDraw;
    private int lastBarWidth;

    /**
     * @param out where successful files are listed
     * @param err where failures, the bar and the summary go
     * @param mode how to show progress
     */
    public Progress(PrintWriter out, PrintWriter err, Mode mode) {
        this.out = out;
        this.err = err;
        this.bar = mode == Mode.BAR || (mode == Mode.AUTO && System.console() != null);
        this.lines = mode != Mode.NONE;
    }

    /** @return whether the bar is drawn (rather than plain lines) */
    public boolean isBar() {
        return bar;
    }

    /**
     * @param files how many files the batch has
     * @param megapixels their total size in megapixels (0 when unknown)
     */
    public synchronized void start(int files, double megapixels) {
        totalFiles = files;
        totalMp = megapixels;
        startNanos = System.nanoTime();
        draw(true);
    }

    /**
     * @param task a file being worked on
     * @param fraction how much of it is done, 0..1
     */
    public void fileProgress(Task task, float fraction) {
        inFlight.put(task, fraction);
        if (bar) {
            synchronized (this) {
                draw(false);
            }
        }
    }

    /**
     * @param task the file
     * @param detail what was done, e.g. "-> out.qtk  768x512  0.52 bpp"
     * @param megapixels its size
     */
    public synchronized void fileDone(Task task, String detail, double megapixels) {
        inFlight.remove(task);
        done++;
        doneMp += megapixels;
        if (lines && (!bar || totalFiles == 1)) {
            clearBar();
            out.println(task.label() + " " + detail);
            out.flush();
        }
        draw(true);
    }

    /**
     * @param task the file
     * @param cause the cause in words
     */
    public synchronized void fileFailed(Task task, String cause) {
        inFlight.remove(task);
        done++;
        failed++;
        clearBar();
        err.println("qtk: " + task.label() + ": " + cause);
        err.flush();
        draw(true);
    }

    /** @param e a failure whose stack trace the user asked for (--verbose) */
    public synchronized void trace(Throwable e) {
        clearBar();
        e.printStackTrace(err);
        err.flush();
    }

    /** Prints the summary of a batch of several files and leaves the terminal line clean. */
    public synchronized void finish() {
        clearBar();
        double secs = (System.nanoTime() - startNanos) / 1e9;
        if (totalFiles > 1 && lines) {
            String files = failed == 0 ? done + " files done" : (done - failed) + " of " + done + " files done";
            err.printf(Locale.ROOT, "%s, %.2f MP in %s (%.2f MP/s)%s%n", files, doneMp, duration(secs),
                    secs > 0 ? doneMp / secs : 0, failed > 0 ? "; " + failed + " failed" : "");
        }
        err.flush();
        out.flush();
    }

    /** @return files that failed so far */
    public synchronized int failed() {
        return failed;
    }

    private void draw(boolean force) {
        if (!bar || totalFiles <= 1 && totalMp == 0) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double mpNow = doneMp;
        int filesNow = done;
        for (Map.Entry<Task, Float> e : inFlight.entrySet()) {
            mpNow += e.getValue() * e.getKey().pixels() / 1e6;
        }
        double secs = (now - startNanos) / 1e9;
        double fraction = totalMp > 0 ? mpNow / totalMp : totalFiles > 0 ? (double) filesNow / totalFiles : 0;
        fraction = Math.max(0, Math.min(1, fraction));
        String line = renderBar(fraction, filesNow, totalFiles, mpNow, totalMp, secs, failed);
        err.print("\r" + line);
        if (line.length() < lastBarWidth) {
            err.print(" ".repeat(lastBarWidth - line.length()));
        }
        lastBarWidth = line.length();
        err.flush();
    }

    private void clearBar() {
        if (bar && lastBarWidth > 0) {
            err.print("\r" + " ".repeat(lastBarWidth) + "\r");
            err.flush();
            lastBarWidth = 0;
        }
    }

    /**
     * Renders the bar text (without the carriage return).
     *
     * @param fraction 0..1 of the work done
     * @param files files finished
     * @param totalFiles files in the batch
     * @param mp megapixels done
     * @param totalMp megapixels in the batch (0 unknown)
     * @param secs seconds since the start
     * @param failed files failed so far
     * @return e.g. {@code [#########.........]  45%  9/20 files  4.1/9.0 MP  1.3 MP/s  ETA 0:04}
     */
    static String renderBar(double fraction, int files, int totalFiles, double mp, double totalMp, double secs,
            int failed) {
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        StringBuilder sb = new StringBuilder(100);
        sb.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append(']');
        sb.append(String.format(Locale.ROOT, " %3d%%  %d/%d files", (int) Math.floor(fraction * 100), files,
                totalFiles));
        if (totalMp > 0) {
            sb.append(String.format(Locale.ROOT, "  %.1f/%.1f MP", mp, totalMp));
        }
        if (secs > 0.5 && mp > 0) {
            sb.append(String.format(Locale.ROOT, "  %.2f MP/s", mp / secs));
        }
        if (fraction > 0.001 && fraction < 1 && secs > 0.5) {
            sb.append("  ETA ").append(duration(secs * (1 - fraction) / fraction));
        }
        if (failed > 0) {
            sb.append("  ").append(failed).append(" failed");
        }
        return sb.toString();
    }

    /**
     * @param secs seconds
     * @return "4.2 s" below ten seconds, else "0:17", "12:34" or "1:02:03"
     */
    static String duration(double secs) {
        long s = Math.round(secs);
        if (secs < 10) {
            return String.format(Locale.ROOT, "%.1f s", secs);
        }
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
