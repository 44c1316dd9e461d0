package io.qtk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.EncodeOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateControlTest {
    private static final int[] LADDER = {1, 2, 3, 4, 6, 8};

    @Test
    void ladderIsNormalised() {
        assertArrayEquals(new int[] {1, 2, 4}, RateControl.normalise(List.of(4, 2, 2, 9, 0, 1), 4));
        assertArrayEquals(new int[] {1, 2, 3}, RateControl.normalise(List.of(), 3));
    }

    @Test
    void qualityIsMonotoneAndCoversTheLadder() {
        int prev = 0;
        for (int i = 0; i <= 100; i++) {
            int g = RateControl.byQuality(i / 100.0, LADDER);
            assertTrue(g >= prev);
            prev = g;
        }
        assertEquals(1, RateControl.byQuality(0, LADDER));
        assertEquals(8, RateControl.byQuality(1, LADDER));
    }

    @Test
    void sizeTargetsPickTheLargestFittingPoint() {
        // file size: 100 bytes of overhead + 50 per group
        java.util.function.IntToLongFunction size = g -> 100 + 50L * g;
        assertEquals(6, RateControl.bySize(400, LADDER, size));
        assertEquals(6, RateControl.bySize(449, LADDER, size));
        assertEquals(4, RateControl.bySize(399, LADDER, size));
        assertEquals(1, RateControl.bySize(10, LADDER, size), "lowest point when none fits");
        assertEquals(8, RateControl.bySize(Long.MAX_VALUE, LADDER, size));
        EncodeOptions bpp = EncodeOptions.builder().targetBpp(0.5).build(); // 80x80 -> 400 bytes
        assertEquals(6, RateControl.choose(bpp, 80, 80, LADDER, size));
        assertEquals(400, RateControl.maxBytesForBpp(0.5, 80, 80));
    }
}
