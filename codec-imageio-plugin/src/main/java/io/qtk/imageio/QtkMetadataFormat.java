package io.qtk.imageio;

import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadataFormat;
import javax.imageio.metadata.IIOMetadataFormatImpl;

/**
 * Describes the native image metadata tree {@value QtkImageIO#NATIVE_METADATA_FORMAT_NAME} of {@link QtkMetadata}.
 * Every child is optional and appears at most once, in this order:
 *
 * <pre>
 * &lt;javax_imageio_qtk_1.0&gt;
 *   &lt;Header width height channels sourceBitDepth codedBitDepth/&gt;        read-only, from the file's QHDR
 *   &lt;Model name version sha256 quantiser/&gt;                           read-only: the model the file names
 *   &lt;Groups total coded present truncated/&gt;                          read-only: groups (grid) / tokens (global)
 *   &lt;Compression fileBytes bitsPerPixel compressionRatio/&gt;           read-only, of the file as read
 *   &lt;Orientation value/&gt;                                             EXIF orientation 1..8 (always present)
 *   &lt;ICCProfile length data/&gt;     user object: byte[] (the profile); data: the same bytes in base64
 *   &lt;EXIF length data/&gt;           user object: byte[] (TIFF structure, "II"/"MM"); data: base64
 *   &lt;XMP length data/&gt;            user object: byte[] (UTF-8 packet); data: base64
 *   &lt;Comment value/&gt;              free text
 * &lt;/javax_imageio_qtk_1.0&gt;
 * </pre>
 *
 * <p>The read-only elements describe a file that was read and are ignored by {@code mergeTree}. The others are what
 * a {@code .qtk} file carries through verbatim; when merging, a {@code byte[]} user object wins over the
 * {@code data} attribute, and {@code length} is informative.
 */
public final class QtkMetadataFormat extends IIOMetadataFormatImpl {
    private static final QtkMetadataFormat INSTANCE = new QtkMetadataFormat();

    private QtkMetadataFormat() {
        super(QtkImageIO.NATIVE_METADATA_FORMAT_NAME, CHILD_POLICY_SOME);
        String root = QtkImageIO.NATIVE_METADATA_FORMAT_NAME;

        addElement("Header", root, CHILD_POLICY_EMPTY);
        addAttribute("Header", "width", DATATYPE_INTEGER, true, null, "1", "16777216", true, true);
        addAttribute("Header", "height", DATATYPE_INTEGER, true, null, "1", "16777216", true, true);
        addAttribute("Header", "channels", DATATYPE_INTEGER, true, null, "1", "4", true, true);
        addAttribute("Header", "sourceBitDepth", DATATYPE_INTEGER, true, null, java.util.List.of("8", "16"));
        addAttribute("Header", "codedBitDepth", DATATYPE_INTEGER, true, "8", java.util.List.of("8"));

        addElement("Model", root, CHILD_POLICY_EMPTY);
        addAttribute("Model", "name", DATATYPE_STRING, true, null);
        addAttribute("Model", "version", DATATYPE_STRING, true, null);
        addAttribute("Model", "sha256", DATATYPE_STRING, true, null);
        addAttribute("Model", "quantiser", DATATYPE_STRING, true, null, java.util.List.of("grid", "global"));

        addElement("Groups", root, CHILD_POLICY_EMPTY);
        addAttribute("Groups", "total", DATATYPE_INTEGER, true, null, "1", "65535", true, true);
        addAttribute("Groups", "coded", DATATYPE_INTEGER, true, null, "1", "65535", true, true);
        addAttribute("Groups", "present", DATATYPE_INTEGER, true, null, "0", "65535", true, true);
        addBooleanAttribute("Groups", "truncated", false, false);

        addElement("Compression", root, CHILD_POLICY_EMPTY);
        addAttribute("Compression", "fileBytes", DATATYPE_INTEGER, true, null, "0", null, true, false);
        addAttribute("Compression", "bitsPerPixel", DATATYPE_FLOAT, true, null, "0", null, true, false);
        addAttribute("Compression", "compressionRatio", DATATYPE_FLOAT, true, null, "0", null, false, false);

        addElement("Orientation", root, CHILD_POLICY_EMPTY);
        addAttribute("Orientation", "value", DATATYPE_INTEGER, true, "1", "1", "8", true, true);

        for (String blob : new String[] {"ICCProfile", "EXIF", "XMP"}) {
            addElement(blob, root, CHILD_POLICY_EMPTY);
            addAttribute(blob, "length", DATATYPE_INTEGER, false, null, "0", null, true, false);
            addAttribute(blob, "data", DATATYPE_STRING, false, null);
            addObjectValue(blob, byte.class, 0, Integer.MAX_VALUE);
        }

        addElement("Comment", root, CHILD_POLICY_EMPTY);
        addAttribute("Comment", "value", DATATYPE_STRING, true, null);
    }

    /** @return the one instance (ImageIO finds it by this method's name through reflection) */
    public static IIOMetadataFormat getInstance() {
        return INSTANCE;
    }

    @Override
    public boolean canNodeAppear(String elementName, ImageTypeSpecifier imageType) {
        return true; // every element applies to every image type the plugin handles
    }
}
