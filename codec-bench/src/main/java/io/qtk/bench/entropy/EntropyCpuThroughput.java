package io.qtk.bench.entropy;

import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.EntropyModel;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Symbols per <em>CPU</em> second of the benchmark thread, for the same cases as {@link EntropyBenchmark}. On a
 * shared machine JMH's wall-clock throughput drops with the load of other processes; the thread's CPU time does not
 * (much), so this is the better estimate of one-core speed there. Prints the median of 5 rounds after warm-up.
 * Run: {@code scripts/bench-jmh.sh --main io.qtk.bench.entropy.EntropyCpuThroughput}.
 */
public final class EntropyCpuThroughput {
    private EntropyCpuThroughput() {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * @param args ignored
     * @throws Exception if a stream fails to decode
     */
    public static void main(String[] args) throws Exception {
        int n = EntropyBenchmark.N;
        System.out.printf("%-6s %-9s %-7s %14s%n", "K", "model", "op", "Msymbols/cpu-s");
        for (int k : new int[] {256, 4096}) {
            FrequencyTable table = FrequencyTable.fromCounts(Sources.zipf(k));
            int[] symbols = Sources.sample(table, n, 42);
            for (EntropyModel m : new EntropyModel[] {table, AdaptiveModel.of(k)}) {
                byte[] coded = IndexStreamCodec.encode(symbols, m);
                int[] out = new int[n];
                String name = m instanceof FrequencyTable ? "static" : "adaptive";
                Task encode = () -> IndexStreamCodec.encode(symbols, m).length;
                Task decode = () -> {
                    IndexStreamCodec.decode(coded, 0, coded.length, out, 0, n, m);
                    return out[n - 1];
                };
                System.out.printf("%-6d %-9s %-7s %14.1f%n", k, name, "encode", rate(encode, n));
                System.out.printf("%-6d %-9s %-7s %14.1f%n", k, name, "decode", rate(decode, n));
                if (!Arrays.equals(out, symbols)) {
                    throw new AssertionError("round trip failed");
                }
            }
        }
    }

    /** One coded or decoded stream; returns something so the work is not dead code. */
    private interface Task {
        int run() throws Exception;
    }

    private static double rate(Task task, int symbolsPerRun) throws Exception {
        long sink = 0;
        for (long until = cpu() + 2_000_000_000L; cpu() < until; ) {
            sink += task.run();
        }
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            long runs = 0;
            long start = cpu();
            long now;
            do {
                sink += task.run();
                runs++;
                now = cpu();
            } while (now - start < 500_000_000L);
            rounds[r] = runs * (double) symbolsPerRun / ((now - start) / 1e9) / 1e6;
        }
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
