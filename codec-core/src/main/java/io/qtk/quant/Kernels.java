package io.qtk.quant;

import java.lang.System.Logger.Level;

/**
 * Picks the search kernel once per JVM: by default {@link AdaptiveKernel} ({@link BlockKernel} once compiled, the
 * {@link ScalarKernel} scan before). The system property {@value #KERNEL_PROPERTY} overrides it ({@code block},
 * {@code scalar} or {@code adaptive}; for benchmarks and diagnosis). All return identical indices.
 */
final class Kernels {
    private static final System.Logger LOG = System.getLogger("io.qtk.quant");

    /** System property naming the search kernel: {@code adaptive} (default), {@code block} or {@code scalar}. */
    static final String KERNEL_PROPERTY = "qtk.quant.kernel";

    private static final SearchKernel DEFAULT = choose(System.getProperty(KERNEL_PROPERTY, "adaptive"));

    private Kernels() {}

    static SearchKernel defaultKernel() {
        return DEFAULT;
    }

    static SearchKernel choose(String name) {
        SearchKernel k;
        switch (name) {
            case "block":
                k = BlockKernel.INSTANCE;
                break;
            case "scalar":
                k = ScalarKernel.INSTANCE;
                break;
            case "adaptive":
                k = new AdaptiveKernel();
                break;
            default:
                LOG.log(Level.WARNING, "unknown {0}={1}, using adaptive", KERNEL_PROPERTY, name);
                k = new AdaptiveKernel();
        }
        LOG.log(Level.DEBUG, "quantiser search kernel: {0}", k.name());
        return k;
    }
}
