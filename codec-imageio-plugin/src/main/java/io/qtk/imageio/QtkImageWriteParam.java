package io.qtk.imageio;

import io.qtk.EncodeOptions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * How {@link QtkImageWriter} encodes: the standard compression and progressive settings plus a few qtk ones.
 *
 * <p>Compression ({@code .qtk} is lossy only):
 * <ul>
 *   <li>{@link #MODE_EXPLICIT}: {@link #setCompressionQuality(float)} in [0, 1] becomes
 *       {@link EncodeOptions#quality()} (0 the smallest file, 1 the best the model can do, default
 *       {@value EncodeOptions#DEFAULT_QUALITY}); {@link #setTargetBitsPerPixel(double)} or
 *       {@link #setTargetFileSize(long)} replace it with a rate target. The compression type names the model:
 *       {@value #AUTO} (the codec's default / automatic choice) or one of the models the encoder has.</li>
 *   <li>{@link #MODE_DEFAULT}: the codec's defaults.</li>
 *   <li>{@link #MODE_COPY_FROM_METADATA} (the initial mode): when the image's metadata is a {@link QtkMetadata} read
 *       from a {@code .qtk} file, the same model and the same bits per pixel as that file (transcoding keeps the
 *       rate); otherwise the defaults.</li>
 *   <li>{@link #MODE_DISABLED} can be set, as on any {@code ImageWriteParam}, but writing then fails with an
 *       {@link javax.imageio.IIOException}, as the JDK's JPEG writer does: compression cannot be switched off.</li>
 * </ul>
 *
 * <p>Progressive: every {@code .qtk} file is a coarse-to-fine sequence of token streams, cut at least at each point
 * of the model's rate ladder (so that rate control and truncation land on whole streams). That cannot be switched
 * off, so {@link #canWriteProgressive()} is false and the standard progressive mode does not apply;
 * {@link #setGroupsPerStream(int)} asks for finer steps (0, the default, lets the codec choose).
 */
public class QtkImageWriteParam extends javax.imageio.ImageWriteParam {
    /** Compression type meaning "the codec's default model / automatic choice along the rate ladder". */
    public static final String AUTO = "auto";

    /** Lower bounds of the quality ranges {@link #getCompressionQualityDescriptions()} names, plus 1. */
    private static final float[] QUALITY_VALUES = {0f, 0.25f, 0.5f, 0.75f, 1f};

    private static final String[] QUALITY_DESCRIPTIONS = {
        "Lowest rate: smallest files, coarse detail",
        "Low rate",
        "Medium rate",
        "High rate: the default (0.75) and above, up to the best the model can do"};

    private double targetBpp;
    private long targetBytes;
    private int groupsPerStream;
    private boolean keepMetadata = true;
    private double rdoStrength = EncodeOptions.DEFAULT_RDO_STRENGTH;

    /**
     * @param locale the locale for messages, or null
     * @param models names of the models the encoder can use (become compression types after {@value #AUTO})
     */
    public QtkImageWriteParam(Locale locale, List<String> models) {
        super(locale);
        LinkedHashSet<String> types = new LinkedHashSet<>();
        types.add(AUTO);
        types.addAll(models);
        canWriteCompressed = true;
        compressionTypes = types.toArray(new String[0]);
        compressionType = AUTO;
        compressionQuality = (float) EncodeOptions.DEFAULT_QUALITY;
        canWriteProgressive = false; // always progressive at the ladder points: nothing to switch (see above)
    }

    /** Also resets the type to {@value #AUTO}, the quality to the codec's default and clears any rate target. */
    @Override
    public void unsetCompression() {
        super.unsetCompression(); // checks mode and support
        compressionType = AUTO;
        compressionQuality = (float) EncodeOptions.DEFAULT_QUALITY;
        targetBpp = 0;
        targetBytes = 0;
    }

    /**
     * Sets a quality in [0, 1] and clears any rate target (the last rate setting wins, as in EncodeOptions).
     *
     * @throws IllegalArgumentException also for NaN, which the JDK's range check lets through
     */
    @Override
    public void setCompressionQuality(float quality) {
        float before = compressionQuality;
        super.setCompressionQuality(quality); // checks mode, type and [0, 1], in the JDK's order
        if (Float.isNaN(quality)) {
            compressionQuality = before;
            throw new IllegalArgumentException("quality is NaN");
        }
        targetBpp = 0;
        targetBytes = 0;
    }

    @Override
    public String[] getCompressionQualityDescriptions() {
        super.getCompressionQualityDescriptions(); // the standard state checks
        return QUALITY_DESCRIPTIONS.clone();
    }

    @Override
    public float[] getCompressionQualityValues() {
        super.getCompressionQualityValues(); // the standard state checks
        return QUALITY_VALUES.clone();
    }

    /** @return false: every qtk model is lossy */
    @Override
    public boolean isCompressionLossless() {
        super.isCompressionLossless(); // the standard state checks
        return false;
    }

    /**
     * Aims for a file of at most this many bits per pixel (the best quality that fits) instead of a quality.
     *
     * @param bpp positive and finite
     * @throws IllegalStateException unless the compression mode is {@link #MODE_EXPLICIT}
     * @throws IllegalArgumentException when not positive and finite
     */
    public void setTargetBitsPerPixel(double bpp) {
        requireExplicit();
        if (!(bpp > 0 && bpp < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("target bits per pixel must be positive and finite, got " + bpp);
        }
        targetBpp = bpp;
        targetBytes = 0;
    }

    /** @return the target bits per pixel, or 0 when none is set */
    public double getTargetBitsPerPixel() {
        return targetBpp;
    }

    /**
     * Aims for a file of at most this many bytes (the best quality that fits) instead of a quality.
     *
     * @param bytes positive
     * @throws IllegalStateException unless the compression mode is {@link #MODE_EXPLICIT}
     * @throws IllegalArgumentException when not positive
     */
    public void setTargetFileSize(long bytes) {
        requireExplicit();
        if (bytes <= 0) {
            throw new IllegalArgumentException("target file size must be positive, got " + bytes);
        }
        targetBytes = bytes;
        targetBpp = 0;
    }

    /** @return the target file size in bytes, or 0 when none is set */
    public long getTargetFileSize() {
        return targetBytes;
    }

    private void requireExplicit() {
        if (getCompressionMode() != MODE_EXPLICIT) {
            throw new IllegalStateException("compression mode is not MODE_EXPLICIT");
        }
    }

    /**
     * @param n groups (grid) or tokens (global) per token stream, 0..65535; 0 lets the codec choose. Smaller means
     *     finer progressive steps for a few more bytes.
     * @throws IllegalArgumentException when out of range
     */
    public void setGroupsPerStream(int n) {
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("groups per stream must be 0..65535, got " + n);
        }
        groupsPerStream = n;
    }

    /** @return groups or tokens per token stream; 0 = the codec's choice */
    public int getGroupsPerStream() {
        return groupsPerStream;
    }

    /**
     * @param keep whether the ICC profile, EXIF, XMP and comment from the image's metadata (and a non-sRGB ICC
     *     profile of its colour space) are written; the orientation is always written
     */
    public void setKeepMetadata(boolean keep) {
        keepMetadata = keep;
    }

    /** @return whether metadata is written (default true) */
    public boolean isKeepMetadata() {
        return keepMetadata;
    }

    /**
     * @param strength rate-aware rounding strength, 0..{@value EncodeOptions#MAX_RDO_STRENGTH}
     *     ({@link EncodeOptions.Builder#rdoStrength}): 0 rounds every latent value to its nearest codeword, the
     *     default {@value EncodeOptions#DEFAULT_RDO_STRENGTH} trades a little error for fewer bits where that pays;
     *     applies in every compression mode
     * @throws IllegalArgumentException when out of range
     */
    public void setRdoStrength(double strength) {
        if (!(strength >= 0 && strength <= EncodeOptions.MAX_RDO_STRENGTH)) {
            throw new IllegalArgumentException("rate-aware rounding strength must be 0.."
                    + EncodeOptions.MAX_RDO_STRENGTH + ", got " + strength);
        }
        rdoStrength = strength;
    }

    /** @return the rate-aware rounding strength (default {@value EncodeOptions#DEFAULT_RDO_STRENGTH}) */
    public double getRdoStrength() {
        return rdoStrength;
    }
}
