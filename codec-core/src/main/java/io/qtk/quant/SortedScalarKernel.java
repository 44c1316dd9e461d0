package io.qtk.quant;

/**
 * Search for one-dimensional codebooks whose codewords strictly ascend (scalar quantisers such as the integer levels
 * of the {@code grid-sq} models): a binary search instead of a scan, O(log K) per value, with the same answer as
 * {@link Codebook#nearest}.
 *
 * <p>Why it is exact: {@code fl((double) x - c)} is monotone in {@code c}, and squaring preserves that, so the
 * canonical distance does not increase over the codewords below {@code x} (towards it) and does not decrease over
 * those above. The minimum is therefore at the last codeword {@code <= x} or the first {@code > x}; because ties go to
 * the lowest index and rounding can make several distances equal (far from every codeword), the left candidate is
 * moved down to the first codeword with the same distance (again a binary search, the distances being monotone).
 * A non-finite input has no finite distance anywhere and gets index 0, as the scan gives.
 */
final class SortedScalarKernel extends SearchKernel {
    static final SortedScalarKernel INSTANCE = new SortedScalarKernel();

    private SortedScalarKernel() {}

    /** Whether this kernel applies: d = 1 and codewords strictly ascending. */
    static boolean accepts(Codebook cb) {
        if (cb.dim() != 1) {
            return false;
        }
        float[] w = cb.words;
        for (int k = 1; k < w.length; k++) {
            if (!(w[k - 1] < w[k])) {
                return false;
            }
        }
        return true;
    }

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        float[] w = cb.words;
        for (int p = 0; p < count; p++) {
            out[outOff + p] = nearest(w, src[base + p]);
        }
    }

    static int nearest(float[] w, float x) {
        if (!Float.isFinite(x)) {
            return 0;
        }
        int k = w.length;
        int lo = 0;
        int hi = k; // first index with w[i] > x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (w[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int above = lo;
        if (above == 0) {
            return 0; // every codeword is above x: distances rise with the index
        }
        int left = above - 1;
        double dl = dist(x, w[left]);
        // lowest index in [0, left] with the same distance (distances there fall towards left)
        int a = 0;
        int b = left;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (dist(x, w[mid]) <= dl) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        if (above == k) {
            return a;
        }
        return dl <= dist(x, w[above]) ? a : above;
    }

    private static double dist(float x, float c) {
        double diff = (double) x - c;
        return diff * diff;
    }

    @Override
    String name() {
        return "sorted-scalar";
    }
}
