package io.qtk.bench.runtime;

import io.qtk.model.ModelBundle;
import io.qtk.runtime.BackendOptions;
import io.qtk.runtime.FloatTensor;
import io.qtk.runtime.ModelSession;
import io.qtk.runtime.OnnxBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX encoder and decoder time per image for a model bundle: by default the tiny test model
 * {@code testdata/models/qtk-test-tiny.qtkm} (searched upwards from the working directory), or the bundle named by
 * the system property {@code qtk.bench.model}. Sizes are image sizes in pixels (multiples of the model's factor).
 * {@code threads = 0} means the backend default (available processors).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnnxModelBench {
    @Param({"256x256", "768x512"})
    public String size;

    @Param({"0"})
    public int threads;

    OnnxBackend backend;
    ModelSession session;
    float[] image;
    FloatTensor latent;
    int h;
    int w;

    static Path modelPath() {
        String p = System.getProperty("qtk.bench.model");
        if (p != null) {
            return Paths.get(p);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("testdata/models/qtk-test-tiny.qtkm");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no model: set -Dqtk.bench.model=FILE or run below a checkout that has "
                + "testdata/models/qtk-test-tiny.qtkm");
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        ModelBundle bundle = ModelBundle.read(modelPath());
        BackendOptions.Builder o = BackendOptions.builder();
        if (threads > 0) {
            o.intraOpThreads(threads);
        }
        backend = OnnxBackend.create(o.build());
        session = backend.session(bundle);
        session.preload();
        String[] parts = size.split("x");
        w = Integer.parseInt(parts[0]);
        h = Integer.parseInt(parts[1]);
        image = new float[3 * h * w];
        Random r = new Random(1);
        for (int i = 0; i < image.length; i++) {
            image[i] = r.nextFloat();
        }
        latent = session.runEncoder(image, h, w);
        System.err.println(bundle + " on " + session.provider() + ", latent " + latent);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public FloatTensor encoder() throws Exception {
        return session.runEncoder(image, h, w);
    }

    @Benchmark
    public FloatTensor decoder() throws Exception {
        return session.runDecoder(latent);
    }
}
