package io.qtk.codec;

import static io.qtk.codec.CoderTestSupport.indices;
import static io.qtk.codec.CoderTestSupport.options;
import static io.qtk.codec.CoderTestSupport.payloadBytes;
import static io.qtk.codec.CoderTestSupport.registry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import io.qtk.model.ModelBundle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Coder id 5 through the engine, with the tiny test model plus channel tables and prediction tables fitted and
 * counted on the test image (the way a trainer makes them): the encoder picks coder 5 per stream only where it is the
 * smallest of coders 1, 3, 4 and 5, the file is version 1.3 and decodes to the same indices and pixels as coder 1,
 * rate control stays exact, prefixes and truncations decode, and a bundle without prediction tables cannot decode
 * coder 5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionCoderTest {
    static final String CH = "qtk-test-tiny-pch";
    static final String PRED = "qtk-test-tiny-pre";
    static final int WINDOW = 2;
    static final int[] THRESHOLDS = {12, 16, 20, 24};
    static final int PWINDOW = 3;
    static final int SHIFT = 12;
    static final int[] ACTIVITY = {1, 3};
    @AutoClose // after the class's last test
    private BundleModelSource source;
    private CodecEngine auto;
    private CodecEngine fixed;
    private CodecEngine no5;
    private ModelBundle chBundle;
    private BufferedImage img;
    private IndexGrid measured;
    private int columns;

    @BeforeAll
    void open() throws Exception {
        CoderTestSupport.Tiny t = CoderTestSupport.measureTiny();
        img = t.image();
        measured = t.measured();
        columns = t.columns();
        int k = t.k();
        int[][] w = ContextBundles.weights(measured, k);
        long[][][] counts = ContextBundles.channelCounts(measured, WINDOW, THRESHOLDS, w, k);
        byte[] ch = ContextBundles.withChannelTables(t.bundleBytes(), CH, WINDOW, THRESHOLDS, w, counts);
        chBundle = ModelBundle.read(ch, "memory:" + CH);
        ChannelTables ct = ChannelTables.fromCounts(WINDOW, THRESHOLDS, w, counts);
        int[][] a = ContextBundles.fitPrediction(measured, columns, PWINDOW, SHIFT, k);
        long[][][] residual = ContextBundles.residualCounts(measured, columns, ct, PWINDOW, SHIFT, ACTIVITY, a);
        ModelBundle pred = ModelBundle.read(ContextBundles.withPredictionTables(
                ContextBundles.withChannelTables(t.bundleBytes(), PRED, WINDOW, THRESHOLDS, w, counts), PRED, PWINDOW,
                SHIFT, ACTIVITY, a, residual), "memory:" + PRED);
        assertTrue(pred.hasPredictionTables() && pred.hasChannelTables());
        assertTrue(!chBundle.hasPredictionTables());
        source = BundleModelSource.open(registry(t.bundle(), chBundle, pred), t.config());
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
        no5 = new CodecEngine(source, 0, true, true, false);
    }

    @Test
    void coder5IsChosenWhereSmallestAndGivesTheSameIndicesAndPixels() throws Exception {
        EncodeOptions o = options(PRED).build();
        CodecEngine.Encoded a = auto.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        CodecEngine.Encoded b = fixed.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        CodecEngine.Encoded c = no5.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        QtkFile fa = a.fileFor(4);
        QtkFile fb = b.fileFor(4);
        QtkFile fc = c.fileFor(4);
        int coder5 = 0;
        for (int i = 0; i < fa.streams().size(); i++) {
            TokenStream sa = fa.streams().get(i);
            TokenStream sb = fb.streams().get(i);
            TokenStream sc = fc.streams().get(i);
            assertEquals(1, sb.coderId());
            assertTrue(sc.coderId() == 1 || sc.coderId() == 4, "coder " + sc.coderId());
            assertTrue(sa.coderId() == 1 || sa.coderId() == 4 || sa.coderId() == 5, "coder " + sa.coderId());
            if (sa.coderId() == 5) {
                coder5++;
                assertTrue(payloadBytes(sa) < payloadBytes(sc), "stream " + i);
                assertTrue(payloadBytes(sa) < payloadBytes(sb), "stream " + i);
            } else {
                assertArrayEquals(sc.payload(0), sa.payload(0), "stream " + i + " not coder 5: as without it");
            }
        }
        assertTrue(coder5 > 0, "no stream uses coder 5"); // tables measured on this very image
        byte[] ba = QtkWriter.toBytes(fa);
        byte[] bb = QtkWriter.toBytes(fb);
        byte[] bc = QtkWriter.toBytes(fc);
        assertEquals(3, ba[9], "a file with a coder-5 stream is version 1.3");
        assertEquals(0, bb[9]);
        assertTrue(ba.length < bc.length && bc.length <= bb.length, ba.length + ", " + bc.length + ", " + bb.length);
        System.out.println("[coder 5] " + coder5 + " of " + fa.streams().size() + " streams, " + ba.length
                + " bytes vs " + bc.length + " with coders 1, 3, 4 and " + bb.length + " with coder 1 only");
        CoderTestSupport.assertDecodesLikeCoder1(auto, source, measured, fa, bb, "coder 5 vs coder 1");
        CoderTestSupport.assertLadderIsExact(auto, img, PRED, a, c);
        assertArrayEquals(ba, auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
    }

    @Test
    void everyStreamGetsTheSmallestOfCoders145() throws Exception {
        EncodeOptions o = options(PRED).groupsPerStream(1).build();
        QtkFile f = QtkReader.read(auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
        QtkFile f14 = QtkReader.read(no5.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
        CodecModel m = source.forEncode(PRED);
        int n = measured.positions();
        int k = m.description().codebookSize();
        ChannelTables.Window w = m.channelTables().newWindow(n);
        PredictionTables.Coder coder = m.predictionTables().newCoder(n, columns);
        for (int g = 0; g < 4; g++) {
            int[] x = measured.group(g);
            int c1 = TokenCoding.encode(1, x, k, m.table(g)).length;
            int c4 = TokenCoding.encode(4, x, k, columns, null, null,
                    m.channelTables().model(g, w.contexts(measured, g, new int[n]))).length;
            int c5 = coder.encode(measured, g).length;
            int best = Math.min(c1, Math.min(c4, c5));
            int want = c1 == best ? 1 : c4 == best ? 4 : 5;
            assertEquals(want, f.streams().get(g).coderId(), "group " + g + ": " + c1 + ", " + c4 + ", " + c5);
            assertEquals(best, f.streams().get(g).payloadLength(0));
            assertTrue(f14.streams().get(g).coderId() != 5);
            assertEquals(Math.min(c1, c4), f14.streams().get(g).payloadLength(0));
        }
        assertArrayEquals(indices(source, f14), indices(source, f));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        QtkFile chosen = QtkReader.read(CoderTestSupport.oneGroupPerStream(auto, img, PRED));
        assertEquals(4, chosen.streams().size());
        // groups 1..3 forced to coder 5 (whatever is smaller), so that every later group depends on earlier ones
        CodecModel m = source.forEncode(PRED);
        PredictionTables.Coder coder = m.predictionTables().newCoder(measured.positions(), columns);
        QtkFile.Builder fb = QtkFile.builder(chosen.header()).addStream(chosen.streams().get(0));
        for (int g = 1; g < 4; g++) {
            fb.addStream(TokenStream.of(g, 5, List.of(coder.encode(measured, g))));
        }
        byte[] full = QtkWriter.toBytes(fb.build());
        assertArrayEquals(indices(source, chosen), indices(source, QtkReader.read(full)));
        CoderTestSupport.assertPrefixesAndCutsDecode(auto, full, 1, 4, 5);
    }

    @Test
    void aBundleWithoutPredictionTablesCannotDecodeCoder5() throws Exception {
        QtkFile f = QtkReader.read(CoderTestSupport.oneGroupPerStream(auto, img, PRED));
        // the same file bound to the bundle with channel tables only
        assertEquals(CH, chBundle.name());
        CoderTestSupport.assertBundleWithoutTablesRefuses(auto, f, chBundle, 5, "prediction");
    }

    @Test
    void globalModelsUseTheTokenPositionAsTheGroupAndTilesAsPositions() throws Exception {
        CoderTestSupport.Global g = CoderTestSupport.encodeGlobal();
        IndexGrid grid = g.grid();
        int k = g.k();
        int tiles = g.coder1().header().tokenColumns();
        assertEquals(6, tiles);
        int[] thresholds = {8, 16};
        int[][] w = ContextBundles.weights(grid, k);
        long[][][] counts = ContextBundles.channelCounts(grid, 3, thresholds, w, k);
        ChannelTables ct = ChannelTables.fromCounts(3, thresholds, w, counts);
        int[][] a = ContextBundles.fitPrediction(grid, tiles, 2, SHIFT, k);
        ModelBundle gp = ModelBundle.read(ContextBundles.withPredictionTables(ContextBundles.withChannelTables(
                g.bundleBytes(), "qtk-synthetic-global-pr", 3, thresholds, w, counts), "qtk-synthetic-global-pr", 2,
                SHIFT, ACTIVITY, a, ContextBundles.residualCounts(grid, tiles, ct, 2, SHIFT, ACTIVITY, a)),
                "memory:global-pr");
        assertEquals(grid.groups(), gp.manifest().groups());
        CoderTestSupport.assertGlobalRewriteDecodes(g, gp, 5, 3, m -> {
            PredictionTables.Coder coder = m.predictionTables().newCoder(grid.positions(), tiles);
            return group -> coder.encode(grid, group);
        });
    }
}
