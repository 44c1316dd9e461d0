package io.qtk.entropy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Shared helpers: seeded sources, and a reference encoder written from the spec's arithmetic (no carry logic). */
final class TestSupport {
    private TestSupport() {
    }

    /** Zipf-like counts c[s] = round(10^6 / (s + 1)^exponent) (some tail counts are 0 for steep exponents). */
    static long[] zipfCounts(int k, double exponent) {
        long[] c = new long[k];
        for (int s = 0; s < k; s++) {
            c[s] = Math.round(1e6 / Math.pow(s + 1, exponent));
        }
        return c;
    }

    /** Discrete Laplacian counts centred on k/2 with the given scale, in units of 1e6. */
    static long[] laplaceCounts(int k, double scale) {
        long[] c = new long[k];
        for (int s = 0; s < k; s++) {
            c[s] = Math.round(1e6 * Math.exp(-Math.abs(s - k / 2) / scale));
        }
        return c;
    }

    /** n symbols drawn from the distribution of {@code table} (inverse CDF on a uniform target). */
    static int[] sample(FrequencyTable table, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = table.symbolAt(rnd.nextInt(table.total()));
        }
        return out;
    }

    /** n symbols drawn from arbitrary (unnormalised) counts; used when the stream should not match the table. */
    static int[] sample(long[] counts, int n, long seed) {
        long[] cum = new long[counts.length + 1];
        for (int s = 0; s < counts.length; s++) {
            cum[s + 1] = cum[s] + counts[s];
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = rnd.nextLong(cum[counts.length]);
            int lo = 0;
            int hi = counts.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (cum[mid] <= v) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            out[i] = lo;
        }
        return out;
    }

    /**
     * The spec's encoder in exact arithmetic: L is the whole coded value so far as one big integer (scaled by
     * 2^(8n+56) after n shifts), so carries need no special handling. The output is the shortest byte string of the
     * value V chosen by the termination rule, without trailing zeros.
     */
    static final class ReferenceEncoder {
        private static final long TOP = 1L << 56;
        private static final long BOTTOM = 1L << 48;
        private BigInteger low = BigInteger.ZERO;
        private long range = TOP;
        private int shifts;

        void encode(int cumulative, int frequency, int total) {
            long r = range / total;
            low = low.add(BigInteger.valueOf(r).multiply(BigInteger.valueOf(cumulative)));
            range = r * frequency;
            while (range < BOTTOM) {
                low = low.shiftLeft(8);
                range <<= 8;
                shifts++;
            }
        }

        byte[] finish() {
            BigInteger top = BigInteger.ONE.shiftLeft(56);
            BigInteger bottom = BigInteger.ONE.shiftLeft(48);
            BigInteger high = low.add(BigInteger.valueOf(range));
            BigInteger v = ceilMultiple(low, top);
            if (v.compareTo(high) >= 0) {
                v = ceilMultiple(low, bottom);
            }
            int n = shifts + 7;
            byte[] raw = v.toByteArray();
            byte[] out = new byte[n];
            // big-endian, right-aligned in n bytes; v < 2^(8n) always (the interval lies in [0, 1))
            int copy = Math.min(raw.length, n);
            System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
            if (raw.length > n && raw[0] != 0) {
                throw new AssertionError("value escaped [0, 1)");
            }
            int len = n;
            while (len > 0 && out[len - 1] == 0) {
                len--;
            }
            return Arrays.copyOf(out, len);
        }

        private static BigInteger ceilMultiple(BigInteger x, BigInteger m) {
            BigInteger[] qr = x.divideAndRemainder(m);
            return (qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE)).multiply(m);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }
}
