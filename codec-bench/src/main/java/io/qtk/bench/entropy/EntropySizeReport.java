package io.qtk.bench.entropy;

import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.EntropyModel;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import java.util.Arrays;

/**
 * Prints coded size against the ideal code length (sum of -log2 p under the model the coder uses) for seeded
 * 100 000-symbol streams: K = 256, 4096, 65536, Zipf-like and Laplacian sources, static and adaptive models.
 * Run: {@code scripts/bench-jmh.sh --main io.qtk.bench.entropy.EntropySizeReport}.
 */
public final class EntropySizeReport {
    private EntropySizeReport() {
    }

    /**
     * @param args ignored
     * @throws Exception if a stream fails to round-trip
     */
    public static void main(String[] args) throws Exception {
        int n = 100_000;
        System.out.printf("%-6s %-8s %-9s %10s %12s %12s %9s %s%n", "K", "source", "model", "symbols", "coded B",
                "ideal B", "over %", "bits/sym");
        for (int k : new int[] {256, 4096, 65536}) {
            for (String source : new String[] {"zipf", "laplace"}) {
                FrequencyTable table = FrequencyTable.fromCounts("zipf".equals(source)
                        ? Sources.zipf(k) : Sources.laplace(k));
                int[] symbols = Sources.sample(table, n, 42);
                for (EntropyModel m : new EntropyModel[] {table, AdaptiveModel.of(k)}) {
                    byte[] coded = IndexStreamCodec.encode(symbols, m);
                    if (!Arrays.equals(symbols, IndexStreamCodec.decode(coded, n, m))) {
                        throw new AssertionError("round trip failed for " + m);
                    }
                    double ideal = IndexStreamCodec.idealCodeLength(symbols, 0, n, m) / 8;
                    System.out.printf("%-6d %-8s %-9s %10d %12d %12.1f %9.4f %.3f%n", k, source,
                            m instanceof FrequencyTable ? "static" : "adaptive", n, coded.length, ideal,
                            100 * (coded.length / ideal - 1), coded.length * 8.0 / n);
                }
            }
        }
    }
}
