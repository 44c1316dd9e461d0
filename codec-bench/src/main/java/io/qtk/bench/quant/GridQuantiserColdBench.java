package io.qtk.bench.quant;

import static io.qtk.bench.quant.GridData.H;
import static io.qtk.bench.quant.GridData.W;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first quantisation of one 768x512 image in a fresh JVM (no warm-up), as a one-shot command-line encode sees it:
 * the Vector API is only fast once C2 has compiled it, so this checks the default does not lose the cold case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class GridQuantiserColdBench {
    GridData data;

    @Setup
    public void setup() {
        data = new GridData(false);
    }

    @Benchmark
    @Fork(value = 5, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
    public int[][] coldVector() {
        return data.quantiser.quantise(data.latent, H, W);
    }

    @Benchmark
    @Fork(value = 5, jvmArgsAppend = "-Dqtk.quant.vector=false")
    public int[][] coldScalar() {
        return data.quantiser.quantise(data.latent, H, W);
    }
}
