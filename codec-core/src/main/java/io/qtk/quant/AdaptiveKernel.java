package io.qtk.quant;

/**
 * Scalar until the Vector API kernel is hot, then the vector kernel for good.
 *
 * <p>Why: Vector API code is only fast once C2 has compiled it; interpreted or C1-compiled it allocates an object per
 * operation and is far slower than the scalar loop (measured: the first 768x512 image took ~2 s with the vector kernel
 * against ~0.3 s scalar, while warm it is ~8x faster). So while cold, each call hands one vector block of its real
 * work to the vector kernel (enough to get it profiled and compiled, cheap even when slow) and the rest to the scalar
 * kernel, timing both per position. After {@value #WINS_NEEDED} consecutive calls on which the vector block was at
 * least twice as fast per position, every later call goes to the vector kernel. Both kernels are exact, so results do
 * not depend on when the switch happens.
 */
final class AdaptiveKernel extends SearchKernel {
    static final int WINS_NEEDED = 4;

    private final SearchKernel vector;
    private final int sample;
    private volatile boolean hot;
    private int wins; // racy on purpose: only a heuristic

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

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        if (hot) {
            vector.search(cb, src, base, stride, count, out, outOff);
            return;
        }
        if (count < 4 * sample) { // too little work to measure anything
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
