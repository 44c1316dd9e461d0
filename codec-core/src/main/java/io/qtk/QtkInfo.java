package io.qtk;

/**
 * What a {@code .qtk} file says about itself, read from its header without decoding any token (and without needing
 * the model).
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param channels 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA
 * @param sourceBitDepth bits per sample of the encoder's input (8 or 16); samples are coded at 8-bit precision
 * @param orientation EXIF orientation 1..8
 * @param modelName the model's name
 * @param modelVersion the model's version
 * @param modelSha256 the SHA-256 of the model bundle, 64 lower-case hex digits
 * @param quantiser {@code "grid"} or {@code "global"}
 * @param groupsTotal groups (grid) or tokens per tile (global) of the model
 * @param groupsCoded groups / tokens the encoder wrote
 * @param groupsPresent groups / tokens completely present in this (possibly truncated) file
 * @param truncated whether the file was cut short (it then decodes at the quality of {@code groupsPresent})
 * @param fileBytes the size of the file in bytes (as read so far)
 */
public record QtkInfo(int width, int height, int channels, int sourceBitDepth, int orientation, String modelName,
        String modelVersion, String modelSha256, String quantiser, int groupsTotal, int groupsCoded,
        int groupsPresent, boolean truncated, long fileBytes) {

    /** @return bits per pixel of the file: 8 * bytes / (width * height) */
    public double bitsPerPixel() {
        return 8.0 * fileBytes / ((double) width * height);
    }

    /** @return whether the image has an alpha channel (kept losslessly) */
    public boolean hasAlpha() {
        return channels == 2 || channels == 4;
    }
}
