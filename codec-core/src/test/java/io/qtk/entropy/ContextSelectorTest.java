package io.qtk.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContextSelectorTest {

    private static int[] contexts(ContextSelector sel, int[] symbols) {
        int[] out = new int[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            out[i] = sel.select(symbols, 0, i);
        }
        return out;
    }

    @Test
    void previousSymbol() {
        ContextSelector sel = ContextSelector.previousSymbol(new int[] {0, 1, 1, 2}, 3);
        assertEquals(4, sel.contextCount());
        assertArrayEquals(new int[] {3, 2, 0, 1, 1}, contexts(sel, new int[] {3, 0, 2, 1, 0}));
        // offsets: only the window starting at offset counts
        assertEquals(3, sel.select(new int[] {2, 0}, 1, 0));
    }

    @Test
    void gridNeighbours() {
        // width 3, buckets 2 (symbols 0,1 -> 0; 2,3 -> 1): B = 3, ctx = left * 3 + up
        ContextSelector sel = ContextSelector.gridNeighbours(3, new int[] {0, 0, 1, 1}, 2);
        assertEquals(9, sel.contextCount());
        int[] grid = {
            0, 2, 1,
            3, 0, 2};
        // (0,0): none -> 0; (1,0): left 0 -> (1)*3 = 3; (2,0): left 2 -> 2*3 = 6
        // (0,1): up 0 -> 1; (1,1): left 3 -> 2*3, up 2 -> 2: 8; (2,1): left 0 -> 3, up 1 -> 1: 4
        assertArrayEquals(new int[] {0, 3, 6, 1, 8, 4}, contexts(sel, grid));
    }

    @Test
    void sideInformation() {
        ContextSelector sel = ContextSelector.sideInformation(new int[] {2, 0, 1}, new int[] {5, 6, 7});
        assertEquals(8, sel.contextCount());
        assertArrayEquals(new int[] {7, 5, 6}, contexts(sel, new int[3]));
        assertThrows(IllegalStateException.class, () -> sel.select(new int[4], 0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> ContextSelector.sideInformation(new int[] {3}, new int[] {0, 1, 2}));
    }

    @Test
    void badSelectorsAndModelsAreRejected() throws Exception {
        FrequencyTable t4 = FrequencyTable.uniform(4);
        assertThrows(IllegalArgumentException.class, () -> ContextModel.of((s, o, p) -> 0, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ContextModel.of((s, o, p) -> 0, t4, FrequencyTable.uniform(5)));
        assertThrows(IllegalArgumentException.class,
                () -> ContextModel.of((s, o, p) -> 0, t4, ContextModel.of((s, o, p) -> 0, t4)));
        assertThrows(IllegalArgumentException.class,
                () -> ContextModel.of(ContextSelector.previousSymbol(new int[] {0, 1, 2, 3}, 0), t4, t4));
        assertThrows(IllegalArgumentException.class, () -> ContextSelector.gridNeighbours(0, new int[4], 1));
        assertThrows(IllegalArgumentException.class, () -> ContextSelector.gridNeighbours(2, new int[] {0, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> ContextSelector.previousSymbol(new int[] {-1}, 0));

        ContextModel outOfRange = ContextModel.of((s, o, p) -> p == 3 ? 2 : 0, t4, t4);
        assertThrows(IllegalStateException.class, () -> IndexStreamCodec.encode(new int[5], outOfRange));
        assertThrows(IllegalStateException.class, () -> IndexStreamCodec.decode(new byte[3], 5, outOfRange));
        assertEquals(3, IndexStreamCodec.decode(new byte[3], 3, outOfRange).length);
    }

    @Test
    void eachAdaptiveContextKeepsItsOwnCounts() throws Exception {
        // Context = parity of the position; both adaptive. Coding the same stream through the context model must equal
        // coding the even and odd positions with two independent adaptive states interleaved.
        int k = 6;
        AdaptiveModel a = new AdaptiveModel(k, 7, 100);
        ContextModel cm = ContextModel.of((s, o, p) -> p & 1, a, a);
        int[] symbols = {5, 0, 5, 0, 5, 1, 5, 1, 4, 1, 5, 0, 5, 2};
        RangeEncoder enc = new RangeEncoder();
        AdaptiveFrequencies even = a.newState();
        AdaptiveFrequencies odd = a.newState();
        for (int i = 0; i < symbols.length; i++) {
            enc.encode((i & 1) == 0 ? even : odd, symbols[i]);
        }
        byte[] expected = enc.finish();
        assertArrayEquals(expected, IndexStreamCodec.encode(symbols, cm));
        assertArrayEquals(symbols, IndexStreamCodec.decode(expected, symbols.length, cm));
    }
}
