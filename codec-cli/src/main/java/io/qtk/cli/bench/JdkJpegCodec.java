package io.qtk.cli.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The JDK's own baseline JPEG writer and reader (libjpeg 6b in the JDK; 4:2:0 chroma, standard tables scaled by
 * quality), in process. It is chosen by class name so that a plugin on the class path (TwelveMonkeys) does not
 * replace it.
 */
final class JdkJpegCodec implements BenchCodec {
    private final List<Integer> qualities;

    JdkJpegCodec(List<Integer> qualities) {
        this.qualities = List.copyOf(qualities);
    }

    @Override
    public String name() {
        return "jpeg";
    }

    @Override
    public List<String> settings() {
        return qualities.stream().map(q -> "q=" + q).toList();
    }

    @Override
    public String timing() {
        return "in-process";
    }

    @Override
    public Coded code(BenchSource source, String setting) throws IOException {
        float q = Integer.parseInt(setting.substring(2)) / 100f;
        ImageWriter writer = jdk(ImageIO.getImageWritersByFormatName("jpeg"));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(q);
            writer.write(null, new IIOImage(source.rgb(), null, null), p);
        } finally {
            writer.dispose();
        }
        long t1 = System.nanoTime();
        byte[] bytes = bos.toByteArray();
        ImageReader reader = jdk(ImageIO.getImageReadersByFormatName("jpeg"));
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            img = reader.read(0);
        } finally {
            reader.dispose();
        }
        long t2 = System.nanoTime();
        return new Coded(bytes.length, img, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    private static <T> T jdk(Iterator<T> it) throws IOException {
        T first = null;
        while (it.hasNext()) {
            T t = it.next();
            if (t.getClass().getName().startsWith("com.sun.imageio.")) {
                return t;
            }
            if (first == null) {
                first = t;
            }
        }
        if (first == null) {
            throw new IOException("no JPEG plugin in this JVM");
        }
        return first;
    }
}
