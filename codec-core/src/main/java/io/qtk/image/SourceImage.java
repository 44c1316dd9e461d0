package io.qtk.image;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.util.Objects;

/**
 * An input image seen as 8-bit-precision samples: gray, gray + alpha, RGB or RGBA. Reads any
 * {@link RenderedImage} region by region (never the whole image at once), so memory stays bounded by the region.
 *
 * <ul>
 *   <li>Gray colour spaces give 1 channel (2 with alpha); RGB colour spaces (sRGB or any ICC RGB profile, whose
 *       component values are taken as they are) give 3 (4 with alpha).</li>
 *   <li>Samples of more than 8 bits (16-bit PNG / TIFF) are scaled to 8 bits with rounding:
 *       {@code v8 = round(v * 255 / (2^n - 1))}; {@link #sourceBitDepth()} then says 16.</li>
 *   <li>Indexed images become RGB, or RGBA when the palette has transparency.</li>
 *   <li>Premultiplied alpha is un-premultiplied.</li>
 *   <li>Anything else (CMYK, YCbCr, float samples, ...) goes through {@link ColorModel#getRGB(Object)} to sRGB.</li>
 * </ul>
 *
 * <p>Thread-safe for reading as long as nobody writes to the underlying image.
 */
public final class SourceImage {
    private enum Path {
        /** byte samples in a pixel-interleaved layout, 8 bits each, straight alpha: direct array access */
        BYTE_INTERLEAVED,
        /** integral samples read band by band through the raster, scaled from n bits */
        COMPONENTS,
        /** palette lookup */
        INDEXED,
        /** ColorModel.getRGB per pixel */
        GENERIC
    }

    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_FLOAT[i] = i / 255f;
        }
    }

    private final RenderedImage image;
    private final int width;
    private final int height;
    private final int minX;
    private final int minY;
    private final int channels;
    private final int sourceBitDepth;
    private final Path path;
    private final ColorModel cm;
    /** COMPONENTS / BYTE_INTERLEAVED: raster band of each output channel (gray|r,g,b then alpha) */
    private final int[] bandOf;
    /** COMPONENTS: bits per band */
    private final int[] bits;
    private final boolean premultiplied;
    /** INDEXED: palette */
    private final int[] paletteArgb;
    private final byte[] icc;

    private SourceImage(RenderedImage image) {
        this.image = image;
        this.width = image.getWidth();
        this.height = image.getHeight();
        this.minX = image.getMinX();
        this.minY = image.getMinY();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image is empty: " + width + "x" + height);
        }
        this.cm = image.getColorModel();
        SampleModel sm = image.getSampleModel();
        if (cm == null) {
            throw new IllegalArgumentException("image has no colour model");
        }
        ColorSpace cs = cm.getColorSpace();
        boolean integral = sm.getDataType() == DataBuffer.TYPE_BYTE || sm.getDataType() == DataBuffer.TYPE_USHORT
                || sm.getDataType() == DataBuffer.TYPE_INT || sm.getDataType() == DataBuffer.TYPE_SHORT;
        int maxBits = 0;
        for (int s : cm.getComponentSize()) {
            maxBits = Math.max(maxBits, s);
        }
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            int[] pal = new int[icm.getMapSize()];
            icm.getRGBs(pal);
            this.paletteArgb = pal;
            this.path = Path.INDEXED;
            this.channels = icm.getTransparency() == java.awt.Transparency.OPAQUE ? 3 : 4;
            this.bandOf = null;
            this.bits = null;
            this.premultiplied = false;
            this.sourceBitDepth = 8;
            this.icc = null;
            return;
        }
        this.paletteArgb = null;
        boolean gray = cs.getType() == ColorSpace.TYPE_GRAY && cs.getNumComponents() == 1;
        boolean rgb = cs.getType() == ColorSpace.TYPE_RGB && cs.getNumComponents() == 3;
        boolean alpha = cm.hasAlpha();
        int colour = gray ? 1 : 3;
        this.channels = colour + (alpha ? 1 : 0);
        this.premultiplied = alpha && cm.isAlphaPremultiplied();
        if ((gray || rgb) && integral && (cm instanceof ComponentColorModel || cm instanceof PackedColorModel)
                && sm.getNumBands() == cm.getNumComponents() && maxBits <= 16) {
            // Raster bands are in colour-model component order (colour components, then alpha).
            int[] b = new int[channels];
            int[] n = new int[channels];
            for (int c = 0; c < channels; c++) {
                b[c] = c;
                n[c] = cm.getComponentSize(c);
            }
            this.bandOf = b;
            this.bits = n;
            this.sourceBitDepth = maxBits > 8 ? 16 : 8;
            boolean all8 = true;
            for (int v : n) {
                all8 &= v == 8;
            }
            this.path = all8 && !premultiplied && sm instanceof ComponentSampleModel
                    && sm.getDataType() == DataBuffer.TYPE_BYTE ? Path.BYTE_INTERLEAVED : Path.COMPONENTS;
            this.icc = nonStandardIcc(cs);
        } else {
            this.path = Path.GENERIC;
            this.bandOf = null;
            this.bits = null;
            this.sourceBitDepth = maxBits > 8 ? 16 : 8;
            this.icc = null; // converted to sRGB by the colour model
        }
    }

    /**
     * @param image any non-empty image
     * @return its reader
     * @throws IllegalArgumentException for an empty image or one without a colour model
     */
    public static SourceImage of(RenderedImage image) {
        return new SourceImage(Objects.requireNonNull(image, "image"));
    }

    private static byte[] nonStandardIcc(ColorSpace cs) {
        if (!(cs instanceof ICC_ColorSpace) || cs.isCS_sRGB() || cs == ColorSpace.getInstance(ColorSpace.CS_GRAY)) {
            return null;
        }
        ICC_Profile p = ((ICC_ColorSpace) cs).getProfile();
        return p == null ? null : p.getData();
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /** @return 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA */
    public int channels() {
        return channels;
    }

    /** @return whether there is an alpha channel */
    public boolean hasAlpha() {
        return channels == 2 || channels == 4;
    }

    /** @return whether the colour is gray (one colour channel) */
    public boolean isGray() {
        return channels <= 2;
    }

    /** @return 8, or 16 when some sample had more than 8 bits */
    public int sourceBitDepth() {
        return sourceBitDepth;
    }

    /**
     * @return the ICC profile of the image's colour space when it is an ICC space other than Java's built-in sRGB
     *     and gray (whose values are then taken as they are), else null
     */
    public byte[] iccProfile() {
        return icc == null ? null : icc.clone();
    }

    /**
     * Reads a region as interleaved 8-bit samples, {@link #channels()} per pixel (gray | R, G, B, then alpha).
     *
     * @param x left, 0-based (relative to the image's min x)
     * @param y top
     * @param w width, the region must lie inside the image
     * @param h height
     * @param dst receives {@code w * h * channels()} samples
     */
    public void read8(int x, int y, int w, int h, byte[] dst) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + w + "x" + h + " outside " + width
                    + "x" + height);
        }
        if (dst.length < w * h * channels) {
            throw new IllegalArgumentException("dst too small");
        }
        Raster r = raster(x, y, w, h);
        int rx = x + minX;
        int ry = y + minY;
        switch (path) {
            case BYTE_INTERLEAVED -> readByteInterleaved(r, rx, ry, w, h, dst);
            case COMPONENTS -> readComponents(r, rx, ry, w, h, dst);
            case INDEXED -> readIndexed(r, rx, ry, w, h, dst);
            default -> readGeneric(r, rx, ry, w, h, dst);
        }
    }

    private Raster raster(int x, int y, int w, int h) {
        if (image instanceof BufferedImage) {
            return ((BufferedImage) image).getRaster(); // no copy
        }
        return image.getData(new Rectangle(x + minX, y + minY, w, h));
    }

    private void readByteInterleaved(Raster r, int rx, int ry, int w, int h, byte[] dst) {
        ComponentSampleModel sm = (ComponentSampleModel) r.getSampleModel();
        DataBufferByte db = (DataBufferByte) r.getDataBuffer();
        int[] offs = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        int ps = sm.getPixelStride();
        int ss = sm.getScanlineStride();
        int tx = rx - r.getSampleModelTranslateX();
        int ty = ry - r.getSampleModelTranslateY();
        int ch = channels;
        for (int c = 0; c < ch; c++) {
            byte[] data = db.getData(banks[bandOf[c]]);
            int bo = offs[bandOf[c]] + db.getOffsets()[banks[bandOf[c]]];
            for (int j = 0; j < h; j++) {
                int src = (ty + j) * ss + tx * ps + bo;
                int d = j * w * ch + c;
                for (int i = 0; i < w; i++, src += ps, d += ch) {
                    dst[d] = data[src];
                }
            }
        }
    }

    private void readComponents(Raster r, int rx, int ry, int w, int h, byte[] dst) {
        int ch = channels;
        int[] buf = new int[w];
        for (int j = 0; j < h; j++) {
            for (int c = 0; c < ch; c++) {
                r.getSamples(rx, ry + j, w, 1, bandOf[c], buf);
                int n = bits[c];
                int d = j * w * ch + c;
                if (n == 8) {
                    for (int i = 0; i < w; i++, d += ch) {
                        dst[d] = (byte) buf[i];
                    }
                } else {
                    long max = (1L << n) - 1;
                    long half = max / 2;
                    for (int i = 0; i < w; i++, d += ch) {
                        long v = buf[i] & 0xFFFFFFFFL;
                        dst[d] = (byte) ((v * 255 + half) / max);
                    }
                }
            }
            if (premultiplied) {
                unpremultiply(dst, j * w * ch, w, ch);
            }
        }
    }

    private static void unpremultiply(byte[] row, int off, int w, int ch) {
        for (int i = 0; i < w; i++) {
            int p = off + i * ch;
            int a = row[p + ch - 1] & 0xFF;
            if (a == 255) {
                continue;
            }
            for (int c = 0; c < ch - 1; c++) {
                int v = a == 0 ? 0 : Math.min(255, ((row[p + c] & 0xFF) * 255 + a / 2) / a);
                row[p + c] = (byte) v;
            }
        }
    }

    private void readIndexed(Raster r, int rx, int ry, int w, int h, byte[] dst) {
        int ch = channels;
        int[] buf = new int[w];
        int[] pal = paletteArgb;
        for (int j = 0; j < h; j++) {
            r.getSamples(rx, ry + j, w, 1, 0, buf);
            int d = j * w * ch;
            for (int i = 0; i < w; i++, d += ch) {
                int idx = buf[i];
                int argb = idx >= 0 && idx < pal.length ? pal[idx] : 0;
                dst[d] = (byte) (argb >> 16);
                dst[d + 1] = (byte) (argb >> 8);
                dst[d + 2] = (byte) argb;
                if (ch == 4) {
                    dst[d + 3] = (byte) (argb >>> 24);
                }
            }
        }
    }

    private void readGeneric(Raster r, int rx, int ry, int w, int h, byte[] dst) {
        int ch = channels;
        Object px = null;
        for (int j = 0; j < h; j++) {
            int d = j * w * ch;
            for (int i = 0; i < w; i++, d += ch) {
                px = r.getDataElements(rx + i, ry + j, px);
                int argb = cm.getRGB(px);
                if (ch <= 2) {
                    // gray colour space: the colour model's RGB has equal components (or near); use green
                    dst[d] = (byte) (argb >> 8);
                } else {
                    dst[d] = (byte) (argb >> 16);
                    dst[d + 1] = (byte) (argb >> 8);
                    dst[d + 2] = (byte) argb;
                }
                if (ch == 2 || ch == 4) {
                    dst[d + ch - 1] = (byte) (argb >>> 24);
                }
            }
        }
    }

    /**
     * Fills RGB float planes (CHW, values {@code v8 / 255}) for a pixel window that may reach past the image: pixels
     * outside take the value of the nearest edge pixel (edge replication, the padding of the codec). Gray is
     * replicated to the three planes.
     *
     * @param x0 left of the window (may be negative or reach past the right edge)
     * @param y0 top of the window
     * @param w window width
     * @param h window height
     * @param dst receives {@code 3 * w * h} floats: plane R, then G, then B, each row-major
     */
    public void readRgbPlanes(int x0, int y0, int w, int h, float[] dst) {
        if (dst.length < 3 * w * h) {
            throw new IllegalArgumentException("dst too small");
        }
        int ix0 = clamp(x0, width);
        int ix1 = clamp(x0 + w - 1, width);
        int iy0 = clamp(y0, height);
        int iy1 = clamp(y0 + h - 1, height);
        int rw = ix1 - ix0 + 1;
        int rh = iy1 - iy0 + 1;
        int ch = channels;
        byte[] px = new byte[rw * rh * ch];
        read8(ix0, iy0, rw, rh, px);
        int plane = w * h;
        int[] colOff = new int[w];
        for (int i = 0; i < w; i++) {
            colOff[i] = (clamp(x0 + i, width) - ix0) * ch;
        }
        boolean gray = ch <= 2;
        float[] lut = TO_FLOAT;
        for (int j = 0; j < h; j++) {
            int rowOff = (clamp(y0 + j, height) - iy0) * rw * ch;
            int d = j * w;
            for (int i = 0; i < w; i++, d++) {
                int s = rowOff + colOff[i];
                if (gray) {
                    float v = lut[px[s] & 0xFF];
                    dst[d] = v;
                    dst[plane + d] = v;
                    dst[2 * plane + d] = v;
                } else {
                    dst[d] = lut[px[s] & 0xFF];
                    dst[plane + d] = lut[px[s + 1] & 0xFF];
                    dst[2 * plane + d] = lut[px[s + 2] & 0xFF];
                }
            }
        }
    }

    /**
     * Reads the alpha samples of whole rows (8-bit precision).
     *
     * @param y0 first row
     * @param rows number of rows
     * @param dst receives {@code rows * width()} samples, row-major
     * @param off where the first goes in dst
     * @throws IllegalStateException when the image has no alpha
     */
    public void readAlphaRows(int y0, int rows, byte[] dst, int off) {
        if (!hasAlpha()) {
            throw new IllegalStateException("image has no alpha");
        }
        int ch = channels;
        byte[] px = new byte[width * rows * ch];
        read8(0, y0, width, rows, px);
        for (int i = 0, n = width * rows; i < n; i++) {
            dst[off + i] = px[i * ch + ch - 1];
        }
    }

    /**
     * @return the whole alpha plane, {@code width * height} bytes row-major, read in strips
     * @throws IllegalStateException when the image has no alpha
     */
    public byte[] alphaPlane() {
        byte[] a = new byte[Math.multiplyExact(width, height)];
        int strip = Math.max(1, (1 << 20) / width);
        for (int y = 0; y < height; y += strip) {
            int rows = Math.min(strip, height - y);
            readAlphaRows(y, rows, a, y * width);
        }
        return a;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }
}
