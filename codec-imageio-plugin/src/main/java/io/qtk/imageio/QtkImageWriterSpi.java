package io.qtk.imageio;

import java.util.Locale;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageOutputStream;

/**
 * Service provider for {@link QtkImageWriter}: registered through
 * {@code META-INF/services/javax.imageio.spi.ImageWriterSpi}, it makes
 * {@code ImageIO.write(image, "qtk", file)} work.
 *
 * <p>Gray, gray + alpha, RGB and RGBA images of up to 16 bits per sample are coded as they are (colour values taken
 * as given, a non-sRGB ICC profile carried along); indexed images are expanded to RGB(A); anything else (CMYK, float
 * samples, 32-bit integers, ...) is converted to sRGB through its colour model first, as Java 2D would draw it.
 * So {@link #canEncodeImage} accepts every image type that has a colour model.
 */
public class QtkImageWriterSpi extends ImageWriterSpi {
    /** Makes the provider; ImageIO calls this through {@code META-INF/services}. */
    public QtkImageWriterSpi() {
        super(QtkImageIO.VENDOR, QtkImageIO.version(), QtkImageIO.FORMAT_NAMES.clone(), QtkImageIO.SUFFIXES.clone(),
                QtkImageIO.MIME_TYPES.clone(), "io.qtk.imageio.QtkImageWriter",
                new Class<?>[] {ImageOutputStream.class}, new String[] {"io.qtk.imageio.QtkImageReaderSpi"},
                false, null, null, null, null,
                true, QtkImageIO.NATIVE_METADATA_FORMAT_NAME, "io.qtk.imageio.QtkMetadataFormat", null, null);
    }

    @Override
    public boolean canEncodeImage(ImageTypeSpecifier type) {
        if (type == null) {
            throw new IllegalArgumentException("type == null");
        }
        // Everything with a colour model can be written: see the class comment for how each kind is coded.
        return type.getColorModel() != null && type.getSampleModel().getNumBands() >= 1;
    }

    @Override
    public ImageWriter createWriterInstance(Object extension) {
        return new QtkImageWriter(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "qtk learned image codec (.qtk) writer";
    }

    /** Closes the shared encoder when the provider leaves its last registry (e.g. a web app is undeployed). */
    @Override
    public void onDeregistration(ServiceRegistry registry, Class<?> category) {
        SharedCodecs.closeEncoder();
    }
}
