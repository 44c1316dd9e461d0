package io.qtk.quant;

/**
 * Scalar until the Vector API kernel is hot, then the vector kernel for good.
 *
 * <p>Why: Vector API code is only fast once C2 has compiled it; interpreted or C1-compiled it allocates an object per
 * operation and is far slower than the scalar loop (measured, first 768x512 image: ~2 s with the vector kernel against
 * ~0.3 s scalar; warm it is ~8x faster). So:
 * <ol>
 *   <li>Until the process has searched {@value #SCALAR_FIRST} codeword-vector pairs (about four 768x512 images at
 *       G=32, K=256), everything runs on the scalar kernel: short-lived processes (one image from the command line)
 *       never touch the Vector API.
 *   <li>Then each call hands one vector block of its real work to the vector kernel, so it gets profiled and compiled
 *       at a bounded cost, and the rest to the scalar kernel, timing both per position.
 *   <li>After {@value #WINS_NEEDED} consecutive calls on which the vector block was at least twice as fast per
 *       position, every later call goes to the vector kernel.
 * </ol>
 * Both kernels are exact, so results never depend on when (or whether) the switch happens. The counters are racy on
 * purpose: a lost update only delays the switch.
 */
final class AdaptiveKernel extends SearchKernel {
    static final int WINS_NEEDED = 4;
    static final long SCALAR_FIRST = 50_000_000L;

    private final SearchKernel vector;
    private final int sample;
    private volatile boolean hot;
    private int wins;
    private long work; // codeword-vector pairs searched so far

    AdaptiveKernel(SearchKernel vector, int sample) {
        this.vector = vector;
        this.sample = sample;
    }

    @Override
    String name() {
        return hot ? vector.name() : vector.name() + " (scalar until warm)";
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
            vector.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        if (work < SCALAR_FIRST || count < 4 * sample) { // early, or too little work to measure anything
            work += (long) count * cb.size();
            ScalarKernel.INSTANCE.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        long t0 = System.nanoTime();
        vector.search(cb, src, base, stride, sample, out, outOff);
        long t1 = System.nanoTime();
        ScalarKernel.INSTANCE.search(cb, src, base + sample, stride, count - sample, out, outOff + sample);
        long t2 = System.nanoTime();
        double vectorPer = (double) (t1 - t0) / sample;
        double scalarPer = (double) (t2 - t1) / (count - sample);
        if (2 * vectorPer < scalarPer) {
            if (++wins >= WINS_NEEDED) {
                hot = true;
            }
        } else {
            wins = 0;
        }
    }
}
