package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.QtkDecoder;
import io.qtk.QtkInfo;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real photographs: Kodak PNGs (from {@code ../shared}, skipped when absent) through {@code ImageIO.read} (PNG) ->
 * {@code ImageIO.write} (qtk) -> {@code ImageIO.read} (qtk). A landscape and a portrait image by default, to keep
 * the shared CPUs free; {@code -Dqtk.test.kodak.all=true} takes all 24.
 */
class QtkKodakTest {
    /**
     * Not a quality bar (the test models are tiny: ~20 dB on Kodak) but a sanity one: a wrong, shifted or garbled
     * image scores far below.
     */
    private static final double MIN_PSNR = 15;

    /** The images to use; a single placeholder when the set is absent, so the test shows up as skipped. */
    static Stream<String> images() throws IOException {
        Path dir = TestSupport.kodakDir();
        if (dir == null) {
            return Stream.of("(Kodak set absent)");
        }
        List<String> names = new ArrayList<>();
        for (Path p : TestSupport.kodakImages()) {
            String n = p.getFileName().toString();
            if (Boolean.getBoolean("qtk.test.kodak.all") || n.equals("kodim01.png") || n.equals("kodim04.png")) {
                names.add(n);
            }
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void pngToQtkToPixels(String name, @TempDir Path dir) throws IOException {
        File png = TestSupport.kodakImages().get(0).resolveSibling(name).toFile(); // skips when absent
        BufferedImage img = ImageIO.read(png);
        assertNotNull(img);
        File qtk = dir.resolve(name.replace(".png", ".qtk")).toFile();
        long t0 = System.nanoTime();
        assertTrue(ImageIO.write(img, "qtk", qtk));
        long t1 = System.nanoTime();
        BufferedImage back = ImageIO.read(qtk);
        long t2 = System.nanoTime();
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        double psnr = TestSupport.psnr(img, back);
        QtkInfo info = QtkDecoder.info(java.nio.file.Files.readAllBytes(qtk.toPath()));
        System.out.printf(Locale.ROOT, "%s %dx%d: %d bytes, %.3f bpp, PSNR %.2f dB, model %s, encode %.0f ms,"
                + " decode %.0f ms%n", name, img.getWidth(), img.getHeight(), qtk.length(), info.bitsPerPixel(), psnr,
                info.modelName(), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertTrue(psnr > MIN_PSNR, name + ": PSNR " + psnr);

        // A thumbnail-style read: a central region at 1/4 resolution, decoded from that region only.
        ImageReader r = ImageIO.getImageReadersBySuffix("qtk").next();
        r.setInput(ImageIO.createImageInputStream(qtk));
        ImageReadParam p = r.getDefaultReadParam();
        Rectangle centre = new Rectangle(img.getWidth() / 4, img.getHeight() / 4, img.getWidth() / 2,
                img.getHeight() / 2);
        p.setSourceRegion(centre);
        p.setSourceSubsampling(4, 4, 0, 0);
        BufferedImage thumb = r.read(0, p);
        assertEquals((centre.width + 3) / 4, thumb.getWidth());
        TestSupport.assertSamePixels(back, centre.x, centre.y, 4, 4, thumb);
        r.dispose();
    }
}
