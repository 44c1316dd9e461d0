package io.qtk.cli.bench;

import io.qtk.DecodeOptions;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkConfig;
import io.qtk.QtkDecoder;
import io.qtk.QtkEncoder;
import java.util.List;
import java.util.Locale;

/** qtk itself, in process, swept over {@link EncodeOptions#quality()}. */
final class QtkBenchCodec implements BenchCodec {
    private final QtkEncoder encoder;
    private final QtkDecoder decoder;
    private final List<Double> qualities;
    private final String model;
    private final double rdo;

    QtkBenchCodec(QtkConfig config, List<Double> qualities, String model, double rdo) throws java.io.IOException {
        QtkEncoder e = QtkEncoder.create(config);
        try {
            this.decoder = QtkDecoder.create(config);
        } catch (java.io.IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        this.encoder = e;
        this.qualities = List.copyOf(qualities);
        this.model = model;
        this.rdo = rdo;
    }

    @Override
    public String name() {
        return model == null ? "qtk" : "qtk-" + model;
    }

    @Override
    public List<String> settings() {
        return qualities.stream().map(q -> String.format(Locale.ROOT, "q=%.3f", q)).toList();
    }

    @Override
    public String timing() {
        return "in-process";
    }

    @Override
    public Coded code(BenchSource source, String setting) throws Exception {
        double q = Double.parseDouble(setting.substring(2));
        EncodeOptions opts = EncodeOptions.builder().quality(q).model(model).keepMetadata(false).rdoStrength(rdo)
                .build();
        long t0 = System.nanoTime();
        byte[] file = encoder.encode(source.rgb(), ImageMetadata.EMPTY, opts, ProgressListener.NONE);
        long t1 = System.nanoTime();
        var decoded = decoder.decode(file, DecodeOptions.DEFAULT).image();
        long t2 = System.nanoTime();
        return new Coded(file.length, decoded, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}
