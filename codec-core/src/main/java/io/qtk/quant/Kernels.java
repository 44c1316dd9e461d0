package io.qtk.quant;

import java.lang.System.Logger.Level;

/**
 * Picks the search kernel once per JVM. The Vector API kernel is used (through {@link AdaptiveKernel}, which keeps to
 * the scalar loop until the vector code is compiled) when the {@code jdk.incubator.vector} module is in the boot layer
 * (run with {@code --add-modules jdk.incubator.vector}), the preferred species has at least 4 float lanes, and the
 * system property {@code qtk.quant.vector} is not {@code false}; anything else, including any failure to link it,
 * gives the portable {@link ScalarKernel}. All return identical indices.
 */
final class Kernels {
    private static final System.Logger LOG = System.getLogger("io.qtk.quant");

    /** System property: {@code false} forces the scalar kernel even when the Vector API is available. */
    static final String VECTOR_PROPERTY = "qtk.quant.vector";

    private static final SearchKernel DEFAULT = choose();

    private Kernels() {}

    static SearchKernel defaultKernel() {
        return DEFAULT;
    }

    /** VectorKernel.blockSize(), read reflectively (this class must link without the incubator module). */
    private static int vectorBlock() {
        try {
            return (int) Class.forName("io.qtk.quant.VectorKernel").getDeclaredMethod("blockSize").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 16;
        }
    }

    /** The Vector API kernel, or null when it cannot be used in this JVM. */
    static SearchKernel vectorOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            Class<?> c = Class.forName("io.qtk.quant.VectorKernel");
            int lanes = (int) c.getDeclaredMethod("lanes").invoke(null);
            if (lanes < 4) {
                return null; // too narrow to beat the scalar loop
            }
            var ctor = c.getDeclaredConstructor();
            return (SearchKernel) ctor.newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.DEBUG, "Vector API kernel unavailable, using scalar: {0}", e.toString());
            return null;
        }
    }

    private static SearchKernel choose() {
        SearchKernel v = "false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY)) ? null : vectorOrNull();
        // Adaptive: the vector kernel is slow until C2 compiles it, so a one-image JVM must not pay for it.
        SearchKernel k = v == null ? ScalarKernel.INSTANCE : new AdaptiveKernel(v, vectorBlock());
        LOG.log(Level.DEBUG, "quantiser search kernel: {0}", k.name());
        return k;
    }
}
