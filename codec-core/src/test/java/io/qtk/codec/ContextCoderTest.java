package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkConfig;
import io.qtk.QtkException;
import io.qtk.TestModels;
import io.qtk.entropy.FrequencyTable;
import io.qtk.format.ChunkInfo;
import io.qtk.format.ChunkType;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import io.qtk.model.ModelBundle;
import io.qtk.model.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
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
    private BundleModelSource source;
    private CodecEngine auto;
    private CodecEngine fixed;
    private ModelBundle tiny;
    private ModelBundle ctx;
    private BufferedImage img;
    private IndexGrid measured;

    @BeforeAll
    void open() throws Exception {
        assumeTrue(Files.exists(TestModels.trainedTiny()), "testdata/models/qtk-test-tiny.qtkm missing");
        byte[] tinyBytes = Files.readAllBytes(TestModels.trainedTiny());
        tiny = ModelBundle.read(tinyBytes, "memory:qtk-test-tiny");
        img = TestModels.synthetic(96, 72, BufferedImage.TYPE_INT_RGB); // latent 24 x 18
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        int k = tiny.manifest().codebookSize();
        try (BundleModelSource s0 = BundleModelSource.open(registry(tiny), cfg)) {
            QtkFile f0 = new CodecEngine(s0, 0).encodeAll(img, ImageMetadata.EMPTY, options(null).build(),
                    ProgressListener.NONE).fileFor(4);
            measured = TokenCoding.decodeGroups(f0, 4, g -> FrequencyTable.fromCounts(tiny.order0Counts(g)));
            int[][] classes = ContextBundles.classes(measured, k);
            long[][][] counts = ContextBundles.counts(measured, f0.header().tokenColumns(), classes, k);
            ctx = ModelBundle.read(ContextBundles.withContextTables(tinyBytes, CTX, classes, counts), "memory:" + CTX);
        }
        assertTrue(ctx.hasContextTables());
        source = BundleModelSource.open(registry(tiny, ctx), cfg);
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
    }

    static ModelRegistry registry(ModelBundle... bundles) {
        ModelRegistry.Builder b = ModelRegistry.builder().classLoader(null).useEnvironment(false)
                .useSystemProperty(false);
        for (ModelBundle m : bundles) {
            b.addBundle(m);
        }
        return b.build();
    }

    @AfterAll
    void close() {
        if (source != null) {
            source.close();
        }
    }

    static EncodeOptions.Builder options(String model) {
        EncodeOptions.Builder b = EncodeOptions.builder().quality(1);
        return model == null ? b.model("qtk-test-tiny") : b.model(model);
    }

    int[][] indices(QtkFile f) throws IOException {
        CodecModel m = source.forDecode(f.header().model().name(), f.header().model().version(),
                f.header().model().sha256Hex());
        IndexGrid g = TokenCoding.decodeGroups(f, f.groupsPresent(), m::table, m::contextTables);
        int[][] out = new int[g.groups()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.group(i);
        }
        return out;
    }

    static long payloadBytes(TokenStream s) {
        long n = 0;
        for (int i = 0; i < s.groupCount(); i++) {
            n += s.payloadLength(i);
        }
        return n;
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

        // same indices as coder 1, and as the model without context tables
        int[][] ia = indices(fa);
        assertArrayEquals(indices(fb), ia);
        for (int g = 0; g < 4; g++) {
            assertArrayEquals(measured.group(g), ia[g], "group " + g);
        }
        // same pixels
        DecodedImage da = auto.decode(ba, DecodeOptions.DEFAULT, ProgressListener.NONE);
        DecodedImage db = auto.decode(bb, DecodeOptions.DEFAULT, ProgressListener.NONE);
        GoldenTokensTest.assertPixelsEqual(db.image(), da.image(), "coder 3 vs coder 1");
        assertTrue(TestModels.psnr(img, da.image()) > 15);

        // rate control works on the exact sizes, every ladder point no larger than with coder 1
        for (int g : a.ladder()) {
            assertEquals(QtkWriter.toBytes(a.fileFor(g)).length, a.sizeFor(g), "ladder " + g);
            assertTrue(a.sizeFor(g) <= b.sizeFor(g), "ladder " + g);
        }
        for (int g : a.ladder()) {
            long target = a.sizeFor(g);
            byte[] f = auto.encode(img, ImageMetadata.EMPTY, options(CTX).targetBytes(target).build(),
                    ProgressListener.NONE);
            assertEquals(target, f.length, "target " + target);
            assertEquals(g, QtkReader.read(f).groupsPresent());
            assertArrayEquals(QtkWriter.toBytes(a.fileFor(g)), f);
        }
        // the chosen file is the encoder's output, deterministically
        assertArrayEquals(ba, auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        EncodeOptions o = options(CTX).groupsPerStream(1).build();
        byte[] full = auto.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        QtkFile f = QtkReader.read(full);
        assertEquals(4, f.streams().size());
        assertTrue(f.streams().stream().anyMatch(s -> s.coderId() == 3));
        List<DecodedImage> byGroups = new ArrayList<>();
        for (int g = 0; g <= 4; g++) {
            byGroups.add(auto.decode(full, DecodeOptions.builder().maxGroups(Math.max(g, 1)).build(),
                    ProgressListener.NONE));
        }
        // complete prefixes (QtkFile.prefix): version 1.1 only while a coder-3 stream is in them
        for (int k = 1; k <= 4; k++) {
            QtkFile p = f.prefix(k);
            byte[] pb = QtkWriter.toBytes(p);
            boolean has3 = p.streams().stream().anyMatch(s -> s.coderId() == 3);
            assertEquals(has3 ? 1 : 0, pb[9], "prefix " + k);
            DecodedImage d = auto.decode(pb, DecodeOptions.DEFAULT, ProgressListener.NONE);
            assertEquals(k, d.groupsDecoded());
            GoldenTokensTest.assertPixelsEqual(byGroups.get(k).image(), d.image(), "prefix " + k);
        }
        // cut inside every QTOK: the streams before it decode
        List<ChunkInfo> toks = QtkReader.listChunks(full).chunks().stream()
                .filter(c -> c.type().equals(ChunkType.QTOK)).toList();
        for (int i = 1; i < toks.size(); i++) {
            ChunkInfo c = toks.get(i);
            byte[] cut = Arrays.copyOf(full, (int) (c.offset() + 8 + c.dataLength() / 2));
            DecodedImage d = auto.decode(cut, DecodeOptions.DEFAULT, ProgressListener.NONE);
            assertTrue(d.info().truncated());
            assertEquals(i, d.groupsDecoded());
            GoldenTokensTest.assertPixelsEqual(byGroups.get(i).image(), d.image(), "cut in stream " + i);
        }
    }

    @Test
    void aBundleWithoutContextTablesCannotDecodeCoder3() throws Exception {
        byte[] full = auto.encode(img, ImageMetadata.EMPTY, options(CTX).groupsPerStream(1).build(),
                ProgressListener.NONE);
        QtkFile f = QtkReader.read(full);
        int first3 = -1;
        for (TokenStream s : f.streams()) {
            if (s.coderId() == 3) {
                first3 = s.firstGroup();
                break;
            }
        }
        assertTrue(first3 >= 0);
        // the same file naming the tiny model, whose bundle has no context tables
        QtkFile.Builder b = QtkFile.builder(f.header().toBuilder()
                .model(ModelId.of(tiny.name(), tiny.version(), tiny.sha256())).build());
        f.streams().forEach(b::addStream);
        byte[] alien = QtkWriter.toBytes(b.build());
        QtkException e = assertThrows(QtkException.class,
                () -> auto.decode(alien, DecodeOptions.DEFAULT, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("coder id 3"), e.getMessage());
        assertTrue(e.getMessage().contains("context tables"), e.getMessage());
        assertTrue(e.getMessage().contains(tiny.name()), e.getMessage());
        // a prefix before the first coder-3 stream still decodes
        if (first3 > 0) {
            DecodedImage d = auto.decode(alien, DecodeOptions.builder().maxGroups(first3).build(),
                    ProgressListener.NONE);
            assertEquals(first3, d.groupsDecoded());
        }
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
        byte[] global = SyntheticModel.globalBundle();
        ModelBundle gb = ModelBundle.read(global, "memory:qtk-synthetic-global");
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        BufferedImage im = TestModels.synthetic(45, 31, BufferedImage.TYPE_3BYTE_BGR); // 6 x 4 tiles of 8
        int k = gb.manifest().codebookSize();
        QtkFile f1;
        IndexGrid grid;
        try (BundleModelSource s0 = BundleModelSource.open(registry(gb), cfg)) {
            f1 = new CodecEngine(s0, 0).encodeAll(im, ImageMetadata.EMPTY, EncodeOptions.builder().quality(1)
                    .build(), ProgressListener.NONE).fileFor(4);
            grid = TokenCoding.decodeGroups(f1, 4, g -> FrequencyTable.fromCounts(gb.order0Counts(g)));
        }
        int columns = f1.header().tokenColumns();
        assertEquals(6, columns);
        int[][] classes = ContextBundles.classes(grid, k);
        ModelBundle gc = ModelBundle.read(ContextBundles.withContextTables(global, "qtk-synthetic-global-ctx",
                classes, ContextBundles.counts(grid, columns, classes, k)), "memory:global-ctx");
        try (BundleModelSource s = BundleModelSource.open(registry(gb, gc), cfg)) {
            CodecEngine e = new CodecEngine(s, 0);
            CodecModel m = s.forEncode("qtk-synthetic-global-ctx");
            // every stream with coder 3, whatever is smaller, naming the context bundle
            QtkFile.Builder b = QtkFile.builder(f1.header().toBuilder()
                    .model(ModelId.of(gc.name(), gc.version(), gc.sha256())).build());
            for (TokenStream st : f1.streams()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < st.groupCount(); i++) {
                    int g = st.firstGroup() + i;
                    p.add(TokenCoding.encode(3, grid.group(g), k, columns, null, m.contextTables(g)));
                }
                b.addStream(TokenStream.of(st.firstGroup(), 3, p));
            }
            byte[] f3 = QtkWriter.toBytes(b.build());
            assertEquals(1, f3[9]);
            DecodedImage d3 = e.decode(f3, DecodeOptions.DEFAULT, ProgressListener.NONE);
            DecodedImage d1 = e.decode(QtkWriter.toBytes(f1), DecodeOptions.DEFAULT, ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(), d3.image(), "global coder 3");
            // the engine's own choice round-trips too
            byte[] chosen = e.encode(im, ImageMetadata.EMPTY, EncodeOptions.builder().model(gc.name()).quality(1)
                    .build(), ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(),
                    e.decode(chosen, DecodeOptions.DEFAULT, ProgressListener.NONE).image(), "global, chosen");
            assertTrue(chosen.length <= QtkWriter.toBytes(f1).length);
        }
    }
}
