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

    /**
     * A model of entropy tables only, for {@link CodecEngine#codeStreams} below the engine: the given order-0 tables,
     * and context (per group), channel and prediction tables where not null; it has no network.
     */
    static CodecModel tablesOnly(int k, FrequencyTable[] order0, ContextTables[] contexts, ChannelTables channel,
            PredictionTables prediction) {
        ModelDescription d = new ModelDescription("t", "1", "00".repeat(32), "grid", order0.length, k, 1, 1,
                List.of(1), "test");
        return new CodecModel() {
            @Override
            public ModelDescription description() {
                return d;
            }

            @Override
            public int haloPixels() {
                return 0;
            }

            @Override
            public FrequencyTable table(int group) {
                return order0[group];
            }

            @Override
            public ContextTables contextTables(int group) {
                return contexts == null ? null : contexts[group];
            }

            @Override
            public boolean hasContextTables() {
                return contexts != null;
            }

            @Override
            public ChannelTables channelTables() {
                return channel;
            }

            @Override
            public PredictionTables predictionTables() {
                return prediction;
            }

            @Override
            public TileNetwork network() {
                throw new UnsupportedOperationException();
            }

            @Override
            public LatentQuantiser quantiser() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
    }

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
