package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.Qtk;
import io.qtk.QtkDecoder;
import io.qtk.QtkInfo;
import io.qtk.TestModels;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.TokenStream;
import io.qtk.model.ModelNotFoundException;
import io.qtk.quant.GridQuantiser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token-level conformance vectors of {@code testdata/golden/tokens/} ({@code qtk-format.md} 15.2): the committed
 * files equal the generator's output, and decoding their bytes gives the listed indices (bytes to indices is the
 * conformance direction; it does not involve ONNX). Then, through the real engine and the tiny model: the coders
 * are interchangeable (same indices, same image), truncation decodes as the prefix, and a file whose model hash no
 * bundle has is refused with the model's identity.
 */
class GoldenTokensTest {
    static GoldenTokenVectors.Model model;
    static GoldenTokenVectors.Model contextModel;
    static GoldenTokenVectors.Model channelModel;
    static GoldenTokenVectors.Model predictModel;
    static byte[] contextBundle;
    static byte[] channelBundle;
    static byte[] predictBundle;
    static List<GoldenTokenVectors.Vector> vectors;
    static QtkDecoder decoder;

    @BeforeAll
    static void setUp() throws IOException {
        model = GoldenTokenVectors.model();
        contextBundle = GoldenTokenVectors.contextBundleBytes();
        contextModel = GoldenTokenVectors.Model.of(
                io.qtk.model.ModelBundle.read(contextBundle, GoldenTokenVectors.CONTEXT_MODEL),
                GoldenTokenVectors.CONTEXT_MODEL);
        channelBundle = GoldenTokenVectors.channelBundle(contextBundle);
        channelModel = GoldenTokenVectors.Model.of(
                io.qtk.model.ModelBundle.read(channelBundle, GoldenTokenVectors.CHANNEL_MODEL),
                GoldenTokenVectors.CHANNEL_MODEL);
        predictBundle = GoldenTokenVectors.predictBundle(channelBundle);
        predictModel = GoldenTokenVectors.Model.of(
                io.qtk.model.ModelBundle.read(predictBundle, GoldenTokenVectors.PREDICT_MODEL),
                GoldenTokenVectors.PREDICT_MODEL);
        vectors = GoldenTokenVectors.build(model, contextModel, channelModel, predictModel);
    }

    @AfterAll
    static void tearDown() {
        if (decoder != null) {
            decoder.close();
        }
    }

    static Path dir() {
        return GoldenTokenVectors.repoRoot().resolve("testdata/golden/tokens");
    }

    /** A decoder that finds the test models and the context bundle of the vectors. */
    static QtkDecoder decoder() throws IOException {
        if (decoder == null) {
            List<Path> dirs = new ArrayList<>(TestModels.config(0).modelDirs());
            dirs.add(dir());
            decoder = QtkDecoder.create(io.qtk.QtkConfig.builder().intraOpThreads(1).modelDirs(dirs).build());
        }
        return decoder;
    }

    /** The blocks of the committed {@code expected.txt}, by name (the model block under "model ..."). */
    static Map<String, String> committedBlocks() throws IOException {
        String text = Files.readString(dir().resolve("expected.txt"), StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = text.split("\n(?=== )");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            String name = p.substring(3, p.indexOf('\n'));
            out.put(name, "\n" + p + (p.endsWith("\n") ? "" : "\n"));
        }
        return out;
    }

    static int[][] decode(QtkFile f, GoldenTokenVectors.Model m) throws IOException {
        IndexGrid grid = TokenCoding.decodeGroups(f, f.groupsPresent(), g -> m.tables()[g], m::context,
                m.channel(), m.prediction());
        int[][] out = new int[grid.groups()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = grid.group(g);
        }
        return out;
    }

    @Test
    void committedFilesMatchTheGenerator() throws IOException {
        for (Map.Entry<String, byte[]> e : GoldenTokenVectors.files(model, contextModel, channelModel, predictModel,
                contextBundle, channelBundle, predictBundle, vectors).entrySet()) {
            Path f = dir().resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing; run GoldenTokenVectors.main");
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), f + " differs from the generator");
        }
    }

    @Test
    void committedBytesDecodeToTheExpectedIndices() throws IOException {
        Map<String, String> blocks = committedBlocks();
        for (GoldenTokenVectors.Model m : List.of(model, contextModel, channelModel, predictModel)) {
            StringBuilder mb = new StringBuilder();
            GoldenTokenVectors.modelBlock(mb, m);
            assertEquals(blocks.get("model " + m.path()), mb.toString(), "model block " + m.path());
        }
        assertEquals(vectors.size() + 4, blocks.size());
        for (GoldenTokenVectors.Vector v : vectors) {
            byte[] bytes = Files.readAllBytes(dir().resolve(v.name()));
            QtkFile f = QtkReader.read(bytes);
            assertEquals(f, QtkReader.read(new ByteArrayInputStream(bytes)), v.name());
            int[][] got = decode(f, v.model());
            assertEquals(v.indices().length, got.length, v.name());
            for (int g = 0; g < got.length; g++) {
                assertArrayEquals(v.indices()[g], got[g], v.name() + " group " + g);
            }
            // the committed text, rebuilt from the decoded indices
            assertEquals(blocks.get(v.name()),
                    GoldenTokenVectors.block(v.model(), v.name(), bytes, v.note(), v.source(), f, got), v.name());
            // version 1.4 when a stream of the file has coder 6, 1.3 when one has coder 5, else 1.2 when one has coder
            // 4, else 1.1 when one has coder 3 (section 4); a truncated file keeps the version its writer wrote for
            // the whole file
            boolean ctx = f.streams().stream().anyMatch(s -> s.coderId() == 3);
            boolean ch = f.streams().stream().anyMatch(s -> s.coderId() == 4);
            boolean pr = f.streams().stream().anyMatch(s -> s.coderId() == 5);
            boolean ad = f.streams().stream().anyMatch(s -> s.coderId() == 6);
            boolean mixed5 = v.name().startsWith("tiny-predict-mixed") || v.name().equals("tiny-predict-truncated.qtk");
            assertEquals(1, bytes[8], v.name());
            assertEquals(ad ? 4 : pr || mixed5 ? 3 : ch ? 2 : ctx ? 1 : 0, bytes[9], v.name());
            assertEquals(v.name().startsWith("tiny-predict-adaptive-"), ad, v.name());
            assertEquals(v.name().startsWith("tiny-predict-") && !v.name().equals("tiny-predict-truncated.qtk")
                    && !v.name().startsWith("tiny-predict-adaptive-rgb"), pr, v.name());
            assertEquals(v.name().startsWith("tiny-channel-") || mixed5, ch, v.name());
            assertEquals(v.name().startsWith("tiny-context-") || v.name().startsWith("tiny-channel-mixed")
                    || v.name().equals("tiny-channel-truncated.qtk") || mixed5, ctx, v.name());
        }
    }

    @Test
    void theContextBundleIsTheTinyModelWithContextTables() throws IOException {
        io.qtk.model.ModelBundle tiny = io.qtk.model.ModelBundle.read(
                GoldenTokenVectors.repoRoot().resolve(GoldenTokenVectors.MODEL));
        io.qtk.model.ModelBundle ctx = io.qtk.model.ModelBundle.read(dir().resolve("qtk-test-tiny-ctx.qtkm"));
        assertTrue(ctx.hasContextTables());
        assertEquals(GoldenTokenVectors.CONTEXT_MODEL_NAME, ctx.name());
        assertEquals(tiny.version(), ctx.version());
        assertArrayEquals(tiny.encoderOnnx(), ctx.encoderOnnx());
        assertArrayEquals(tiny.decoderOnnx(), ctx.decoderOnnx());
        assertEquals(tiny.codebooks(), ctx.codebooks());
        for (int g = 0; g < tiny.manifest().groups(); g++) {
            assertArrayEquals(tiny.order0Counts(g), ctx.order0Counts(g));
        }
        assertEquals(tiny.manifest().properties().size() + 2, ctx.manifest().properties().size());
        // the vectors' indices follow the context tables: coder 3 beats coder 1 on them
        for (GoldenTokenVectors.Vector v : vectors) {
            if (!v.name().equals("tiny-context-rgb-132x92.qtk")) {
                continue;
            }
            QtkFile f = QtkReader.read(v.bytes());
            for (int g = 0; g < 4; g++) {
                int c1 = TokenCoding.encode(1, v.indices()[g], 16, contextModel.tables()[g]).length;
                assertTrue(f.streams().get(g).payloadLength(0) < c1, "group " + g + ": coder 3 "
                        + f.streams().get(g).payloadLength(0) + " bytes, coder 1 " + c1);
            }
        }
    }

    @Test
    void theChannelBundleIsTheContextBundleWithChannelTables() throws IOException {
        io.qtk.model.ModelBundle ctx = io.qtk.model.ModelBundle.read(dir().resolve("qtk-test-tiny-ctx.qtkm"));
        io.qtk.model.ModelBundle ch = io.qtk.model.ModelBundle.read(dir().resolve("qtk-test-tiny-ch.qtkm"));
        assertTrue(ch.hasChannelTables());
        assertTrue(ch.hasContextTables());
        assertEquals(GoldenTokenVectors.CHANNEL_MODEL_NAME, ch.name());
        assertArrayEquals(ctx.encoderOnnx(), ch.encoderOnnx());
        assertEquals(ctx.codebooks(), ch.codebooks());
        for (int g = 0; g < ctx.manifest().groups(); g++) {
            assertArrayEquals(ctx.order0Counts(g), ch.order0Counts(g));
            assertArrayEquals(ctx.contextClasses(g), ch.contextClasses(g));
            assertArrayEquals(ctx.contextCounts(g), ch.contextCounts(g));
        }
        assertEquals(ctx.manifest().properties().size() + 4, ch.manifest().properties().size());
        assertEquals(GoldenTokenVectors.CHANNEL_WINDOW, ch.manifest().channelWindow());
        assertArrayEquals(GoldenTokenVectors.CHANNEL_THRESHOLDS, ch.manifest().channelThresholds());
        // the weights are the floor of the quarter-bit surprisals; every context of groups >= 1 occurs in the vectors
        for (int g = 0; g < 4; g++) {
            long[] c = ch.order0Counts(g);
            long total = java.util.Arrays.stream(c).sum();
            for (int s = 0; s < 16; s++) {
                double q = 4 * (Math.log(total / (double) c[s]) / Math.log(2));
                assertEquals((int) Math.floor(q + 1e-9), ch.channelWeights(g)[s], "group " + g + " codeword " + s);
            }
        }
        // the vectors' indices follow the channel tables: coder 4 beats coder 1 on the groups after the first
        for (GoldenTokenVectors.Vector v : vectors) {
            if (!v.name().equals("tiny-channel-rgb-96x64.qtk")) {
                continue;
            }
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            for (int g = 1; g < 4; g++) {
                for (int p = 0; p < v.indices()[g].length; p++) {
                    seen.add(channelModel.channel().context(v.indices(), g, p));
                }
            }
            assertEquals(java.util.Set.of(1, 2, 3, 4, 5), seen, "contexts used");
            IndexGrid grid = new IndexGrid(4, v.indices()[0].length, 16);
            for (int g = 0; g < 4; g++) {
                grid.setGroup(g, v.indices()[g]);
            }
            ChannelTables.Window w = channelModel.channel().newWindow(grid.positions());
            for (int g = 1; g < 4; g++) {
                int c1 = TokenCoding.encode(1, v.indices()[g], 16, channelModel.tables()[g]).length;
                int c4 = TokenCoding.encode(4, v.indices()[g], 16, 24, null, null,
                        channelModel.channel().model(g, w.contexts(grid, g, new int[grid.positions()]))).length;
                assertTrue(c4 < c1, "group " + g + ": coder 4 " + c4 + " bytes, coder 1 " + c1);
            }
        }
    }

    @Test
    void thePredictBundleIsTheChannelBundleWithPredictionTables() throws IOException {
        io.qtk.model.ModelBundle ch = io.qtk.model.ModelBundle.read(dir().resolve("qtk-test-tiny-ch.qtkm"));
        io.qtk.model.ModelBundle pr = io.qtk.model.ModelBundle.read(dir().resolve("qtk-test-tiny-pred.qtkm"));
        assertTrue(pr.hasPredictionTables() && pr.hasChannelTables() && pr.hasContextTables());
        assertEquals(GoldenTokenVectors.PREDICT_MODEL_NAME, pr.name());
        assertArrayEquals(ch.encoderOnnx(), pr.encoderOnnx());
        assertEquals(ch.codebooks(), pr.codebooks());
        for (int g = 0; g < ch.manifest().groups(); g++) {
            assertArrayEquals(ch.order0Counts(g), pr.order0Counts(g));
            assertArrayEquals(ch.contextCounts(g), pr.contextCounts(g));
            assertArrayEquals(ch.channelWeights(g), pr.channelWeights(g));
            assertArrayEquals(ch.channelCounts(g), pr.channelCounts(g));
            assertArrayEquals(GoldenTokenVectors.PREDICT_COEFFICIENTS[g], pr.predictionCoefficients(g));
        }
        assertEquals(ch.manifest().properties().size() + 5, pr.manifest().properties().size());
        assertEquals(GoldenTokenVectors.PREDICT_WINDOW, pr.manifest().predictWindow());
        assertEquals(GoldenTokenVectors.PREDICT_SHIFT, pr.manifest().predictShift());
        assertArrayEquals(GoldenTokenVectors.PREDICT_ACTIVITY, pr.manifest().predictActivity());
        assertEquals(18, pr.manifest().predictContexts());
        // the vectors' indices follow the prediction tables: coder 5 beats coders 1 and 4 on every group, and the
        // large vector visits every activity class
        for (GoldenTokenVectors.Vector v : vectors) {
            if (!v.name().equals("tiny-predict-rgb-96x64.qtk")) {
                continue;
            }
            int n = v.indices()[0].length;
            IndexGrid grid = new IndexGrid(4, n, 16);
            for (int g = 0; g < 4; g++) {
                grid.setGroup(g, v.indices()[g]);
            }
            PredictionTables.Coder coder = predictModel.prediction().newCoder(n, 24);
            ChannelTables.Window w = predictModel.channel().newWindow(n);
            java.util.Set<Integer> classes = new java.util.TreeSet<>();
            int[] ctx = new int[n];
            int[] sym = new int[n];
            for (int g = 0; g < 4; g++) {
                int c1 = TokenCoding.encode(1, v.indices()[g], 16, predictModel.tables()[g]).length;
                int c4 = TokenCoding.encode(4, v.indices()[g], 16, 24, null, null,
                        predictModel.channel().model(g, w.contexts(grid, g, new int[n]))).length;
                coder.symbols(grid, g, ctx, sym);
                for (int c : ctx) {
                    classes.add(c % 3);
                }
                int c5 = predictModel.prediction().newCoder(n, 24).encode(grid, g).length;
                assertTrue(c5 < c1 && c5 < c4, "group " + g + ": coder 5 " + c5 + " bytes, coder 1 " + c1
                        + ", coder 4 " + c4);
            }
            assertEquals(java.util.Set.of(0, 1, 2), classes, "activity classes used");
        }
    }

    @Test
    void theSpecsLatentIsTheQuantisersLatent() throws IOException {
        for (GoldenTokenVectors.Vector v : vectors) {
            GridQuantiser q = new GridQuantiser(v.model().codebooks());
            QtkFile f = QtkReader.read(v.bytes());
            int n = Math.toIntExact(f.header().tokensPerGroup());
            float[] engine = new float[q.channels() * n];
            q.dequantise(decode(f, v.model()), f.groupsPresent(), engine);
            float[] spec = GoldenTokenVectors.latent(v.model(), f.header(), v.indices());
            assertArrayEquals(spec, engine, v.name());
        }
    }

    @Test
    void coderIdsAreInterchangeableInTheEngine() throws IOException {
        for (GoldenTokenVectors.Vector v : vectors) {
            QtkFile f = QtkReader.read(v.bytes());
            if (f.truncated() || f.streams().stream().allMatch(s -> s.coderId() == 1)) {
                continue;
            }
            // the same indices, all coder 1: must give the same pixels
            QtkFile.Builder b = QtkFile.builder(f.header());
            for (TokenStream s : f.streams()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < s.groupCount(); i++) {
                    int g = s.firstGroup() + i;
                    p.add(TokenCoding.encode(1, v.indices()[g], v.model().k(), v.model().tables()[g]));
                }
                b.addStream(TokenStream.of(s.firstGroup(), 1, p));
            }
            BufferedImage a = decoder().decode(v.bytes(), DecodeOptions.DEFAULT).image();
            BufferedImage c = decoder().decode(QtkWriter.toBytes(b.build()), DecodeOptions.DEFAULT).image();
            assertPixelsEqual(c, a, v.name());
        }
    }

    @Test
    void truncatedVectorDecodesAsItsPrefix() throws IOException {
        for (String[] pair : new String[][] {{"tiny-mixed-rgb-40x28.qtk", "tiny-mixed-truncated.qtk", "2"},
            {"tiny-context-rgb-44x24.qtk", "tiny-context-truncated.qtk", "2"},
            {"tiny-channel-mixed-rgb-44x24.qtk", "tiny-channel-truncated.qtk", "3"},
            {"tiny-predict-mixed-rgb-44x24.qtk", "tiny-predict-truncated.qtk", "3"}}) {
            byte[] full = Files.readAllBytes(dir().resolve(pair[0]));
            byte[] cut = Files.readAllBytes(dir().resolve(pair[1]));
            int present = Integer.parseInt(pair[2]);
            DecodedImage t = decoder().decode(cut, DecodeOptions.DEFAULT);
            assertTrue(t.info().truncated());
            assertEquals(present, t.groupsDecoded());
            DecodedImage p = decoder().decode(full, DecodeOptions.builder().maxGroups(present).build());
            assertPixelsEqual(p.image(), t.image(), pair[1]);
        }
    }

    @Test
    void aModelHashNoBundleHasIsRefusedNamingTheModel() throws IOException {
        byte[] bytes = Files.readAllBytes(dir().resolve("tiny-static-rgb-12x8.qtk"));
        QtkFile f = QtkReader.read(bytes);
        ModelId id = f.header().model();
        String otherHash = "00" + id.sha256Hex().substring(2);
        List<ModelId> wrong = List.of(
                ModelId.of(id.name(), id.version(), otherHash),      // right name and version, other hash
                ModelId.of(id.name(), "2", id.sha256Hex()),          // right hash, other version
                ModelId.of("qtk-test-other", id.version(), id.sha256Hex()));
        for (ModelId m : wrong) {
            QtkFile.Builder b = QtkFile.builder(f.header().toBuilder().model(m).build());
            f.streams().forEach(b::addStream);
            byte[] alien = QtkWriter.toBytes(b.build());
            QtkInfo info = Qtk.info(alien); // the header alone needs no model
            assertEquals(m.name(), info.modelName());
            ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                    () -> decoder().decode(alien, DecodeOptions.DEFAULT), m.toString());
            for (String part : List.of(m.name(), m.version(), m.sha256Hex())) {
                assertTrue(e.getMessage().contains(part), e.getMessage());
            }
        }
    }

    static void assertPixelsEqual(BufferedImage want, BufferedImage got, String what) {
        assertEquals(want.getWidth(), got.getWidth(), what);
        assertEquals(want.getHeight(), got.getHeight(), what);
        for (int y = 0; y < want.getHeight(); y++) {
            for (int x = 0; x < want.getWidth(); x++) {
                if (want.getRGB(x, y) != got.getRGB(x, y)) {
                    throw new AssertionError(what + ": pixel " + x + "," + y + " differs");
                }
            }
        }
    }
}
