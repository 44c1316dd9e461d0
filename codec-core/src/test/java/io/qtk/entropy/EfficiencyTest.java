package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The efficiency bound: on fixed seeded streams of 100 000 symbols, the coded size (termination included) is within
 * 0.5 % of the ideal code length under the normalised table (or the adaptive counts as they evolve).
 */
class EfficiencyTest {

    private static final int N = 100_000;

    @ParameterizedTest(name = "K={0} {1}")
    @CsvSource({
        "256, zipf", "256, laplace", "4096, zipf", "4096, laplace", "65536, zipf", "65536, laplace",
        "2, skewed", "16, skewed"})
    void codedSizeIsWithinHalfAPercentOfIdeal(int k, String source) throws Exception {
        long[] counts = switch (source) {
            case "zipf" -> TestSupport.zipfCounts(k, 1.1);
            case "laplace" -> TestSupport.laplaceCounts(k, k / 32.0);
            default -> skewed(k); // about 0.1 bit per symbol: the flush byte matters most here
        };
        FrequencyTable table = FrequencyTable.fromCounts(counts);
        int[] symbols = TestSupport.sample(table, N, 20240607L + k);
        for (EntropyModel model : new EntropyModel[] {table, AdaptiveModel.of(k)}) {
            byte[] coded = IndexStreamCodec.encode(symbols, model);
            double ideal = IndexStreamCodec.idealCodeLength(symbols, 0, N, model);
            double ratio = coded.length * 8.0 / ideal;
            assertTrue(ratio < 1.005, model + ": " + coded.length * 8 + " bits vs ideal " + ideal);
            // and not suspiciously below it (a wrong "ideal" would make the bound meaningless)
            assertTrue(ratio > 0.998, model + ": " + coded.length * 8 + " bits vs ideal " + ideal);
            assertArrayEquals(symbols, IndexStreamCodec.decode(coded, N, model));
        }
    }

    private static long[] skewed(int k) {
        long[] c = new long[k];
        java.util.Arrays.fill(c, 1);
        c[0] = 99L * (k - 1);
        return c;
    }
}
