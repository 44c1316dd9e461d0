package io.qtk.runtime;

import java.util.Arrays;

/**
 * A float32 tensor in C order: the data of a run's input or output together with its shape. The array is not copied
 * (these are large); treat it as owned by whoever holds the tensor.
 */
public final class FloatTensor {
    private final float[] data;
    private final int[] shape;

    /**
     * @param data the values, C order
     * @param shape the dimensions; their product must equal {@code data.length}
     * @throws IllegalArgumentException if they do not match or a dimension is negative
     */
    public FloatTensor(float[] data, int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has "
                    + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    /** The values (not a copy). */
    public float[] data() {
        return data;
    }

    /** The dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    long[] longShape() {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
