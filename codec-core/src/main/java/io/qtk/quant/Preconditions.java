package io.qtk.quant;

/** Argument checks shared by the quantisers (package-private helper). */
final class Preconditions {
    private Preconditions() {}

    static void checkIndex(int i, int size, String what) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(what + " " + i + " out of range [0, " + size + ")");
        }
    }
}
