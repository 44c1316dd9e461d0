package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkConfig;
import io.qtk.QtkException;
import io.qtk.TestModels;
import io.qtk.entropy.FrequencyTable;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormat;
import io.qtk.format.QtkFormatException;
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
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What the tests of coders 3, 4 and 5 share, so that each new coder is held to the same checks: the tiny and the
 * global model encoded with coder 1 (the indices that tables are measured on, as a trainer would), the engine-level
 * checks (prefixes and cuts decode, a bundle without the tables refuses, rate control is exact, a global model
 * round-trips), and the payload-level ones (random layouts, every prefix decodes, corrupt payloads).
 */
final class CoderTestSupport {
    private CoderTestSupport() {
    }

    /** A registry of exactly these bundles: nothing from the class path, the environment or system properties. */
    static ModelRegistry registry(ModelBundle... bundles) {
        ModelRegistry.Builder b = ModelRegistry.builder().classLoader(null).useEnvironment(false)
                .useSystemProperty(false);
        for (ModelBundle m : bundles) {
            b.addBundle(m);
        }
        return b.build();
    }

    /** @return quality 1 with the given model, the tiny test model when null */
    static EncodeOptions.Builder options(String model) {
        EncodeOptions.Builder b = EncodeOptions.builder().quality(1);
        return model == null ? b.model("qtk-test-tiny") : b.model(model);
    }

    static long payloadBytes(TokenStream s) {
        long n = 0;
        for (int i = 0; i < s.groupCount(); i++) {
            n += s.payloadLength(i);
        }
        return n;
    }

    /** @return img encoded by engine for the model with one group per stream: prefixes and cuts fall between groups */
    static byte[] oneGroupPerStream(CodecEngine engine, BufferedImage img, String model) throws IOException {
        return engine.encode(img, ImageMetadata.EMPTY, options(model).groupsPerStream(1).build(),
                ProgressListener.NONE);
    }

    /** @return the groups of an index grid as rows */
    static int[][] rows(IndexGrid g) {
        int[][] out = new int[g.groups()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.group(i);
        }
        return out;
    }

    /** @return the indices of every group present in f, decoded with all the tables of the model it names */
    static int[][] indices(ModelSource source, QtkFile f) throws IOException {
        CodecModel m = source.forDecode(f.header().model().name(), f.header().model().version(),
                f.header().model().sha256Hex());
        return rows(TokenCoding.decodeGroups(f, f.groupsPresent(), m::table, m::contextTables, m.channelTables(),
                m.predictionTables()));
    }

    // ------------------------------------------------------------------------------- through the engine

    /**
     * The tiny test model and a 96 x 72 test image (latent 24 x 18) encoded with coder 1 only, four groups.
     *
     * @param bundleBytes the bundle, to derive bundles with tables from
     * @param measured the file's indices: what the tables are measured on
     */
    record Tiny(byte[] bundleBytes, ModelBundle bundle, BufferedImage image, QtkConfig config, int k, int columns,
                IndexGrid measured) {
    }

    /** @return the tiny fixture, measured on the committed trained tiny model */
    static Tiny measureTiny() throws IOException {
        assertTrue(Files.exists(TestModels.trainedTiny()), "the committed testdata/models/qtk-test-tiny.qtkm is missing");
        byte[] bytes = Files.readAllBytes(TestModels.trainedTiny());
        ModelBundle tiny = ModelBundle.read(bytes, "memory:qtk-test-tiny");
        BufferedImage img = TestModels.synthetic(96, 72, BufferedImage.TYPE_INT_RGB);
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        try (BundleModelSource s0 = BundleModelSource.open(registry(tiny), cfg)) {
            QtkFile f0 = new CodecEngine(s0, 0).encodeAll(img, ImageMetadata.EMPTY, options(null).build(),
                    ProgressListener.NONE).fileFor(4);
            IndexGrid measured = TokenCoding.decodeGroups(f0, 4, g -> FrequencyTable.fromCounts(tiny.order0Counts(g)));
            return new Tiny(bytes, tiny, img, cfg, tiny.manifest().codebookSize(), f0.header().tokenColumns(),
                    measured);
        }
    }

    /**
     * The synthetic global model and a 45 x 31 image (6 x 4 tiles of 8) encoded with coder 1 only, four token
     * positions (the groups of a global model).
     */
    record Global(byte[] bundleBytes, ModelBundle bundle, BufferedImage image, QtkConfig config, int k,
                  QtkFile coder1, IndexGrid grid) {
    }

    static Global encodeGlobal() throws IOException {
        byte[] bytes = SyntheticModel.globalBundle();
        ModelBundle gb = ModelBundle.read(bytes, "memory:qtk-synthetic-global");
        QtkConfig cfg = QtkConfig.builder().intraOpThreads(1).build();
        BufferedImage im = TestModels.synthetic(45, 31, BufferedImage.TYPE_3BYTE_BGR);
        try (BundleModelSource s0 = BundleModelSource.open(registry(gb), cfg)) {
            QtkFile f1 = new CodecEngine(s0, 0).encodeAll(im, ImageMetadata.EMPTY, EncodeOptions.builder().quality(1)
                    .build(), ProgressListener.NONE).fileFor(4);
            IndexGrid grid = TokenCoding.decodeGroups(f1, 4, g -> FrequencyTable.fromCounts(gb.order0Counts(g)));
            return new Global(bytes, gb, im, cfg, gb.manifest().codebookSize(), f1, grid);
        }
    }

    /**
     * The global fixture's file with every payload rewritten in {@code coder} and bound to {@code withTables} is a
     * version 1.{@code minor} file with the pixels of the coder-1 file; so is the engine's own choice for
     * {@code withTables}, which is no larger.
     *
     * @param payloads given the model of {@code withTables}, the payload of each group, asked in ascending order
     */
    static void assertGlobalRewriteDecodes(Global g, ModelBundle withTables, int coder, int minor,
            Function<CodecModel, IntFunction<byte[]>> payloads) throws IOException {
        try (BundleModelSource s = BundleModelSource.open(registry(g.bundle(), withTables), g.config())) {
            CodecEngine e = new CodecEngine(s, 0);
            IntFunction<byte[]> payload = payloads.apply(s.forEncode(withTables.name()));
            QtkFile.Builder b = QtkFile.builder(g.coder1().header().toBuilder()
                    .model(ModelId.of(withTables.name(), withTables.version(), withTables.sha256())).build());
            for (TokenStream st : g.coder1().streams()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < st.groupCount(); i++) {
                    p.add(payload.apply(st.firstGroup() + i));
                }
                b.addStream(TokenStream.of(st.firstGroup(), coder, p));
            }
            byte[] rewritten = QtkWriter.toBytes(b.build());
            byte[] coder1 = QtkWriter.toBytes(g.coder1());
            assertEquals(minor, rewritten[9]);
            DecodedImage dn = e.decode(rewritten, DecodeOptions.DEFAULT, ProgressListener.NONE);
            DecodedImage d1 = e.decode(coder1, DecodeOptions.DEFAULT, ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(), dn.image(), "global coder " + coder);
            byte[] chosen = e.encode(g.image(), ImageMetadata.EMPTY, EncodeOptions.builder().model(withTables.name())
                    .quality(1).build(), ProgressListener.NONE);
            GoldenTokensTest.assertPixelsEqual(d1.image(),
                    e.decode(chosen, DecodeOptions.DEFAULT, ProgressListener.NONE).image(), "global, chosen");
            assertTrue(chosen.length <= coder1.length);
        }
    }

    /**
     * The chosen file decodes to the measured indices, and to the pixels of the same image coded with coder 1 only.
     *
     * @return the chosen file decoded
     */
    static DecodedImage assertDecodesLikeCoder1(CodecEngine engine, ModelSource source, IndexGrid measured,
            QtkFile chosen, byte[] coder1, String what) throws IOException {
        int[][] got = indices(source, chosen);
        for (int g = 0; g < measured.groups(); g++) {
            assertArrayEquals(measured.group(g), got[g], "group " + g);
        }
        DecodedImage d = engine.decode(QtkWriter.toBytes(chosen), DecodeOptions.DEFAULT, ProgressListener.NONE);
        DecodedImage d1 = engine.decode(coder1, DecodeOptions.DEFAULT, ProgressListener.NONE);
        GoldenTokensTest.assertPixelsEqual(d1.image(), d.image(), what);
        return d;
    }

    /**
     * Rate control on the exact sizes: each ladder point of {@code a} is its file's length and no larger than the
     * same point of {@code baseline}, and asking {@code engine} for that many bytes gives that very file.
     */
    static void assertLadderIsExact(CodecEngine engine, BufferedImage img, String model, CodecEngine.Encoded a,
            CodecEngine.Encoded baseline) throws IOException {
        for (int g : a.ladder()) {
            byte[] want = QtkWriter.toBytes(a.fileFor(g));
            assertEquals(want.length, a.sizeFor(g), "ladder " + g);
            assertTrue(a.sizeFor(g) <= baseline.sizeFor(g), "ladder " + g);
            long target = a.sizeFor(g);
            byte[] f = engine.encode(img, ImageMetadata.EMPTY, options(model).targetBytes(target).build(),
                    ProgressListener.NONE);
            assertEquals(target, f.length, "target " + target);
            assertEquals(g, QtkReader.read(f).groupsPresent());
            assertArrayEquals(want, f, "target " + target);
        }
    }

    /** @return the format minor version that streams of these coders need (qtk-format.md 9.2), spelled out here */
    static int minorVersionFor(List<TokenStream> streams) {
        int minor = 0;
        for (TokenStream s : streams) {
            minor = Math.max(minor, QtkFormat.minorVersionFor(s.coderId()));
        }
        return minor;
    }

    /**
     * For a file of one group per stream, with streams of the given coders only: every complete prefix
     * ({@link QtkFile#prefix}) has the lowest version its coders need and decodes as the whole file limited to that
     * many groups, and a cut inside each later QTOK decodes the streams before it, marked truncated.
     */
    static void assertPrefixesAndCutsDecode(CodecEngine engine, byte[] full, int... coders) throws IOException {
        QtkFile f = QtkReader.read(full);
        int streams = f.streams().size();
        for (TokenStream s : f.streams()) {
            int id = s.coderId();
            assertTrue(Arrays.stream(coders).anyMatch(c -> c == id), "coder " + id);
        }
        List<DecodedImage> byGroups = new ArrayList<>();
        for (int g = 0; g <= streams; g++) {
            byGroups.add(engine.decode(full, DecodeOptions.builder().maxGroups(Math.max(g, 1)).build(),
                    ProgressListener.NONE));
        }
        for (int k = 1; k <= streams; k++) {
            QtkFile p = f.prefix(k);
            byte[] pb = QtkWriter.toBytes(p);
            assertEquals(minorVersionFor(p.streams()), pb[9], "prefix " + k);
            DecodedImage d = engine.decode(pb, DecodeOptions.DEFAULT, ProgressListener.NONE);
            assertEquals(k, d.groupsDecoded());
            GoldenTokensTest.assertPixelsEqual(byGroups.get(k).image(), d.image(), "prefix " + k);
        }
        int qtoks = GoldenTokenVectors.qtoks(full).size();
        for (int i = 1; i < qtoks; i++) {
            DecodedImage d = engine.decode(GoldenTokenVectors.cutInsideQtok(full, i), DecodeOptions.DEFAULT,
                    ProgressListener.NONE);
            assertTrue(d.info().truncated());
            assertEquals(i, d.groupsDecoded());
            GoldenTokensTest.assertPixelsEqual(byGroups.get(i).image(), d.image(), "cut in stream " + i);
        }
    }

    /**
     * {@code f} bound to {@code without}, a bundle that lacks the tables of {@code coder}, is refused naming the
     * coder, the tables and the bundle; a prefix that ends before the first stream of that coder still decodes.
     */
    static void assertBundleWithoutTablesRefuses(CodecEngine engine, QtkFile f, ModelBundle without, int coder,
            String tables) throws IOException {
        int first = f.streams().stream().filter(s -> s.coderId() == coder).mapToInt(TokenStream::firstGroup)
                .findFirst().orElseThrow();
        QtkFile.Builder b = QtkFile.builder(f.header().toBuilder()
                .model(ModelId.of(without.name(), without.version(), without.sha256())).build());
        f.streams().forEach(b::addStream);
        byte[] alien = QtkWriter.toBytes(b.build());
        QtkException e = assertThrows(QtkException.class,
                () -> engine.decode(alien, DecodeOptions.DEFAULT, ProgressListener.NONE));
        assertMessageNames(e, "coder id " + coder, tables, without.name());
        if (first > 0) {
            DecodedImage d = engine.decode(alien, DecodeOptions.builder().maxGroups(first).build(),
                    ProgressListener.NONE);
            assertEquals(first, d.groupsDecoded());
        }
    }

    // ------------------------------------------------------------------------------- payloads

    /** A stream layout of {@code groups}: streams of 1 to 3 groups, drawn from r. */
    static int[] randomLayout(Random r, int groups) {
        List<Integer> layout = new ArrayList<>();
        for (int left = groups; left > 0; ) {
            int m = 1 + r.nextInt(Math.min(left, 3));
            layout.add(m);
            left -= m;
        }
        return layout.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Decodes the first {@code used} groups of a file, as {@link TokenCoding#decodeGroups} with some tables. */
    interface GroupDecoder {
        IndexGrid decode(QtkFile f, int used) throws IOException;
    }

    /**
     * Decoding any number of groups of f gives the first groups of x, and so does decoding the streams of a
     * complete prefix of f (a truncated file) of 1 to {@code streams} streams, drawn from r.
     */
    static void assertEveryPrefixDecodes(Random r, QtkFile f, int[][] x, GroupDecoder decoder, String where)
            throws IOException {
        for (int used = 0; used <= x.length; used++) {
            IndexGrid got = decoder.decode(f, used);
            assertEquals(used, got.groups());
            for (int g = 0; g < used; g++) {
                assertArrayEquals(x[g], got.group(g), where + " used " + used + " group " + g);
            }
        }
        QtkFile cut = f.prefix(1 + r.nextInt(f.streams().size()));
        IndexGrid got = decoder.decode(cut, cut.groupsPresent());
        for (int g = 0; g < cut.groupsPresent(); g++) {
            assertArrayEquals(x[g], got.group(g));
        }
    }

    /** The message of e names every part (a coder, its tables, the groups that need them, ...). */
    static void assertMessageNames(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    /**
     * Group 1 of f, of a coder that reads the groups before it, decoded after a group 0 whose indices are each one
     * higher (mod K) than x's: other indices than x's, or a corrupt payload naming group 1.
     *
     * @param file a file of the same layout and coders as f for other indices
     */
    static void assertGroup1ReadsGroup0(QtkFile f, int[][] x, int k, Function<int[][], QtkFile> file,
            GroupDecoder decoder) throws IOException {
        int[][] y = {x[0].clone(), x[1]};
        for (int p = 0; p < y[0].length; p++) {
            y[0][p] = (y[0][p] + 1) % k;
        }
        QtkFile other = file.apply(y);
        QtkFile.Builder b = QtkFile.builder(f.header()).addStream(other.streams().get(0))
                .addStream(f.streams().get(1));
        try {
            int[] got = decoder.decode(b.build(), 2).group(1);
            assertFalse(Arrays.equals(x[1], got), "group 1 ignored group 0");
        } catch (QtkFormatException e) {
            assertTrue(e.getMessage().contains("group 1"), e.getMessage());
        }
    }

    /**
     * f, a file of two one-group streams, with group 1's payload replaced by {@code bad} in {@code coder}: decodes to
     * indices in [0, K) or fails naming group 1 and the coder.
     *
     * @return whether it failed (the corruption was detected)
     */
    static boolean corruptGroup1FailsCleanly(QtkFile f, byte[] bad, int coder, int k, GroupDecoder decoder)
            throws IOException {
        QtkFile.Builder fb = QtkFile.builder(f.header()).addStream(f.streams().get(0))
                .addStream(TokenStream.of(1, coder, List.of(bad)));
        try {
            IndexGrid got = decoder.decode(fb.build(), 2);
            for (int v : got.group(1)) {
                assertTrue(v >= 0 && v < k);
            }
            return false;
        } catch (QtkFormatException e) {
            assertMessageNames(e, "group 1", "coder " + coder);
            return true;
        }
    }

    /**
     * A corrupt copy of payload b, drawn from r, of one of four kinds ({@code kind} 0..3): truncated, one bit
     * flipped, random bytes, or all 0xFF (the largest code values).
     */
    static byte[] corrupted(Random r, byte[] b, int kind) {
        byte[] bad;
        switch (kind) {
            case 0 -> bad = Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1 -> {
                bad = b.length == 0 ? new byte[] {(byte) (1 + r.nextInt(255))} : b.clone();
                bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            }
            case 2 -> {
                bad = new byte[r.nextInt(40)];
                r.nextBytes(bad);
            }
            default -> {
                bad = new byte[1 + r.nextInt(20)];
                Arrays.fill(bad, (byte) 0xFF);
            }
        }
        return bad;
    }
}
