package io.qtk.examples;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * What a program that knows only ImageIO does with {@code .qtk}: finds a reader by suffix, writes, reads, and reads
 * subsampled, with the shipped model and nothing on its path but what {@code io.qtk:codec-imageio-plugin} brings.
 * Exits non-zero (an exception) on any failure.
 *
 * <p>Arguments: an output directory, then {@code modules} when the dependencies are on the module path (it
 * then also checks that the plugin was bound as the named module {@code io.qtk.imageio}).
 */
public final class ImageIOClient {
    /** The jars the one dependency may bring, by file-name prefix; anything else on the path is a failure. */
    private static final List<String> EXPECTED = List.of("codec-imageio-plugin-", "codec-models-", "codec-core-",
            "onnxruntime"); // or onnxruntime_gpu

    private ImageIOClient() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        boolean modulePath = args.length > 1 && args[1].equals("modules");
        checkPath(modulePath);

        Iterator<ImageReader> bySuffix = ImageIO.getImageReadersBySuffix("qtk");
        check(bySuffix.hasNext(), "ImageIO.getImageReadersBySuffix(\"qtk\") found no reader");
        ImageReader reader = bySuffix.next();
        check(List.of(reader.getOriginatingProvider().getFormatNames()).contains("qtk"),
                "the reader found for .qtk does not name the format qtk");
        if (modulePath) {
            checkModules(reader);
        }

        BufferedImage image = gradient(96, 64);
        File file = dir.resolve("gradient.qtk").toFile();
        check(ImageIO.write(image, "qtk", file), "ImageIO.write found no qtk writer");
        check(file.length() > 0, "ImageIO.write wrote nothing");

        BufferedImage back = ImageIO.read(file);
        check(back != null, "ImageIO.read returned null for a .qtk file");
        check(back.getWidth() == 96 && back.getHeight() == 64, "read back " + back.getWidth() + "x" + back.getHeight());
        double psnr = psnr(image, back);
        check(psnr > 25, "read back at PSNR " + psnr + " dB, expected > 25");

        BufferedImage half;
        try (ImageInputStream in = ImageIO.createImageInputStream(file)) {
            reader.setInput(in);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(2, 2, 0, 0);
            half = reader.read(0, param);
        } finally {
            reader.dispose();
        }
        check(half.getWidth() == 48 && half.getHeight() == 32,
                "subsampled read gave " + half.getWidth() + "x" + half.getHeight() + ", expected 48x32");
        double halfPsnr = psnr(subsample(back, 2), half);
        check(halfPsnr > 35, "subsampled read differs from every second pixel of the full read: PSNR " + halfPsnr);

        System.out.printf(Locale.ROOT, "imageio-client (%s): %s, %d bytes (%.3f bpp), PSNR %.2f dB; subsampled"
                        + " 48x32 matches the full read at %.2f dB%n", modulePath ? "module path" : "class path",
                reader.getClass().getName(), file.length(), file.length() * 8.0 / (96 * 64), psnr, halfPsnr);
    }

    /** The class path (or module path) holds this project's classes and the one dependency's jars, nothing else. */
    private static void checkPath(boolean modulePath) throws IOException {
        String deps = System.getProperty(modulePath ? "jdk.module.path" : "java.class.path", "");
        check(!deps.isEmpty(), (modulePath ? "module" : "class") + " path is empty");
        List<Path> jars = new ArrayList<>();
        for (String entry : deps.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isDirectory(p)) {
                jars.add(p);
            } else if (modulePath) { // a folder of modular jars
                try (var list = Files.list(p)) {
                    list.forEach(jars::add);
                }
            } // else this project's classes
        }
        List<String> found = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            found.add(EXPECTED.stream().filter(name::startsWith).findFirst()
                    .orElseThrow(() -> new IllegalStateException("unexpected jar on the path: " + jar)));
        }
        check(found.size() == EXPECTED.size() && found.containsAll(EXPECTED),
                "expected exactly " + EXPECTED + " on the path, found " + deps);
        if (modulePath) {
            check(System.getProperty("java.class.path").split(File.pathSeparator).length == 1,
                    "only this project's classes may be on the class path: " + System.getProperty("java.class.path"));
        }
    }

    /** The plugin came through ServiceLoader from its named module, and the core and models are named modules too. */
    private static void checkModules(ImageReader reader) {
        Module plugin = reader.getClass().getModule();
        check(plugin.isNamed() && plugin.getName().equals("io.qtk.imageio"),
                "the qtk reader is not in module io.qtk.imageio but in " + plugin);
        boolean viaServiceLoader = false;
        for (ImageReaderSpi spi : ServiceLoader.load(ImageReaderSpi.class)) {
            viaServiceLoader |= spi.getClass().getModule() == plugin;
        }
        check(viaServiceLoader, "ServiceLoader.load(ImageReaderSpi.class) does not list the qtk provider");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("qtk");
        check(writers.hasNext() && writers.next().getClass().getModule() == plugin,
                "the qtk writer is not in module io.qtk.imageio");
        for (String name : List.of("io.qtk", "io.qtk.models", "io.qtk.imageio")) {
            check(ModuleLayer.boot().findModule(name).isPresent(), "module " + name + " is not in the boot layer");
        }
    }

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 255 * x / (w - 1);
                int g = 255 * y / (h - 1);
                int b = (int) (127.5 + 100 * Math.sin((x + y) / 9.0));
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static BufferedImage subsample(BufferedImage img, int step) {
        BufferedImage out = new BufferedImage(img.getWidth() / step, img.getHeight() / step,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getRGB(x * step, y * step));
            }
        }
        return out;
    }

    /** PSNR in dB over the RGB samples of two images of the same size. */
    private static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = (p >> s & 0xFF) - (q >> s & 0xFF);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
