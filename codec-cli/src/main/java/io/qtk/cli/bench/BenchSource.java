package io.qtk.cli.bench;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One bench image as 8-bit RGB, with the files external encoders read (PPM, PNG) written on demand into a scratch
 * directory, outside the timed sections.
 */
public final class BenchSource {
    private final String name;
    private final BufferedImage rgb;
    private final Path scratch;
    private Path ppm;
    private Path png;

    /**
     * @param name the image's name for tables
     * @param rgb the image as {@code TYPE_3BYTE_BGR}
     * @param scratch a directory for temporary files
     */
    public BenchSource(String name, BufferedImage rgb, Path scratch) {
        this.name = name;
        this.rgb = rgb;
        this.scratch = scratch;
    }

    /** @return the image's name */
    public String name() {
        return name;
    }

    /** @return the pixels, 8-bit RGB ({@code TYPE_3BYTE_BGR}) */
    public BufferedImage rgb() {
        return rgb;
    }

    /** @return the scratch directory */
    public Path scratch() {
        return scratch;
    }

    /**
     * @return the image as a binary PPM (P6) file
     * @throws IOException when it cannot be written
     */
    public synchronized Path ppm() throws IOException {
        if (ppm == null) {
            ppm = scratch.resolve("source.ppm");
            writePpm(rgb, ppm);
        }
        return ppm;
    }

    /**
     * @return the image as a PNG file
     * @throws IOException when it cannot be written
     */
    public synchronized Path png() throws IOException {
        if (png == null) {
            png = scratch.resolve("source.png");
            ImageIO.write(rgb, "png", png.toFile());
        }
        return png;
    }

    /**
     * @param img any image
     * @param file where to write it as P6
     * @throws IOException when writing fails
     */
    static void writePpm(BufferedImage img, Path file) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("P6\n" + w + " " + h + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            int[] row = new int[w];
            byte[] buf = new byte[3 * w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    buf[3 * x] = (byte) (row[x] >> 16);
                    buf[3 * x + 1] = (byte) (row[x] >> 8);
                    buf[3 * x + 2] = (byte) row[x];
                }
                out.write(buf);
            }
        }
    }

    /**
     * Reads a binary PPM (P6, maxval 255) or PGM (P5) file as written by djpeg / dwebp.
     *
     * @param file the file
     * @return the image as {@code TYPE_3BYTE_BGR}
     * @throws IOException when it is not such a file
     */
    static BufferedImage readPnm(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int[] pos = {0};
        String magic = token(b, pos);
        if (!magic.equals("P6") && !magic.equals("P5")) {
            throw new IOException("not a binary PPM/PGM: " + file);
        }
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        if (max != 255) {
            throw new IOException("only 8-bit PNM is read, maxval " + max);
        }
        int p = pos[0] + 1; // one whitespace byte after maxval
        int ch = magic.equals("P6") ? 3 : 1;
        if (b.length < p + (long) w * h * ch) {
            throw new IOException("PNM data too short: " + file);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            int r = b[p + i * ch] & 0xFF;
            int g = ch == 3 ? b[p + i * ch + 1] & 0xFF : r;
            int bl = ch == 3 ? b[p + i * ch + 2] & 0xFF : r;
            dst[3 * i] = (byte) bl;
            dst[3 * i + 1] = (byte) g;
            dst[3 * i + 2] = (byte) r;
        }
        return img;
    }

    private static String token(byte[] b, int[] pos) throws IOException {
        int p = pos[0];
        while (p < b.length) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n') {
                    p++;
                }
            } else if (Character.isWhitespace(b[p])) {
                p++;
            } else {
                break;
            }
        }
        int s = p;
        while (p < b.length && !Character.isWhitespace(b[p])) {
            p++;
        }
        if (s == p) {
            throw new IOException("truncated PNM header");
        }
        pos[0] = p;
        return new String(b, s, p - s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * @param img any image
     * @return an 8-bit RGB copy ({@code TYPE_3BYTE_BGR}); alpha is dropped, gray replicated
     */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }
}
