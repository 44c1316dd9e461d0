package io.qtk.imageio;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;

/**
 * Service provider for {@link QtkImageReader}: registered through
 * {@code META-INF/services/javax.imageio.spi.ImageReaderSpi}, it makes {@code .qtk} files readable by
 * {@link javax.imageio.ImageIO#read(java.io.File)} and friends.
 *
 * <p>Format names {@code qtk} / {@code QTK}, suffix {@code qtk}, MIME type {@code image/x-qtk}; input from any
 * {@link ImageInputStream}. Recognition ({@link #canDecodeInput(Object)}) looks at the 8-byte signature only and
 * leaves the stream where it was.
 */
public class QtkImageReaderSpi extends ImageReaderSpi {
    /**
     * The {@code .qtk} signature {@code 8A 51 54 4B 0D 0A 1A 0A}. A copy of {@code io.qtk.format.QtkFormat}'s, kept
     * here so that probing every file {@code ImageIO.read} is given loads none of the codec's classes (a test checks
     * that the two agree).
     */
    static final byte[] SIGNATURE = {(byte) 0x8A, 'Q', 'T', 'K', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Makes the provider; ImageIO calls this through {@code META-INF/services}. */
    public QtkImageReaderSpi() {
        super(QtkImageIO.VENDOR, QtkImageIO.version(), QtkImageIO.FORMAT_NAMES.clone(), QtkImageIO.SUFFIXES.clone(),
                QtkImageIO.MIME_TYPES.clone(), "io.qtk.imageio.QtkImageReader",
                new Class<?>[] {ImageInputStream.class}, new String[] {"io.qtk.imageio.QtkImageWriterSpi"},
                false, null, null, null, null,
                true, QtkImageIO.NATIVE_METADATA_FORMAT_NAME, "io.qtk.imageio.QtkMetadataFormat", null, null);
    }

    @Override
    public boolean canDecodeInput(Object source) throws IOException {
        if (!(source instanceof ImageInputStream)) {
            return false;
        }
        ImageInputStream in = (ImageInputStream) source;
        byte[] head = new byte[SIGNATURE.length];
        in.mark();
        try {
            in.readFully(head);
        } catch (EOFException e) {
            return false; // shorter than a signature: not ours
        } finally {
            in.reset();
        }
        return isSignature(head);
    }

    /** @return whether {@code head} starts with the {@code .qtk} signature */
    static boolean isSignature(byte[] head) {
        if (head.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (head[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
        return new QtkImageReader(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "qtk learned image codec (.qtk) reader";
    }

    /** Closes the shared decoder when the provider leaves its last registry (e.g. a web app is undeployed). */
    @Override
    public void onDeregistration(ServiceRegistry registry, Class<?> category) {
        SharedCodecs.closeDecoder();
    }
}
