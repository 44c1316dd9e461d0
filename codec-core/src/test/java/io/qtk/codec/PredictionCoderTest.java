package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
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
        assumeTrue(Files.exists(TestModels.trainedTiny()), "testdata/models/qtk-test-tiny.qtkm missing");
        byte[] tinyBytes = Files.readAllBytes(TestModels.trainedTiny());
        ModelBundle tiny = ModelBundle.read(tinyBytes, "memory:qtk-test-tiny");
        img = TestModels.synthetic(96, 72, BufferedImage.TYPE_INT_RGB); // latent 24 x 18
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        int k = tiny.manifest().codebookSize();
        ModelBundle pred;
        try (BundleModelSource s0 = BundleModelSource.open(ContextCoderTest.registry(tiny), cfg)) {
            QtkFile f0 = new CodecEngine(s0, 0).encodeAll(img, ImageMetadata.EMPTY, options(null).build(),
                    ProgressListener.NONE).fileFor(4);
            columns = f0.header().tokenColumns();
            measured = TokenCoding.decodeGroups(f0, 4, g -> FrequencyTable.fromCounts(tiny.order0Counts(g)));
            int[][] w = ContextBundles.weights(measured, k);
            long[][][] counts = ContextBundles.channelCounts(measured, WINDOW, THRESHOLDS, w, k);
            byte[] ch = ContextBundles.withChannelTables(tinyBytes, CH, WINDOW, THRESHOLDS, w, counts);
            chBundle = ModelBundle.read(ch, "memory:" + CH);
            ChannelTables ct = ChannelTables.fromCounts(WINDOW, THRESHOLDS, w, counts);
            int[][] a = ContextBundles.fitPrediction(measured, columns, PWINDOW, SHIFT, k);
            long[][][] residual = ContextBundles.residualCounts(measured, columns, ct, PWINDOW, SHIFT, ACTIVITY, a);
            pred = ModelBundle.read(ContextBundles.withPredictionTables(
                    ContextBundles.withChannelTables(tinyBytes, PRED, WINDOW, THRESHOLDS, w, counts), PRED, PWINDOW,
                    SHIFT, ACTIVITY, a, residual), "memory:" + PRED);
        }
        assertTrue(pred.hasPredictionTables() && pred.hasChannelTables());
        assertTrue(!chBundle.hasPredictionTables());
        source = BundleModelSource.open(ContextCoderTest.registry(tiny, chBundle, pred), cfg);
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
        no5 = new CodecEngine(source, 0, true, true, false);
    }

    @AfterAll
    void close() {
        if (source != null) {
            source.close();
        }
    }

    static EncodeOptions.Builder options(String model) {
        return ContextCoderTest.options(model);
    }

    int[][] indices(QtkFile f) throws Exception {
        CodecModel m = source.forDecode(f.header().model().name(), f.header().model().version(),
                f.header().model().sha256Hex());
        IndexGrid g = TokenCoding.decodeGroups(f, f.groupsPresent(), m::table, m::contextTables, m.channelTables(),
                m.predictionTables());
        int[][] out = new int[g.groups()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.group(i);
        }
        return out;
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
                assertTrue(ContextCoderTest.payloadBytes(sa) < ContextCoderTest.payloadBytes(sc), "stream " + i);
                assertTrue(ContextCoderTest.payloadBytes(sa) < ContextCoderTest.payloadBytes(sb), "stream " + i);
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
        int[][] ia = indices(fa);
        for (int g = 0; g < 4; g++) {
            assertArrayEquals(measured.group(g), ia[g], "group " + g);
        }
        DecodedImage da = auto.decode(ba, DecodeOptions.DEFAULT, ProgressListener.NONE);
        DecodedImage db = auto.decode(bb, DecodeOptions.DEFAULT, ProgressListener.NONE);
        GoldenTokensTest.assertPixelsEqual(db.image(), da.image(), "coder 5 vs coder 1");
        for (int g : a.ladder()) {
            assertEquals(QtkWriter.toBytes(a.fileFor(g)).length, a.sizeFor(g), "ladder " + g);
            assertTrue(a.sizeFor(g) <= c.sizeFor(g), "ladder " + g);
            long target = a.sizeFor(g);
            byte[] f = auto.encode(img, ImageMetadata.EMPTY, options(PRED).targetBytes(target).build(),
                    ProgressListener.NONE);
            assertArrayEquals(QtkWriter.toBytes(a.fileFor(g)), f, "target " + target);
        }
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
        assertArrayEquals(indices(f14), indices(f));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        QtkFile chosen = QtkReader.read(auto.encode(img, ImageMetadata.EMPTY, options(PRED).groupsPerStream(1)
                .build(), ProgressListener.NONE));
        assertEquals(4, chosen.streams().size());
        // groups 1..3 forced to coder 5 (whatever is smaller), so that every later group depends on earlier ones
        CodecModel m = source.forEncode(PRED);
        PredictionTables.Coder coder = m.predictionTables().newCoder(measured.positions(), columns);
        QtkFile.Builder fb = QtkFile.builder(chosen.header()).addStream(chosen.streams().get(0));
        for (int g = 1; g < 4; g++) {
            fb.addStream(TokenStream.of(g, 5, List.of(coder.encode(measured, g))));
        }
        byte[] full = QtkWriter.toBytes(fb.build());
        QtkFile f = QtkReader.read(full);
        assertArrayEquals(indices(chosen), indices(f));
        List<DecodedImage> byGroups = new ArrayList<>();
        for (int g = 0; g <= 4; g++) {
            byGroups.add(auto.decode(full, DecodeOptions.builder().maxGroups(Math.max(g, 1)).build(),
                    ProgressListener.NONE));
        }
        for (int k = 1; k <= 4; k++) {
            QtkFile p = f.prefix(k);
            byte[] pb = QtkWriter.toBytes(p);
            int minor = 0;
            for (TokenStream s : p.streams()) {
                minor = Math.max(minor, s.coderId() == 5 ? 3 : s.coderId() == 4 ? 2 : s.coderId() == 3 ? 1 : 0);
            }
            assertEquals(minor, pb[9], "prefix " + k);
            DecodedImage d = auto.decode(pb, DecodeOptions.DEFAULT, ProgressListener.NONE);
            assertEquals(k, d.groupsDecoded());
            GoldenTokensTest.assertPixelsEqual(byGroups.get(k).image(), d.image(), "prefix " + k);
        }
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
    void aBundleWithoutPredictionTablesCannotDecodeCoder5() throws Exception {
        byte[] full = auto.encode(img, ImageMetadata.EMPTY, options(PRED).groupsPerStream(1).build(),
                ProgressListener.NONE);
        QtkFile f = QtkReader.read(full);
        int first5 = f.streams().stream().filter(s -> s.coderId() == 5).mapToInt(TokenStream::firstGroup)
                .findFirst().orElseThrow();
        // the same file bound to the bundle with channel tables only
        QtkFile.Builder b = QtkFile.builder(f.header().toBuilder()
                .model(ModelId.of(chBundle.name(), chBundle.version(), chBundle.sha256())).build());
        f.streams().forEach(b::addStream);
        byte[] alien = QtkWriter.toBytes(b.build());
        QtkException e = assertThrows(QtkException.class,
                () -> auto.decode(alien, DecodeOptions.DEFAULT, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("coder id 5"), e.getMessage());
        assertTrue(e.getMessage().contains("prediction"), e.getMessage());
        assertTrue(e.getMessage().contains(CH), e.getMessage());
        if (first5 > 0) {
            DecodedImage d = auto.decode(alien, DecodeOptions.builder().maxGroups(first5).build(),
                    ProgressListener.NONE);
            assertEquals(first5, d.groupsDecoded());
        }
    }

    @Test
    void globalModelsUseTheTokenPositionAsTheGroupAndTilesAsPositions() throws Exception {
        byte[] global = SyntheticModel.globalBundle();
        ModelBundle gb = ModelBundle.read(global, "memory:qtk-synthetic-global");
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        BufferedImage im = TestModels.synthetic(45, 31, BufferedImage.TYPE_3BYTE_BGR); // 6 x 4 tiles of 8
        int k = gb.manifest().codebookSize();
        QtkFile f1;
        IndexGrid grid;
        try (BundleModelSource s0 = BundleModelSource.open(ContextCoderTest.registry(gb), cfg)) {
            f1 = new CodecEngine(s0, 0).encodeAll(im, ImageMetadata.EMPTY, EncodeOptions.builder().quality(1)
                    .build(), ProgressListener.NONE).fileFor(4);
            grid = TokenCoding.decodeGroups(f1, 4, g -> FrequencyTable.fromCounts(gb.order0Counts(g)));
        }
        int tiles = f1.header().tokenColumns();
        assertEquals(6, tiles);
        int[] thresholds = {8, 16};
        int[][] w = ContextBundles.weights(grid, k);
        long[][][] counts = ContextBundles.channelCounts(grid, 3, thresholds, w, k);
        ChannelTables ct = ChannelTables.fromCounts(3, thresholds, w, counts);
        int groups = grid.groups();
        int[][] a = ContextBundles.fitPrediction(grid, tiles, 2, SHIFT, k);
        ModelBundle gp = ModelBundle.read(ContextBundles.withPredictionTables(ContextBundles.withChannelTables(global,
                "qtk-synthetic-global-pr", 3, thresholds, w, counts), "qtk-synthetic-global-pr", 2, SHIFT,
                ACTIVITY, a, ContextBundles.residualCounts(grid, tiles, ct, 2, SHIFT, ACTIVITY, a)),
                "memory:global-pr");
        assertEquals(groups, gp.manifest().groups());
        try (BundleModelSource s = BundleModelSource.open(ContextCoderTest.registry(gb, gp), cfg)) {
            CodecEngine e = new CodecEngine(s, 0);
            PredictionTables pt = s.forEncode("qtk-synthetic-global-pr").predictionTables();
            QtkFile.Builder b = QtkFile.builder(f1.header().toBuilder()
                    .model(ModelId.of(gp.name(), gp.version(), gp.sha256())).build());
            PredictionTables.Coder coder = pt.newCoder(grid.positions(), tiles);
            for (TokenStream st : f1.streams()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < st.groupCount(); i++) {
                    p.add(coder.encode(grid, st.firstGroup() + i));
                }
                b.addStream(TokenStream.of(st.firstGroup(), 5, p));
            }
            byte[] f5 = QtkWriter.toBytes(b.build());
            assertEquals(3, f5[9]);
            DecodedImage d5 = e.decode(f5, DecodeOptions.DEFAULT, ProgressListener.NONE);
            DecodedImage d1 = e.decode(QtkWriter.toBytes(f1), DecodeOptions.DEFAULT, ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(), d5.image(), "global coder 5");
            byte[] chosen = e.encode(im, ImageMetadata.EMPTY, EncodeOptions.builder().model(gp.name()).quality(1)
                    .build(), ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(),
                    e.decode(chosen, DecodeOptions.DEFAULT, ProgressListener.NONE).image(), "global, chosen");
            assertTrue(chosen.length <= QtkWriter.toBytes(f1).length);
        }
    }
}
