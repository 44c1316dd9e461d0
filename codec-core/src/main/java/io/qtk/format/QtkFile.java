package io.qtk.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of a {@code .qtk} file: header, metadata, optional alpha plane and token streams. Immutable.
 *
 * <p>A file built with {@link #builder(QtkHeader)} is always complete (all {@link QtkHeader#streamCount()} streams
 * present). A file returned by {@link QtkReader} may be {@link #truncated()}: the input was cut short after the
 * token data began, and {@link #streams()} holds the complete streams that were read, a prefix of the header's
 * stream layout, which still decode at lower quality.
 */
public final class QtkFile {
    private final QtkHeader header;
    private final ImageMetadata metadata;
    private final AlphaPlane alpha;
    private final List<TokenStream> streams;
    private final boolean truncated;

    QtkFile(QtkHeader header, ImageMetadata metadata, AlphaPlane alpha, List<TokenStream> streams,
            boolean truncated) {
        this.header = header;
        this.metadata = metadata;
        this.alpha = alpha;
        this.streams = List.copyOf(streams);
        this.truncated = truncated;
    }

    /**
     * Returns a builder for a complete file with this header.
     *
     * @param header the header
     * @return the builder
     */
    public static Builder builder(QtkHeader header) {
        return new Builder(header);
    }

    /**
     * Returns the header.
     *
     * @return the header
     */
    public QtkHeader header() {
        return header;
    }

    /**
     * Returns the metadata.
     *
     * @return the metadata, {@link ImageMetadata#EMPTY} when there is none
     */
    public ImageMetadata metadata() {
        return metadata;
    }

    /**
     * Returns the alpha plane, present exactly when {@code header().channels().hasAlpha()}.
     *
     * @return the plane, or empty
     */
    public Optional<AlphaPlane> alpha() {
        return Optional.ofNullable(alpha);
    }

    /**
     * Returns the token streams present, in order.
     *
     * @return an unmodifiable list; all of the header's streams unless {@link #truncated()}
     */
    public List<TokenStream> streams() {
        return streams;
    }

    /**
     * Returns whether the input ended before its {@code QEND} chunk. The streams present may still be all of them
     * when the cut fell after the last stream.
     *
     * @return true for a file cut short
     */
    public boolean truncated() {
        return truncated;
    }

    /**
     * Returns the number of groups whose payloads are present: groups {@code [0, groupsPresent())}.
     *
     * @return 0..header().groupsCoded()
     */
    public int groupsPresent() {
        return streams.isEmpty() ? 0 : streams.get(streams.size() - 1).endGroup();
    }

    /**
     * Returns whether every stream of the header is present.
     *
     * @return true when {@code streams().size() == header().streamCount()}
     */
    public boolean allStreamsPresent() {
        return streams.size() == header.streamCount();
    }

    /**
     * Returns the complete file made of the first {@code count} streams of this one (header stream layout and
     * groups coded shortened to match), e.g. to lower the rate of a file or to repair a truncated one.
     *
     * @param count streams to keep, 1..streams().size()
     * @return a complete, untruncated file
     */
    public QtkFile prefix(int count) {
        if (count < 1 || count > streams.size()) {
            throw new IllegalArgumentException("stream prefix " + count + " out of range 1.." + streams.size());
        }
        return new QtkFile(header.prefix(count), metadata, alpha, streams.subList(0, count), false);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QtkFile)) {
            return false;
        }
        QtkFile f = (QtkFile) o;
        return truncated == f.truncated && header.equals(f.header) && metadata.equals(f.metadata)
                && Objects.equals(alpha, f.alpha) && streams.equals(f.streams);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, metadata, alpha, streams, truncated);
    }

    @Override
    public String toString() {
        return "QtkFile[" + header + ", " + metadata + ", alpha=" + alpha + ", streams=" + streams.size() + "/"
                + header.streamCount() + (truncated ? ", truncated" : "") + "]";
    }

    /**
     * Builds a complete {@link QtkFile}. Streams are added in order; {@link #build()} checks they match the header's
     * stream layout.
     */
    public static final class Builder {
        private final QtkHeader header;
        private ImageMetadata metadata = ImageMetadata.EMPTY;
        private AlphaPlane alpha;
        private final List<TokenStream> streams = new ArrayList<>();

        private Builder(QtkHeader header) {
            this.header = Objects.requireNonNull(header, "header");
        }

        /**
         * Sets the metadata (default {@link ImageMetadata#EMPTY}).
         *
         * @param metadata the metadata
         * @return this builder
         */
        public Builder metadata(ImageMetadata metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        /**
         * Sets the alpha plane; required when the header's channels have alpha, forbidden otherwise.
         *
         * @param alpha the plane, of the header's width and height, or null
         * @return this builder
         */
        public Builder alpha(AlphaPlane alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Appends a stream.
         *
         * @param stream the next stream
         * @return this builder
         */
        public Builder addStream(TokenStream stream) {
            streams.add(Objects.requireNonNull(stream, "stream"));
            return this;
        }

        /**
         * Appends the next stream, whose first group follows the previous streams.
         *
         * @param coderId  entropy coder id
         * @param payloads one payload per group (copied)
         * @return this builder
         */
        public Builder addStream(int coderId, List<byte[]> payloads) {
            int first = streams.isEmpty() ? 0 : streams.get(streams.size() - 1).endGroup();
            return addStream(TokenStream.of(first, coderId, payloads));
        }

        /**
         * Checks and builds the file.
         *
         * @return the file
         * @throws IllegalArgumentException if the streams do not match the header's layout, or the alpha plane is
         *                                  missing, unexpected or of another size
         */
        public QtkFile build() {
            if (streams.size() != header.streamCount()) {
                throw new IllegalArgumentException("header has " + header.streamCount() + " streams, "
                        + streams.size() + " added");
            }
            for (int i = 0; i < streams.size(); i++) {
                TokenStream s = streams.get(i);
                if (s.firstGroup() != header.streamFirstGroup(i) || s.groupCount() != header.streamGroupCount(i)) {
                    throw new IllegalArgumentException("stream " + i + " holds groups " + s.firstGroup() + "+"
                            + s.groupCount() + ", header layout says " + header.streamFirstGroup(i) + "+"
                            + header.streamGroupCount(i));
                }
            }
            boolean wantAlpha = header.channels().hasAlpha();
            if (wantAlpha && alpha == null) {
                throw new IllegalArgumentException("channels " + header.channels() + " need an alpha plane");
            }
            if (!wantAlpha && alpha != null) {
                throw new IllegalArgumentException("channels " + header.channels() + " have no alpha plane");
            }
            if (alpha != null && (alpha.width() != header.width() || alpha.height() != header.height())) {
                throw new IllegalArgumentException("alpha plane " + alpha.width() + "x" + alpha.height()
                        + " does not match image " + header.width() + "x" + header.height());
            }
            return new QtkFile(header, metadata, alpha, streams, false);
        }
    }
}
