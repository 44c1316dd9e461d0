package io.qtk.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelBundleTest {

    private static InvalidModelException invalid(byte[] bytes, String expectedFragment) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelBundle.read(bytes, "t.qtkm"));
        assertTrue(e.getMessage().contains(expectedFragment),
                "message should mention '" + expectedFragment + "': " + e.getMessage());
        assertTrue(e.getMessage().startsWith("t.qtkm"), "message should name the bundle: " + e.getMessage());
        return e;
    }

    @Test
    void readsAValidBundle() throws Exception {
        TestBundles t = new TestBundles();
        t.order0[5] = 0xFFFFFFFF; // uint32 max: must read as 4294967295, not -1
        byte[] bytes = t.zip().add("README.txt", "hello".getBytes()).add("entropy/future.bin", new byte[3]).build();
        ModelBundle b = ModelBundle.read(bytes, "t.qtkm");
        assertEquals("test-model", b.name());
        assertEquals("1", b.version());
        assertEquals(ModelManifest.Quantiser.GRID, b.manifest().quantiser());
        assertEquals(2, b.manifest().groups());
        assertEquals(4, b.manifest().codebookSize());
        assertEquals(2, b.manifest().codebookDim());
        assertEquals(4, b.manifest().latentChannels());
        assertEquals(4, b.manifest().gridFactor());
        assertEquals(8, b.manifest().halo());
        assertArrayEquals(new int[] {1, 2}, b.ladder());
        assertEquals("image", b.manifest().encoderInput());
        assertEquals("latent", b.manifest().decoderInput());
        assertEquals("7", b.manifest().withPrefix("training.").get("training.seed"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), b.sha256Hex());
        assertEquals(bytes.length, b.size());
        assertEquals(2, b.codebooks().size());
        assertEquals(t.codebooks[4 * 2 + 3], b.codebook(1).get(1, 1));
        assertEquals(4294967295L, b.order0Count(1, 1));
        assertEquals(1L, b.order0Count(0, 0));
        assertArrayEquals(new long[] {5, 4294967295L, 7, 8}, b.order0Counts(1));
        assertArrayEquals(t.encoder, b.encoderOnnx());
        assertArrayEquals(t.decoder, b.decoderOnnx());
        assertTrue(b.entryNames().contains("entropy/future.bin"));
        b.encoderOnnx()[0] = 0; // copies: the bundle stays intact
        assertArrayEquals(t.encoder, b.encoderOnnx());
    }

    @Test
    void readsStoredEntriesGlobalModelsAndMinorFormatVersions() throws Exception {
        TestBundles t = new TestBundles();
        t.manifest.put("format", "qtk-model-bundle/1.3");
        t.manifest.put("quantiser", "global");
        t.manifest.remove("latent.channels");
        t.manifest.remove("grid.factor");
        t.manifest.put("global.tile", "128");
        ZipBuilder z = new ZipBuilder();
        z.add(ModelBundle.MANIFEST, t.manifestBytes(), false);
        z.add(ModelBundle.ENCODER, t.encoder, false);
        z.add(ModelBundle.DECODER, t.decoder, false);
        z.add(ModelBundle.CODEBOOKS, TestBundles.floatsLe(t.codebooks), false);
        z.add(ModelBundle.ORDER0, TestBundles.intsLe(t.order0), false);
        ModelBundle b = ModelBundle.read(z.build(), "t.qtkm");
        assertEquals(ModelManifest.Quantiser.GLOBAL, b.manifest().quantiser());
        assertEquals(128, b.manifest().globalTile());
        assertEquals(0, b.manifest().latentChannels());
    }

    @Test
    void readsFromFileAndClassPath(@TempDir Path dir) throws Exception {
        byte[] bytes = new TestBundles().bytes();
        Path f = dir.resolve("m.qtkm");
        Files.write(f, bytes);
        ModelBundle fromFile = ModelBundle.read(f);
        assertEquals(f.toString(), fromFile.source());
        assertEquals(fromFile.manifest(), ModelBundle.readManifest(f));
        Path res = dir.resolve("cp/io/qtk/test");
        Files.createDirectories(res);
        Files.write(res.resolve("m.qtkm"), bytes);
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, null)) {
            ModelBundle fromRes = ModelBundle.readResource(cl, "io/qtk/test/m.qtkm");
            assertEquals(fromFile.sha256Hex(), fromRes.sha256Hex());
            assertEquals("classpath:io/qtk/test/m.qtkm", fromRes.source());
            assertThrows(java.io.FileNotFoundException.class, () -> ModelBundle.readResource(cl, "nope.qtkm"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"manifest.properties", "encoder.onnx", "decoder.onnx", "codebooks.bin",
        "entropy/order0.bin"})
    void missingRequiredEntry(String missing) {
        TestBundles t = new TestBundles();
        ZipBuilder z = new ZipBuilder();
        if (!missing.equals(ModelBundle.MANIFEST)) {
            z.add(ModelBundle.MANIFEST, t.manifestBytes());
        }
        if (!missing.equals(ModelBundle.ENCODER)) {
            z.add(ModelBundle.ENCODER, t.encoder);
        }
        if (!missing.equals(ModelBundle.DECODER)) {
            z.add(ModelBundle.DECODER, t.decoder);
        }
        if (!missing.equals(ModelBundle.CODEBOOKS)) {
            z.add(ModelBundle.CODEBOOKS, TestBundles.floatsLe(t.codebooks));
        }
        if (!missing.equals(ModelBundle.ORDER0)) {
            z.add(ModelBundle.ORDER0, TestBundles.intsLe(t.order0));
        }
        invalid(z.build(), "required entry '" + missing + "' is missing");
    }

    @Test
    void arraySizesMustMatchTheManifest() {
        TestBundles t = new TestBundles();
        t.codebooks = new float[15];
        invalid(t.bytes(), "entry 'codebooks.bin' has 60 bytes, the manifest implies 64");
        t = new TestBundles();
        t.order0 = new int[9];
        invalid(t.bytes(), "entry 'entropy/order0.bin' has 36 bytes, the manifest implies 32");
        t = new TestBundles();
        t.manifest.put("codebook.size", "8"); // arrays are for K=4
        invalid(t.bytes(), "the manifest implies 128");
    }

    @Test
    void arrayValuesAreChecked() {
        TestBundles t = new TestBundles();
        t.order0[6] = 0;
        invalid(t.bytes(), "count of group 1 index 2 is 0");
        t = new TestBundles();
        t.codebooks[3] = Float.NaN;
        invalid(t.bytes(), "codebooks.bin: codeword 1 component 1 is not finite");
    }

    @Test
    void readsContextTables() throws Exception {
        TestBundles t = new TestBundles().withContextTables();
        t.context[25 * 4 + 3 * 4 + 2] = 0xFFFFFFFF; // group 1, context 3, index 2: uint32 max
        ModelBundle b = ModelBundle.read(t.bytes(), "t.qtkm");
        assertTrue(b.hasContextTables());
        assertEquals("grid-neighbours-4", b.manifest().contextSelector());
        assertArrayEquals(new int[] {0, 1, 2, 3}, b.contextClasses(0));
        assertArrayEquals(new int[] {3, 2, 1, 0}, b.contextClasses(1));
        long[][] c1 = b.contextCounts(1);
        assertEquals(25, c1.length);
        assertEquals(4294967295L, c1[3][2]);
        assertEquals(Integer.toUnsignedLong(t.context[25 * 4 + 24 * 4 + 1]), c1[24][1]);
        assertEquals(t.context[5], b.contextCounts(0)[1][1]);
        assertThrows(IndexOutOfBoundsException.class, () -> b.contextCounts(2));
        // and without them
        ModelBundle plain = ModelBundle.read(new TestBundles().bytes(), "t.qtkm");
        assertFalse(plain.hasContextTables());
        assertEquals(null, plain.manifest().contextSelector());
        assertThrows(IllegalStateException.class, () -> plain.contextClasses(0));
    }

    @Test
    void contextTablesComeTogether() {
        TestBundles t = new TestBundles().withContextTables();
        t.context = null;
        invalid(t.bytes(), "entry 'entropy/context.bin' is missing");
        t = new TestBundles().withContextTables();
        t.classes = null;
        invalid(t.bytes(), "entry 'entropy/classes.bin' is missing");
        t = new TestBundles().withContextTables();
        t.manifest.remove("entropy.context");
        invalid(t.bytes(), "manifest key 'entropy.context' is missing");
        t = new TestBundles().withContextTables();
        t.classes = null;
        t.context = null;
        invalid(t.bytes(), "entry 'entropy/classes.bin' and entry 'entropy/context.bin' are missing");
        t = new TestBundles().withContextTables();
        t.manifest.remove("entropy.context");
        t.context = null;
        invalid(t.bytes(), "entry 'entropy/context.bin' and manifest key 'entropy.context' are missing");
    }

    @Test
    void contextTableSizesAndValuesAreChecked() {
        TestBundles t = new TestBundles().withContextTables();
        t.classes = new byte[9];
        invalid(t.bytes(), "entry 'entropy/classes.bin' has 9 bytes, the manifest implies 8");
        t = new TestBundles().withContextTables();
        t.classes = new byte[7];
        invalid(t.bytes(), "entry 'entropy/classes.bin' has 7 bytes, the manifest implies 8");
        t = new TestBundles().withContextTables();
        t.context = new int[2 * 25 * 4 - 1];
        invalid(t.bytes(), "entry 'entropy/context.bin' has 796 bytes, the manifest implies 800");
        t = new TestBundles().withContextTables();
        t.context = new int[2 * 4 * 4]; // an order-0-sized table
        invalid(t.bytes(), "entry 'entropy/context.bin' has 128 bytes, the manifest implies 800");
        t = new TestBundles().withContextTables();
        t.classes[6] = 4;
        invalid(t.bytes(), "entropy/classes.bin: class of group 1 index 2 is 4 (must be 0..3)");
        t = new TestBundles().withContextTables();
        t.classes[0] = (byte) 0xFF;
        invalid(t.bytes(), "entropy/classes.bin: class of group 0 index 0 is 255");
        t = new TestBundles().withContextTables();
        t.context[25 * 4 + 7 * 4 + 3] = 0;
        invalid(t.bytes(), "entropy/context.bin: count of group 1 context 7 index 3 is 0 (must be >= 1)");
        // a declared size beyond what the manifest implies is refused before anything is inflated
        TestBundles big = new TestBundles().withContextTables();
        ZipBuilder z = big.zip();
        z.last().declaredSize = ModelBundle.MAX_ENTRY_SIZE;
        invalid(z.build(), "entry 'entropy/context.bin' has " + ModelBundle.MAX_ENTRY_SIZE + " bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grid-neighbours-5", "Grid-Neighbours-4", "previous-symbol", "grid-neighbours-4 x"})
    void unknownContextSelector(String value) {
        TestBundles t = new TestBundles().withContextTables();
        t.manifest.put("entropy.context", value);
        InvalidModelException e = invalid(t.bytes(), "manifest key 'entropy.context' = '" + value + "'");
        assertTrue(e.getMessage().contains("unknown context selector"), e.getMessage());
        // the key alone is checked too
        t.classes = null;
        t.context = null;
        invalid(t.bytes(), "manifest key 'entropy.context'");
    }

    @Test
    void contextKeyMayNotBeEmpty() {
        TestBundles t = new TestBundles().withContextTables();
        t.manifest.put("entropy.context", " ");
        invalid(t.bytes(), "manifest key 'entropy.context' is empty");
    }

    @Test
    void readsChannelTables() throws Exception {
        TestBundles t = new TestBundles().withChannelTables().withContextTables();
        t.channel[4 * 4 + 3 * 4 + 2] = 0xFFFFFFFF; // group 1, context 3, index 2: uint32 max
        ModelBundle b = ModelBundle.read(t.bytes(), "t.qtkm");
        assertTrue(b.hasChannelTables());
        assertTrue(b.hasContextTables());
        ModelManifest m = b.manifest();
        assertEquals("previous-groups", m.channelSelector());
        assertEquals(3, m.channelWindow());
        assertArrayEquals(new int[] {2, 5}, m.channelThresholds());
        assertEquals(4, m.channelContexts());
        assertArrayEquals(new int[] {1, 2, 3, 4}, b.channelWeights(0));
        assertArrayEquals(new int[] {8, 6, 4, 255}, b.channelWeights(1));
        long[][] c1 = b.channelCounts(1);
        assertEquals(4, c1.length);
        assertEquals(4294967295L, c1[3][2]);
        assertEquals(t.channel[4 * 4 + 2 * 4 + 1], c1[2][1]);
        assertEquals(t.channel[5], b.channelCounts(0)[1][1]);
        assertThrows(IndexOutOfBoundsException.class, () -> b.channelCounts(2));
        // the bundle as the engine uses it
        io.qtk.codec.ChannelTables ct = io.qtk.codec.ChannelTables.fromCounts(m.channelWindow(),
                m.channelThresholds(), new int[][] {b.channelWeights(0), b.channelWeights(1)},
                new long[][][] {b.channelCounts(0), c1});
        assertEquals(4, ct.contexts());
        // without them
        ModelBundle plain = ModelBundle.read(new TestBundles().withContextTables().bytes(), "t.qtkm");
        assertFalse(plain.hasChannelTables());
        assertEquals(null, plain.manifest().channelSelector());
        assertEquals(0, plain.manifest().channelContexts());
        assertThrows(IllegalStateException.class, () -> plain.channelWeights(0));
        assertThrows(IllegalStateException.class, () -> plain.channelCounts(0));
    }

    @Test
    void channelTablesComeTogether() {
        TestBundles t = new TestBundles().withChannelTables();
        t.channel = null;
        invalid(t.bytes(), "entry 'entropy/channel.bin' is missing");
        t = new TestBundles().withChannelTables();
        t.weights = null;
        invalid(t.bytes(), "entry 'entropy/weights.bin' is missing");
        t = new TestBundles().withChannelTables();
        t.manifest.remove("entropy.channel");
        t.manifest.remove("entropy.channel.window");
        t.manifest.remove("entropy.channel.thresholds");
        invalid(t.bytes(), "manifest key 'entropy.channel' is missing");
        t = new TestBundles().withChannelTables();
        t.weights = null;
        t.channel = null;
        invalid(t.bytes(), "entry 'entropy/weights.bin' and entry 'entropy/channel.bin' are missing");
        // the keys without the entries, or without each other
        t = new TestBundles().withChannelTables();
        t.manifest.remove("entropy.channel.window");
        invalid(t.bytes(), "manifest key 'entropy.channel.window' is missing");
        t = new TestBundles().withChannelTables();
        t.manifest.remove("entropy.channel.thresholds");
        invalid(t.bytes(), "manifest key 'entropy.channel.thresholds' is missing");
        t = new TestBundles();
        t.manifest.put("entropy.channel.window", "3");
        invalid(t.bytes(), "manifest key 'entropy.channel.window' = '3': given without 'entropy.channel'");
        t = new TestBundles();
        t.manifest.put("entropy.channel.thresholds", "1,2");
        invalid(t.bytes(), "manifest key 'entropy.channel.thresholds' = '1,2': given without 'entropy.channel'");
    }

    @Test
    void channelTableSizesAndValuesAreChecked() throws Exception {
        TestBundles t = new TestBundles().withChannelTables();
        t.weights = new byte[9];
        invalid(t.bytes(), "entry 'entropy/weights.bin' has 9 bytes, the manifest implies 8");
        t = new TestBundles().withChannelTables();
        t.channel = new int[2 * 4 * 4 - 1];
        invalid(t.bytes(), "entry 'entropy/channel.bin' has 124 bytes, the manifest implies 128");
        // C follows the thresholds: one more threshold, one more table per group
        t = new TestBundles().withChannelTables();
        t.manifest.put("entropy.channel.thresholds", "2,5,9");
        invalid(t.bytes(), "entry 'entropy/channel.bin' has 128 bytes, the manifest implies 160");
        t.channel = new int[2 * 5 * 4];
        java.util.Arrays.fill(t.channel, 1);
        assertEquals(5, ModelBundle.read(t.bytes(), "t").manifest().channelContexts());
        TestBundles z = new TestBundles().withChannelTables();
        z.channel[4 * 4 + 2 * 4 + 3] = 0;
        invalid(z.bytes(), "entropy/channel.bin: count of group 1 context 2 index 3 is 0 (must be >= 1)");
        // a declared size beyond what the manifest implies is refused before anything is inflated
        TestBundles big = new TestBundles().withChannelTables();
        ZipBuilder zb = big.zip();
        zb.last().declaredSize = ModelBundle.MAX_ENTRY_SIZE;
        invalid(zb.build(), "entry 'entropy/channel.bin' has " + ModelBundle.MAX_ENTRY_SIZE + " bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "entropy.channel|previous-group|unknown channel context rule",
        "entropy.channel|Previous-Groups|unknown channel context rule",
        "entropy.channel|grid-neighbours-4|unknown channel context rule",
        "entropy.channel.window|0|out of range [1, 255]",
        "entropy.channel.window|256|out of range [1, 255]",
        "entropy.channel.window|-1|decimal integer",
        "entropy.channel.thresholds|5,2|strictly ascending",
        "entropy.channel.thresholds|2,2|strictly ascending",
        "entropy.channel.thresholds|0,2|threshold 0 outside [1, 65535]",
        "entropy.channel.thresholds|2,65536|threshold 65536 outside [1, 65535]",
        "entropy.channel.thresholds|2,,5|comma-separated decimal integers",
        "entropy.channel.thresholds|2;5|comma-separated decimal integers",
        "entropy.channel.thresholds|2,5,|comma-separated decimal integers",
        "entropy.channel.thresholds|0x2|comma-separated decimal integers",
    })
    void badChannelKeys(String key, String value, String why) {
        TestBundles t = new TestBundles().withChannelTables();
        t.manifest.put(key, value);
        InvalidModelException e = invalid(t.bytes(), "manifest key '" + key + "' = '" + value + "'");
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void channelThresholdsAtMost62() throws Exception {
        StringBuilder ok = new StringBuilder("1");
        for (int i = 2; i <= 62; i++) {
            ok.append(',').append(i);
        }
        TestBundles t = new TestBundles().withChannelTables();
        t.manifest.put("entropy.channel.thresholds", ok.toString());
        t.channel = new int[2 * 64 * 4];
        java.util.Arrays.fill(t.channel, 1);
        assertEquals(64, ModelBundle.read(t.bytes(), "t").manifest().channelContexts());
        t.manifest.put("entropy.channel.thresholds", ok + ",63");
        invalid(t.bytes(), "63 thresholds, at most 62");
    }

    @Test
    void readsPredictionTables() throws Exception {
        TestBundles t = new TestBundles().withPredictionTables();
        t.residual[12 * 4 + 11 * 4 + 3] = 0xFFFFFFFF; // group 1, context 11, index 3: uint32 max
        ModelBundle b = ModelBundle.read(t.bytes(), "t.qtkm");
        assertTrue(b.hasPredictionTables());
        assertTrue(b.hasChannelTables());
        ModelManifest m = b.manifest();
        assertEquals("linear-previous-groups-and-neighbours", m.predictSelector());
        assertEquals(2, m.predictWindow());
        assertEquals(12, m.predictShift());
        assertArrayEquals(new int[] {1, 3}, m.predictActivity());
        assertEquals(12, m.predictContexts());
        assertArrayEquals(new int[] {0, 0, 2048, 1024, -512, 0, 7}, b.predictionCoefficients(0));
        assertArrayEquals(new int[] {0, 4096, 0, 0, 0, 0, -(1 << 24)}, b.predictionCoefficients(1));
        long[][] r1 = b.residualCounts(1);
        assertEquals(12, r1.length);
        assertEquals(4294967295L, r1[11][3]);
        assertEquals(t.residual[12 * 4 + 5 * 4 + 2], r1[5][2]);
        assertThrows(IndexOutOfBoundsException.class, () -> b.residualCounts(2));
        assertThrows(IndexOutOfBoundsException.class, () -> b.predictionCoefficients(-1));
        // the bundle as the engine uses it
        io.qtk.codec.ChannelTables ct = io.qtk.codec.ChannelTables.fromCounts(m.channelWindow(),
                m.channelThresholds(), new int[][] {b.channelWeights(0), b.channelWeights(1)},
                new long[][][] {b.channelCounts(0), b.channelCounts(1)});
        io.qtk.codec.PredictionTables pt = io.qtk.codec.PredictionTables.fromCounts(ct, m.predictWindow(),
                m.predictShift(), m.predictActivity(), new int[][] {b.predictionCoefficients(0),
                    b.predictionCoefficients(1)}, new long[][][] {b.residualCounts(0), r1});
        assertEquals(12, pt.contexts());
        // without them
        ModelBundle plain = ModelBundle.read(new TestBundles().withChannelTables().bytes(), "t.qtkm");
        assertFalse(plain.hasPredictionTables());
        assertEquals(null, plain.manifest().predictSelector());
        assertEquals(0, plain.manifest().predictContexts());
        assertThrows(IllegalStateException.class, () -> plain.predictionCoefficients(0));
        assertThrows(IllegalStateException.class, () -> plain.residualCounts(0));
    }

    @Test
    void predictionTablesComeTogetherAndNeedChannelTables() {
        TestBundles t = new TestBundles().withPredictionTables();
        t.residual = null;
        invalid(t.bytes(), "entry 'entropy/residual.bin' is missing");
        t = new TestBundles().withPredictionTables();
        t.predict = null;
        invalid(t.bytes(), "entry 'entropy/predict.bin' is missing");
        t = new TestBundles().withPredictionTables();
        for (String key : new String[] {"entropy.predict", "entropy.predict.window", "entropy.predict.shift",
            "entropy.predict.activity"}) {
            t.manifest.remove(key);
        }
        invalid(t.bytes(), "manifest key 'entropy.predict' is missing");
        t = new TestBundles().withPredictionTables();
        t.predict = null;
        t.residual = null;
        invalid(t.bytes(), "entry 'entropy/predict.bin' and entry 'entropy/residual.bin' are missing");
        for (String key : new String[] {"entropy.predict.window", "entropy.predict.shift",
            "entropy.predict.activity"}) {
            t = new TestBundles().withPredictionTables();
            t.manifest.remove(key);
            invalid(t.bytes(), "manifest key '" + key + "' is missing");
            t = new TestBundles().withChannelTables();
            t.manifest.put(key, "2");
            invalid(t.bytes(), "manifest key '" + key + "' = '2': given without 'entropy.predict'");
        }
        // prediction tables without channel tables
        t = new TestBundles().withPredictionTables();
        t.weights = null;
        t.channel = null;
        t.manifest.remove("entropy.channel");
        t.manifest.remove("entropy.channel.window");
        t.manifest.remove("entropy.channel.thresholds");
        invalid(t.bytes(), "the prediction tables need the channel tables");
        t = new TestBundles().withPredictionTables();
        t.weights = null;
        t.channel = null;
        invalid(t.bytes(), "channel tables are incomplete");
    }

    @Test
    void predictionTableSizesAndValuesAreChecked() throws Exception {
        TestBundles t = new TestBundles().withPredictionTables();
        t.predict = new int[13];
        invalid(t.bytes(), "entry 'entropy/predict.bin' has 52 bytes, the manifest implies 56");
        t = new TestBundles().withPredictionTables();
        t.residual = new int[2 * 12 * 4 + 1];
        invalid(t.bytes(), "entry 'entropy/residual.bin' has 388 bytes, the manifest implies 384");
        // N + 5 follows the window, C5 the activity thresholds and the channel thresholds
        t = new TestBundles().withPredictionTables();
        t.manifest.put("entropy.predict.window", "3");
        invalid(t.bytes(), "entry 'entropy/predict.bin' has 56 bytes, the manifest implies 64");
        t = new TestBundles().withPredictionTables();
        t.manifest.put("entropy.predict.activity", "1,3,9");
        invalid(t.bytes(), "entry 'entropy/residual.bin' has 384 bytes, the manifest implies 512");
        t.residual = new int[2 * 16 * 4];
        java.util.Arrays.fill(t.residual, 1);
        assertEquals(16, ModelBundle.read(t.bytes(), "t").manifest().predictContexts());
        t = new TestBundles().withPredictionTables();
        t.manifest.put("entropy.channel.thresholds", "2,5,9");
        t.channel = new int[2 * 5 * 4];
        java.util.Arrays.fill(t.channel, 1);
        invalid(t.bytes(), "entry 'entropy/residual.bin' has 384 bytes, the manifest implies 480");
        // counts >= 1
        TestBundles z = new TestBundles().withPredictionTables();
        z.residual[12 * 4 + 7 * 4 + 2] = 0;
        invalid(z.bytes(), "entropy/residual.bin: count of group 1 context 7 index 2 is 0 (must be >= 1)");
        // coefficient bounds: +-2^24 allowed, one more refused
        TestBundles c = new TestBundles().withPredictionTables();
        c.predict[9] = 1 << 24;
        c.predict[10] = -(1 << 24);
        ModelBundle.read(c.bytes(), "t");
        c.predict[9] = (1 << 24) + 1;
        invalid(c.bytes(), "entropy/predict.bin: coefficient 2 of group 1 is 16777217, outside [-2^24, 2^24]");
        c.predict[9] = Integer.MIN_VALUE;
        invalid(c.bytes(), "coefficient 2 of group 1 is -2147483648");
        // slots of groups before group 0 must be 0
        TestBundles u = new TestBundles().withPredictionTables();
        u.predict[1] = 5; // group 0, slot 1: group -1
        invalid(u.bytes(), "entropy/predict.bin: coefficient 1 of group 0 is 5 but multiplies group -1 (before group"
                + " 0), so it must be 0");
        u = new TestBundles().withPredictionTables();
        u.predict[7] = -1; // group 1, slot 0: group -1
        invalid(u.bytes(), "coefficient 0 of group 1 is -1 but multiplies group -1");
        // a declared size beyond what the manifest implies is refused before anything is inflated
        TestBundles big = new TestBundles().withPredictionTables();
        ZipBuilder zb = big.zip();
        zb.last().declaredSize = ModelBundle.MAX_ENTRY_SIZE;
        invalid(zb.build(), "entry 'entropy/residual.bin' has " + ModelBundle.MAX_ENTRY_SIZE + " bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "entropy.predict|linear|unknown prediction rule",
        "entropy.predict|Linear-Previous-Groups-And-Neighbours|unknown prediction rule",
        "entropy.predict|previous-groups|unknown prediction rule",
        "entropy.predict.window|0|out of range [1, 255]",
        "entropy.predict.window|256|out of range [1, 255]",
        "entropy.predict.shift|0|out of range [1, 30]",
        "entropy.predict.shift|31|out of range [1, 30]",
        "entropy.predict.shift|-1|decimal integer",
        "entropy.predict.activity|3,1|strictly ascending",
        "entropy.predict.activity|1,1|strictly ascending",
        "entropy.predict.activity|0,3|threshold 0 outside [1, 65535]",
        "entropy.predict.activity|1,65536|threshold 65536 outside [1, 65535]",
        "entropy.predict.activity|1,,3|comma-separated decimal integers",
        "entropy.predict.activity|1,3,|comma-separated decimal integers",
        "entropy.predict.activity|''|is empty",
        "entropy.predict.activity|1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17|17 thresholds, at most 16",
    })
    void badPredictionKeys(String key, String value, String why) {
        TestBundles t = new TestBundles().withPredictionTables();
        t.manifest.put(key, value);
        InvalidModelException e = invalid(t.bytes(), "manifest key '" + key + "'");
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "format|qtk-model-bundle/2|unsupported major version",
        "format|qtk-bundle/1|expected qtk-model-bundle/1",
        "name|Bad-Name|must match",
        "name|-lead|must match",
        "name|abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb|must match",
        "version|1 2|must match",
        "version|123456789012345678901234567890123|must match",
        "quantiser|vq|must be grid or global",
        "groups|0|out of range",
        "groups|65536|out of range",
        "groups|+2|decimal integer",
        "groups|0x2|decimal integer",
        "codebook.size|1|out of range",
        "codebook.size|65537|out of range",
        "codebook.dim|0|out of range",
        "codebook.dim|1025|out of range",
        "latent.channels|8|must equal groups * codebook.dim = 4",
        "grid.factor|0|out of range",
        "halo|6|multiple of grid.factor",
        "halo|-4|decimal integer",
        "ladder|2,1|strictly increasing",
        "ladder|1,1|strictly increasing",
        "ladder|1,3|outside [1, groups=2]",
        "ladder|1;2|comma-separated",
        "ladder|''|is empty",
        "io.encoder.input|''|is empty",
    })
    void badManifestValues(String key, String value, String why) {
        TestBundles t = new TestBundles();
        t.manifest.put(key, value);
        InvalidModelException e = invalid(t.bytes(), why);
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"format", "name", "version", "quantiser", "groups", "codebook.size", "codebook.dim",
        "latent.channels", "grid.factor", "ladder", "io.encoder.input", "io.encoder.output", "io.decoder.input",
        "io.decoder.output"})
    void missingManifestKeys(String key) {
        TestBundles t = new TestBundles();
        t.manifest.remove(key);
        invalid(t.bytes(), "manifest key '" + key + "' is missing");
    }

    @Test
    void globalModelsNeedATile() {
        TestBundles t = new TestBundles();
        t.manifest.put("quantiser", "global");
        invalid(t.bytes(), "manifest key 'global.tile' is missing");
    }

    @Test
    void duplicateManifestKeyAndMalformedEscape() {
        TestBundles t = new TestBundles();
        byte[] m = (new String(t.manifestBytes(), java.nio.charset.StandardCharsets.ISO_8859_1) + "groups=2\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ZipBuilder z = new ZipBuilder().add(ModelBundle.MANIFEST, m).add(ModelBundle.ENCODER, t.encoder)
                .add(ModelBundle.DECODER, t.decoder).add(ModelBundle.CODEBOOKS, TestBundles.floatsLe(t.codebooks))
                .add(ModelBundle.ORDER0, TestBundles.intsLe(t.order0));
        invalid(z.build(), "manifest key 'groups' is given more than once");
        z = new ZipBuilder().add(ModelBundle.MANIFEST, "name=\\uZZZZ\n".getBytes());
        invalid(z.build(), "manifest.properties is malformed");
    }

    @Test
    void tooManyEntries() throws Exception {
        ZipBuilder ok = new TestBundles().zip();
        for (int i = 5; i < ModelBundle.MAX_ENTRIES; i++) {
            ok.add("extra/" + i, new byte[] {1});
        }
        ModelBundle.read(ok.build(), "t.qtkm"); // exactly 64 is fine
        ok.add("extra/one-too-many", new byte[] {1});
        invalid(ok.build(), "65 entries, at most 64 allowed");
    }

    @Test
    void oversizeDeclaredEntry() {
        ZipBuilder z = new TestBundles().zip().add("big.bin", new byte[10]);
        z.last().declaredSize = ModelBundle.MAX_ENTRY_SIZE + 1;
        invalid(z.build(), "entry 'big.bin' declares 268435457 bytes uncompressed");
    }

    @Test
    void duplicateEntryNames() {
        ZipBuilder z = new TestBundles().zip().add(ModelBundle.ENCODER, new byte[] {1, 2, 3});
        invalid(z.build(), "duplicate entry name 'encoder.onnx'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/../../evil", "/abs", "back\\slash"})
    void unsafeEntryNames(String name) {
        invalid(new TestBundles().zip().add(name, new byte[1]).build(), "unsafe entry name");
    }

    @Test
    void encryptedAndUnknownMethods() {
        ZipBuilder z = new TestBundles().zip();
        z.last().flags = 1;
        invalid(z.build(), "is encrypted");
        z = new TestBundles().zip();
        z.last().method = 12; // bzip2
        invalid(z.build(), "compression method 12");
    }

    @Test
    void lyingSizesAndCrc() {
        TestBundles t = new TestBundles();
        for (long declared : new long[] {50, 150}) {
            ZipBuilder z = new ZipBuilder().add(ModelBundle.MANIFEST, t.manifestBytes())
                    .add(ModelBundle.DECODER, t.decoder).add(ModelBundle.CODEBOOKS, TestBundles.floatsLe(t.codebooks))
                    .add(ModelBundle.ORDER0, TestBundles.intsLe(t.order0)).add(ModelBundle.ENCODER, new byte[100]);
            z.last().declaredSize = declared;
            invalid(z.build(), declared < 100 ? "inflates to more than the declared 50 bytes"
                    : "inflates to 100 bytes, declared 150");
        }
        byte[] bytes = t.zip().build();
        // Flip one byte inside the stored/deflated data of the first entry: CRC or inflate must catch it.
        byte[] bad = bytes.clone();
        bad[30 + ModelBundle.MANIFEST.length() + 3] ^= 0x55;
        invalid(bad, "manifest.properties");
    }

    @Test
    void corruptArchivesGiveCleanExceptions() {
        invalid(new byte[0], "not a ZIP archive");
        invalid("definitely not a zip file, just some text".getBytes(), "not a ZIP archive");
        byte[] good = new TestBundles().bytes();
        invalid(java.util.Arrays.copyOf(good, good.length - 7), "not a ZIP archive");
        invalid(java.util.Arrays.copyOfRange(good, 40, good.length), "t.qtkm");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() {
        byte[] good = new TestBundles().bytes();
        Random r = new Random(42);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) {
                bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
            }
            if (r.nextInt(4) == 0) {
                bad = java.util.Arrays.copyOf(bad, r.nextInt(bad.length));
            }
            try {
                ModelBundle.read(bad, "fuzz");
            } catch (InvalidModelException e) {
                rejected++;
            } catch (Exception | Error e) {
                fail("trial " + trial + " escaped as " + e, e);
            }
        }
        assertTrue(rejected > 300, "most corruptions should be detected, got " + rejected);
    }

    @Test
    void manifestToStringIsReadable() throws Exception {
        ModelBundle b = ModelBundle.read(new TestBundles().bytes(), "t.qtkm");
        assertEquals("test-model 1 (grid, G=2, K=4, d=2, f=4, ladder=[1, 2])", b.manifest().toString());
        assertTrue(b.toString().contains("sha256:" + b.sha256Hex()));
        assertEquals(List.of("manifest.properties", "encoder.onnx", "decoder.onnx", "codebooks.bin",
                "entropy/order0.bin"), b.entryNames());
    }

    @Test
    void readsArchivesWrittenByZipOutputStream() throws Exception {
        // java.util.zip writes deflated entries with data descriptors (sizes only in the central directory).
        TestBundles t = new TestBundles();
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zo = new java.util.zip.ZipOutputStream(bo)) {
            String[] names = {ModelBundle.MANIFEST, ModelBundle.ENCODER, ModelBundle.DECODER, ModelBundle.CODEBOOKS,
                ModelBundle.ORDER0, "README.txt"};
            byte[][] data = {t.manifestBytes(), t.encoder, t.decoder, TestBundles.floatsLe(t.codebooks),
                TestBundles.intsLe(t.order0), "made by ZipOutputStream".getBytes()};
            for (int i = 0; i < names.length; i++) {
                zo.putNextEntry(new java.util.zip.ZipEntry(names[i]));
                zo.write(data[i]);
                zo.closeEntry();
            }
            zo.setComment("a trailing archive comment");
        }
        ModelBundle b = ModelBundle.read(bo.toByteArray(), "zos.qtkm");
        assertEquals("test-model", b.name());
        assertArrayEquals(t.decoder, b.decoderOnnx());
    }
}
