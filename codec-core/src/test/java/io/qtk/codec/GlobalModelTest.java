package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkConfig;
import io.qtk.QtkInfo;
import io.qtk.TestModels;
import io.qtk.model.ModelBundle;
import io.qtk.model.ModelRegistry;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The global-model path (T x T tiles, N tokens per tile) through ONNX Runtime with a hand-made global bundle. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlobalModelTest {
    private BundleModelSource source;
    private CodecEngine engine;

    @BeforeAll
    void open() throws Exception {
        ModelRegistry reg = ModelRegistry.builder().classLoader(null).useEnvironment(false).useSystemProperty(false)
                .addBundle(ModelBundle.read(SyntheticModel.globalBundle(), "memory:qtk-synthetic-global")).build();
        source = BundleModelSource.open(reg, QtkConfig.builder().intraOpThreads(1).build());
        engine = new CodecEngine(source, 0);
    }

    @AfterAll
    void close() {
        source.close();
    }

    @Test
    void globalRoundTripTruncationAndRegion() throws Exception {
        BufferedImage img = TestModels.synthetic(45, 31, BufferedImage.TYPE_3BYTE_BGR); // edge tiles padded
        EncodeOptions o = EncodeOptions.builder().quality(1).build();
        byte[] f = engine.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        QtkInfo info = CodecEngine.info(f);
        assertEquals("global", info.quantiser());
        assertEquals(4, info.groupsCoded());
        DecodedImage d = engine.decode(f, DecodeOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(45, d.image().getWidth());
        double full = TestModels.psnr(img, d.image());
        assertTrue(full > 20, "psnr " + full);
        double prev = 0;
        for (int g = 1; g <= 4; g++) {
            DecodedImage p = engine.decode(f, DecodeOptions.builder().maxGroups(g).build(), ProgressListener.NONE);
            double q = TestModels.psnr(img, p.image());
            assertTrue(q >= prev - 1e-9, "tokens " + g + ": " + q + " < " + prev);
            prev = q;
        }
        byte[] cut = Arrays.copyOf(f, f.length - 30);
        assertTrue(CodecEngine.info(cut).truncated());
        assertTrue(engine.decode(cut, DecodeOptions.DEFAULT, ProgressListener.NONE).groupsDecoded() < 4);
        BufferedImage part = engine.decode(f, DecodeOptions.builder().region(new Rectangle(5, 9, 30, 20)).build(),
                ProgressListener.NONE).image();
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(d.image().getRGB(5 + x, 9 + y), part.getRGB(x, y));
            }
        }
        byte[] again = engine.encode(img, ImageMetadata.EMPTY, o, ProgressListener.NONE);
        assertArrayEquals(f, again);
    }
}
