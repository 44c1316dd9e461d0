package io.qtk.imageio;

import io.qtk.ImageMetadata;
import io.qtk.QtkInfo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormat;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Image metadata of a {@code .qtk} file, in the native format {@value QtkImageIO#NATIVE_METADATA_FORMAT_NAME}
 * (described by {@link QtkMetadataFormat}) and the standard {@code javax_imageio_1.0} format.
 *
 * <p>It holds two things: the file's header ({@link #info()}, only for metadata that came from a reader) and what the
 * file carries verbatim ({@link #imageMetadata()}: ICC profile, EXIF, XMP, comment, orientation). The second part is
 * editable through {@link #mergeTree} / {@link #setFromTree} in either format and is what {@link QtkImageWriter}
 * writes; the header part is read-only information.
 *
 * <p>Standard tree: {@code Chroma} (ColorSpaceType GRAY / RGB, NumChannels, BlackIsZero), {@code Compression}
 * (CompressionTypeName {@code qtk}, Lossless FALSE, NumProgressiveScans = groups present, BitRate = the file's bits
 * per pixel: its compression ratio expressed per pixel), {@code Data} (8 bits per sample as decoded,
 * PixelInterleaved, UnsignedIntegral), {@code Dimension} (PixelAspectRatio 1, ImageOrientation from the EXIF
 * orientation), {@code Text} (the comment, keyword {@code Comment}) and {@code Transparency} (Alpha none /
 * nonpremultiplied). Nodes that need the header are left out of writer-side metadata.
 */
public final class QtkMetadata extends IIOMetadata {
    /** Standard {@code ImageOrientation} names indexed by EXIF orientation 1..8 (index 0 unused). */
    private static final String[] ORIENTATIONS = {null, "Normal", "FlipH", "Rotate180", "FlipV", "FlipHRotate90",
        "Rotate270", "FlipVRotate90", "Rotate90"};

    private static final String NATIVE = QtkImageIO.NATIVE_METADATA_FORMAT_NAME;
    private static final String STANDARD = IIOMetadataFormatImpl.standardMetadataFormatName;

    private final QtkInfo info;
    private final ImageMetadata original;
    private ImageMetadata current;

    /** Empty metadata for writing: no header, nothing carried, orientation 1. */
    public QtkMetadata() {
        this(null, ImageMetadata.EMPTY);
    }

    /**
     * @param info the header of the file this describes, or null for metadata that is only to be written
     * @param metadata what the file carries (ICC, EXIF, XMP, comment, orientation)
     */
    public QtkMetadata(QtkInfo info, ImageMetadata metadata) {
        super(true, NATIVE, QtkMetadataFormat.class.getName(), null, null);
        this.info = info;
        this.original = metadata == null ? ImageMetadata.EMPTY : metadata;
        this.current = original;
    }

    /** @return the header of the file this metadata was read from, or null for writer-side metadata */
    public QtkInfo info() {
        return info;
    }

    /** @return ICC profile, EXIF, XMP, comment and orientation as they are now (after any merge) */
    public ImageMetadata imageMetadata() {
        return current;
    }

    /** @param metadata the ICC profile, EXIF, XMP, comment and orientation to hold from now on */
    public void setImageMetadata(ImageMetadata metadata) {
        this.current = metadata == null ? ImageMetadata.EMPTY : metadata;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public IIOMetadataFormat getMetadataFormat(String formatName) {
        // Resolved here rather than by the superclass's reflection so that it works in any class-loader setup.
        if (NATIVE.equals(formatName)) {
            return QtkMetadataFormat.getInstance();
        }
        return super.getMetadataFormat(formatName);
    }

    @Override
    public Node getAsTree(String formatName) {
        if (NATIVE.equals(formatName)) {
            return nativeTree();
        }
        if (STANDARD.equals(formatName)) {
            return getStandardTree();
        }
        throw new IllegalArgumentException("unsupported metadata format: " + formatName);
    }

    @Override
    public void mergeTree(String formatName, Node root) throws IIOInvalidTreeException {
        if (root == null) {
            throw new IllegalArgumentException("root == null");
        }
        if (NATIVE.equals(formatName)) {
            mergeNative(root);
        } else if (STANDARD.equals(formatName)) {
            mergeStandard(root);
        } else {
            throw new IllegalArgumentException("unsupported metadata format: " + formatName);
        }
    }

    @Override
    public void reset() {
        current = original;
    }

    // ---------------------------------------------------------------------------------------------- native tree

    private IIOMetadataNode nativeTree() {
        IIOMetadataNode root = new IIOMetadataNode(NATIVE);
        if (info != null) {
            IIOMetadataNode header = new IIOMetadataNode("Header");
            header.setAttribute("width", Integer.toString(info.width()));
            header.setAttribute("height", Integer.toString(info.height()));
            header.setAttribute("channels", Integer.toString(info.channels()));
            header.setAttribute("sourceBitDepth", Integer.toString(info.sourceBitDepth()));
            header.setAttribute("codedBitDepth", "8");
            root.appendChild(header);

            IIOMetadataNode model = new IIOMetadataNode("Model");
            model.setAttribute("name", info.modelName());
            model.setAttribute("version", info.modelVersion());
            model.setAttribute("sha256", info.modelSha256());
            model.setAttribute("quantiser", info.quantiser());
            root.appendChild(model);

            IIOMetadataNode groups = new IIOMetadataNode("Groups");
            groups.setAttribute("total", Integer.toString(info.groupsTotal()));
            groups.setAttribute("coded", Integer.toString(info.groupsCoded()));
            groups.setAttribute("present", Integer.toString(info.groupsPresent()));
            groups.setAttribute("truncated", info.truncated() ? "TRUE" : "FALSE");
            root.appendChild(groups);

            IIOMetadataNode compression = new IIOMetadataNode("Compression");
            compression.setAttribute("fileBytes", Long.toString(info.fileBytes()));
            compression.setAttribute("bitsPerPixel", Float.toString((float) info.bitsPerPixel()));
            compression.setAttribute("compressionRatio", Float.toString((float) compressionRatio(info)));
            root.appendChild(compression);
        }
        IIOMetadataNode orientation = new IIOMetadataNode("Orientation");
        orientation.setAttribute("value", Integer.toString(current.orientation()));
        root.appendChild(orientation);
        appendBlob(root, "ICCProfile", current.icc());
        appendBlob(root, "EXIF", current.exif());
        appendBlob(root, "XMP", current.xmp());
        if (current.comment() != null) {
            IIOMetadataNode comment = new IIOMetadataNode("Comment");
            comment.setAttribute("value", current.comment());
            root.appendChild(comment);
        }
        return root;
    }

    /**
     * @return the raw size of the pixels as the source had them (channels x source bit depth) over the file size;
     *     0 for an empty file
     */
    static double compressionRatio(QtkInfo info) {
        if (info.fileBytes() <= 0) {
            return 0;
        }
        double raw = (double) info.width() * info.height() * info.channels() * info.sourceBitDepth() / 8.0;
        return raw / info.fileBytes();
    }

    private static void appendBlob(IIOMetadataNode root, String name, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        node.setAttribute("length", Integer.toString(bytes.length));
        node.setAttribute("data", Base64.getEncoder().encodeToString(bytes));
        node.setUserObject(bytes);
        root.appendChild(node);
    }

    private void mergeNative(Node root) throws IIOInvalidTreeException {
        if (!NATIVE.equals(root.getNodeName())) {
            throw new IIOInvalidTreeException("root must be " + NATIVE + ", not " + root.getNodeName(), root);
        }
        ImageMetadata.Builder b = current.toBuilder();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeName()) {
                case "Header", "Model", "Groups", "Compression" -> {
                    // read-only: they describe the file that was read, not what is written
                }
                case "Orientation" -> b.orientation(parseOrientation(n, attribute(n, "value", true)));
                case "ICCProfile" -> b.icc(blob(n));
                case "EXIF" -> b.exif(blob(n));
                case "XMP" -> b.xmp(blob(n));
                case "Comment" -> b.comment(attribute(n, "value", true));
                default -> throw new IIOInvalidTreeException("unknown element " + n.getNodeName(), n);
            }
        }
        current = b.build();
    }

    private static int parseOrientation(Node n, String value) throws IIOInvalidTreeException {
        try {
            int o = Integer.parseInt(value.trim());
            if (o >= 1 && o <= 8) {
                return o;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IIOInvalidTreeException("orientation must be 1..8, got " + value, n);
    }

    private static byte[] blob(Node n) throws IIOInvalidTreeException {
        if (n instanceof IIOMetadataNode && ((IIOMetadataNode) n).getUserObject() != null) {
            Object o = ((IIOMetadataNode) n).getUserObject();
            if (o instanceof byte[]) {
                return ((byte[]) o).clone();
            }
            throw new IIOInvalidTreeException(n.getNodeName() + " user object must be a byte[], not "
                    + o.getClass().getName(), n);
        }
        String data = attribute(n, "data", false);
        if (data == null) {
            throw new IIOInvalidTreeException(n.getNodeName() + " needs a byte[] user object or a data attribute", n);
        }
        try {
            // Line breaks and spaces (as XML tools add) are allowed; anything else outside base64 is an error.
            return Base64.getDecoder().decode(data.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new IIOInvalidTreeException(n.getNodeName() + " data is not base64: " + e.getMessage(), e, n);
        }
    }

    private static String attribute(Node n, String name, boolean required) throws IIOInvalidTreeException {
        NamedNodeMap attrs = n.getAttributes();
        Node a = attrs == null ? null : attrs.getNamedItem(name);
        if (a == null) {
            if (required) {
                throw new IIOInvalidTreeException(n.getNodeName() + " needs attribute " + name, n);
            }
            return null;
        }
        return a.getNodeValue();
    }

    // -------------------------------------------------------------------------------------------- standard tree

    private void mergeStandard(Node root) throws IIOInvalidTreeException {
        if (!STANDARD.equals(root.getNodeName())) {
            throw new IIOInvalidTreeException("root must be " + STANDARD + ", not " + root.getNodeName(), root);
        }
        ImageMetadata.Builder b = current.toBuilder();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("Dimension".equals(n.getNodeName())) {
                for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if ("ImageOrientation".equals(d.getNodeName())) {
                        b.orientation(exifOrientation(d, attribute(d, "value", true)));
                    }
                }
            } else if ("Text".equals(n.getNodeName())) {
                String comment = standardComment(n);
                if (comment != null) {
                    b.comment(comment);
                }
            }
            // Other standard nodes describe the pixels, which the writer takes from the image itself.
        }
        current = b.build();
    }

    /** @return the value of the first TextEntry with keyword "comment" (any case), else of the first without one */
    private static String standardComment(Node text) throws IIOInvalidTreeException {
        String fallback = null;
        for (Node e = text.getFirstChild(); e != null; e = e.getNextSibling()) {
            if (!"TextEntry".equals(e.getNodeName())) {
                continue;
            }
            String keyword = attribute(e, "keyword", false);
            String value = attribute(e, "value", false);
            if (value == null) {
                continue;
            }
            if (keyword != null && keyword.toLowerCase(Locale.ROOT).equals("comment")) {
                return value;
            }
            if (keyword == null && fallback == null) {
                fallback = value;
            }
        }
        return fallback;
    }

    private static int exifOrientation(Node n, String name) throws IIOInvalidTreeException {
        for (int o = 1; o < ORIENTATIONS.length; o++) {
            if (ORIENTATIONS[o].equalsIgnoreCase(name.trim())) {
                return o;
            }
        }
        throw new IIOInvalidTreeException("unknown ImageOrientation " + name, n);
    }

    /** @return the standard ImageOrientation name of an EXIF orientation 1..8 */
    static String standardOrientation(int exifOrientation) {
        return ORIENTATIONS[exifOrientation];
    }

    @Override
    protected IIOMetadataNode getStandardChromaNode() {
        if (info == null) {
            return null;
        }
        IIOMetadataNode chroma = new IIOMetadataNode("Chroma");
        IIOMetadataNode type = new IIOMetadataNode("ColorSpaceType");
        type.setAttribute("name", info.channels() <= 2 ? "GRAY" : "RGB");
        chroma.appendChild(type);
        IIOMetadataNode channels = new IIOMetadataNode("NumChannels");
        channels.setAttribute("value", Integer.toString(info.channels()));
        chroma.appendChild(channels);
        IIOMetadataNode blackIsZero = new IIOMetadataNode("BlackIsZero");
        blackIsZero.setAttribute("value", "TRUE");
        chroma.appendChild(blackIsZero);
        return chroma;
    }

    @Override
    protected IIOMetadataNode getStandardCompressionNode() {
        IIOMetadataNode compression = new IIOMetadataNode("Compression");
        IIOMetadataNode name = new IIOMetadataNode("CompressionTypeName");
        name.setAttribute("value", "qtk");
        compression.appendChild(name);
        IIOMetadataNode lossless = new IIOMetadataNode("Lossless");
        lossless.setAttribute("value", "FALSE");
        compression.appendChild(lossless);
        if (info != null) {
            IIOMetadataNode scans = new IIOMetadataNode("NumProgressiveScans");
            scans.setAttribute("value", Integer.toString(info.groupsPresent()));
            compression.appendChild(scans);
            IIOMetadataNode bitRate = new IIOMetadataNode("BitRate");
            bitRate.setAttribute("value", Float.toString((float) info.bitsPerPixel()));
            compression.appendChild(bitRate);
        }
        return compression;
    }

    @Override
    protected IIOMetadataNode getStandardDataNode() {
        if (info == null) {
            return null;
        }
        IIOMetadataNode data = new IIOMetadataNode("Data");
        IIOMetadataNode planar = new IIOMetadataNode("PlanarConfiguration");
        planar.setAttribute("value", "PixelInterleaved");
        data.appendChild(planar);
        IIOMetadataNode format = new IIOMetadataNode("SampleFormat");
        format.setAttribute("value", "UnsignedIntegral");
        data.appendChild(format);
        // Decoded images hold as many bands as the file's channels, gray + alpha excepted (it decodes to RGBA).
        int bands = info.channels() == 2 ? 4 : info.channels();
        IIOMetadataNode bits = new IIOMetadataNode("BitsPerSample");
        bits.setAttribute("value", String.join(" ", java.util.Collections.nCopies(bands, "8")));
        data.appendChild(bits);
        return data;
    }

    @Override
    protected IIOMetadataNode getStandardDimensionNode() {
        IIOMetadataNode dimension = new IIOMetadataNode("Dimension");
        IIOMetadataNode aspect = new IIOMetadataNode("PixelAspectRatio");
        aspect.setAttribute("value", "1.0");
        dimension.appendChild(aspect);
        IIOMetadataNode orientation = new IIOMetadataNode("ImageOrientation");
        orientation.setAttribute("value", standardOrientation(current.orientation()));
        dimension.appendChild(orientation);
        return dimension;
    }

    @Override
    protected IIOMetadataNode getStandardTextNode() {
        if (current.comment() == null) {
            return null;
        }
        IIOMetadataNode text = new IIOMetadataNode("Text");
        IIOMetadataNode entry = new IIOMetadataNode("TextEntry");
        entry.setAttribute("keyword", "Comment");
        entry.setAttribute("value", current.comment());
        entry.setAttribute("encoding", StandardCharsets.UTF_8.name());
        text.appendChild(entry);
        return text;
    }

    @Override
    protected IIOMetadataNode getStandardTransparencyNode() {
        if (info == null) {
            return null;
        }
        IIOMetadataNode transparency = new IIOMetadataNode("Transparency");
        IIOMetadataNode alpha = new IIOMetadataNode("Alpha");
        alpha.setAttribute("value", info.hasAlpha() ? "nonpremultiplied" : "none");
        transparency.appendChild(alpha);
        return transparency;
    }
}
