package io.qtk.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qtk.ImageMetadata;
import io.qtk.QtkInfo;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadataFormat;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** The native and standard trees of {@link QtkMetadata}, without the codec engine (built from a header record). */
class QtkMetadataTest {
    private static final String NATIVE = QtkImageIO.NATIVE_METADATA_FORMAT_NAME;
    private static final String STANDARD = IIOMetadataFormatImpl.standardMetadataFormatName;
    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static QtkInfo info(int channels, int depth, boolean truncated) {
        return new QtkInfo(768, 512, channels, depth, 6, "qtk-test-tiny", "1", SHA, "grid", 32, 16,
                truncated ? 9 : 16, truncated, 24_576);
    }

    static ImageMetadata carried() {
        return ImageMetadata.builder().icc(new byte[] {1, 2, 3, 4}).exif("MM\0*exif".getBytes(StandardCharsets.ISO_8859_1))
                .xmp("<x:xmpmeta/>".getBytes(StandardCharsets.UTF_8)).comment("hello qtk").orientation(6).build();
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return n;
            }
        }
        return null;
    }

    private static String attr(Node n, String name) {
        return ((IIOMetadataNode) n).getAttribute(name);
    }

    @Test
    void nativeTreeOfAReadFile() {
        QtkMetadata m = new QtkMetadata(info(4, 16, true), carried());
        Node root = m.getAsTree(NATIVE);
        assertEquals(NATIVE, root.getNodeName());
        Node header = child(root, "Header");
        assertEquals("768", attr(header, "width"));
        assertEquals("512", attr(header, "height"));
        assertEquals("4", attr(header, "channels"));
        assertEquals("16", attr(header, "sourceBitDepth"));
        assertEquals("8", attr(header, "codedBitDepth"));
        Node model = child(root, "Model");
        assertEquals("qtk-test-tiny", attr(model, "name"));
        assertEquals("1", attr(model, "version"));
        assertEquals(SHA, attr(model, "sha256"));
        assertEquals("grid", attr(model, "quantiser"));
        Node groups = child(root, "Groups");
        assertEquals("32", attr(groups, "total"));
        assertEquals("16", attr(groups, "coded"));
        assertEquals("9", attr(groups, "present"));
        assertEquals("TRUE", attr(groups, "truncated"));
        Node compression = child(root, "Compression");
        assertEquals("24576", attr(compression, "fileBytes"));
        assertEquals(0.5f, Float.parseFloat(attr(compression, "bitsPerPixel")), 1e-6);
        // 768 * 512 pixels * 4 channels * 2 bytes over 24576 bytes
        assertEquals(128f, Float.parseFloat(attr(compression, "compressionRatio")), 1e-3);
        assertEquals("6", attr(child(root, "Orientation"), "value"));
        Node icc = child(root, "ICCProfile");
        assertEquals("4", attr(icc, "length"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) ((IIOMetadataNode) icc).getUserObject());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Base64.getDecoder().decode(attr(icc, "data")));
        assertArrayEquals("MM\0*exif".getBytes(StandardCharsets.ISO_8859_1),
                (byte[]) ((IIOMetadataNode) child(root, "EXIF")).getUserObject());
        assertEquals("<x:xmpmeta/>", new String((byte[]) ((IIOMetadataNode) child(root, "XMP")).getUserObject(),
                StandardCharsets.UTF_8));
        assertEquals("hello qtk", attr(child(root, "Comment"), "value"));
        assertValid(root);
    }

    @Test
    void nativeTreeOfWriterMetadataHasOnlyWhatIsWritten() {
        Node root = new QtkMetadata().getAsTree(NATIVE);
        assertNull(child(root, "Header"));
        assertNull(child(root, "Model"));
        assertNull(child(root, "Groups"));
        assertNull(child(root, "Compression"));
        assertNull(child(root, "ICCProfile"));
        assertNull(child(root, "Comment"));
        assertEquals("1", attr(child(root, "Orientation"), "value"));
        assertValid(root);
    }

    /** Checks the tree against {@link QtkMetadataFormat}: names, order, attributes, required ones, enumerations. */
    private static void assertValid(Node root) {
        IIOMetadataFormat f = QtkMetadataFormat.getInstance();
        assertEquals(f.getRootName(), root.getNodeName());
        java.util.List<String> allowed = java.util.List.of(f.getChildNames(f.getRootName()));
        int last = -1;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            int at = allowed.indexOf(n.getNodeName());
            assertTrue(at > last, n.getNodeName() + " unknown or out of order");
            last = at;
            NamedNodeMap attrs = n.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                String a = attrs.item(i).getNodeName();
                assertTrue(java.util.List.of(f.getAttributeNames(n.getNodeName())).contains(a),
                        n.getNodeName() + "@" + a + " undefined");
                if (f.getAttributeValueType(n.getNodeName(), a) == IIOMetadataFormat.VALUE_ENUMERATION) {
                    assertTrue(java.util.List.of(f.getAttributeEnumerations(n.getNodeName(), a))
                            .contains(attrs.item(i).getNodeValue()), n.getNodeName() + "@" + a);
                }
            }
            for (String a : f.getAttributeNames(n.getNodeName())) {
                if (f.isAttributeRequired(n.getNodeName(), a)) {
                    assertNotNull(attrs.getNamedItem(a), n.getNodeName() + " lacks required " + a);
                }
            }
            if (n instanceof IIOMetadataNode && ((IIOMetadataNode) n).getUserObject() != null) {
                assertEquals(IIOMetadataFormat.VALUE_LIST, f.getObjectValueType(n.getNodeName()));
                assertEquals(byte.class, f.getObjectClass(n.getNodeName()));
            }
        }
    }

    @Test
    void formatDescribesEveryElement() {
        IIOMetadataFormat f = QtkMetadataFormat.getInstance();
        assertEquals(NATIVE, f.getRootName());
        assertEquals(IIOMetadataFormat.CHILD_POLICY_SOME, f.getChildPolicy(NATIVE));
        assertArrayEquals(new String[] {"Header", "Model", "Groups", "Compression", "Orientation", "ICCProfile",
            "EXIF", "XMP", "Comment"}, f.getChildNames(NATIVE));
        assertTrue(f.canNodeAppear("ICCProfile", ImageTypeSpecifier.createFromBufferedImageType(
                BufferedImage.TYPE_BYTE_GRAY)));
        assertEquals("1", f.getAttributeMinValue("Orientation", "value"));
        assertEquals("8", f.getAttributeMaxValue("Orientation", "value"));
        assertArrayEquals(new String[] {"grid", "global"}, f.getAttributeEnumerations("Model", "quantiser"));
        assertTrue(new QtkMetadata().getMetadataFormat(NATIVE) == f);
        assertNotNull(new QtkMetadata().getMetadataFormat(STANDARD));
    }

    @Test
    void standardTree() {
        QtkMetadata m = new QtkMetadata(info(4, 8, false), carried());
        Node root = m.getAsTree(STANDARD);
        assertEquals(STANDARD, root.getNodeName());
        Node chroma = child(root, "Chroma");
        assertEquals("RGB", attr(child(chroma, "ColorSpaceType"), "name"));
        assertEquals("4", attr(child(chroma, "NumChannels"), "value"));
        Node compression = child(root, "Compression");
        assertEquals("qtk", attr(child(compression, "CompressionTypeName"), "value"));
        assertEquals("FALSE", attr(child(compression, "Lossless"), "value"));
        assertEquals("16", attr(child(compression, "NumProgressiveScans"), "value"));
        assertEquals(0.5f, Float.parseFloat(attr(child(compression, "BitRate"), "value")), 1e-6);
        Node data = child(root, "Data");
        assertEquals("8 8 8 8", attr(child(data, "BitsPerSample"), "value"));
        assertEquals("UnsignedIntegral", attr(child(data, "SampleFormat"), "value"));
        Node dimension = child(root, "Dimension");
        assertEquals("Rotate270", attr(child(dimension, "ImageOrientation"), "value"));
        assertEquals("1.0", attr(child(dimension, "PixelAspectRatio"), "value"));
        Node text = child(root, "Text");
        assertEquals("Comment", attr(child(text, "TextEntry"), "keyword"));
        assertEquals("hello qtk", attr(child(text, "TextEntry"), "value"));
        assertEquals("nonpremultiplied", attr(child(child(root, "Transparency"), "Alpha"), "value"));

        Node gray = new QtkMetadata(info(1, 8, false), ImageMetadata.EMPTY).getAsTree(STANDARD);
        assertEquals("GRAY", attr(child(child(gray, "Chroma"), "ColorSpaceType"), "name"));
        assertEquals("none", attr(child(child(gray, "Transparency"), "Alpha"), "value"));
        assertEquals("Normal", attr(child(child(gray, "Dimension"), "ImageOrientation"), "value"));
        assertNull(child(gray, "Text"));
        Node grayAlpha = new QtkMetadata(info(2, 8, false), ImageMetadata.EMPTY).getAsTree(STANDARD);
        assertEquals("GRAY", attr(child(child(grayAlpha, "Chroma"), "ColorSpaceType"), "name"));
        assertEquals("8 8 8 8", attr(child(child(grayAlpha, "Data"), "BitsPerSample"), "value"),
                "gray + alpha decodes to 4 bands");
    }

    @Test
    void standardTreeOfWriterMetadata() {
        Node root = new QtkMetadata().getAsTree(STANDARD);
        assertNull(child(root, "Chroma"));
        assertEquals("FALSE", attr(child(child(root, "Compression"), "Lossless"), "value"));
        assertNull(child(child(root, "Compression"), "BitRate"));
    }

    @Test
    void orientationNamesFollowTheStandardFormat() {
        String[] expected = {"Normal", "FlipH", "Rotate180", "FlipV", "FlipHRotate90", "Rotate270",
            "FlipVRotate90", "Rotate90"};
        for (int o = 1; o <= 8; o++) {
            assertEquals(expected[o - 1], QtkMetadata.standardOrientation(o));
            QtkMetadata m = new QtkMetadata();
            m.setImageMetadata(ImageMetadata.builder().orientation(o).build());
            QtkMetadata back = new QtkMetadata();
            try {
                back.mergeTree(STANDARD, m.getAsTree(STANDARD));
            } catch (IIOInvalidTreeException e) {
                throw new AssertionError(e);
            }
            assertEquals(o, back.imageMetadata().orientation());
        }
    }

    @Test
    void mergeNativeWithUserObjectsAndBase64() throws IIOInvalidTreeException {
        QtkMetadata m = new QtkMetadata();
        IIOMetadataNode root = new IIOMetadataNode(NATIVE);
        IIOMetadataNode icc = new IIOMetadataNode("ICCProfile");
        icc.setUserObject(new byte[] {9, 8, 7});
        icc.setAttribute("data", Base64.getEncoder().encodeToString(new byte[] {1})); // user object wins
        root.appendChild(icc);
        IIOMetadataNode exif = new IIOMetadataNode("EXIF");
        exif.setAttribute("data", Base64.getEncoder().encodeToString("II*\0".getBytes(StandardCharsets.ISO_8859_1)));
        root.appendChild(exif);
        IIOMetadataNode orientation = new IIOMetadataNode("Orientation");
        orientation.setAttribute("value", "3");
        root.appendChild(orientation);
        IIOMetadataNode comment = new IIOMetadataNode("Comment");
        comment.setAttribute("value", "merged");
        root.appendChild(comment);
        IIOMetadataNode header = new IIOMetadataNode("Header"); // read-only: ignored
        header.setAttribute("width", "5");
        root.appendChild(header);
        m.mergeTree(NATIVE, root);
        ImageMetadata im = m.imageMetadata();
        assertArrayEquals(new byte[] {9, 8, 7}, im.icc());
        assertArrayEquals("II*\0".getBytes(StandardCharsets.ISO_8859_1), im.exif());
        assertEquals(3, im.orientation());
        assertEquals("merged", im.comment());
        assertNull(im.xmp());
        assertNull(m.info());

        // A second merge changes only what it names.
        IIOMetadataNode more = new IIOMetadataNode(NATIVE);
        IIOMetadataNode xmp = new IIOMetadataNode("XMP");
        xmp.setUserObject("<x/>".getBytes(StandardCharsets.UTF_8));
        more.appendChild(xmp);
        m.mergeTree(NATIVE, more);
        assertArrayEquals(new byte[] {9, 8, 7}, m.imageMetadata().icc());
        assertEquals("<x/>", new String(m.imageMetadata().xmp(), StandardCharsets.UTF_8));

        m.reset();
        assertEquals(ImageMetadata.EMPTY, m.imageMetadata());
    }

    @Test
    void nativeTreeRoundTrips() throws IIOInvalidTreeException {
        QtkMetadata source = new QtkMetadata(info(3, 8, false), carried());
        QtkMetadata copy = new QtkMetadata();
        copy.setFromTree(NATIVE, source.getAsTree(NATIVE));
        assertEquals(carried(), copy.imageMetadata());
        // Through base64 only (user objects dropped, as after serialising the tree as XML).
        Node tree = source.getAsTree(NATIVE);
        for (Node n = tree.getFirstChild(); n != null; n = n.getNextSibling()) {
            ((IIOMetadataNode) n).setUserObject(null);
        }
        QtkMetadata viaBase64 = new QtkMetadata();
        viaBase64.mergeTree(NATIVE, tree);
        assertEquals(carried(), viaBase64.imageMetadata());
    }

    @Test
    void resetRestoresWhatWasRead() throws IIOInvalidTreeException {
        QtkMetadata m = new QtkMetadata(info(3, 8, false), carried());
        IIOMetadataNode root = new IIOMetadataNode(NATIVE);
        IIOMetadataNode c = new IIOMetadataNode("Comment");
        c.setAttribute("value", "changed");
        root.appendChild(c);
        m.mergeTree(NATIVE, root);
        assertEquals("changed", m.imageMetadata().comment());
        m.reset();
        assertEquals(carried(), m.imageMetadata());
        assertFalse(m.isReadOnly());
    }

    @Test
    void mergeStandardTakesOrientationAndComment() throws IIOInvalidTreeException {
        IIOMetadataNode root = new IIOMetadataNode(STANDARD);
        IIOMetadataNode dim = new IIOMetadataNode("Dimension");
        IIOMetadataNode o = new IIOMetadataNode("ImageOrientation");
        o.setAttribute("value", "Rotate90");
        dim.appendChild(o);
        root.appendChild(dim);
        IIOMetadataNode text = new IIOMetadataNode("Text");
        IIOMetadataNode other = new IIOMetadataNode("TextEntry");
        other.setAttribute("keyword", "Author");
        other.setAttribute("value", "someone");
        text.appendChild(other);
        IIOMetadataNode comment = new IIOMetadataNode("TextEntry");
        comment.setAttribute("keyword", "comment");
        comment.setAttribute("value", "from standard");
        text.appendChild(comment);
        root.appendChild(text);
        root.appendChild(new IIOMetadataNode("Chroma")); // describes pixels: ignored
        QtkMetadata m = new QtkMetadata();
        m.mergeTree(STANDARD, root);
        assertEquals(8, m.imageMetadata().orientation());
        assertEquals("from standard", m.imageMetadata().comment());
    }

    @Test
    void invalidTreesAndFormats() {
        QtkMetadata m = new QtkMetadata();
        assertThrows(IllegalArgumentException.class, () -> m.getAsTree("javax_imageio_png_1.0"));
        assertThrows(IllegalArgumentException.class, () -> m.getAsTree(null));
        assertThrows(IllegalArgumentException.class, () -> m.mergeTree("nope", new IIOMetadataNode("nope")));
        assertThrows(IllegalArgumentException.class, () -> m.mergeTree(NATIVE, null));
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, new IIOMetadataNode("wrong_root")));
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(STANDARD, new IIOMetadataNode(NATIVE)));

        IIOMetadataNode unknown = new IIOMetadataNode(NATIVE);
        unknown.appendChild(new IIOMetadataNode("Thumbnail"));
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, unknown));

        IIOMetadataNode badOrientation = new IIOMetadataNode(NATIVE);
        IIOMetadataNode o = new IIOMetadataNode("Orientation");
        o.setAttribute("value", "9");
        badOrientation.appendChild(o);
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, badOrientation));

        IIOMetadataNode badIcc = new IIOMetadataNode(NATIVE);
        IIOMetadataNode icc = new IIOMetadataNode("ICCProfile");
        icc.setUserObject("not bytes");
        badIcc.appendChild(icc);
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, badIcc));

        IIOMetadataNode noData = new IIOMetadataNode(NATIVE);
        noData.appendChild(new IIOMetadataNode("EXIF"));
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, noData));

        IIOMetadataNode badBase64 = new IIOMetadataNode(NATIVE);
        IIOMetadataNode x = new IIOMetadataNode("XMP");
        x.setAttribute("data", "!!!");
        badBase64.appendChild(x);
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(NATIVE, badBase64));

        IIOMetadataNode badStandard = new IIOMetadataNode(STANDARD);
        IIOMetadataNode dim = new IIOMetadataNode("Dimension");
        IIOMetadataNode io = new IIOMetadataNode("ImageOrientation");
        io.setAttribute("value", "Sideways");
        dim.appendChild(io);
        badStandard.appendChild(dim);
        assertThrows(IIOInvalidTreeException.class, () -> m.mergeTree(STANDARD, badStandard));

        assertEquals(ImageMetadata.EMPTY, m.imageMetadata(), "a failed merge changed the metadata");
    }

    @Test
    void formatNamesAdvertised() {
        QtkMetadata m = new QtkMetadata();
        assertEquals(NATIVE, m.getNativeMetadataFormatName());
        assertTrue(m.isStandardMetadataFormatSupported());
        assertNull(m.getExtraMetadataFormatNames());
        assertArrayEquals(new String[] {NATIVE, STANDARD}, m.getMetadataFormatNames());
    }
}
