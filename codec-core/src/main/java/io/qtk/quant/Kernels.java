package io.qtk.quant;

import java.lang.System.Logger.Level;

/**
 * Picks the search kernel once per JVM. The Vector API kernel is used when the {@code jdk.incubator.vector} module is
 * in the boot layer (run with {@code --add-modules jdk.incubator.vector}), the preferred species has at least 4 float
 * lanes, and the system property {@code qtk.quant.vector} is not {@code false}; anything else, including any failure
 * to link it, gives the portable {@link ScalarKernel}. Both return identical indices.
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
        SearchKernel k = "false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY)) ? null : vectorOrNull();
        if (k == null) {
            k = ScalarKernel.INSTANCE;
        }
        LOG.log(Level.DEBUG, "quantiser search kernel: {0}", k.name());
        return k;
    }
}
