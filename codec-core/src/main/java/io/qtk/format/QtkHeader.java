package io.qtk.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The content of the {@code QHDR} chunk: image geometry, model identity, quantiser layout and the stream layout.
 * Immutable; build one with {@link #builder()}. Every instance satisfies all the rules of the specification
 * (section "QHDR"), so a file written from it is valid.
 *
 * <p>The stream layout lists how many groups each token stream ({@code QTOK} chunk) holds, coarse to fine: stream 0
 * holds groups {@code [0, n0)}, stream 1 the next {@code n1}, and so on; their sum is {@link #groupsCoded()}.
 */
public final class QtkHeader {
    /** Bit depth at which samples are coded in this version of the format. */
    public static final int CODED_BIT_DEPTH = 8;

    private final int width;
    private final int height;
    private final Channels channels;
    private final int sourceBitDepth;
    private final int orientation;
    private final ModelId model;
    private final QuantiserLayout quantiser;
    private final int[] streamLayout;
    private final int groupsCoded;

    private QtkHeader(Builder b, int[] layout, int groupsCoded) {
        this.width = b.width;
        this.height = b.height;
        this.channels = b.channels;
        this.sourceBitDepth = b.sourceBitDepth;
        this.orientation = b.orientation;
        this.model = b.model;
        this.quantiser = b.quantiser;
        this.streamLayout = layout;
        this.groupsCoded = groupsCoded;
    }

    /**
     * Returns a new builder with orientation 1, source bit depth 8 and no other field set.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this header's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.width = width;
        b.height = height;
        b.channels = channels;
        b.sourceBitDepth = sourceBitDepth;
        b.orientation = orientation;
        b.model = model;
        b.quantiser = quantiser;
        b.streamLayout = streamLayout.clone();
        return b;
    }

    /**
     * Returns the image width in pixels (before orientation is applied).
     *
     * @return 1..2^24
     */
    public int width() {
        return width;
    }

    /**
     * Returns the image height in pixels (before orientation is applied).
     *
     * @return 1..2^24
     */
    public int height() {
        return height;
    }

    /**
     * Returns width * height.
     *
     * @return 1..2^31
     */
    public long pixelCount() {
        return (long) width * height;
    }

    /**
     * Returns the source image's channels.
     *
     * @return the channels
     */
    public Channels channels() {
        return channels;
    }

    /**
     * Returns the bit depth of the source image's samples.
     *
     * @return 8 or 16
     */
    public int sourceBitDepth() {
        return sourceBitDepth;
    }

    /**
     * Returns the bit depth at which samples are coded; always {@value #CODED_BIT_DEPTH} in this version.
     *
     * @return 8
     */
    public int codedBitDepth() {
        return CODED_BIT_DEPTH;
    }

    /**
     * Returns the EXIF orientation (1 = as stored, ... 8), which a viewer applies to the decoded pixels.
     *
     * @return 1..8
     */
    public int orientation() {
        return orientation;
    }

    /**
     * Returns the identity of the model bundle.
     *
     * @return the model identity
     */
    public ModelId model() {
        return model;
    }

    /**
     * Returns the quantiser layout.
     *
     * @return a {@link GridLayout} or a {@link GlobalLayout}
     */
    public QuantiserLayout quantiser() {
        return quantiser;
    }

    /**
     * Returns the number of token columns: latent width {@code ceil(W/f)} (grid) or tiles across
     * {@code ceil(W/T)} (global).
     *
     * @return the token columns
     */
    public int tokenColumns() {
        return quantiser.tokenColumns(width);
    }

    /**
     * Returns the number of token rows: latent height {@code ceil(H/f)} (grid) or tiles down {@code ceil(H/T)}
     * (global).
     *
     * @return the token rows
     */
    public int tokenRows() {
        return quantiser.tokenRows(height);
    }

    /**
     * Returns the number of tokens (indices) in one group: {@code tokenColumns() * tokenRows()}.
     *
     * @return the tokens per group
     */
    public long tokensPerGroup() {
        return (long) tokenColumns() * tokenRows();
    }

    /**
     * Returns the number of groups coded in the file (the first {@code groupsCoded()} of the model's groups).
     *
     * @return 1..{@code quantiser().groups()}
     */
    public int groupsCoded() {
        return groupsCoded;
    }

    /**
     * Returns the number of token streams ({@code QTOK} chunks) of a complete file.
     *
     * @return 1..{@link #groupsCoded()}
     */
    public int streamCount() {
        return streamLayout.length;
    }

    /**
     * Returns the number of groups each stream holds, in stream order.
     *
     * @return an unmodifiable list
     */
    public List<Integer> streamLayout() {
        List<Integer> l = new ArrayList<>(streamLayout.length);
        for (int n : streamLayout) {
            l.add(n);
        }
        return Collections.unmodifiableList(l);
    }

    /**
     * Returns the number of groups stream {@code i} holds.
     *
     * @param i stream index, 0..streamCount()-1
     * @return 1 or more
     */
    public int streamGroupCount(int i) {
        return streamLayout[i];
    }

    /**
     * Returns the first group of stream {@code i}: the sum of the group counts of the streams before it.
     *
     * @param i stream index, 0..streamCount() (streamCount() gives groupsCoded())
     * @return the first group
     */
    public int streamFirstGroup(int i) {
        int s = 0;
        for (int k = 0; k < i; k++) {
            s += streamLayout[k];
        }
        return s;
    }

    /**
     * Returns the header of the file made of the first {@code streams} streams of this one.
     *
     * @param streams number of streams to keep, 1..streamCount()
     * @return a header with the shortened stream layout
     */
    public QtkHeader prefix(int streams) {
        if (streams < 1 || streams > streamLayout.length) {
            throw new IllegalArgumentException("stream prefix " + streams + " out of range 1.." + streamLayout.length);
        }
        return toBuilder().streamLayout(Arrays.copyOf(streamLayout, streams)).build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QtkHeader)) {
            return false;
        }
        QtkHeader h = (QtkHeader) o;
        return width == h.width && height == h.height && channels == h.channels
                && sourceBitDepth == h.sourceBitDepth && orientation == h.orientation && model.equals(h.model)
                && quantiser.equals(h.quantiser) && Arrays.equals(streamLayout, h.streamLayout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, channels, sourceBitDepth, orientation, model, quantiser,
                Arrays.hashCode(streamLayout));
    }

    @Override
    public String toString() {
        return "QtkHeader[" + width + "x" + height + " " + channels + " " + sourceBitDepth + "-bit orientation="
                + orientation + " model=" + model + " quantiser=" + quantiser + " groupsCoded=" + groupsCoded
                + " streams=" + Arrays.toString(streamLayout) + "]";
    }

    static String range(String what, long v, long lo, long hi) {
        return v < lo || v > hi ? what + " " + v + " out of range " + lo + ".." + hi : null;
    }

    static void require(String what, long v, long lo, long hi) {
        String p = range(what, v, lo, hi);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
    }

    static String pixelsProblem(long w, long h) {
        long p = w * h;
        return p > QtkFormat.MAX_PIXELS ? "width*height " + p + " exceeds " + QtkFormat.MAX_PIXELS : null;
    }

    static String bitDepthProblem(int d) {
        return d == 8 || d == 16 ? null : "source bit depth " + d + " is not 8 or 16";
    }

    /**
     * Builds a {@link QtkHeader}; {@link #build()} checks every rule and names the first one broken.
     */
    public static final class Builder {
        private int width;
        private int height;
        private Channels channels;
        private int sourceBitDepth = 8;
        private int orientation = 1;
        private ModelId model;
        private QuantiserLayout quantiser;
        private int[] streamLayout;

        private Builder() {
        }

        /**
         * Sets width and height in pixels.
         *
         * @param width  1..2^24
         * @param height 1..2^24, with width * height at most 2^31
         * @return this builder
         */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Sets the channels.
         *
         * @param channels the source image's channels
         * @return this builder
         */
        public Builder channels(Channels channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the source bit depth (default 8).
         *
         * @param bits 8 or 16
         * @return this builder
         */
        public Builder sourceBitDepth(int bits) {
            this.sourceBitDepth = bits;
            return this;
        }

        /**
         * Sets the EXIF orientation (default 1).
         *
         * @param orientation 1..8
         * @return this builder
         */
        public Builder orientation(int orientation) {
            this.orientation = orientation;
            return this;
        }

        /**
         * Sets the model identity.
         *
         * @param model the model
         * @return this builder
         */
        public Builder model(ModelId model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the quantiser layout.
         *
         * @param quantiser a {@link GridLayout} or {@link GlobalLayout}
         * @return this builder
         */
        public Builder quantiser(QuantiserLayout quantiser) {
            this.quantiser = quantiser;
            return this;
        }

        /**
         * Sets the stream layout: the number of groups in each token stream, in order. Their sum is the number of
         * groups coded.
         *
         * @param groupsPerStream one count (1 or more) per stream; at least one stream
         * @return this builder
         */
        public Builder streamLayout(int... groupsPerStream) {
            this.streamLayout = groupsPerStream.clone();
            return this;
        }

        /**
         * Sets the stream layout from a list.
         *
         * @param groupsPerStream one count per stream
         * @return this builder
         */
        public Builder streamLayout(List<Integer> groupsPerStream) {
            int[] a = new int[groupsPerStream.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = groupsPerStream.get(i);
            }
            this.streamLayout = a;
            return this;
        }

        /**
         * Checks every field and cross-field rule and builds the header.
         *
         * @return the header
         * @throws IllegalArgumentException naming the first rule broken
         * @throws NullPointerException     if channels, model, quantiser or stream layout is unset
         */
        public QtkHeader build() {
            Objects.requireNonNull(channels, "channels");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(quantiser, "quantiser");
            Objects.requireNonNull(streamLayout, "streamLayout");
            fail(range("width", width, 1, QtkFormat.MAX_DIMENSION));
            fail(range("height", height, 1, QtkFormat.MAX_DIMENSION));
            fail(pixelsProblem(width, height));
            fail(bitDepthProblem(sourceBitDepth));
            fail(range("orientation", orientation, 1, 8));
            int groups = quantiser.groups();
            fail(range("stream count", streamLayout.length, 1, groups));
            long sum = 0;
            for (int i = 0; i < streamLayout.length; i++) {
                fail(range("stream " + i + " group count", streamLayout[i], 1, groups));
                sum += streamLayout[i];
            }
            fail(range("groups coded", sum, 1, groups));
            return new QtkHeader(this, streamLayout.clone(), (int) sum);
        }

        private static void fail(String problem) {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }
}
