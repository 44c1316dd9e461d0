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
    static List<GoldenTokenVectors.Vector> vectors;
    static QtkDecoder decoder;

    @BeforeAll
    static void setUp() throws IOException {
        model = GoldenTokenVectors.model();
        vectors = GoldenTokenVectors.build(model);
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

    static QtkDecoder decoder() throws IOException {
        if (decoder == null) {
            decoder = QtkDecoder.create(TestModels.config(0));
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

    static int[][] decode(QtkFile f) throws IOException {
        IndexGrid grid = TokenCoding.decodeGroups(f, f.groupsPresent(), g -> model.tables()[g]);
        int[][] out = new int[grid.groups()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = grid.group(g);
        }
        return out;
    }

    @Test
    void committedFilesMatchTheGenerator() throws IOException {
        for (Map.Entry<String, byte[]> e : GoldenTokenVectors.files(model, vectors).entrySet()) {
            Path f = dir().resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing; run GoldenTokenVectors.main");
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), f + " differs from the generator");
        }
    }

    @Test
    void committedBytesDecodeToTheExpectedIndices() throws IOException {
        Map<String, String> blocks = committedBlocks();
        StringBuilder mb = new StringBuilder();
        GoldenTokenVectors.modelBlock(mb, model);
        assertEquals(blocks.get("model " + GoldenTokenVectors.MODEL), mb.toString(), "model block");
        assertEquals(vectors.size() + 1, blocks.size());
        for (GoldenTokenVectors.Vector v : vectors) {
            byte[] bytes = Files.readAllBytes(dir().resolve(v.name()));
            QtkFile f = QtkReader.read(bytes);
            assertEquals(f, QtkReader.read(new ByteArrayInputStream(bytes)), v.name());
            int[][] got = decode(f);
            assertEquals(v.indices().length, got.length, v.name());
            for (int g = 0; g < got.length; g++) {
                assertArrayEquals(v.indices()[g], got[g], v.name() + " group " + g);
            }
            // the committed text, rebuilt from the decoded indices
            assertEquals(blocks.get(v.name()),
                    GoldenTokenVectors.block(model, v.name(), bytes, v.note(), v.source(), f, got), v.name());
        }
    }

    @Test
    void theSpecsLatentIsTheQuantisersLatent() throws IOException {
        GridQuantiser q = new GridQuantiser(model.codebooks());
        for (GoldenTokenVectors.Vector v : vectors) {
            QtkFile f = QtkReader.read(v.bytes());
            int n = Math.toIntExact(f.header().tokensPerGroup());
            float[] engine = new float[q.channels() * n];
            q.dequantise(decode(f), f.groupsPresent(), engine);
            float[] spec = GoldenTokenVectors.latent(model, f.header(), v.indices());
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
                    p.add(TokenCoding.encode(1, v.indices()[g], model.k(), model.tables()[g]));
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
        byte[] full = Files.readAllBytes(dir().resolve("tiny-mixed-rgb-40x28.qtk"));
        byte[] cut = Files.readAllBytes(dir().resolve("tiny-mixed-truncated.qtk"));
        DecodedImage t = decoder().decode(cut, DecodeOptions.DEFAULT);
        assertTrue(t.info().truncated());
        assertEquals(2, t.groupsDecoded());
        DecodedImage p = decoder().decode(full, DecodeOptions.builder().maxGroups(2).build());
        assertPixelsEqual(p.image(), t.image(), "truncated");
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
