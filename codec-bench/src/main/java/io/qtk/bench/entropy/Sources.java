package io.qtk.bench.entropy;

import io.qtk.entropy.FrequencyTable;
import java.util.SplittableRandom;

/** Seeded symbol sources shared by the benchmark and the size report. */
final class Sources {
    private Sources() {
    }

    /** Zipf-like counts: c[s] = round(10^6 / (s + 1)^1.1). */
    static long[] zipf(int k) {
        long[] c = new long[k];
        for (int s = 0; s < k; s++) {
            c[s] = Math.round(1e6 / Math.pow(s + 1, 1.1));
        }
        return c;
    }

    /** Discrete Laplacian counts centred on K/2, scale K/32 (the shape of quantised latent residuals). */
    static long[] laplace(int k) {
        long[] c = new long[k];
        double scale = k / 32.0;
        for (int s = 0; s < k; s++) {
            c[s] = Math.round(1e6 * Math.exp(-Math.abs(s - k / 2) / scale));
        }
        return c;
    }

    /** n symbols drawn from a table's own distribution. */
    static int[] sample(FrequencyTable table, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = table.symbolAt(rnd.nextInt(table.total()));
        }
        return out;
    }
}
