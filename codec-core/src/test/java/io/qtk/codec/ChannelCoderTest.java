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
    private BundleModelSource source;
    private CodecEngine auto;
    private CodecEngine fixed;
    private CodecEngine no4;
    private ModelBundle tiny;
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
        ModelBundle ch;
        ModelBundle both;
        try (BundleModelSource s0 = BundleModelSource.open(ContextCoderTest.registry(tiny), cfg)) {
            QtkFile f0 = new CodecEngine(s0, 0).encodeAll(img, ImageMetadata.EMPTY, options(null).build(),
                    ProgressListener.NONE).fileFor(4);
            measured = TokenCoding.decodeGroups(f0, 4, g -> FrequencyTable.fromCounts(tiny.order0Counts(g)));
            int[][] w = ContextBundles.weights(measured, k);
            long[][][] counts = ContextBundles.channelCounts(measured, WINDOW, THRESHOLDS, w, k);
            ch = ModelBundle.read(ContextBundles.withChannelTables(tinyBytes, CH, WINDOW, THRESHOLDS, w, counts),
                    "memory:" + CH);
            int[][] classes = ContextBundles.classes(measured, k);
            byte[] ctx = ContextBundles.withContextTables(tinyBytes, BOTH, classes,
                    ContextBundles.counts(measured, f0.header().tokenColumns(), classes, k));
            both = ModelBundle.read(ContextBundles.withChannelTables(ctx, BOTH, WINDOW, THRESHOLDS, w, counts),
                    "memory:" + BOTH);
        }
        assertTrue(ch.hasChannelTables());
        assertTrue(both.hasChannelTables() && both.hasContextTables());
        source = BundleModelSource.open(ContextCoderTest.registry(tiny, ch, both), cfg);
        auto = new CodecEngine(source, 0);
        fixed = new CodecEngine(source, 0, false);
        no4 = new CodecEngine(source, 0, true, false);
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
        IndexGrid g = TokenCoding.decodeGroups(f, f.groupsPresent(), m::table, m::contextTables, m.channelTables());
        int[][] out = new int[g.groups()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.group(i);
        }
        return out;
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
                assertTrue(ContextCoderTest.payloadBytes(sa) < ContextCoderTest.payloadBytes(sb), "stream " + i);
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
        int[][] ia = indices(fa);
        for (int g = 0; g < 4; g++) {
            assertArrayEquals(measured.group(g), ia[g], "group " + g);
        }
        DecodedImage da = auto.decode(ba, DecodeOptions.DEFAULT, ProgressListener.NONE);
        DecodedImage db = auto.decode(bb, DecodeOptions.DEFAULT, ProgressListener.NONE);
        GoldenTokensTest.assertPixelsEqual(db.image(), da.image(), "coder 4 vs coder 1");
        for (int g : a.ladder()) {
            assertEquals(QtkWriter.toBytes(a.fileFor(g)).length, a.sizeFor(g), "ladder " + g);
            assertTrue(a.sizeFor(g) <= b.sizeFor(g), "ladder " + g);
            long target = a.sizeFor(g);
            byte[] f = auto.encode(img, ImageMetadata.EMPTY, options(CH).targetBytes(target).build(),
                    ProgressListener.NONE);
            assertArrayEquals(QtkWriter.toBytes(a.fileFor(g)), f, "target " + target);
        }
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
        assertArrayEquals(indices(f13), indices(f));
    }

    @Test
    void prefixesAndTruncationsStillDecode() throws Exception {
        byte[] full = auto.encode(img, ImageMetadata.EMPTY, options(CH).groupsPerStream(1).build(),
                ProgressListener.NONE);
        QtkFile f = QtkReader.read(full);
        assertEquals(4, f.streams().size());
        assertTrue(f.streams().stream().filter(s -> s.firstGroup() > 0).anyMatch(s -> s.coderId() == 4));
        List<DecodedImage> byGroups = new ArrayList<>();
        for (int g = 0; g <= 4; g++) {
            byGroups.add(auto.decode(full, DecodeOptions.builder().maxGroups(Math.max(g, 1)).build(),
                    ProgressListener.NONE));
        }
        for (int k = 1; k <= 4; k++) {
            QtkFile p = f.prefix(k);
            byte[] pb = QtkWriter.toBytes(p);
            boolean has4 = p.streams().stream().anyMatch(s -> s.coderId() == 4);
            assertEquals(has4 ? 2 : 0, pb[9], "prefix " + k);
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
    void aBundleWithoutChannelTablesCannotDecodeCoder4() throws Exception {
        byte[] full = auto.encode(img, ImageMetadata.EMPTY, options(CH).groupsPerStream(1).build(),
                ProgressListener.NONE);
        QtkFile f = QtkReader.read(full);
        int first4 = f.streams().stream().filter(s -> s.coderId() == 4).mapToInt(TokenStream::firstGroup)
                .findFirst().orElseThrow();
        QtkFile.Builder b = QtkFile.builder(f.header().toBuilder()
                .model(ModelId.of(tiny.name(), tiny.version(), tiny.sha256())).build());
        f.streams().forEach(b::addStream);
        byte[] alien = QtkWriter.toBytes(b.build());
        QtkException e = assertThrows(QtkException.class,
                () -> auto.decode(alien, DecodeOptions.DEFAULT, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("coder id 4"), e.getMessage());
        assertTrue(e.getMessage().contains("channel"), e.getMessage());
        assertTrue(e.getMessage().contains(tiny.name()), e.getMessage());
        if (first4 > 0) {
            DecodedImage d = auto.decode(alien, DecodeOptions.builder().maxGroups(first4).build(),
                    ProgressListener.NONE);
            assertEquals(first4, d.groupsDecoded());
        }
    }

    @Test
    void globalModelsUseTheTokenPositionAsTheGroup() throws Exception {
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
        int[][] w = ContextBundles.weights(grid, k);
        ModelBundle gc = ModelBundle.read(ContextBundles.withChannelTables(global, "qtk-synthetic-global-ch", 3,
                new int[] {8, 16}, w, ContextBundles.channelCounts(grid, 3, new int[] {8, 16}, w, k)),
                "memory:global-ch");
        try (BundleModelSource s = BundleModelSource.open(ContextCoderTest.registry(gb, gc), cfg)) {
            CodecEngine e = new CodecEngine(s, 0);
            ChannelTables ct = s.forEncode("qtk-synthetic-global-ch").channelTables();
            QtkFile.Builder b = QtkFile.builder(f1.header().toBuilder()
                    .model(ModelId.of(gc.name(), gc.version(), gc.sha256())).build());
            ChannelTables.Window win = ct.newWindow(grid.positions());
            for (TokenStream st : f1.streams()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < st.groupCount(); i++) {
                    int g = st.firstGroup() + i;
                    p.add(TokenCoding.encode(4, grid.group(g), k, 6, null, null,
                            ct.model(g, win.contexts(grid, g, new int[grid.positions()]))));
                }
                b.addStream(TokenStream.of(st.firstGroup(), 4, p));
            }
            byte[] f4 = QtkWriter.toBytes(b.build());
            assertEquals(2, f4[9]);
            DecodedImage d4 = e.decode(f4, DecodeOptions.DEFAULT, ProgressListener.NONE);
            DecodedImage d1 = e.decode(QtkWriter.toBytes(f1), DecodeOptions.DEFAULT, ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(), d4.image(), "global coder 4");
            byte[] chosen = e.encode(im, ImageMetadata.EMPTY, EncodeOptions.builder().model(gc.name()).quality(1)
                    .build(), ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(),
                    e.decode(chosen, DecodeOptions.DEFAULT, ProgressListener.NONE).image(), "global, chosen");
            assertTrue(chosen.length <= QtkWriter.toBytes(f1).length);
        }
    }
}
