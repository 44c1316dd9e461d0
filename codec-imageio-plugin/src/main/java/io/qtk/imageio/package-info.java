/**
 * The javax.imageio plugin for {@code .qtk}: {@link io.qtk.imageio.QtkImageReaderSpi} /
 * {@link io.qtk.imageio.QtkImageReader}, {@link io.qtk.imageio.QtkImageWriterSpi} /
 * {@link io.qtk.imageio.QtkImageWriter} / {@link io.qtk.imageio.QtkImageWriteParam}, image metadata
 * {@link io.qtk.imageio.QtkMetadata} (native format described by {@link io.qtk.imageio.QtkMetadataFormat}) and
 * {@link io.qtk.imageio.QtkImageIO} for constants, configuration and registration in class-loader hierarchies.
 *
 * <p>Registered through {@code META-INF/services}: with the jar on the class path, {@code ImageIO.read} and
 * {@code ImageIO.write(image, "qtk", file)} work with no further code. One module per format, as TwelveMonkeys
 * plugins are laid out; it depends on {@code codec-core} only.
 */
package io.qtk.imageio;
