package io.qtk.imageio;

import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ModelDescription;
import io.qtk.ProgressListener;
import io.qtk.QtkCancelledException;
import io.qtk.QtkEncoder;
import io.qtk.QtkInfo;
import io.qtk.format.ExifOrientation;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Writes {@code .qtk} files through ImageIO: {@code ImageIO.write(image, "qtk", file)}, or with a
 * {@link QtkImageWriteParam} for the rate and model. Like every {@link ImageWriter} it is not thread-safe, but all
 * writers share one thread-safe encoder.
 *
 * <ul>
 *   <li>Images: any {@link RenderedImage} (see {@link QtkImageWriterSpi} for how each kind is coded), given directly
 *       or in an {@link IIOImage}; rasters are not supported ({@link #canWriteRasters()} is false).</li>
 *   <li>{@link ImageWriteParam}: source region, source subsampling (periods and offsets) and source bands are
 *       honoured; compression and stream granularity as {@link QtkImageWriteParam} describes; destination offset,
 *       tiling, progressive mode and destination type do not apply to the format and are ignored.</li>
 *   <li>Metadata: a {@link QtkMetadata}, or any metadata {@link #convertImageMetadata} understands (the standard
 *       tree's orientation and comment; a JPEG tree's ICC profile, EXIF and XMP), supplies the ICC profile, EXIF,
 *       XMP, comment and orientation written to the file.</li>
 *   <li>Listeners: image started / progress / complete, warnings (ignored thumbnails, unknown compression type);
 *       {@link #abort()} stops the encoder between tiles and writes nothing.</li>
 * </ul>
 */
public class QtkImageWriter extends ImageWriter {
    private static final String JPEG_NATIVE = "javax_imageio_jpeg_image_1.0";
    private static final byte[] EXIF_APP1 = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] XMP_APP1 = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param provider the service provider making this writer, or null
     */
    public QtkImageWriter(ImageWriterSpi provider) {
        super(provider);
    }

    /** @return a {@link QtkImageWriteParam} whose compression types are {@value QtkImageWriteParam#AUTO} and the models */
    @Override
    public ImageWriteParam getDefaultWriteParam() {
        return new QtkImageWriteParam(getLocale(), modelNames());
    }

    /** @return the names of the models the shared encoder has; empty when the codec cannot start */
    private static List<String> modelNames() {
        try {
            List<String> names = new ArrayList<>();
            for (ModelDescription m : SharedCodecs.encoder().models()) {
                names.add(m.name());
            }
            return names;
        } catch (IOException | RuntimeException e) {
            return List.of(); // still usable with the "auto" type; the write itself reports the problem
        }
    }

    @Override
    public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
        return null; // the format has no stream metadata
    }

    @Override
    public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier imageType, ImageWriteParam param) {
        return new QtkMetadata();
    }

    @Override
    public IIOMetadata convertStreamMetadata(IIOMetadata inData, ImageWriteParam param) {
        if (inData == null) {
            throw new IllegalArgumentException("inData == null");
        }
        return null;
    }

    /**
     * Converts another plugin's image metadata: a {@link QtkMetadata} is copied; otherwise the standard tree gives
     * orientation and comment, the qtk native tree (when offered) everything it holds, and a JPEG native tree
     * ({@value #JPEG_NATIVE}) its ICC profile, EXIF (and the orientation in it), XMP and comment.
     */
    @Override
    public IIOMetadata convertImageMetadata(IIOMetadata inData, ImageTypeSpecifier imageType,
            ImageWriteParam param) {
        if (inData == null) {
            throw new IllegalArgumentException("inData == null");
        }
        return convert(inData);
    }

    static QtkMetadata convert(IIOMetadata in) {
        if (in instanceof QtkMetadata) {
            QtkMetadata q = (QtkMetadata) in;
            return new QtkMetadata(q.info(), q.imageMetadata());
        }
        QtkMetadata out = new QtkMetadata();
        try {
            if (in.isStandardMetadataFormatSupported()) {
                out.mergeTree(IIOMetadataFormatImpl.standardMetadataFormatName,
                        in.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName));
            }
            List<String> formats = new ArrayList<>();
            if (in.getNativeMetadataFormatName() != null) {
                formats.add(in.getNativeMetadataFormatName());
            }
            if (in.getExtraMetadataFormatNames() != null) {
                formats.addAll(Arrays.asList(in.getExtraMetadataFormatNames()));
            }
            if (formats.contains(QtkImageIO.NATIVE_METADATA_FORMAT_NAME)) {
                out.mergeTree(QtkImageIO.NATIVE_METADATA_FORMAT_NAME,
                        in.getAsTree(QtkImageIO.NATIVE_METADATA_FORMAT_NAME));
            } else if (formats.contains(JPEG_NATIVE)) {
                out.setImageMetadata(fromJpeg(in.getAsTree(JPEG_NATIVE), out.imageMetadata()));
            }
        } catch (IIOInvalidTreeException | RuntimeException e) {
            // Foreign metadata we cannot make sense of is dropped, not fatal: the pixels are what matters.
        }
        return out;
    }

    /** Picks ICC (app2ICC), EXIF / XMP (APP1) and the comment (COM) out of a JPEG native tree. */
    private static ImageMetadata fromJpeg(Node root, ImageMetadata base) {
        ImageMetadata.Builder b = base.toBuilder();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("JPEGvariety".equals(n.getNodeName())) {
                for (Node v = n.getFirstChild(); v != null; v = v.getNextSibling()) {
                    for (Node a = v.getFirstChild(); a != null; a = a.getNextSibling()) {
                        if ("app2ICC".equals(a.getNodeName()) && a instanceof IIOMetadataNode
                                && ((IIOMetadataNode) a).getUserObject() instanceof ICC_Profile) {
                            b.icc(((ICC_Profile) ((IIOMetadataNode) a).getUserObject()).getData());
                        }
                    }
                }
            } else if ("markerSequence".equals(n.getNodeName())) {
                for (Node m = n.getFirstChild(); m != null; m = m.getNextSibling()) {
                    Object user = m instanceof IIOMetadataNode ? ((IIOMetadataNode) m).getUserObject() : null;
                    if ("unknown".equals(m.getNodeName()) && user instanceof byte[]
                            && "225".equals(((IIOMetadataNode) m).getAttribute("MarkerTag"))) {
                        byte[] app1 = (byte[]) user;
                        if (startsWith(app1, EXIF_APP1)) {
                            byte[] exif = Arrays.copyOfRange(app1, EXIF_APP1.length, app1.length);
                            b.exif(exif);
                            int o = ExifOrientation.read(exif);
                            if (o >= 1 && o <= 8 && base.orientation() == 1) {
                                b.orientation(o);
                            }
                        } else if (startsWith(app1, XMP_APP1)) {
                            b.xmp(Arrays.copyOfRange(app1, XMP_APP1.length, app1.length));
                        }
                    } else if ("com".equals(m.getNodeName())) {
                        String c = ((IIOMetadataNode) m).getAttribute("comment");
                        if (c != null && !c.isEmpty()) {
                            b.comment(c);
                        } else if (user instanceof byte[]) {
                            b.comment(new String((byte[]) user, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
        }
        return b.build();
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public boolean canWriteRasters() {
        return false;
    }

    @Override
    public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param) throws IOException {
        if (output == null) {
            throw new IllegalStateException("output not set");
        }
        if (image == null) {
            throw new IllegalArgumentException("image == null");
        }
        if (image.hasRaster()) {
            throw new UnsupportedOperationException("qtk writer cannot write rasters (canWriteRasters() is false)");
        }
        clearAbortRequest();
        ImageWriteParam p = param != null ? param : getDefaultWriteParam();
        QtkMetadata metadata = image.getMetadata() == null ? null : convert(image.getMetadata());
        EncodeOptions options = encodeOptions(p, metadata);
        RenderedImage pixels = sourcePixels(image.getRenderedImage(), p);
        ImageMetadata carried = carriedMetadata(metadata, pixels, options.keepMetadata());

        processImageStarted(0);
        if (image.getNumThumbnails() > 0) {
            processWarningOccurred(0, "qtk files hold no thumbnails: " + image.getNumThumbnails() + " ignored");
        }
        if (abortRequested()) {
            processWriteAborted();
            return;
        }
        byte[] file;
        try {
            QtkEncoder encoder = SharedCodecs.encoder();
            try {
                file = encoder.encode(pixels, carried, options, new Progress());
            } catch (IllegalStateException closed) {
                // Closed under us (setConfig, or a provider re-registration): once more with the new encoder.
                QtkEncoder current = SharedCodecs.encoder();
                if (current == encoder) {
                    throw closed;
                }
                file = current.encode(pixels, carried, options, new Progress());
            }
        } catch (QtkCancelledException e) {
            processWriteAborted();
            return;
        } catch (IIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IIOException("cannot encode qtk image: " + e.getMessage(), e);
        }
        if (abortRequested()) {
            processWriteAborted(); // nothing written: an aborted write leaves no half file behind
            return;
        }
        ImageOutputStream out = (ImageOutputStream) output;
        out.write(file);
        out.flush();
        processImageProgress(100f);
        processImageComplete();
    }

    /** Relays the codec's per-tile progress and our abort flag. */
    private final class Progress implements ProgressListener {
        @Override
        public void progress(float fraction) {
            processImageProgress(Math.min(99.9f, 100f * Math.max(0f, Math.min(1f, fraction))));
        }

        @Override
        public boolean isCancelled() {
            return abortRequested();
        }
    }

    /**
     * Maps an {@link ImageWriteParam} (ours or any other writer's) and the image's metadata to the codec's options.
     *
     * @throws IIOException when compression is disabled (the format is lossy only)
     */
    EncodeOptions encodeOptions(ImageWriteParam p, QtkMetadata metadata) throws IIOException {
        EncodeOptions.Builder b = EncodeOptions.builder();
        QtkImageWriteParam q = p instanceof QtkImageWriteParam ? (QtkImageWriteParam) p : null;
        int mode = p.canWriteCompressed() ? p.getCompressionMode() : ImageWriteParam.MODE_DEFAULT;
        switch (mode) {
            case ImageWriteParam.MODE_DISABLED -> throw new IIOException(
                    "qtk compression cannot be disabled: the format is lossy only");
            case ImageWriteParam.MODE_EXPLICIT -> {
                b.quality(p.getCompressionQuality());
                String type = p.getCompressionType();
                if (type != null && !QtkImageWriteParam.AUTO.equals(type)) {
                    if (q != null) {
                        b.model(type); // one of ours: the param checked it against its list
                    } else {
                        processWarningOccurred(0, "compression type " + type + " is not a qtk model; using "
                                + QtkImageWriteParam.AUTO);
                    }
                }
                if (q != null && q.getTargetBitsPerPixel() > 0) {
                    b.targetBpp(q.getTargetBitsPerPixel());
                } else if (q != null && q.getTargetFileSize() > 0) {
                    b.targetBytes(q.getTargetFileSize());
                }
            }
            case ImageWriteParam.MODE_COPY_FROM_METADATA -> {
                QtkInfo info = metadata == null ? null : metadata.info();
                if (info != null) {
                    // Transcoding a .qtk file: same model, same rate (bits per pixel) as the file read.
                    if (modelNames().contains(info.modelName())) {
                        b.model(info.modelName());
                    }
                    if (info.bitsPerPixel() > 0 && Double.isFinite(info.bitsPerPixel())) {
                        b.targetBpp(info.bitsPerPixel());
                    }
                }
            }
            default -> {
                // MODE_DEFAULT: the codec's defaults
            }
        }
        if (q != null) {
            b.groupsPerStream(q.getGroupsPerStream());
        }
        // Another writer's progressive mode is ignored: a .qtk file is always progressive at the ladder points.
        if (q != null) {
            b.keepMetadata(q.isKeepMetadata());
            b.rdoStrength(q.getRdoStrength());
        }
        return b.build();
    }

    /** @return what the file will carry: the metadata's ICC / EXIF / XMP / comment / orientation, or the image's ICC */
    static ImageMetadata carriedMetadata(QtkMetadata metadata, RenderedImage pixels, boolean keep) {
        ImageMetadata m = metadata == null ? ImageMetadata.EMPTY : metadata.imageMetadata();
        if (!keep) {
            return ImageMetadata.builder().orientation(m.orientation()).build();
        }
        if (m.icc() == null) {
            ColorSpace cs = pixels.getColorModel().getColorSpace();
            if (cs instanceof ICC_ColorSpace && !cs.isCS_sRGB() && cs != ColorSpace.getInstance(ColorSpace.CS_GRAY)
                    && !(pixels.getColorModel() instanceof IndexColorModel)) {
                m = m.toBuilder().icc(((ICC_ColorSpace) cs).getProfile().getData()).build();
            }
        }
        return m;
    }

    /**
     * Applies the param's source region, subsampling and bands, and turns pixel kinds outside the codec's contract
     * (gray / RGB with or without alpha up to 16 bits, or indexed) into sRGB.
     *
     * @throws IIOException when the region does not intersect the image
     */
    static RenderedImage sourcePixels(RenderedImage image, ImageWriteParam p) throws IIOException {
        Rectangle bounds = new Rectangle(image.getMinX(), image.getMinY(), image.getWidth(), image.getHeight());
        Rectangle region = bounds;
        int px = 1;
        int py = 1;
        int ox = 0;
        int oy = 0;
        int[] bands = null;
        if (p != null) {
            if (p.getSourceRegion() != null) {
                region = bounds.intersection(p.getSourceRegion());
            }
            px = p.getSourceXSubsampling();
            py = p.getSourceYSubsampling();
            ox = p.getSubsamplingXOffset();
            oy = p.getSubsamplingYOffset();
            bands = p.getSourceBands();
        }
        region = new Rectangle(region.x + ox, region.y + oy, region.width - ox, region.height - oy);
        if (region.isEmpty()) {
            throw new IIOException("source region (after subsampling offsets) does not intersect the image: "
                    + (p == null ? null : p.getSourceRegion()) + " vs " + bounds);
        }
        int w = (region.width + px - 1) / px;
        int h = (region.height + py - 1) / py;
        ColorModel cm = image.getColorModel();
        if (bands != null) {
            for (int b : bands) {
                if (b < 0 || b >= image.getSampleModel().getNumBands()) {
                    throw new IllegalArgumentException("source band " + b + " out of range 0.."
                            + (image.getSampleModel().getNumBands() - 1));
                }
            }
            if (cm instanceof IndexColorModel || bands.length > 4) {
                throw new IIOException("source bands need 1 to 4 bands of a non-indexed image");
            }
            return selectBands(image.getData(region), px, py, w, h, bands);
        }
        boolean asIs = region.equals(bounds) && px == 1 && py == 1;
        if (!codecReady(cm, image.getSampleModel().getDataType())) {
            return toSrgb(image.getData(region), cm, px, py, w, h);
        }
        if (asIs) {
            return image;
        }
        Raster src = image.getData(region);
        WritableRaster dst = src.createCompatibleWritableRaster(w, h);
        Object row = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                row = src.getDataElements(region.x + x * px, region.y + y * py, row);
                dst.setDataElements(x, y, row);
            }
        }
        return new BufferedImage(cm, dst, cm.isAlphaPremultiplied(), null);
    }

    /** @return whether the codec takes this colour model as it is */
    private static boolean codecReady(ColorModel cm, int dataType) {
        if (cm instanceof IndexColorModel) {
            return true;
        }
        boolean integral = dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT
                || dataType == DataBuffer.TYPE_INT;
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        boolean kind = (type == ColorSpace.TYPE_GRAY && colours == 1) || (type == ColorSpace.TYPE_RGB && colours == 3);
        boolean bits = true;
        for (int s : cm.getComponentSize()) {
            bits &= s <= 16;
        }
        return integral && kind && bits && (cm instanceof ComponentColorModel || cm instanceof PackedColorModel);
    }

    /** Converts through the colour model to sRGB, as Java 2D draws it. */
    private static BufferedImage toSrgb(Raster src, ColorModel cm, int px, int py, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixel = src.getDataElements(src.getMinX() + x * px, src.getMinY() + y * py, pixel);
                out.setRGB(x, y, cm.getRGB(pixel));
            }
        }
        return out;
    }

    /**
     * Builds an image of the selected bands: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA, 8 or 16 bits (by the widest
     * selected band), samples rescaled to that depth.
     */
    private static BufferedImage selectBands(Raster src, int px, int py, int w, int h, int[] bands) {
        int maxBits = 1;
        for (int b : bands) {
            maxBits = Math.max(maxBits, src.getSampleModel().getSampleSize(b));
        }
        int outBits = maxBits > 8 ? 16 : 8;
        int dataType = outBits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        ColorSpace cs = ColorSpace.getInstance(bands.length <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        boolean alpha = bands.length == 2 || bands.length == 4;
        int[] offsets = new int[bands.length];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i;
        }
        ImageTypeSpecifier t = ImageTypeSpecifier.createInterleaved(cs, offsets, dataType, alpha, false);
        BufferedImage out = t.createBufferedImage(w, h);
        WritableRaster dst = out.getRaster();
        int[] row = new int[w];
        long outMax = (1L << outBits) - 1;
        for (int k = 0; k < bands.length; k++) {
            long inMax = (1L << src.getSampleModel().getSampleSize(bands[k])) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    long v = src.getSample(src.getMinX() + x * px, src.getMinY() + y * py, bands[k]) & 0xFFFFFFFFL;
                    row[x] = (int) ((v * outMax + inMax / 2) / inMax);
                }
                dst.setSamples(0, y, w, 1, k, row);
            }
        }
        return out;
    }
}
