package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkDecoder;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.event.IIOWriteProgressListener;
import javax.imageio.event.IIOWriteWarningListener;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Progress, update and warning listeners, and {@code abort()}, for reading and writing. Needs the codec engine. */
class QtkImageIOListenerTest {
    private static BufferedImage original;
    private static byte[] file;

    @BeforeAll
    static void encode() throws IOException {
        original = TestSupport.gradient(80, 56, BufferedImage.TYPE_3BYTE_BGR);
        file = QtkImageIORoundTripTest.write(original);
    }

    private static ImageReader reader() throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("qtk").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(file)));
        return r;
    }

    /** Records read events as short strings; optionally aborts on the first one named. */
    static class ReadEvents implements IIOReadProgressListener, IIOReadUpdateListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Float> progress = Collections.synchronizedList(new ArrayList<>());
        final String abortOn;

        ReadEvents(String abortOn) {
            this.abortOn = abortOn;
        }

        void add(ImageReader source, String e) {
            events.add(e);
            if (e.equals(abortOn)) {
                source.abort();
            }
        }

        public void sequenceStarted(ImageReader source, int minIndex) {
            add(source, "sequenceStarted");
        }

        public void sequenceComplete(ImageReader source) {
            add(source, "sequenceComplete");
        }

        public void imageStarted(ImageReader source, int imageIndex) {
            add(source, "imageStarted");
        }

        public void imageProgress(ImageReader source, float percentageDone) {
            progress.add(percentageDone);
            add(source, "imageProgress");
        }

        public void imageComplete(ImageReader source) {
            add(source, "imageComplete");
        }

        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
            add(source, "thumbnailStarted");
        }

        public void thumbnailProgress(ImageReader source, float percentageDone) {
            add(source, "thumbnailProgress");
        }

        public void thumbnailComplete(ImageReader source) {
            add(source, "thumbnailComplete");
        }

        public void readAborted(ImageReader source) {
            add(source, "readAborted");
        }

        public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass,
                int minX, int minY, int periodX, int periodY, int[] bands) {
            add(source, "passStarted " + pass + " of " + minPass + ".." + maxPass);
        }

        public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width,
                int height, int periodX, int periodY, int[] bands) {
            add(source, "imageUpdate " + minX + "," + minY + " " + width + "x" + height);
        }

        public void passComplete(ImageReader source, BufferedImage theImage) {
            add(source, "passComplete");
        }

        public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass,
                int maxPass, int minX, int minY, int periodX, int periodY, int[] bands) {
            add(source, "thumbnailPassStarted");
        }

        public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width,
                int height, int periodX, int periodY, int[] bands) {
            add(source, "thumbnailUpdate");
        }

        public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
            add(source, "thumbnailPassComplete");
        }

        List<String> withoutProgress() {
            List<String> l = new ArrayList<>(events);
            l.removeIf(e -> e.equals("imageProgress"));
            return l;
        }
    }

    @Test
    void readProgressEvents() throws IOException {
        ImageReader r = reader();
        ReadEvents ev = new ReadEvents(null);
        r.addIIOReadProgressListener(ev);
        r.read(0);
        assertEquals(List.of("imageStarted", "imageComplete"), ev.withoutProgress());
        assertFalse(ev.progress.isEmpty(), "no progress reported");
        for (int i = 1; i < ev.progress.size(); i++) {
            assertTrue(ev.progress.get(i) >= ev.progress.get(i - 1), "progress went back: " + ev.progress);
        }
        assertEquals(100f, ev.progress.get(ev.progress.size() - 1));
        assertTrue(ev.progress.get(0) >= 0f);
        r.dispose();
    }

    @Test
    void readAllReportsASequence() throws IOException {
        ImageReader r = reader();
        ReadEvents ev = new ReadEvents(null);
        r.addIIOReadProgressListener(ev);
        r.readAll(null);
        assertEquals(List.of("sequenceStarted", "imageStarted", "imageComplete", "sequenceComplete"),
                ev.withoutProgress());
        r.dispose();
    }

    @Test
    void updateListenersSeeThePasses() throws IOException {
        int groups = QtkDecoder.info(file).groupsPresent();
        ImageReader r = reader();
        ReadEvents ev = new ReadEvents(null);
        r.addIIOReadProgressListener(ev);
        r.addIIOReadUpdateListener(ev);
        BufferedImage img = r.read(0);
        int[] passes = QtkImageReader.passes(r.getDefaultReadParam(), groups, true);
        List<String> expected = new ArrayList<>();
        expected.add("imageStarted");
        for (int g : passes) {
            expected.add("passStarted " + (g - 1) + " of 0.." + (groups - 1));
            expected.add("imageUpdate 0,0 80x56");
            expected.add("passComplete");
        }
        expected.add("imageComplete");
        assertEquals(expected, ev.withoutProgress());
        assertTrue(passes.length >= 2, "a multi-group file shows more than one pass");
        assertEquals(0.0, 1 / TestSupport.psnr(QtkImageIORoundTripTest.read(file), img), "the last pass is full");
        for (int i = 1; i < ev.progress.size(); i++) {
            assertTrue(ev.progress.get(i) >= ev.progress.get(i - 1), "progress across passes went back");
        }
        // The passes a param selects bound the passes shown.
        ReadEvents limited = new ReadEvents(null);
        r.removeAllIIOReadUpdateListeners();
        r.addIIOReadUpdateListener(limited);
        ImageReadParam p = r.getDefaultReadParam();
        p.setSourceProgressivePasses(0, 1);
        r.read(0, p);
        assertEquals(List.of(), limited.withoutProgress(), "one pass only: nothing to refine");
        r.dispose();
    }

    @Test
    void abortWhileReading() throws IOException {
        for (String when : new String[] {"imageStarted", "imageProgress"}) {
            ImageReader r = reader();
            ReadEvents ev = new ReadEvents(when);
            r.addIIOReadProgressListener(ev);
            BufferedImage img = r.read(0);
            List<String> events = ev.withoutProgress();
            assertEquals("readAborted", events.get(events.size() - 1), when + ": " + events);
            assertFalse(events.contains("imageComplete"), when + ": " + events);
            assertEquals(80, img.getWidth(), "the destination is returned, contents undefined");
            // The next read starts afresh (the abort request is cleared) and completes.
            r.removeAllIIOReadProgressListeners();
            ReadEvents again = new ReadEvents(null);
            r.addIIOReadProgressListener(again);
            r.read(0);
            assertEquals(List.of("imageStarted", "imageComplete"), again.withoutProgress());
            r.dispose();
        }
        // Abort between passes, from an update listener.
        ImageReader r = reader();
        ReadEvents ev = new ReadEvents("passComplete");
        r.addIIOReadProgressListener(ev);
        r.addIIOReadUpdateListener(ev);
        r.read(0);
        List<String> events = ev.withoutProgress();
        assertEquals("readAborted", events.get(events.size() - 1), events.toString());
        assertEquals(1, Collections.frequency(events, "passComplete"), "stopped after the first pass");
        r.dispose();
    }

    @Test
    void readerWarningListenersCanBeRegistered() throws IOException {
        ImageReader r = reader();
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener l = (source, warning) -> warnings.add(warning);
        r.addIIOReadWarningListener(l);
        r.read(0);
        assertEquals(List.of(), warnings, "a good file gives no warning");
        r.dispose();
    }

    /** Records write events; optionally aborts on the first one named. */
    static class WriteEvents implements IIOWriteProgressListener, IIOWriteWarningListener {
        final List<String> events = new ArrayList<>();
        final List<Float> progress = new ArrayList<>();
        final String abortOn;

        WriteEvents(String abortOn) {
            this.abortOn = abortOn;
        }

        void add(ImageWriter source, String e) {
            events.add(e);
            if (e.equals(abortOn)) {
                source.abort();
            }
        }

        public void imageStarted(ImageWriter source, int imageIndex) {
            add(source, "imageStarted");
        }

        public void imageProgress(ImageWriter source, float percentageDone) {
            progress.add(percentageDone);
            add(source, "imageProgress");
        }

        public void imageComplete(ImageWriter source) {
            add(source, "imageComplete");
        }

        public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) {
            add(source, "thumbnailStarted");
        }

        public void thumbnailProgress(ImageWriter source, float percentageDone) {
            add(source, "thumbnailProgress");
        }

        public void thumbnailComplete(ImageWriter source) {
            add(source, "thumbnailComplete");
        }

        public void writeAborted(ImageWriter source) {
            add(source, "writeAborted");
        }

        public void warningOccurred(ImageWriter source, int imageIndex, String warning) {
            add(source, "warning: " + warning);
        }

        List<String> withoutProgress() {
            List<String> l = new ArrayList<>(events);
            l.removeIf(e -> e.equals("imageProgress"));
            return l;
        }
    }

    private static byte[] write(WriteEvents ev, IIOImage image, ImageWriteParam param) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("qtk").next();
        w.addIIOWriteProgressListener(ev);
        w.addIIOWriteWarningListener(ev);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(null, image, param);
        }
        w.dispose();
        return bytes.toByteArray();
    }

    @Test
    void writeProgressEvents() throws IOException {
        WriteEvents ev = new WriteEvents(null);
        byte[] out = write(ev, new IIOImage(original, null, null), null);
        assertEquals(List.of("imageStarted", "imageComplete"), ev.withoutProgress());
        assertFalse(ev.progress.isEmpty());
        for (int i = 1; i < ev.progress.size(); i++) {
            assertTrue(ev.progress.get(i) >= ev.progress.get(i - 1));
        }
        assertEquals(100f, ev.progress.get(ev.progress.size() - 1));
        assertTrue(out.length > 0);
    }

    @Test
    void abortWhileWritingWritesNothing() throws IOException {
        for (String when : new String[] {"imageStarted", "imageProgress"}) {
            WriteEvents ev = new WriteEvents(when);
            byte[] out = write(ev, new IIOImage(original, null, null), null);
            List<String> events = ev.withoutProgress();
            assertEquals("writeAborted", events.get(events.size() - 1), when + ": " + events);
            assertFalse(events.contains("imageComplete"));
            assertEquals(0, out.length, "an aborted write leaves nothing behind");
        }
    }

    @Test
    void thumbnailsAreIgnoredWithAWarning() throws IOException {
        WriteEvents ev = new WriteEvents(null);
        List<BufferedImage> thumbs = List.of(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
        byte[] out = write(ev, new IIOImage(original, thumbs, null), null);
        assertTrue(ev.withoutProgress().stream().anyMatch(e -> e.startsWith("warning: ") && e.contains("thumbnail")),
                ev.events.toString());
        assertEquals(80, QtkImageIORoundTripTest.read(out).getWidth());
    }
}
