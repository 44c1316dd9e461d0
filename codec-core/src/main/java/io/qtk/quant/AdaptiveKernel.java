package io.qtk.quant;

/**
 * {@link BlockKernel} once it is fast, {@link ScalarKernel} until then: the default search.
 *
 * <p>Why: the block kernel is several times faster than the scalar scan once HotSpot's C2 has compiled (and
 * auto-vectorised) its loops, but several times slower before that: interpreted or C1-compiled, every
 * {@code Math.min(float, float)} in its inner loops is a call. A command-line encode is one image in a fresh JVM, so
 * it must not run its first image on uncompiled block loops. So, per call:
 * <ol>
 *   <li>Runs too short to time ({@code < 4 *} {@value #SAMPLE} positions) go to the scalar scan.
 *   <li>Otherwise the first {@value #SAMPLE} positions go to the block kernel (which also gets them profiled and
 *       compiled, at a bounded cost) and the rest to the scalar scan, both timed.
 *   <li>After {@value #WINS_NEEDED} consecutive calls on which the block kernel was at least twice as fast per
 *       position, every later call goes to the block kernel.
 * </ol>
 * Measured (G=32, K=256, d=4, 768x512 image, fresh JVM): the switch happens within the first image, which costs
 * about as much as with the scalar scan alone; from the next image on every call is on the block kernel.
 * Both kernels are exact, so results never depend on when (or whether) the switch happens. The counters are racy on
 * purpose: a lost update only delays the switch.
 */
final class AdaptiveKernel extends SearchKernel {
    static final int WINS_NEEDED = 3;
    /**
     * Positions per call handed to the block kernel while it is not yet known to be fast: enough for its per-call
     * set-up not to hide its speed (compiled, 128 positions run about 2.8x faster than on the scalar scan).
     */
    static final int SAMPLE = 128;
    /** The block kernel must be this much faster per position to count as compiled (it is 4-5x then). */
    static final double WIN_RATIO = 1.5;
    /** Codeword-vector pairs searched on the scalar scan alone first: about 1.3 images of 768x512 at G=32, K=256. */
    static final long SCALAR_FIRST = 16_000_000L;

    private final SearchKernel fast;
    private final SearchKernel slow;
    private volatile boolean hot;
    private int wins;
    private long work; // codeword-vector pairs searched so far

    AdaptiveKernel() {
        this(BlockKernel.INSTANCE, ScalarKernel.INSTANCE);
    }

    AdaptiveKernel(SearchKernel fast, SearchKernel slow) {
        this.fast = fast;
        this.slow = slow;
    }

    @Override
    String name() {
        return hot ? fast.name() : fast.name() + " (" + slow.name() + " until compiled)";
    }

    boolean isHot() {
        return hot;
    }

    void forceHot() {
        hot = true;
    }

    /** Skips the scalar-only start (tests: exercise the sampling path). */
    void skipScalarStart() {
        work = SCALAR_FIRST;
    }

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        if (hot) {
            fast.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        if (work < SCALAR_FIRST || count < 4 * SAMPLE) { // early, or too little work to measure anything
            work += (long) count * cb.size();
            slow.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        long t0 = System.nanoTime();
        fast.search(cb, src, base, stride, SAMPLE, out, outOff);
        long t1 = System.nanoTime();
        slow.search(cb, src, base + SAMPLE, stride, count - SAMPLE, out, outOff + SAMPLE);
        long t2 = System.nanoTime();
        double fastPer = (double) (t1 - t0) / SAMPLE;
        double slowPer = (double) (t2 - t1) / (count - SAMPLE);
        if (WIN_RATIO * fastPer < slowPer) {
            if (++wins >= WINS_NEEDED) {
                hot = true;
            }
        } else {
            wins = 0;
        }
    }
}
