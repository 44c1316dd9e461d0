package io.qtk;

import java.awt.image.BufferedImage;

/**
 * A decoded image with what came with it.
 *
 * @param image the pixels: {@code TYPE_BYTE_GRAY}, {@code TYPE_3BYTE_BGR}, or {@code TYPE_4BYTE_ABGR} (gray + alpha
 *     becomes ABGR with equal colour samples), in stored orientation (see {@link ImageMetadata#orientation()})
 * @param metadata ICC, EXIF, XMP, comment and orientation from the file
 * @param info the file's header
 * @param groupsDecoded how many groups / tokens were used (fewer than coded for a truncated file or
 *     {@link DecodeOptions#maxGroups()})
 */
public record DecodedImage(BufferedImage image, ImageMetadata metadata, QtkInfo info, int groupsDecoded) {
}
