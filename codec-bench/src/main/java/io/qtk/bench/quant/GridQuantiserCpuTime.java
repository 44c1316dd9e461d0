package io.qtk.bench.quant;

import static io.qtk.bench.quant.GridData.H;
import static io.qtk.bench.quant.GridData.W;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Grid quantisation time per 768x512 image ({@link GridData}'s workload) in <em>CPU</em> milliseconds, for shared
 * machines where JMH's wall-clock numbers move with the load of other processes.
 *
 * <ul>
 *   <li>{@code warm}: 2 CPU-seconds of warm-up, then the median of 7 rounds of at least 0.5 CPU-seconds each (CPU time
 *       of the benchmark thread).
 *   <li>{@code cold [N] [JVM-ARGS...]}: starts {@code N} (default 7) fresh JVMs with the given arguments, each
 *       quantising one image exactly once (the command-line case: one image per JVM), and prints the median of: wall
 *       time of the call, CPU time of the calling thread, and CPU time of the whole process during the call (which
 *       adds the JIT compiler threads).
 *   <li>{@code once}: one such call in this JVM (what {@code cold} runs).
 * </ul>
 * Run: {@code scripts/bench-jmh.sh --main io.qtk.bench.quant.GridQuantiserCpuTime warm} (add JVM flags before
 * {@code -cp}, e.g. {@code java -Dqtk.quant.vector=false -cp codec-bench/target/benchmarks.jar ...}); cold:
 * {@code ... GridQuantiserCpuTime cold 7 -Dqtk.quant.vector=false}. See {@link GridQuantiserBench} for results.
 */
public final class GridQuantiserCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GridQuantiserCpuTime() {}

    /**
     * @param args {@code warm}, {@code once} or {@code cold [N] [JVM-ARGS...]}
     * @throws Exception if a child JVM fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "warm" : args[0];
        switch (mode) {
            case "warm":
                warm();
                break;
            case "once":
                once();
                break;
            case "cold":
                cold(args);
                break;
            case "series":
                series(args.length > 1 ? Integer.parseInt(args[1]) : 10);
                break;
            default:
                throw new IllegalArgumentException("mode: warm, once or cold");
        }
    }

    private static void warm() {
        GridData data = new GridData(false);
        long sink = 0;
        for (long until = cpu() + 2_000_000_000L; cpu() < until; ) {
            sink += data.quantiser.quantise(data.latent, H, W)[0][0];
        }
        double[] cpuMs = new double[7];
        double[] wallMs = new double[7];
        for (int r = 0; r < cpuMs.length; r++) {
            long runs = 0;
            long start = cpu();
            long wall = System.nanoTime();
            long now;
            do {
                sink += data.quantiser.quantise(data.latent, H, W)[0][0];
                runs++;
                now = cpu();
            } while (now - start < 500_000_000L);
            wallMs[r] = (System.nanoTime() - wall) / 1e6 / runs;
            cpuMs[r] = (now - start) / 1e6 / runs;
        }
        Arrays.sort(cpuMs);
        Arrays.sort(wallMs);
        System.out.printf("%s warm: %.2f ms CPU/image (median of 7; min %.2f, max %.2f), wall %.2f ms [%d]%n",
                data.quantiser.searchImplementation(), cpuMs[3], cpuMs[0], cpuMs[6], wallMs[3], sink & 1);
    }

    private static void once() {
        GridData data = new GridData(false);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long proc0 = os.getProcessCpuTime();
        long cpu0 = cpu();
        long wall0 = System.nanoTime();
        int[][] idx = data.quantiser.quantise(data.latent, H, W);
        long wall = System.nanoTime() - wall0;
        long cpu = cpu() - cpu0;
        long proc = os.getProcessCpuTime() - proc0;
        System.out.printf("ONCE %.3f %.3f %.3f %d %s%n", wall / 1e6, cpu / 1e6, proc / 1e6, idx[0][0],
                data.quantiser.searchImplementation());
    }

    /** {@code n} images in a row in this (fresh) JVM: per-image thread CPU and wall, showing the warm-up. */
    private static void series(int n) {
        GridData data = new GridData(false);
        StringBuilder cpu = new StringBuilder();
        StringBuilder wall = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long c0 = cpu();
            long w0 = System.nanoTime();
            data.quantiser.quantise(data.latent, H, W);
            cpu.append(String.format(" %.1f", (cpu() - c0) / 1e6));
            wall.append(String.format(" %.1f", (System.nanoTime() - w0) / 1e6));
        }
        System.out.printf("%s series of %d images, ms thread CPU:%s; ms wall:%s%n",
                data.quantiser.searchImplementation(), n, cpu, wall);
    }

    private static void cold(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(args).subList(Math.min(2, args.length), args.length));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GridQuantiserCpuTime.class.getName());
        cmd.add("once");
        double[][] v = new double[3][n];
        String impl = "";
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("child failed: " + out);
            }
            String line = out.lines().filter(l -> l.startsWith("ONCE ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no result: " + out));
            String[] f = line.split(" ", 6);
            for (int j = 0; j < 3; j++) {
                v[j][i] = Double.parseDouble(f[j + 1]);
            }
            impl = f[5];
        }
        for (double[] a : v) {
            Arrays.sort(a);
        }
        System.out.printf("%s cold (first call, fresh JVM, median of %d): wall %.1f ms, thread CPU %.1f ms, "
                + "process CPU %.1f ms (wall min %.1f, max %.1f)%n", impl, n, v[0][n / 2], v[1][n / 2], v[2][n / 2],
                v[0][0], v[0][n - 1]);
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
