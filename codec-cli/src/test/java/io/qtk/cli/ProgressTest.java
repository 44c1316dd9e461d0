package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The progress bar's text, and plain lines versus the bar. */
class ProgressTest {
    @Test
    void barShowsFilesMegapixelsSpeedAndEta() {
        String s = Progress.renderBar(0.5, 3, 6, 2.0, 4.0, 10.0, 0);
        assertTrue(s.startsWith("[############............]  50%  3/6 files  2.0/4.0 MP"), s);
        assertTrue(s.contains("0.20 MP/s"), s);
        assertTrue(s.contains("ETA 0:10"), s);
        String f = Progress.renderBar(0.25, 1, 4, 0, 0, 1.0, 2);
        assertTrue(f.contains("2 failed"), f);
        assertFalse(f.contains("MP/s"), f);
    }

    @Test
    void durations() {
        assertEquals("4.2 s", Progress.duration(4.2));
        assertEquals("1:05", Progress.duration(65));
        assertEquals("1:01:01", Progress.duration(3661));
    }

    @Test
    void plainModePrintsOneLinePerFileAndASummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), new PrintWriter(err), Progress.Mode.PLAIN);
        Task a = new Task(Path.of("a.png"), Path.of("a.qtk"), "a.png", 1_000_000, null);
        Task b = new Task(Path.of("b.png"), Path.of("b.qtk"), "b.png", 1_000_000, null);
        p.start(2, 2.0);
        p.fileDone(a, "-> a.qtk", 1.0);
        p.fileFailed(b, "unreadable image: boom");
        p.finish();
        assertEquals("a.png -> a.qtk" + System.lineSeparator(), out.toString());
        assertTrue(err.toString().contains("qtk: b.png: unreadable image: boom"), err.toString());
        assertTrue(err.toString().contains("1 of 2 files done, 1.00 MP in"), err.toString());
        assertTrue(err.toString().contains("1 failed"), err.toString());
        assertFalse(err.toString().contains("\r"), "no carriage returns in plain mode");
    }

    @Test
    void barModeRedrawsOneLineAndKeepsFailuresAbove() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), new PrintWriter(err), Progress.Mode.BAR);
        assertTrue(p.isBar());
        Task a = new Task(Path.of("a.png"), Path.of("a.qtk"), "a.png", 500_000, null);
        Task b = new Task(Path.of("b.png"), Path.of("b.qtk"), "b.png", 500_000, null);
        p.start(2, 1.0);
        p.fileProgress(a, 0.5f);
        p.fileDone(a, "-> a.qtk", 0.5);
        p.fileFailed(b, "no such file");
        p.finish();
        String e = err.toString();
        assertTrue(e.contains("\r["), e);
        assertTrue(e.contains("1/2 files"), e);
        assertTrue(e.contains("qtk: b.png: no such file"), e);
        assertEquals("", out.toString(), "with a bar, successes are not listed one by one");
    }

    @Test
    void noneModeStillReportsFailures() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), new PrintWriter(err), Progress.Mode.NONE);
        Task a = new Task(Path.of("a.png"), Path.of("a.qtk"), "a.png", 0, null);
        p.start(2, 0);
        p.fileDone(a, "-> a.qtk", 0);
        p.fileFailed(a, "boom");
        p.finish();
        assertEquals("", out.toString());
        assertEquals("qtk: a.png: boom" + System.lineSeparator(), err.toString());
    }
}
