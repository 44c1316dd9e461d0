package io.qtk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bjøntegaard delta rate against closed-form cases and numpy's polyfit reference (reference_values.py). */
class BdRateTest {
    @Test
    void aCurveAgainstItselfIsZero() {
        double[] r = {0.25, 0.5, 1.0, 2.0};
        double[] q = {28, 31, 34.5, 38};
        assertEquals(0.0, BdRate.bdRate(r, q, r, q), 1e-9);
    }

    @Test
    void aConstantRateFactorGivesExactlyThatPercentage() {
        double[] r = {0.1, 0.2, 0.45, 0.7, 1.1, 1.8};
        double[] q = {25.0, 27.6, 31.1, 32.9, 35.0, 37.9};
        double[] r80 = new double[r.length];
        double[] r150 = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            r80[i] = r[i] * 0.8;
            r150[i] = r[i] * 1.5;
        }
        assertEquals(-20.0, BdRate.bdRate(r, q, r80, q), 1e-9);
        assertEquals(50.0, BdRate.bdRate(r, q, r150, q), 1e-9);
    }

    @Test
    void fourPointCurvesMatchNumpy() {
        double[] r1 = {0.25, 0.5, 1.0, 2.0};
        double[] p1 = {28.1, 31.0, 34.3, 38.2};
        double[] r2 = {0.21, 0.44, 0.93, 1.71};
        double[] p2 = {28.4, 31.5, 34.6, 38.0};
        assertEquals(-16.654552928774, BdRate.bdRate(r1, p1, r2, p2), 1e-7);
    }

    @Test
    void sixPointLeastSquaresCurvesMatchNumpy() {
        double[] r3 = {0.12, 0.25, 0.5, 0.8, 1.2, 2.0};
        double[] p3 = {25.2, 28.1, 31.0, 33.0, 34.9, 38.2};
        double[] r4 = {0.1, 0.2, 0.45, 0.7, 1.1, 1.8};
        double[] p4 = {25.0, 27.6, 31.1, 32.9, 35.0, 37.9};
        assertEquals(-10.306158725436, BdRate.bdRate(r3, p3, r4, p4), 1e-7);
    }

    @Test
    void cubicFitIsExactOnACubic() {
        double[] x = {30, 32, 35, 37, 40};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 1 - 2 * x[i] + 0.5 * x[i] * x[i] - 0.01 * x[i] * x[i] * x[i];
        }
        assertArrayEquals(new double[] {1, -2, 0.5, -0.01}, BdRate.cubicFit(x, y), 1e-6);
    }

    @Test
    void undefinedCasesAreNaN() {
        double[] r = {0.25, 0.5, 1.0};
        double[] q = {28, 31, 34};
        assertTrue(Double.isNaN(BdRate.bdRate(r, q, r, q)), "fewer than 4 points");
        double[] r4 = {0.25, 0.5, 1.0, 2.0};
        assertTrue(Double.isNaN(BdRate.bdRate(r4, new double[] {20, 21, 22, 23}, r4,
                new double[] {30, 31, 32, 33})), "no overlap");
        assertTrue(Double.isNaN(BdRate.bdRate(new double[] {0, 0.5, 1, 2}, q4(), r4, q4())), "zero rate");
    }

    private static double[] q4() {
        return new double[] {28, 31, 34, 37};
    }
}
