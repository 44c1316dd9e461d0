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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Coder id 4 through the engine, with the tiny test model plus channel tables measured on the test image (the way a
 * trainer makes them): the encoder picks coder 4 per stream where it is the smallest, the file is version 1.2 and
 * decodes to the same indices and pixels as coder 1, rate control stays exact, prefixes and truncations decode, a
 * bundle without channel tables cannot decode coder 4, and global models use the token position as the group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelCoderTest {
    static final String CH = "qtk-test-tiny-che";
    static final String BOTH = "qtk-test-tiny-chx";
    static final int WINDOW = 2;
    static final int[] THRESHOLDS = {12, 16, 20, 24};
    @AutoClose // after the class's last test
    private BundleModelSource source;
    private CodecEngine auto;
    private CodecEngine fixed;
    private CodecEngine no4;
    private ModelBundle tiny;
    private BufferedImage img;
    private IndexGrid measured;

    @BeforeAll
    void open() throws Exception {
        CoderTestSupport.Tiny t = CoderTestSupport.measureTiny();
        tiny = t.bundle();
        img = t.image();
        measured = t.measured();
        int k = t.k();
        int[][] w = ContextBundles.weights(measured, k);
        long[][][] counts = ContextBundles.channelCounts(measured, WINDOW, THRESHOLDS, w, k);
        ModelBundle ch = ModelBundle.read(ContextBundles.withChannelTables(t.bundleBytes(), CH, WINDOW, THRESHOLDS, w,
                counts), "memory:" + CH);
        int[][] classes = ContextBundles.classes(measured, k);
        byte[] ctx = ContextBundles.withContextTables(t.bundleBytes(), BOTH, classes,
                ContextBundles.counts(measured, t.columns(), classes, k));
        ModelBundle both = ModelBundle.read(ContextBundles.withChannelTables(ctx, BOTH, WINDOW, THRESHOLDS, w, counts),
                "memory:" + BOTH);
        assertTrue(ch.hasChannelTables());
        assertTrue(both.hasChannelTables() && both.hasContextTables());
        source = BundleModelSource.open(registry(tiny, ch, both), t.config());
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
        no4 = new CodecEngine(source, 0, true, false);
    }

    @Test
    void coder4IsChosenWhereSmallerAndGivesTheSameIndicesAndPixels() throws Exception {
        EncodeOptions o = options(CH).build();
        CodecEngine.Encoded a = auto.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        CodecEngine.Encoded b = fixed.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        QtkFile fa = a.fileFor(4);
        QtkFile fb = b.fileFor(4);
        int coder4 = 0;
        for (int i = 0; i < fa.streams().size(); i++) {
            TokenStream sa = fa.streams().get(i);
            TokenStream sb = fb.streams().get(i);
            assertEquals(1, sb.coderId());
            assertTrue(sa.coderId() == 1 || sa.coderId() == 4, "coder " + sa.coderId());
            if (sa.coderId() == 4) {
                coder4++;
                assertTrue(payloadBytes(sa) < payloadBytes(sb), "stream " + i);
            }
        }
        assertTrue(coder4 > 0, "no stream uses coder 4"); // tables measured on this very image
        byte[] ba = QtkWriter.toBytes(fa);
        byte[] bb = QtkWriter.toBytes(fb);
        assertEquals(2, ba[9], "a file with a coder-4 stream is version 1.2");
        assertEquals(0, bb[9]);
        assertTrue(ba.length < bb.length, ba.length + " >= " + bb.length);
        System.out.println("[coder 4] " + coder4 + " of " + fa.streams().size() + " streams, " + ba.length
                + " bytes vs " + bb.length + " with coder 1 only");
        CoderTestSupport.assertDecodesLikeCoder1(auto, source, measured, fa, bb, "coder 4 vs coder 1");
        CoderTestSupport.assertLadderIsExact(auto, img, CH, a, b);
        assertArrayEquals(ba, auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
    }

    @Test
    void withAllTablesEveryStreamGetsTheSmallestOfCoders134() throws Exception {
        EncodeOptions o = options(BOTH).groupsPerStream(1).build();
        QtkFile f = QtkReader.read(auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
        QtkFile f13 = QtkReader.read(no4.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
        CodecModel m = source.forEncode(BOTH);
        int n = measured.positions();
        int columns = f.header().tokenColumns();
        ChannelTables.Window w = m.channelTables().newWindow(n);
        for (int g = 0; g < 4; g++) {
            int[] x = measured.group(g);
            int c1 = TokenCoding.encode(1, x, 16, m.table(g)).length;
            int c3 = TokenCoding.encode(3, x, 16, columns, null, m.contextTables(g)).length;
            int c4 = TokenCoding.encode(4, x, 16, columns, null, null,
                    m.channelTables().model(g, w.contexts(measured, g, new int[n]))).length;
            int best = Math.min(c1, Math.min(c3, c4));
            int want = c1 == best ? 1 : c3 == best ? 3 : 4;
            assertEquals(want, f.streams().get(g).coderId(), "group " + g + ": " + c1 + ", " + c3 + ", " + c4);
            assertEquals(best, f.streams().get(g).payloadLength(0));
            assertTrue(f13.streams().get(g).coderId() != 4);
            assertEquals(Math.min(c1, c3), f13.streams().get(g).payloadLength(0));
        }
        assertArrayEquals(indices(source, f13), indices(source, f));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        byte[] full = CoderTestSupport.oneGroupPerStream(auto, img, CH);
        QtkFile f = QtkReader.read(full);
        assertEquals(4, f.streams().size());
        assertTrue(f.streams().stream().filter(s -> s.firstGroup() > 0).anyMatch(s -> s.coderId() == 4));
        CoderTestSupport.assertPrefixesAndCutsDecode(auto, full, 1, 4);
    }

    @Test
    void aBundleWithoutChannelTablesCannotDecodeCoder4() throws Exception {
        QtkFile f = QtkReader.read(CoderTestSupport.oneGroupPerStream(auto, img, CH));
        CoderTestSupport.assertBundleWithoutTablesRefuses(auto, f, tiny, 4, "channel");
    }

    @Test
    void globalModelsUseTheTokenPositionAsTheGroup() throws Exception {
        CoderTestSupport.Global g = CoderTestSupport.encodeGlobal();
        IndexGrid grid = g.grid();
        int k = g.k();
        int[][] w = ContextBundles.weights(grid, k);
        ModelBundle gc = ModelBundle.read(ContextBundles.withChannelTables(g.bundleBytes(), "qtk-synthetic-global-ch",
                3, new int[] {8, 16}, w, ContextBundles.channelCounts(grid, 3, new int[] {8, 16}, w, k)),
                "memory:global-ch");
        CoderTestSupport.assertGlobalRewriteDecodes(g, gc, 4, 2, m -> {
            ChannelTables ct = m.channelTables();
            ChannelTables.Window win = ct.newWindow(grid.positions());
            return group -> TokenCoding.encode(4, grid.group(group), k, 6, null, null,
                    ct.model(group, win.contexts(grid, group, new int[grid.positions()])));
        });
    }
}
