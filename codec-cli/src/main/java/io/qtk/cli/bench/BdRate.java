package io.qtk.cli.bench;

/**
 * Bjøntegaard delta rate (VCEG-M33): the average difference in bit rate between two rate-distortion curves over
 * their common quality range. Each curve is fitted with a cubic polynomial of log(rate) as a function of quality
 * (least squares when there are more than 4 points, exact for 4); the fits are integrated over the overlap of the
 * two quality ranges; the mean log-rate difference d gives {@code (exp(d) - 1) * 100} percent. Negative means the
 * test codec needs fewer bits than the anchor for the same quality.
 */
public final class BdRate {
    private BdRate() {
    }

    /**
     * @param anchorRate rates of the reference codec (any unit, positive, e.g. bpp)
     * @param anchorQuality its qualities (e.g. PSNR in dB)
     * @param testRate rates of the codec under test
     * @param testQuality its qualities
     * @return the BD-rate in percent, or NaN when a curve has fewer than 4 points, a non-positive rate, or the
     *     quality ranges do not overlap
     */
    public static double bdRate(double[] anchorRate, double[] anchorQuality, double[] testRate, double[] testQuality) {
        if (anchorRate.length != anchorQuality.length || testRate.length != testQuality.length) {
            throw new IllegalArgumentException("rate and quality arrays differ in length");
        }
        if (anchorRate.length < 4 || testRate.length < 4 || !positive(anchorRate) || !positive(testRate)) {
            return Double.NaN;
        }
        double lo = Math.max(min(anchorQuality), min(testQuality));
        double hi = Math.min(max(anchorQuality), max(testQuality));
        if (!(hi > lo)) {
            return Double.NaN;
        }
        double[] pa = cubicFit(anchorQuality, log(anchorRate));
        double[] pt = cubicFit(testQuality, log(testRate));
        if (pa == null || pt == null) {
            return Double.NaN;
        }
        double ia = integral(pa, lo, hi);
        double it = integral(pt, lo, hi);
        double avg = (it - ia) / (hi - lo);
        return (Math.exp(avg) - 1) * 100;
    }

    /**
     * Least-squares cubic fit {@code y = c0 + c1 x + c2 x^2 + c3 x^3}. The abscissa is centred and scaled before
     * solving (quality values around 30..40 dB make the raw normal equations badly conditioned).
     *
     * @param x abscissae, at least 4 distinct
     * @param y ordinates
     * @return {c0, c1, c2, c3} in the original x, or null when the points do not determine a cubic
     */
    static double[] cubicFit(double[] x, double[] y) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double scale = 0;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v - mean));
        }
        if (scale == 0) {
            return null;
        }
        // Normal equations A^T A c = A^T y on t = (x - mean) / scale, solved by Gaussian elimination with pivoting.
        double[][] m = new double[4][5];
        for (int i = 0; i < n; i++) {
            double t = (x[i] - mean) / scale;
            double[] pw = {1, t, t * t, t * t * t};
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    m[r][c] += pw[r] * pw[c];
                }
                m[r][4] += pw[r] * y[i];
            }
        }
        double[] ct = solve(m);
        if (ct == null) {
            return null;
        }
        // Expand p(t) with t = (x - mean) / scale back into powers of x.
        double[] c = new double[4];
        for (int k = 0; k < 4; k++) {
            double coef = ct[k] / Math.pow(scale, k);
            // (x - mean)^k = sum_j binom(k, j) x^j (-mean)^(k-j)
            for (int j = 0; j <= k; j++) {
                c[j] += coef * binom(k, j) * Math.pow(-mean, k - j);
            }
        }
        return c;
    }

    private static double[] solve(double[][] m) {
        int n = 4;
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
                    piv = r;
                }
            }
            if (Math.abs(m[piv][col]) < 1e-12) {
                return null;
            }
            double[] tmp = m[col];
            m[col] = m[piv];
            m[piv] = tmp;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c <= n; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }

    private static double integral(double[] c, double lo, double hi) {
        return prim(c, hi) - prim(c, lo);
    }

    private static double prim(double[] c, double x) {
        double s = 0;
        for (int k = 0; k < c.length; k++) {
            s += c[k] * Math.pow(x, k + 1) / (k + 1);
        }
        return s;
    }

    private static int binom(int n, int k) {
        int r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - i + 1) / i;
        }
        return r;
    }

    private static double[] log(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.log(a[i]);
        }
        return r;
    }

    private static boolean positive(double[] a) {
        for (double v : a) {
            if (!(v > 0) || Double.isInfinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
