/**
 * The {@code .qtk} container, version 1.0: signature, version, chunks with CRC-32C, the header ({@code QHDR}),
 * metadata ({@code iCCP}, {@code eXIf}, {@code xMPd}, {@code cMNt}), the lossless alpha plane ({@code QALP}), token
 * streams ({@code QTOK}) and the end chunk ({@code QEND}). Normative text: {@code format-spec/qtk-format.md}.
 *
 * <p>Entry points: {@link io.qtk.format.QtkReader} and {@link io.qtk.format.QtkWriter}; content types
 * {@link io.qtk.format.QtkFile}, {@link io.qtk.format.QtkHeader}, {@link io.qtk.format.ImageMetadata},
 * {@link io.qtk.format.AlphaPlane}, {@link io.qtk.format.TokenStream}. Bad input is reported by
 * {@link io.qtk.format.QtkFormatException} only.
 *
 * <p>This package depends on nothing else in qtk: token payloads are opaque bytes, interpreted by
 * {@code io.qtk.entropy}.
 */
package io.qtk.format;
