package io.qtk.bench.quant;

import static io.qtk.bench.quant.GridData.G;
import static io.qtk.bench.quant.GridData.H;
import static io.qtk.bench.quant.GridData.POSITIONS;
import static io.qtk.bench.quant.GridData.W;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Grid quantisation throughput in latent positions per second (one position = all 32 groups searched), steady state,
 * for {@link GridData}'s workload. The Vector API and the scalar search each run in their own fork (the search kernel
 * is chosen once per JVM).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GridQuantiserBench {
    GridData data;
    float[] out;

    @Setup
    public void setup() {
        data = new GridData(true);
        out = new float[data.latent.length];
    }

    /** Vector API kernel (JVM started with the incubator module). */
    @Benchmark
    @OperationsPerInvocation(POSITIONS)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
    public int[][] quantiseVector() {
        return data.quantiser.quantise(data.latent, H, W);
    }

    /** Portable scalar kernel. */
    @Benchmark
    @OperationsPerInvocation(POSITIONS)
    @Fork(value = 1, jvmArgsAppend = "-Dqtk.quant.vector=false")
    public int[][] quantiseScalar() {
        return data.quantiser.quantise(data.latent, H, W);
    }

    /** The inverse lookup, all groups present. */
    @Benchmark
    @OperationsPerInvocation(POSITIONS)
    @Fork(1)
    public float[] dequantise() {
        data.quantiser.dequantise(data.indices, G, out);
        return out;
    }
}
