package io.qtk.bench.entropy;

import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.EntropyModel;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entropy coder throughput: one op = one symbol, so JMH's ops/s are symbols/s. Each invocation codes a whole
 * stream of {@value #N} Zipf-distributed indices (one group of a 1600 x 1000 image at f = 16 is 6 250 symbols; this
 * is 16 of them) with a static table or the adaptive model. The coded size against the ideal code length is printed
 * by {@link EntropySizeReport}; on a shared machine {@link EntropyCpuThroughput} gives symbols per CPU second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EntropyBenchmark.N)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntropyBenchmark {
    /** Symbols per stream. */
    static final int N = 100_000;

    /** Alphabet size K. */
    @Param({"256", "4096"})
    public int k;

    /** {@code static}: normalised table at the default precision; {@code adaptive}: default adaptive model. */
    @Param({"static", "adaptive"})
    public String model;

    private EntropyModel entropyModel;
    private int[] symbols;
    private byte[] coded;
    private int[] out;

    /** Builds the table, the stream and its coded form. */
    @Setup
    public void setup() {
        FrequencyTable table = FrequencyTable.fromCounts(Sources.zipf(k));
        symbols = Sources.sample(table, N, 42);
        entropyModel = "static".equals(model) ? table : AdaptiveModel.of(k);
        coded = IndexStreamCodec.encode(symbols, entropyModel);
        out = new int[N];
    }

    /** @return the coded stream (consumed by JMH) */
    @Benchmark
    public byte[] encode() {
        return IndexStreamCodec.encode(symbols, entropyModel);
    }

    /**
     * @return the decoded symbols (consumed by JMH)
     * @throws EntropyCodingException never (the stream is valid)
     */
    @Benchmark
    public int[] decode() throws EntropyCodingException {
        IndexStreamCodec.decode(coded, 0, coded.length, out, 0, N, entropyModel);
        return out;
    }
}
