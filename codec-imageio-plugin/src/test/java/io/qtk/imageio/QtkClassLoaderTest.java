package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The servlet-container recipe of the README, simulated: a second copy of the plugin in its own class loader (as a
 * web application has) registered with {@code ImageIO.scanForPlugins()} under that context class loader, then
 * removed with {@link QtkImageIO#deregister} from that copy, leaving the application class path's copy alone.
 */
@Isolated
class QtkClassLoaderTest {

    private static List<ImageReaderSpi> qtkReaderSpis() {
        List<ImageReaderSpi> found = new ArrayList<>();
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                false);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spi.getClass().getName().equals(QtkImageReaderSpi.class.getName())) {
                found.add(spi);
            }
        }
        return found;
    }

    @Test
    void webAppCopyRegistersAndDeregistersOnItsOwn() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        // Parent: the platform loader, so the plugin and codec classes are loaded afresh, as in a web app.
        ClassLoader webApp = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        assertEquals(1, qtkReaderSpis().size());
        try {
            t.setContextClassLoader(webApp);
            ImageIO.scanForPlugins(); // what the README's context listener does on start-up
        } finally {
            t.setContextClassLoader(before);
        }
        try {
            List<ImageReaderSpi> both = qtkReaderSpis();
            assertEquals(2, both.size(), "the web app's copy is a provider of its own");
            assertTrue(both.stream().anyMatch(s -> s.getClass().getClassLoader() == webApp));
            int writers = 0;
            Iterator<ImageWriterSpi> w = IIORegistry.getDefaultInstance().getServiceProviders(ImageWriterSpi.class,
                    false);
            while (w.hasNext()) {
                if (w.next().getClass().getName().equals(QtkImageWriterSpi.class.getName())) {
                    writers++;
                }
            }
            assertEquals(2, writers);
        } finally {
            // On undeploy: the web app's own QtkImageIO removes the web app's providers only.
            Class<?> helper = Class.forName(QtkImageIO.class.getName(), true, webApp);
            assertNotSame(QtkImageIO.class, helper);
            helper.getMethod("deregister", IIORegistry.class).invoke(null, IIORegistry.getDefaultInstance());
        }
        List<ImageReaderSpi> left = qtkReaderSpis();
        assertEquals(1, left.size());
        assertSame(QtkImageReaderSpi.class, left.get(0).getClass(), "the application's copy stays");
        assertTrue(ImageIO.getImageWritersByFormatName("qtk").next() instanceof QtkImageWriter);
    }
}
