package io.qtk.imageio;

import io.qtk.QtkConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;

/**
 * Constants and class-wide settings of the qtk ImageIO plugin, plus registration helpers for class loaders that
 * {@code META-INF/services} discovery does not reach (servlet containers, OSGi).
 *
 * <p>The plugin registers itself when its jar is on the class path: {@code ImageIO.read(file)} and
 * {@code ImageIO.write(image, "qtk", file)} need nothing else. The reader and writer share one
 * {@link io.qtk.QtkDecoder} and one {@link io.qtk.QtkEncoder} (both thread-safe and costly to create, as they hold
 * the model sessions), made on first use with {@link #config()} and closed when the service provider is
 * deregistered (see {@link #deregister(IIORegistry)}).
 */
public final class QtkImageIO {
    /** Informal format names, as {@link javax.imageio.ImageIO#getImageReadersByFormatName(String)} takes them. */
    public static final String[] FORMAT_NAMES = {"qtk", "QTK"};

    /** File suffixes. */
    public static final String[] SUFFIXES = {"qtk"};

    /** MIME types (not registered with IANA, hence the {@code x-} prefix). */
    public static final String[] MIME_TYPES = {"image/x-qtk"};

    /** Name of the native image metadata format; its tree is described by {@link QtkMetadataFormat}. */
    public static final String NATIVE_METADATA_FORMAT_NAME = "javax_imageio_qtk_1.0";

    /** The vendor the service providers report. */
    static final String VENDOR = "qtk";

    private static volatile QtkConfig config = QtkConfig.DEFAULT;

    private QtkImageIO() {
    }

    /**
     * @return the plugin's version: the jar manifest's {@code Implementation-Version}, or {@code "dev"} when run from
     *     classes (tests, IDE)
     */
    public static String version() {
        String v = QtkImageIO.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** @return the run-time settings used for the shared encoder and decoder */
    public static QtkConfig config() {
        return config;
    }

    /**
     * Sets the run-time settings (threads, CUDA, extra model directories) of the shared encoder and decoder. The
     * ones already made are closed, so the next read or write uses the new settings; a read or write in progress
     * finishes with the old ones only if it already holds them, so call this before any I/O, at start-up.
     *
     * @param newConfig the settings
     */
    public static void setConfig(QtkConfig newConfig) {
        config = Objects.requireNonNull(newConfig, "config");
        SharedCodecs.closeAll();
    }

    /**
     * Registers the qtk reader and writer with a registry, e.g. from a servlet context listener so that they are
     * loaded by the web application's class loader. Registering twice is harmless (the registry keys providers by
     * class).
     *
     * @param registry usually {@link IIORegistry#getDefaultInstance()}
     */
    public static void register(IIORegistry registry) {
        registry.registerServiceProvider(new QtkImageReaderSpi(), ImageReaderSpi.class);
        registry.registerServiceProvider(new QtkImageWriterSpi(), ImageWriterSpi.class);
    }

    /**
     * Removes the qtk reader and writer that were loaded by <em>this</em> class's class loader from a registry (on
     * web-app undeploy, so the registry, which lives in the system class loader, does not pin the web app's class
     * loader). Deregistration also closes the shared encoder / decoder, releasing their native memory.
     *
     * @param registry usually {@link IIORegistry#getDefaultInstance()}
     */
    public static void deregister(IIORegistry registry) {
        deregister(registry, ImageReaderSpi.class, QtkImageReaderSpi.class);
        deregister(registry, ImageWriterSpi.class, QtkImageWriterSpi.class);
        SharedCodecs.closeAll();
    }

    private static <T> void deregister(IIORegistry registry, Class<T> category, Class<? extends T> type) {
        // Match by class object, not name: another web app may have its own copy of the plugin registered.
        // Collect first: deregistering while iterating the registry's own iterator is not allowed.
        List<T> found = new ArrayList<>();
        registry.getServiceProviders(category, p -> p.getClass() == type, false).forEachRemaining(found::add);
        for (T provider : found) {
            registry.deregisterServiceProvider(provider, category);
        }
    }
}
