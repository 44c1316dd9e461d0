package io.qtk.codec;

import io.qtk.ModelDescription;
import io.qtk.QtkException;
import io.qtk.entropy.FrequencyTable;
import java.io.IOException;
import java.util.List;

/** A {@link ModelSource} holding one {@link FakeGridModel}, for engine tests without ONNX Runtime. */
final class FakeModels implements ModelSource {
    static final String SHA = "ab".repeat(32);
    private final FakeGridModel net = new FakeGridModel();
    private final CodecModel model = new CodecModel() {
        private final ModelDescription d = new ModelDescription("fake-grid", "1", SHA, "grid", FakeGridModel.G,
                FakeGridModel.K, FakeGridModel.D, FakeGridModel.F, List.of(1, 2), "test");
        private final FrequencyTable t = FrequencyTable.uniform(FakeGridModel.K);

        @Override
        public ModelDescription description() {
            return d;
        }

        @Override
        public int haloPixels() {
            return 4;
        }

        @Override
        public FrequencyTable table(int group) {
            return t;
        }

        @Override
        public TileNetwork network() {
            return net;
        }

        @Override
        public LatentQuantiser quantiser() {
            return net;
        }

        @Override
        public void close() {
        }
    };

    @Override
    public CodecModel forEncode(String name) throws IOException {
        if (name != null && !name.equals("fake-grid")) {
            throw new QtkException("no model " + name);
        }
        return model;
    }

    @Override
    public CodecModel forDecode(String name, String version, String sha256Hex) throws IOException {
        if (!name.equals("fake-grid") || !version.equals("1") || !sha256Hex.equals(SHA)) {
            throw new QtkException("model " + name + " " + version + " " + sha256Hex + " not available");
        }
        return model;
    }

    @Override
    public List<ModelDescription> list() {
        return List.of(model.description());
    }

    @Override
    public void close() {
    }
}
