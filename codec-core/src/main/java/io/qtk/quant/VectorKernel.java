package io.qtk.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The search on the incubating Vector API: one SIMD lane per latent position (positions are contiguous in a CHW
 * plane), all codewords streamed past them with broadcast multiply-adds; per lane the best score, its index and the
 * second-best score are kept with blends, then every lane is checked against {@link Codebook#margin} exactly as in
 * {@link ScalarKernel} (lanes near a tie are re-ranked with the canonical distance).
 *
 * <p>Only loaded (reflectively, by {@link Kernels}) when the {@code jdk.incubator.vector} module is in the boot
 * layer; referencing this class without the module would fail to link.
 */
final class VectorKernel extends SearchKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Positions handled per block: two independent vectors, so the two compare/blend chains overlap. */
    private static final int BLOCK = 2 * S.length();

    @Override
    String name() {
        return "vector-" + S.length() * Float.SIZE;
    }

    /** Positions per SIMD block (smaller runs go to the scalar loop). */
    static int blockSize() {
        return BLOCK;
    }

    /** The number of float lanes; {@link Kernels} only uses this kernel when it is at least 4. */
    static int lanes() {
        return S.length();
    }

    @Override
    void search(Codebook cb, float[] src, int base, int stride, int count, int[] out, int outOff) {
        final int lanes = S.length();
        float[] best = new float[BLOCK];
        float[] second = new float[BLOCK];
        float[] idx = new float[BLOCK];
        int p = 0;
        for (; p + BLOCK <= count; p += BLOCK) {
            if (cb.dim() == 4) {
                block4(cb, src, base + p, stride, best, second, idx, lanes);
            } else {
                blockGeneric(cb, src, base + p, stride, best, second, idx, lanes);
            }
            final int d = cb.dim();
            for (int l = 0; l < BLOCK; l++) {
                int b = base + p + l;
                double xx = 0;
                for (int j = 0; j < d; j++) {
                    double v = src[b + j * stride];
                    xx += v * v;
                }
                out[outOff + p + l] = ScalarKernel.resolve(cb, src, b, stride, best[l], second[l], (int) idx[l], xx);
            }
        }
        if (p < count) { // tail shorter than a block
            ScalarKernel.INSTANCE.search(cb, src, base + p, stride, count - p, out, outOff + p);
        }
    }

    private static void block4(Codebook cb, float[] src, int b, int stride, float[] bestOut, float[] secondOut,
            float[] idxOut, int lanes) {
        final float[] m = cb.minusTwoWords;
        final float[] norms = cb.norms;
        final int k = cb.size();
        FloatVector a0 = FloatVector.fromArray(S, src, b);
        FloatVector a1 = FloatVector.fromArray(S, src, b + stride);
        FloatVector a2 = FloatVector.fromArray(S, src, b + 2 * stride);
        FloatVector a3 = FloatVector.fromArray(S, src, b + 3 * stride);
        FloatVector c0 = FloatVector.fromArray(S, src, b + lanes);
        FloatVector c1 = FloatVector.fromArray(S, src, b + lanes + stride);
        FloatVector c2 = FloatVector.fromArray(S, src, b + lanes + 2 * stride);
        FloatVector c3 = FloatVector.fromArray(S, src, b + lanes + 3 * stride);
        FloatVector inf = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        FloatVector bestA = inf, secondA = inf, idxA = FloatVector.zero(S);
        FloatVector bestC = inf, secondC = inf, idxC = FloatVector.zero(S);
        for (int i = 0, w = 0; i < k; i++, w += 4) {
            FloatVector n = FloatVector.broadcast(S, norms[i]);
            FloatVector m0 = FloatVector.broadcast(S, m[w]);
            FloatVector m1 = FloatVector.broadcast(S, m[w + 1]);
            FloatVector m2 = FloatVector.broadcast(S, m[w + 2]);
            FloatVector m3 = FloatVector.broadcast(S, m[w + 3]);
            FloatVector ki = FloatVector.broadcast(S, (float) i); // exact: K <= 65536 < 2^24
            FloatVector sA = a3.fma(m3, a2.fma(m2, a1.fma(m1, a0.fma(m0, n))));
            FloatVector sC = c3.fma(m3, c2.fma(m2, c1.fma(m1, c0.fma(m0, n))));
            VectorMask<Float> ltA = sA.lt(bestA);
            VectorMask<Float> ltC = sC.lt(bestC);
            secondA = secondA.min(bestA.max(sA));
            secondC = secondC.min(bestC.max(sC));
            bestA = bestA.blend(sA, ltA);
            bestC = bestC.blend(sC, ltC);
            idxA = idxA.blend(ki, ltA);
            idxC = idxC.blend(ki, ltC);
        }
        bestA.intoArray(bestOut, 0);
        bestC.intoArray(bestOut, lanes);
        secondA.intoArray(secondOut, 0);
        secondC.intoArray(secondOut, lanes);
        idxA.intoArray(idxOut, 0);
        idxC.intoArray(idxOut, lanes);
    }

    private static void blockGeneric(Codebook cb, float[] src, int b, int stride, float[] bestOut,
            float[] secondOut, float[] idxOut, int lanes) {
        final float[] m = cb.minusTwoWords;
        final float[] norms = cb.norms;
        final int k = cb.size();
        final int d = cb.dim();
        FloatVector inf = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        FloatVector bestA = inf, secondA = inf, idxA = FloatVector.zero(S);
        FloatVector bestC = inf, secondC = inf, idxC = FloatVector.zero(S);
        for (int i = 0, w = 0; i < k; i++, w += d) {
            FloatVector sA = FloatVector.broadcast(S, norms[i]);
            FloatVector sC = sA;
            for (int j = 0; j < d; j++) { // components re-read from L1: d is not known statically
                FloatVector mj = FloatVector.broadcast(S, m[w + j]);
                sA = FloatVector.fromArray(S, src, b + j * stride).fma(mj, sA);
                sC = FloatVector.fromArray(S, src, b + lanes + j * stride).fma(mj, sC);
            }
            FloatVector ki = FloatVector.broadcast(S, (float) i);
            VectorMask<Float> ltA = sA.lt(bestA);
            VectorMask<Float> ltC = sC.lt(bestC);
            secondA = secondA.min(bestA.max(sA));
            secondC = secondC.min(bestC.max(sC));
            bestA = bestA.blend(sA, ltA);
            bestC = bestC.blend(sC, ltC);
            idxA = idxA.blend(ki, ltA);
            idxC = idxC.blend(ki, ltC);
        }
        bestA.intoArray(bestOut, 0);
        bestC.intoArray(bestOut, lanes);
        secondA.intoArray(secondOut, 0);
        secondC.intoArray(secondOut, lanes);
        idxA.intoArray(idxOut, 0);
        idxC.intoArray(idxOut, lanes);
    }
}
