package io.qtk.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Per-thread reusable direct, native-order float buffers for run inputs. ONNX Runtime wraps a direct buffer without
 * copying (a heap buffer or array would be copied into a fresh direct buffer on every run), and reusing one per
 * thread avoids allocating and zeroing direct memory per run. Buffers above {@link #MAX_CACHED_FLOATS} are not kept,
 * so a single huge image does not pin native memory for the life of a pool thread.
 */
final class DirectBuffers {
    /** 16 Mi floats = 64 MiB: a 2048 x 2730 RGB input. */
    static final int MAX_CACHED_FLOATS = 16 << 20;

    private static final ThreadLocal<FloatBuffer> CACHE = new ThreadLocal<>();

    private DirectBuffers() {}

    /** A direct buffer holding {@code data}, position 0, limit {@code data.length}. Valid until this thread's next call. */
    static FloatBuffer of(float[] data) {
        int n = data.length;
        FloatBuffer b = CACHE.get();
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(Math.multiplyExact(n, Float.BYTES)).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            if (n <= MAX_CACHED_FLOATS) {
                CACHE.set(b);
            }
        }
        b.clear();
        b.put(data, 0, n);
        b.flip();
        return b;
    }
}
