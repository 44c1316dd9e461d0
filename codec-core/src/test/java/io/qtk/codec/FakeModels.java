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
    private final CodecModel model = new TablesModel(new ModelDescription("fake-grid", "1", SHA, "grid",
            FakeGridModel.G, FakeGridModel.K, FakeGridModel.D, FakeGridModel.F, List.of(1, 2), "test"), 4,
            new FrequencyTable[] {FrequencyTable.uniform(FakeGridModel.K)}, null, null, null) {
        @Override
        public FrequencyTable table(int group) {
            return super.table(0); // one uniform table for every group
        }

        @Override
        public TileNetwork network() {
            return net;
        }

        @Override
        public LatentQuantiser quantiser() {
            return net;
        }
    };

    /**
     * A model of entropy tables only, for {@link CodecEngine#codeStreams} below the engine: the given order-0 tables,
     * and context (per group), channel and prediction tables where not null; it has no network.
     */
    static CodecModel tablesOnly(int k, FrequencyTable[] order0, ContextTables[] contexts, ChannelTables channel,
            PredictionTables prediction) {
        return new TablesModel(new ModelDescription("t", "1", "00".repeat(32), "grid", order0.length, k, 1, 1,
                List.of(1), "test"), 0, order0, contexts, channel, prediction);
    }

    /** A model made of its description and entropy tables (those that are null it lacks); no network by default. */
    private static class TablesModel implements CodecModel {
        private final ModelDescription description;
        private final int halo;
        private final FrequencyTable[] order0;
        private final ContextTables[] contexts;
        private final ChannelTables channel;
        private final PredictionTables prediction;

        TablesModel(ModelDescription description, int halo, FrequencyTable[] order0, ContextTables[] contexts,
                ChannelTables channel, PredictionTables prediction) {
            this.description = description;
            this.halo = halo;
            this.order0 = order0;
            this.contexts = contexts;
            this.channel = channel;
            this.prediction = prediction;
        }

        @Override
        public ModelDescription description() {
            return description;
        }

        @Override
        public int haloPixels() {
            return halo;
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
