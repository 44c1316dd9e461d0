package io.qtk.imageio;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkCancelledException;
import io.qtk.QtkDecoder;
import io.qtk.QtkInfo;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkReader;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads {@code .qtk} files through ImageIO. Get one with {@code ImageIO.getImageReadersByFormatName("qtk")} (or let
 * {@code ImageIO.read} pick it); like every {@link ImageReader} it is not thread-safe, but all readers share one
 * thread-safe decoder.
 *
 * <ul>
 *   <li>Input: any {@link ImageInputStream}, positioned at the start of the file; the file is loaded fully (bounded,
 *       see {@link StreamData}) because the codec needs all token streams. One image per file.</li>
 *   <li>{@link #getWidth}, {@link #getHeight}, {@link #getImageTypes} read only the header (no token decoded, no
 *       model needed).</li>
 *   <li>{@link ImageReadParam}: source region (only that region is decoded), source subsampling with offsets,
 *       source / destination bands, destination offset, destination type (one of {@link #getImageTypes}) or
 *       destination image (any type: converted when it is not one of ours), and source progressive passes.</li>
 *   <li>Passes: pass {@code p} is the image decoded from the first {@code p + 1} groups (grid models) or tokens
 *       (global models); a file has as many passes as it has complete groups. {@code setSourceProgressivePasses}
 *       picks a lower quality on purpose. A file cut short decodes from the complete groups it has.</li>
 *   <li>Listeners: progress listeners see image started / progress / complete (sequence events from
 *       {@link #readAll}); update listeners see the image refine pass by pass (a few passes at roughly doubling
 *       group counts, each a full decode, so they cost time); {@link #abort()} stops between tiles.</li>
 *   <li>No thumbnails; no stream metadata; image metadata is {@link QtkMetadata}. The pixels are returned in stored
 *       orientation (the EXIF orientation is reported in the metadata, as other ImageIO readers do), in sRGB types:
 *       an embedded ICC profile is reported in the metadata, not applied.</li>
 * </ul>
 */
public class QtkImageReader extends ImageReader {
    /** Bytes read first to parse the header; the rest of the file is loaded only to decode or for metadata. */
    private static final int HEADER_PROBE_BYTES = 64 * 1024;

    /** Most full decodes made to show passes to update listeners. */
    private static final int MAX_UPDATE_PASSES = 6;

    private StreamData data;
    private QtkInfo header;
    private QtkInfo fileInfo;
    private ImageMetadata fileMetadata;

    /**
     * @param provider the service provider making this reader, or null
     */
    public QtkImageReader(ImageReaderSpi provider) {
        super(provider);
    }

    @Override
    public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
        super.setInput(input, seekForwardOnly, ignoreMetadata); // checks the type against the provider's
        clearState();
    }

    @Override
    public void reset() {
        super.reset();
        clearState();
    }

    @Override
    public void dispose() {
        clearState();
    }

    private void clearState() {
        data = null;
        header = null;
        fileInfo = null;
        fileMetadata = null;
    }

    @Override
    public int getNumImages(boolean allowSearch) throws IOException {
        requireInput();
        if (seekForwardOnly && allowSearch) {
            // The JDK contract (and its PNG reader) refuse a search on a forward-only input, needed or not.
            throw new IllegalStateException("seekForwardOnly and allowSearch cannot both be true");
        }
        return 1; // a .qtk file holds exactly one image, so no search is ever needed
    }

    @Override
    public int getWidth(int imageIndex) throws IOException {
        return header(imageIndex).width();
    }

    @Override
    public int getHeight(int imageIndex) throws IOException {
        return header(imageIndex).height();
    }

    @Override
    public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) throws IOException {
        return imageTypes(header(imageIndex)).iterator();
    }

    /**
     * The types a file decodes to, the codec's own first: gray files as {@code BYTE_GRAY}, gray + alpha and RGBA as
     * {@code 4BYTE_ABGR}, RGB as {@code 3BYTE_BGR}; then equivalents (packed int, RGB for gray, and 16-bit
     * interleaved for files made from 16-bit images, scaled from the 8-bit decoded samples).
     */
    static List<ImageTypeSpecifier> imageTypes(QtkInfo info) {
        List<ImageTypeSpecifier> types = new ArrayList<>();
        boolean deep = info.sourceBitDepth() > 8;
        ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        switch (info.channels()) {
            case 1 -> {
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY));
                if (deep) {
                    types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_USHORT_GRAY));
                }
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_3BYTE_BGR));
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB));
            }
            case 3 -> {
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_3BYTE_BGR));
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB));
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_BGR));
                if (deep) {
                    types.add(ImageTypeSpecifier.createInterleaved(srgb, new int[] {0, 1, 2},
                            DataBuffer.TYPE_USHORT, false, false));
                }
            }
            default -> { // 2 (gray + alpha) and 4: both decode to RGBA
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_4BYTE_ABGR));
                types.add(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_ARGB));
                if (deep) {
                    types.add(ImageTypeSpecifier.createInterleaved(srgb, new int[] {0, 1, 2, 3},
                            DataBuffer.TYPE_USHORT, true, false));
                }
            }
        }
        return types;
    }

    @Override
    public IIOMetadata getStreamMetadata() {
        return null; // one image per file: everything is image metadata
    }

    @Override
    public IIOMetadata getImageMetadata(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        loadFile();
        if (fileMetadata == null) {
            fileMetadata = carriedMetadata(data().all());
        }
        return new QtkMetadata(fileInfo, fileMetadata);
    }

    @Override
    public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
        checkIndex(imageIndex);
        QtkInfo h = header(imageIndex);
        clearAbortRequest();
        ImageReadParam p = param != null ? param : getDefaultReadParam();

        List<ImageTypeSpecifier> types = imageTypes(h);
        // Validate first: the container, the pixel limit and the heap, before the destination image is made.
        Rectangle planned = new Rectangle();
        Rectangle plannedDest = new Rectangle();
        computeRegions(p, h.width(), h.height(), p.getDestination(), planned, plannedDest);
        Rectangle plannedDecode = new Rectangle(planned.x, planned.y,
                (plannedDest.width - 1) * p.getSourceXSubsampling() + 1,
                (plannedDest.height - 1) * p.getSourceYSubsampling() + 1);
        loadFile();
        long maxPixels = maxPixels(p);
        check(decodeOptions(plannedDecode, h, Integer.MAX_VALUE, maxPixels),
                p.getDestination() != null ? 0 : destinationBytes(p, types, plannedDest));
        BufferedImage dest;
        try {
            dest = getDestination(p, types.iterator(), h.width(), h.height());
        } catch (OutOfMemoryError e) {
            // checked just above; only other threads' allocations meanwhile can get here
            throw new IIOException("out of memory making the " + plannedDest.width + "x" + plannedDest.height
                    + " destination image", e);
        }
        int srcBands = types.get(0).getNumBands();
        if (p.getSourceBands() != null || p.getDestinationBands() != null) {
            checkReadParamBandSettings(p, srcBands, dest.getSampleModel().getNumBands());
        }
        // Without band settings any destination image is accepted: Pixels converts to its kind (gray, 565, ...).
        Rectangle srcRegion = new Rectangle();
        Rectangle destRegion = new Rectangle();
        computeRegions(p, h.width(), h.height(), dest, srcRegion, destRegion);
        int periodX = p.getSourceXSubsampling();
        int periodY = p.getSourceYSubsampling();
        // Only the pixels subsampling keeps are needed: decode the smallest rectangle holding them.
        Rectangle decodeRegion = new Rectangle(srcRegion.x, srcRegion.y, (destRegion.width - 1) * periodX + 1,
                (destRegion.height - 1) * periodY + 1);
        boolean whole = decodeRegion.equals(new Rectangle(0, 0, h.width(), h.height()));

        processImageStarted(imageIndex); // after the checks above: a refused param starts nothing
        if (abortRequested()) {
            processReadAborted();
            return dest;
        }
        loadFile();
        int[] passes = passes(p, fileInfo.groupsPresent(), updateListeners != null && !updateListeners.isEmpty());
        int minPass = passes[0] - 1;
        int maxPass = passes[passes.length - 1] - 1;
        int[] destBands = p.getDestinationBands() != null ? p.getDestinationBands() : range(dest.getRaster());
        for (int i = 0; i < passes.length; i++) {
            DecodeOptions.Builder options = DecodeOptions.builder().maxGroups(passes[i]).maxPixels(maxPixels);
            if (!whole) {
                options.region(decodeRegion);
            }
            DecodedImage decoded;
            try {
                decoded = decode(options.build(), new Progress(i, passes.length));
            } catch (QtkCancelledException e) {
                processReadAborted();
                return dest;
            }
            if (fileMetadata == null) {
                fileMetadata = decoded.metadata();
            }
            boolean showPass = passes.length > 1;
            if (showPass) {
                processPassStarted(dest, passes[i] - 1, minPass, maxPass, destRegion.x, destRegion.y, 1, 1,
                        destBands);
            }
            Pixels.copy(decoded.image(), h.channels() <= 2, periodX, periodY, dest, destRegion,
                    p.getSourceBands(), p.getDestinationBands());
            if (showPass) {
                processImageUpdate(dest, destRegion.x, destRegion.y, destRegion.width, destRegion.height, 1, 1,
                        destBands);
                processPassComplete(dest);
            }
            if (abortRequested()) {
                processReadAborted();
                return dest;
            }
        }
        processImageProgress(100f);
        processImageComplete();
        return dest;
    }

    /**
     * System property holding the most pixels a read may decode (a decimal number; 0 or unset: the codec's default,
     * {@link DecodeOptions#DEFAULT_MAX_PIXELS}); {@link QtkImageReadParam#setMaxPixels(long)} overrides it per read.
     * A file over the limit is refused from its header with an {@link IIOException} naming its size and the limit.
     */
    public static final String MAX_PIXELS_PROPERTY = "io.qtk.imageio.maxPixels";

    @Override
    public ImageReadParam getDefaultReadParam() {
        return new QtkImageReadParam();
    }

    /** @return the pixel limit of a read: the param's, else the system property's, else 0 (the decoder's own) */
    static long maxPixels(ImageReadParam p) throws IIOException {
        if (p instanceof QtkImageReadParam q && q.getMaxPixels() > 0) {
            return q.getMaxPixels();
        }
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IIOException("system property " + MAX_PIXELS_PROPERTY + " = \"" + v
                    + "\" is not a pixel count (a whole number >= 0)");
        }
    }

    private static DecodeOptions decodeOptions(Rectangle decodeRegion, QtkInfo h, int maxGroups, long maxPixels) {
        DecodeOptions.Builder b = DecodeOptions.builder().maxGroups(maxGroups).maxPixels(maxPixels);
        if (!decodeRegion.equals(new Rectangle(0, 0, h.width(), h.height()))) {
            b.region(decodeRegion);
        }
        return b.build();
    }

    /** Bytes of the destination image {@link #getDestination} will make for this param. */
    static long destinationBytes(ImageReadParam p, List<ImageTypeSpecifier> types, Rectangle destRegion) {
        ImageTypeSpecifier t = p.getDestinationType() != null ? p.getDestinationType() : types.get(0);
        java.awt.image.SampleModel sm = t.getSampleModel(1, 1);
        long bytesPerSample = Math.max(1, DataBuffer.getDataTypeSize(sm.getDataType()) / 8);
        long samples = sm instanceof java.awt.image.SinglePixelPackedSampleModel ? 1 : sm.getNumBands();
        long pixels = (long) (destRegion.x + destRegion.width) * (destRegion.y + destRegion.height);
        return pixels * samples * bytesPerSample;
    }

    /** Runs the decoder's checks (container, limits, heap with the destination) before anything is allocated. */
    private void check(DecodeOptions options, long destinationBytes) throws IOException {
        byte[] all = data().all();
        try {
            QtkDecoder decoder = SharedCodecs.decoder();
            try {
                decoder.check(all, options, destinationBytes);
            } catch (IllegalStateException closed) {
                QtkDecoder current = SharedCodecs.decoder(); // closed under us: once more, as decode does
                if (current == decoder) {
                    throw closed;
                }
                current.check(all, options, destinationBytes);
            }
        } catch (IIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IIOException("cannot decode qtk image: " + e.getMessage(), e);
        }
    }

    /**
     * The group counts to decode, lowest first: the last is what the param's progressive passes allow (all complete
     * groups by default); earlier ones only when someone watches the passes.
     */
    static int[] passes(ImageReadParam p, int groupsPresent, boolean showPasses) {
        int available = Math.max(1, groupsPresent);
        long maxPass = p.getSourceMaxProgressivePass(); // Integer.MAX_VALUE unless limited
        int last = (int) Math.max(1, Math.min(available, maxPass + 1));
        int first = Math.max(1, Math.min(last, p.getSourceMinProgressivePass() + 1));
        if (!showPasses || first == last) {
            return new int[] {last};
        }
        // Group counts growing by a factor of at least 2, at most MAX_UPDATE_PASSES full decodes in all.
        double ratio = Math.max(2.0, Math.pow((double) last / first, 1.0 / (MAX_UPDATE_PASSES - 1)));
        List<Integer> counts = new ArrayList<>();
        for (double g = first; g < last; g *= ratio) {
            int c = (int) Math.round(g);
            if (c >= last) {
                break;
            }
            if (counts.isEmpty() || c > counts.get(counts.size() - 1)) {
                counts.add(c);
            }
        }
        counts.add(last);
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] range(java.awt.image.Raster r) {
        int[] a = new int[r.getNumBands()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Relays the codec's per-tile progress (and our abort flag) for pass {@code pass} of {@code passes}. */
    private final class Progress implements ProgressListener {
        private final int pass;
        private final int passes;

        Progress(int pass, int passes) {
            this.pass = pass;
            this.passes = passes;
        }

        @Override
        public void progress(float fraction) {
            float overall = (pass + Math.max(0f, Math.min(1f, fraction))) / passes;
            processImageProgress(Math.min(99.9f, 100f * overall)); // 100 is reported once, when the image is done
        }

        @Override
        public boolean isCancelled() {
            return abortRequested();
        }
    }

    // ------------------------------------------------------------------------------------------------- internals

    private void checkIndex(int imageIndex) {
        requireInput();
        if (imageIndex != 0) {
            throw new IndexOutOfBoundsException("a qtk file holds one image (index 0), not index " + imageIndex);
        }
    }

    private ImageInputStream requireInput() {
        if (input == null) {
            throw new IllegalStateException("input not set");
        }
        return (ImageInputStream) input;
    }

    private StreamData data() throws IOException {
        if (data == null) {
            data = new StreamData(requireInput());
        }
        return data;
    }

    /** @return the header, parsed from the first bytes of the file (the whole file only when needed) */
    private QtkInfo header(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        if (header == null) {
            if (fileInfo != null) {
                header = fileInfo;
            } else {
                StreamData d = data();
                d.fill(HEADER_PROBE_BYTES);
                checkSignature(d.bytes());
                try {
                    header = info(d.bytes());
                } catch (IOException e) {
                    if (d.atEnd()) {
                        throw e;
                    }
                    // The header reaches past the probe (huge metadata before it?): try with the whole file.
                    header = info(d.all());
                }
            }
        }
        return header;
    }

    /** Loads the whole file and parses its header as complete (groups present, truncation, size). */
    private void loadFile() throws IOException {
        if (fileInfo == null) {
            header(0); // the signature and header first: a foreign stream is refused before it is loaded
            fileInfo = info(data().all());
        }
    }

    private static void checkSignature(byte[] head) throws IIOException {
        if (!QtkImageReaderSpi.isSignature(head)) {
            throw new IIOException("not a qtk file: the stream does not start with the .qtk signature");
        }
    }

    private static QtkInfo info(byte[] bytes) throws IOException {
        try {
            return QtkDecoder.info(bytes);
        } catch (IIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IIOException("cannot read qtk header: " + e.getMessage(), e);
        }
    }

    /**
     * Reads ICC / EXIF / XMP / comment and the orientation from the container, without decoding a token (and so
     * without needing the model), as the decoder would report them.
     */
    private static ImageMetadata carriedMetadata(byte[] bytes) throws IOException {
        QtkFile file;
        try {
            file = QtkReader.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw new IIOException("cannot read qtk metadata: " + e.getMessage(), e);
        }
        io.qtk.format.ImageMetadata m = file.metadata();
        return ImageMetadata.builder()
                .icc(m.icc().orElse(null))
                .exif(m.exif().orElse(null))
                .xmp(m.xmp().map(x -> x.getBytes(StandardCharsets.UTF_8)).orElse(null))
                .comment(m.comment().orElse(null))
                .orientation(file.header().orientation())
                .build();
    }

    private DecodedImage decode(DecodeOptions options, ProgressListener listener) throws IOException {
        byte[] all = data().all();
        try {
            QtkDecoder decoder = SharedCodecs.decoder();
            try {
                return decoder.decode(all, options, listener);
            } catch (IllegalStateException closed) {
                // Closed under us (setConfig, or a provider re-registration by ImageIO.scanForPlugins): once more
                // with the new shared decoder; a decoder closed for another reason fails as before.
                QtkDecoder current = SharedCodecs.decoder();
                if (current == decoder) {
                    throw closed;
                }
                return current.decode(all, options, listener);
            }
        } catch (QtkCancelledException | IIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Format, model and runtime failures alike reach ImageIO callers as IIOException, cause kept.
            throw new IIOException("cannot decode qtk image: " + e.getMessage(), e);
        }
    }
}
