package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Frozen outputs for integer-only generated inputs: any change to normalisation, the adaptive rule, context
 * selection or the coder changes these digests, and is a format change. The same vectors were reproduced with an
 * independent Python transcription of the spec (section 9), so they also pin cross-language agreement.
 *
 * <p>Inputs: {@code counts[s] = s % 17 == 0 ? 0 : 1 + ((s * 2654435761) >>> 7) % 1000}; symbols from the 64-bit LCG
 * {@code x = x * 6364136223846793005 + 1442695040888963407} (x starts at the seed),
 * {@code u = x >>> 33}, {@code s = (((u * u) >>> 31) * K) >>> 31} (skewed towards 0).
 */
class GoldenVectorsTest {

    static long[] counts(int k) {
        long[] c = new long[k];
        for (int s = 0; s < k; s++) {
            c[s] = s % 17 == 0 ? 0 : 1 + ((s * 2654435761L) >>> 7) % 1000;
        }
        return c;
    }

    static int[] symbols(int k, int n, long seed) {
        int[] out = new int[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            long u = x >>> 33;
            out[i] = (int) ((((u * u) >>> 31) * k) >>> 31);
        }
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void check(EntropyModel m, int[] symbols, int length, String digest) throws Exception {
        byte[] coded = IndexStreamCodec.encode(symbols, m);
        assertEquals(length, coded.length);
        assertEquals(digest, sha256(coded));
        assertArrayEquals(symbols, IndexStreamCodec.decode(coded, symbols.length, m));
    }

    @Test
    void staticK256() throws Exception {
        check(FrequencyTable.fromCounts(counts(256)), symbols(256, 3000, 1), LEN[0], SHA[0]);
    }

    @Test
    void staticK65536() throws Exception {
        check(FrequencyTable.fromCounts(counts(65536), 24), symbols(65536, 3000, 2), LEN[1], SHA[1]);
    }

    @Test
    void adaptiveK4096() throws Exception {
        check(AdaptiveModel.of(4096), symbols(4096, 3000, 3), LEN[2], SHA[2]);
    }

    @Test
    void contextK16() throws Exception {
        // previous symbol: contexts 0 (even) / 1 (odd); context 0 static, context 1 adaptive (inc 8, limit 300)
        int[] map = new int[16];
        for (int s = 0; s < 16; s++) {
            map[s] = s & 1;
        }
        ContextModel m = ContextModel.of(ContextSelector.previousSymbol(map, 0),
                FrequencyTable.fromCounts(counts(16), 10), new AdaptiveModel(16, 8, 300));
        check(m, symbols(16, 3000, 4), LEN[3], SHA[3]);
    }

    private static final int[] LEN = {3464, 6309, 4962, 1851};
    private static final String[] SHA = {
        "c3c3af79c096e689c2fabf67c0a5d41a573307b83dc14a3d0010d82d52f0e488",
        "6ac6e7679de3cd7b2eba62b0edc4349fdd1bc95d2281a24091201591de1c3f19",
        "2a4e6929e9db3d8554296e9b93682f30adca92d70be859ffe03496b66fbe11a7",
        "309f76697537871f4ab49b8f74aac79374f74343a607432dd413e028a1faddd5"};
}
