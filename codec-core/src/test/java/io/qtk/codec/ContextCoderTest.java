package io.qtk.codec;

import static io.qtk.codec.CoderTestSupport.indices;
import static io.qtk.codec.CoderTestSupport.options;
import static io.qtk.codec.CoderTestSupport.payloadBytes;
import static io.qtk.codec.CoderTestSupport.registry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.TestModels;
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
 * Coder id 3 through the engine, with the tiny test model plus context tables measured on the test image (the way a
 * trainer makes them): the encoder picks coder 3 per stream where it is smaller, the file is version 1.1, decodes to
 * the same indices and pixels as coder 1, is never larger, rate control stays exact, prefixes and truncations still
 * decode, and a bundle without context tables cannot decode coder 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextCoderTest {
    static final String CTX = "qtk-test-tiny-ctxe";
    @AutoClose // after the class's last test
    private BundleModelSource source;
    private CodecEngine auto;
    private CodecEngine fixed;
    private ModelBundle tiny;
    private BufferedImage img;
    private IndexGrid measured;

    @BeforeAll
    void open() throws Exception {
        CoderTestSupport.Tiny t = CoderTestSupport.measureTiny();
        tiny = t.bundle();
        img = t.image();
        measured = t.measured();
        int[][] classes = ContextBundles.classes(measured, t.k());
        long[][][] counts = ContextBundles.counts(measured, t.columns(), classes, t.k());
        ModelBundle ctx = ModelBundle.read(ContextBundles.withContextTables(t.bundleBytes(), CTX, classes, counts),
                "memory:" + CTX);
        assertTrue(ctx.hasContextTables());
        source = BundleModelSource.open(registry(tiny, ctx), t.config());
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
    }

    @Test
    void coder3IsChosenWhereSmallerAndGivesTheSameIndicesAndPixels() throws Exception {
        EncodeOptions o = options(CTX).build();
        CodecEngine.Encoded a = auto.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        CodecEngine.Encoded b = fixed.encodeAll(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        QtkFile fa = a.fileFor(4);
        QtkFile fb = b.fileFor(4);
        assertEquals(fb.header(), fa.header());
        int coder3 = 0;
        for (int i = 0; i < fa.streams().size(); i++) {
            TokenStream sa = fa.streams().get(i);
            TokenStream sb = fb.streams().get(i);
            assertEquals(1, sb.coderId());
            assertTrue(sa.coderId() == 1 || sa.coderId() == 3, "coder " + sa.coderId());
            if (sa.coderId() == 3) {
                coder3++;
                assertTrue(payloadBytes(sa) < payloadBytes(sb), "stream " + i);
            } else {
                assertEquals(payloadBytes(sb), payloadBytes(sa), "stream " + i);
            }
        }
        // tables measured on this very image: coder 3 must win somewhere
        assertTrue(coder3 > 0, "no stream uses coder 3");
        byte[] ba = QtkWriter.toBytes(fa);
        byte[] bb = QtkWriter.toBytes(fb);
        assertEquals(1, ba[8]);
        assertEquals(1, ba[9], "a file with a coder-3 stream is version 1.1");
        assertEquals(0, bb[9], "coder 1 only: version 1.0");
        assertTrue(ba.length < bb.length, ba.length + " >= " + bb.length);
        System.out.println("[coder 3] " + coder3 + " of " + fa.streams().size() + " streams, " + ba.length
                + " bytes vs " + bb.length + " with coder 1 only");

        // same indices as coder 1 (and as the measured ones, the model without context tables), same pixels
        assertArrayEquals(indices(source, fb), indices(source, fa));
        DecodedImage da = CoderTestSupport.assertDecodesLikeCoder1(auto, source, measured, fa, bb,
                "coder 3 vs coder 1");
        assertTrue(TestModels.psnr(img, da.image()) > 15);

        // rate control works on the exact sizes, every ladder point no larger than with coder 1
        CoderTestSupport.assertLadderIsExact(auto, img, CTX, a, b);
        // the chosen file is the encoder's output, deterministically
        assertArrayEquals(ba, auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        byte[] full = CoderTestSupport.oneGroupPerStream(auto, img, CTX);
        QtkFile f = QtkReader.read(full);
        assertEquals(4, f.streams().size());
        assertTrue(f.streams().stream().anyMatch(s -> s.coderId() == 3));
        // version 1.1 only while a coder-3 stream is in the prefix
        CoderTestSupport.assertPrefixesAndCutsDecode(auto, full, 1, 3);
    }

    @Test
    void aBundleWithoutContextTablesCannotDecodeCoder3() throws Exception {
        QtkFile f = QtkReader.read(CoderTestSupport.oneGroupPerStream(auto, img, CTX));
        // the same file naming the tiny model, whose bundle has no context tables
        CoderTestSupport.assertBundleWithoutTablesRefuses(auto, f, tiny, 3, "context tables");
    }

    @Test
    void withoutContextTablesTheEncoderWritesCoder1AndVersion10() throws Exception {
        byte[] f = auto.encode(img, ImageMetadata.EMPTY, options(null).build(), ProgressListener.NONE);
        assertEquals(0, f[9]);
        assertTrue(QtkReader.read(f).streams().stream().allMatch(s -> s.coderId() == 1));
        assertFalse(source.forEncode("qtk-test-tiny").hasContextTables());
        assertTrue(source.forEncode(CTX).hasContextTables());
    }

    @Test
    void globalModelsUseTilesAcrossAsTheWidth() throws Exception {
        CoderTestSupport.Global g = CoderTestSupport.encodeGlobal();
        IndexGrid grid = g.grid();
        int k = g.k();
        int columns = g.coder1().header().tokenColumns();
        assertEquals(6, columns);
        int[][] classes = ContextBundles.classes(grid, k);
        ModelBundle gc = ModelBundle.read(ContextBundles.withContextTables(g.bundleBytes(), "qtk-synthetic-global-ctx",
                classes, ContextBundles.counts(grid, columns, classes, k)), "memory:global-ctx");
        // every stream with coder 3, whatever is smaller, naming the context bundle; then the engine's own choice
        CoderTestSupport.assertGlobalRewriteDecodes(g, gc, 3, 1,
                m -> group -> TokenCoding.encode(3, grid.group(group), k, columns, null, m.contextTables(group)));
    }
}
