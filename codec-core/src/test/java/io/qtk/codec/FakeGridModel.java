package io.qtk.codec;

/**
 * A pure-Java stand-in for a grid model (f = 4, G = 2 groups of d = 3, K = 64) whose encoder and decoder each look
 * one latent position beyond the one they produce, so tiling without a halo of at least one latent position shows
 * seams and tiling with it is exact.
 */
final class FakeGridModel implements TileNetwork, LatentQuantiser {
    static final int F = 4;
    static final int G = 2;
    static final int D = 3;
    static final int K = 64;
    private final float[][] codebooks = new float[G][K * D];

    FakeGridModel() {
        for (int k = 0; k < K; k++) {
            int a = k & 3;
            int b = (k >> 2) & 3;
            int c = k >> 4;
            float[] v0 = {a / 3f, b / 3f, c / 3f};
            float[] v1 = {(a - 1.5f) / 15f, (b - 1.5f) / 15f, (c - 1.5f) / 15f};
            for (int j = 0; j < D; j++) {
                codebooks[0][k * D + j] = v0[j];
                codebooks[1][k * D + j] = v1[j];
            }
        }
    }

    @Override
    public int factor() {
        return F;
    }

    @Override
    public int latentChannels() {
        return G * D;
    }

    @Override
    public float[] encode(float[] rgb, int h, int w) {
        int lh = h / F;
        int lw = w / F;
        int n = lh * lw;
        float[] pooled = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pooled[c * n + (y / F) * lw + x / F] += rgb[c * h * w + y * w + x] / (F * F);
                }
            }
        }
        float[] out = new float[G * D * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < lh; y++) {
                for (int x = 0; x < lw; x++) {
                    float mean = box(pooled, c * n, lh, lw, y, x);
                    out[c * n + y * lw + x] = mean;
                    out[(3 + c) * n + y * lw + x] = pooled[c * n + y * lw + x] - mean;
                }
            }
        }
        return out;
    }

    private static float box(float[] a, int off, int lh, int lw, int y, int x) {
        float s = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int yy = Math.max(0, Math.min(lh - 1, y + dy));
                int xx = Math.max(0, Math.min(lw - 1, x + dx));
                s += a[off + yy * lw + xx];
            }
        }
        return s / 9f;
    }

    @Override
    public float[] decode(float[] latent, int lh, int lw) {
        int n = lh * lw;
        int h = lh * F;
        int w = lw * F;
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < lh; y++) {
                for (int x = 0; x < lw; x++) {
                    float v = box(latent, c * n, lh, lw, y, x) + latent[(3 + c) * n + y * lw + x];
                    for (int j = 0; j < F; j++) {
                        for (int i = 0; i < F; i++) {
                            out[c * h * w + (y * F + j) * w + x * F + i] = v;
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public int groups() {
        return G;
    }

    @Override
    public int dim() {
        return D;
    }

    @Override
    public int codebookSize() {
        return K;
    }

    @Override
    public int[][] quantise(float[] latent, int n) {
        int[][] out = new int[G][n];
        for (int g = 0; g < G; g++) {
            for (int p = 0; p < n; p++) {
                int best = 0;
                float bestD = Float.MAX_VALUE;
                for (int k = 0; k < K; k++) {
                    float dist = 0;
                    for (int j = 0; j < D; j++) {
                        float e = latent[(g * D + j) * n + p] - codebooks[g][k * D + j];
                        dist += e * e;
                    }
                    if (dist < bestD) {
                        bestD = dist;
                        best = k;
                    }
                }
                out[g][p] = best;
            }
        }
        return out;
    }

    @Override
    public void dequantise(int[][] indices, int groupsUsed, float[] latent) {
        int n = latent.length / (G * D);
        for (int g = 0; g < G; g++) {
            for (int p = 0; p < n; p++) {
                for (int j = 0; j < D; j++) {
                    latent[(g * D + j) * n + p] = g < groupsUsed ? codebooks[g][indices[g][p] * D + j] : 0f;
                }
            }
        }
    }
}
