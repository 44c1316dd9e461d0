package io.qtk.codec;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ModelDescription;
import io.qtk.ProgressListener;
import io.qtk.QtkException;
import io.qtk.QtkInfo;
import io.qtk.format.AlphaPlane;
import io.qtk.format.Channels;
import io.qtk.format.GlobalLayout;
import io.qtk.format.GridLayout;
import io.qtk.format.ModelId;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormat;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkReader;
import io.qtk.format.QtkWriter;
import io.qtk.format.QuantiserLayout;
import io.qtk.format.TokenStream;
import io.qtk.image.OutputImage;
import io.qtk.image.SourceImage;
import java.awt.Rectangle;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The codec engine behind {@code QtkEncoder} / {@code QtkDecoder}: pixels, model, quantiser, entropy coder and
 * container wired together. Encode: image to {@link IndexGrid} over the whole latent grid (tile by tile), all groups
 * coded once, the stream layout cut at every ladder point, each stream coded with the static order-0 tables (coder
 * id 1, {@link TokenCoding}) or, when the model has them and that is smaller, with the context tables (coder id 3,
 * which makes the file version 1.1), the channel tables (coder id 4, version 1.2) or the prediction tables (coder
 * id 5, version 1.3); rate control on the exact sizes of the ladder's prefixes, and the chosen prefix written.
 * Decode: container, the limits of {@link DecodeLimits} (pixels from the header, then the heap the decode will need),
 * the groups present (at most {@code maxGroups}; coder ids 0 to 6), tile-wise de-quantisation and decoding into the
 * output image, alpha and metadata.
 *
 * <p>Thread-safe; the models come from a {@link ModelSource}.
 */
public final class CodecEngine {
    private final ModelSource models;
    private final long maxTilePixels;
    private final boolean contextCoder;
    private final boolean channelCoder;
    private final boolean predictionCoder;
    private final long maxDecodePixels;

    /**
     * @param models where models come from
     * @param maxTilePixels bound on a tile's pixels, 0 for the default
     */
    public CodecEngine(ModelSource models, long maxTilePixels) {
        this(models, maxTilePixels, true);
    }

    /**
     * @param models where models come from
     * @param maxTilePixels bound on a tile's pixels, 0 for the default
     * @param maxDecodePixels the pixel limit of a decode whose options do not set one, 0 for
     *     {@link DecodeOptions#DEFAULT_MAX_PIXELS}
     */
    public CodecEngine(ModelSource models, long maxTilePixels, long maxDecodePixels) {
        this(models, maxTilePixels, true, true, true, maxDecodePixels);
    }

    /**
     * @param models where models come from
     * @param maxTilePixels bound on a tile's pixels, 0 for the default
     * @param contextCoder whether the encoder may use coder id 3 for models with context tables (false: coder 1
     *     only, as for models without them; for tests and comparisons)
     */
    CodecEngine(ModelSource models, long maxTilePixels, boolean contextCoder) {
        this(models, maxTilePixels, contextCoder, contextCoder);
    }

    /**
     * @param models where models come from
     * @param maxTilePixels bound on a tile's pixels, 0 for the default
     * @param contextCoder whether the encoder may use coder id 3 for models with context tables
     * @param channelCoder whether the encoder may use coder id 4 for models with channel tables (false: coders 1
     *     and 3 only; for tests and comparisons)
     */
    CodecEngine(ModelSource models, long maxTilePixels, boolean contextCoder, boolean channelCoder) {
        this(models, maxTilePixels, contextCoder, channelCoder, channelCoder);
    }

    /**
     * @param models where models come from
     * @param maxTilePixels bound on a tile's pixels, 0 for the default
     * @param contextCoder whether the encoder may use coder id 3 for models with context tables
     * @param channelCoder whether the encoder may use coder id 4 for models with channel tables
     * @param predictionCoder whether the encoder may use coder id 5 for models with prediction tables (false: coders
     *     1, 3 and 4 only; for tests and comparisons)
     */
    CodecEngine(ModelSource models, long maxTilePixels, boolean contextCoder, boolean channelCoder,
            boolean predictionCoder) {
        this(models, maxTilePixels, contextCoder, channelCoder, predictionCoder, 0);
    }

    private CodecEngine(ModelSource models, long maxTilePixels, boolean contextCoder, boolean channelCoder,
            boolean predictionCoder, long maxDecodePixels) {
        this.maxDecodePixels = maxDecodePixels > 0 ? maxDecodePixels : DecodeOptions.DEFAULT_MAX_PIXELS;
        this.predictionCoder = predictionCoder;
        this.models = models;
        this.maxTilePixels = maxTilePixels;
        this.contextCoder = contextCoder;
        this.channelCoder = channelCoder;
    }

    /** @return the model source */
    public ModelSource models() {
        return models;
    }

    // ------------------------------------------------------------------------------------------------- encode

    /**
     * @param image the pixels
     * @param metadata metadata to carry
     * @param options rate, model, metadata policy
     * @param listener progress and cancellation
     * @return the file
     * @throws IOException see {@code QtkEncoder#encode}
     */
    public byte[] encode(RenderedImage image, io.qtk.ImageMetadata metadata, EncodeOptions options,
            ProgressListener listener) throws IOException {
        return encode(image, metadata, options, listener, Stages.NONE);
    }

    /**
     * As {@link #encode(RenderedImage, io.qtk.ImageMetadata, EncodeOptions, ProgressListener)}, timing the stages.
     *
     * @param image the pixels
     * @param metadata metadata to carry
     * @param options rate, model, metadata policy
     * @param listener progress and cancellation
     * @param stages receives the time per stage
     * @return the file
     * @throws IOException see {@code QtkEncoder#encode}
     */
    public byte[] encode(RenderedImage image, io.qtk.ImageMetadata metadata, EncodeOptions options,
            ProgressListener listener, Stages stages) throws IOException {
        Encoded e = encodeAll(image, metadata, options, listener, stages, false);
        long t0 = stages.start();
        byte[] out = QtkWriter.toBytes(e.fileFor(e.chosenGroups));
        stages.stop(Stages.Stage.CONTAINER_WRITE, t0);
        listener.progress(1f);
        return out;
    }

    /**
     * An encoded image with every ladder point available, for rate control and tests.
     */
    public static final class Encoded {
        private final QtkFile full;
        private final int[] ladder;
        private final int[] streamEnds;
        private int chosenGroups;

        Encoded(QtkFile full, int[] ladder, int[] streamEnds) {
            this.full = full;
            this.ladder = ladder;
            this.streamEnds = streamEnds;
        }

        /** @return the ladder points (group counts) a file can be cut at */
        public int[] ladder() {
            return ladder.clone();
        }

        /** @return the group count rate control chose */
        public int chosenGroups() {
            return chosenGroups;
        }

        /**
         * @param groups a ladder point (or any stream boundary)
         * @return the complete file holding exactly that many groups
         */
        public QtkFile fileFor(int groups) {
            for (int i = 0; i < streamEnds.length; i++) {
                if (streamEnds[i] == groups) {
                    return full.prefix(i + 1);
                }
            }
            throw new IllegalArgumentException(groups + " groups is not a stream boundary");
        }

        /**
         * @param groups a ladder point
         * @return the exact size in bytes of the file holding that many groups
         */
        public long sizeFor(int groups) {
            CountingStream c = new CountingStream();
            try {
                QtkWriter.write(fileFor(groups), c);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return c.count;
        }
    }

    /**
     * Encodes all groups and runs rate control, without writing the chosen file.
     *
     * @param image the pixels
     * @param metadata metadata to carry
     * @param options rate, model, metadata policy
     * @param listener progress and cancellation
     * @return every ladder point and the chosen one
     * @throws IOException as {@link #encode}
     */
    public Encoded encodeAll(RenderedImage image, io.qtk.ImageMetadata metadata, EncodeOptions options,
            ProgressListener listener) throws IOException {
        return encodeAll(image, metadata, options, listener, Stages.NONE, true);
    }

    /**
     * @param wholeLadder code every ladder point; when false, a quality setting (whose ladder point is known before
     *     coding) codes only the streams of its prefix, so the returned {@link Encoded} holds only that point
     */
    private Encoded encodeAll(RenderedImage image, io.qtk.ImageMetadata metadata, EncodeOptions options,
            ProgressListener listener, Stages stages, boolean wholeLadder) throws IOException {
        if (image == null || options == null || listener == null) {
            throw new IllegalArgumentException("image, options and listener must not be null");
        }
        io.qtk.ImageMetadata meta = metadata == null ? io.qtk.ImageMetadata.EMPTY : metadata;
        int w = image.getWidth();
        int h = image.getHeight();
        if (w <= 0 || h <= 0) {
            throw new QtkException("image is empty: " + w + "x" + h);
        }
        if (w > QtkFormat.MAX_DIMENSION || h > QtkFormat.MAX_DIMENSION || (long) w * h > QtkFormat.MAX_PIXELS) {
            throw new QtkException("image " + w + "x" + h + " exceeds the format's limits (side <= "
                    + QtkFormat.MAX_DIMENSION + ", pixels <= " + QtkFormat.MAX_PIXELS + ")");
        }
        SourceImage src;
        try {
            src = SourceImage.of(image);
        } catch (IllegalArgumentException ex) {
            throw new QtkException("cannot read image: " + ex.getMessage(), ex);
        }
        CodecModel model = models.forEncode(options.model());
        ModelDescription d = model.description();
        listener.progress(0f);

        IndexGrid grid;
        IndexGrid margins = null;
        PredictionTables prediction = predictionCoder ? model.predictionTables() : null;
        QuantiserLayout qlayout;
        if (isGrid(d)) {
            GridPipeline pipeline = new GridPipeline(model.network(), model.quantiser(), model.haloPixels(),
                    maxTilePixels);
            if (options.rdoStrength() > 0 && prediction != null) {
                margins = pipeline.newMargins(w, h);
            }
            grid = pipeline.encode(src, listener, 0f, 0.9f, stages, margins);
            qlayout = new GridLayout(d.scale(), d.groups(), d.codebookSize(), d.codebookDim());
        } else {
            grid = new GlobalPipeline(model.globalNetwork(), d.codebookSize()).encode(src, listener, 0f, 0.9f,
                    stages);
            qlayout = new GlobalLayout(d.scale(), d.groups(), d.codebookSize(), d.codebookDim());
        }

        int[] ladder = RateControl.normalise(d.ladder(), d.groups());
        int top = ladder[ladder.length - 1];
        int[] layout = streamLayout(ladder, top, options.groupsPerStream());
        QtkHeader header = QtkHeader.builder()
                .size(w, h)
                .channels(Channels.ofCode(src.channels()))
                .sourceBitDepth(src.sourceBitDepth())
                .orientation(meta.orientation())
                .model(ModelId.of(d.name(), d.version(), d.sha256()))
                .quantiser(qlayout)
                .streamLayout(layout)
                .build();
        Container base = new Container(header, layout, ladder, toFormat(meta, src, options.keepMetadata()));
        if (src.hasAlpha()) {
            long t0 = stages.start();
            base.alpha = AlphaPlane.of(w, h, src.alphaPlane());
            stages.stop(Stages.Stage.ALPHA_ENCODE, t0);
        }
        if (margins != null && grid.positions() % header.tokenColumns() != 0) {
            margins = null;
        }
        Encoded e;
        if (options.rateMode() == EncodeOptions.RateMode.QUALITY) {
            // the ladder point is known before coding: refine its groups in place and code once, up to it
            int g = RateControl.byQuality(options.quality(), ladder);
            if (margins != null) {
                refine(grid, g, margins, prediction, header.tokenColumns(),
                        roundingWeight(options.rdoStrength(), g, top), stages);
            }
            e = codeAll(grid, model, base, stages, wholeLadder ? top : g);
            e.chosenGroups = g;
        } else {
            e = codeAll(grid, model, base, stages, top);
            e.chosenGroups = RateControl.choose(options, w, h, ladder, e::sizeFor);
            if (margins != null) {
                e = climbRateAware(e, grid, margins, prediction, model, base, options, stages, wholeLadder);
            }
        }
        listener.progress(0.95f);
        return e;
    }

    /** What every coding of one image's grid shares: header, stream layout, ladder, metadata, alpha. */
    private static final class Container {
        final QtkHeader header;
        final int[] layout;
        final int[] ladder;
        final io.qtk.format.ImageMetadata metadata;
        AlphaPlane alpha;

        Container(QtkHeader header, int[] layout, int[] ladder, io.qtk.format.ImageMetadata metadata) {
            this.header = header;
            this.layout = layout;
            this.ladder = ladder;
            this.metadata = metadata;
        }
    }

    /**
     * Codes the streams of a grid that end at or before group {@code upTo} (a stream boundary; the top codes them all)
     * into an {@link Encoded} (rate control not run).
     */
    private Encoded codeAll(IndexGrid grid, CodecModel model, Container base, Stages stages, int upTo) {
        int count = 0;
        for (int end = 0; count < base.layout.length && end + base.layout[count] <= upTo; count++) {
            end += base.layout[count];
        }
        int[] layout = Arrays.copyOf(base.layout, count);
        QtkHeader header = count == base.layout.length ? base.header : base.header.prefix(count);
        long t0 = stages.start();
        List<TokenStream> streams = codeStreams(grid, model, layout, header.tokenColumns(),
                contextCoder && model.hasContextTables(), channelCoder ? model.channelTables() : null,
                predictionCoder ? model.predictionTables() : null);
        stages.stop(Stages.Stage.ENTROPY_ENCODE, t0);
        t0 = stages.start();
        QtkFile.Builder fb = QtkFile.builder(header).metadata(base.metadata);
        if (base.alpha != null) {
            fb.alpha(base.alpha);
        }
        int[] ends = new int[layout.length];
        for (int i = 0; i < layout.length; i++) {
            fb.addStream(streams.get(i));
            ends[i] = streams.get(i).endGroup();
        }
        Encoded e = new Encoded(fb.build(), base.ladder, ends);
        stages.stop(Stages.Stage.CONTAINER_WRITE, t0);
        return e;
    }

    /** Rate-aware rounding at strength 1: the weight just below the top of the ladder ... */
    static final double RDO_WEIGHT_AT_TOP = 0.006;
    /** ... rising as {@code (top / g)^RDO_EXPONENT} for shorter prefixes ... */
    static final double RDO_EXPONENT = 2;
    /** ... up to this weight. */
    static final double RDO_MAX_WEIGHT = 0.5;

    /**
     * The weight of rate-aware rounding for a file of g groups out of a ladder topping at {@code top}: none at the
     * top (the best quality the model gives), else {@code strength * min(0.5, 0.006 * (top / g)^2)}. Measured on
     * training crops (README): a short prefix is worth more bits per unit of latent error, and above about half the
     * ladder any larger weight costs MS-SSIM what it gains in PSNR.
     *
     * @param strength the option's strength
     * @param g the groups written
     * @param top the top of the ladder
     * @return the distortion one bit is worth, in squared codeword steps
     */
    static double roundingWeight(double strength, int g, int top) {
        if (g >= top || g < 1) {
            return 0;
        }
        return strength * Math.min(RDO_MAX_WEIGHT, RDO_WEIGHT_AT_TOP * Math.pow((double) top / g, RDO_EXPONENT));
    }

    /**
     * Rate-aware rounding of the first g groups of a grid, in place, with the given weight (none when 0). Bits are
     * priced with coder 6's adaptive tables as the pass leaves them (what most streams are then coded with): on 12
     * training crops BD-rate -2.2 % in PSNR and -1.8 % in MS-SSIM against pricing with coder 5's static tables.
     */
    private static void refine(IndexGrid grid, int g, IndexGrid margins, PredictionTables prediction, int columns,
            double weight, Stages stages) {
        if (weight <= 0) {
            return;
        }
        long t0 = stages.start();
        PredictionTables.Coder coder = prediction.newCoder(grid.positions(), columns);
        for (int j = 0; j < g; j++) {
            coder.refine(grid, j, margins, weight, true);
        }
        stages.stop(Stages.Stage.QUANTISE, t0);
    }

    /**
     * Rate-aware rounding under a size target: starting at the ladder point rate control chose with nearest rounding,
     * refines each point with its own weight and recodes (up to that point unless {@code wholeLadder}), climbing
     * while the refined file still fits. Returns {@code nearest} where no refined file fits or rounding does not
     * apply.
     */
    private Encoded climbRateAware(Encoded nearest, IndexGrid grid, IndexGrid margins, PredictionTables prediction,
            CodecModel model, Container base, EncodeOptions options, Stages stages, boolean wholeLadder) {
        int[] ladder = nearest.ladder;
        int top = ladder[ladder.length - 1];
        long max = RateControl.maxBytes(options, base.header.width(), base.header.height());
        Encoded best = nearest;
        for (int g : ladder) {
            if (g < nearest.chosenGroups) {
                continue;
            }
            double weight = roundingWeight(options.rdoStrength(), g, top);
            if (weight <= 0) {
                break;
            }
            IndexGrid refined = grid.copy();
            refine(refined, g, margins, prediction, base.header.tokenColumns(), weight, stages);
            Encoded e = codeAll(refined, model, base, stages, wholeLadder ? top : g);
            if (e.sizeFor(g) > max) {
                break;
            }
            e.chosenGroups = g;
            best = e;
        }
        return best;
    }

    /** As {@link #codeStreams(IndexGrid, CodecModel, int[], int, boolean, ChannelTables)} without coder 4. */
    static List<TokenStream> codeStreams(IndexGrid grid, CodecModel model, int[] layout, int columns,
            boolean useContext) {
        return codeStreams(grid, model, layout, columns, useContext, null);
    }

    /**
     * As {@link #codeStreams(IndexGrid, CodecModel, int[], int, boolean, ChannelTables, PredictionTables)} without
     * coders 5 and 6.
     */
    static List<TokenStream> codeStreams(IndexGrid grid, CodecModel model, int[] layout, int columns,
            boolean useContext, ChannelTables channel) {
        return codeStreams(grid, model, layout, columns, useContext, channel, null);
    }

    /**
     * Codes the groups of every stream. Each stream is coded with coder 1 (the order-0 tables), when
     * {@code useContext} also with coder 3 (the context tables), with {@code channel} also with coder 4 and with
     * {@code prediction} also with coders 5 and 6; the smallest stream is kept, the lowest coder id on a tie. A
     * stream's coder id applies to all its payloads, and
     * its chunk's size is the sum of its payloads plus a fixed overhead, so this minimises every stream, hence every
     * ladder point's file, exactly. (Coder 4's, 5's and 6's contexts and predictions come from the earlier groups'
     * indices, which the encoder has whatever coder their streams get: the choice stays per stream.)
     *
     * @param grid the indices
     * @param model the model's tables
     * @param layout groups per stream
     * @param columns the header's {@code columns} (the grid width of coder 3)
     * @param useContext whether to try coder 3
     * @param channel the tables of coder 4, or null not to try it
     * @param prediction the tables of coders 5 and 6, or null not to try them
     * @return the streams, in order
     */
    static List<TokenStream> codeStreams(IndexGrid grid, CodecModel model, int[] layout, int columns,
            boolean useContext, ChannelTables channel, PredictionTables prediction) {
        int k = model.description().codebookSize();
        List<TokenStream> out = new ArrayList<>(layout.length);
        ChannelTables.Window window = channel == null ? null : channel.newWindow(grid.positions());
        int[] channelContexts = channel == null ? null : new int[grid.positions()];
        PredictionTables.Coder predictor = prediction == null || grid.positions() % columns != 0 ? null
                : prediction.newCoder(grid.positions(), columns);
        int first = 0;
        for (int n : layout) {
            int[][] idx = new int[n][];
            List<byte[]> fixed = new ArrayList<>(n);
            long fixedBytes = 0;
            for (int j = 0; j < n; j++) {
                idx[j] = grid.group(first + j);
                byte[] p = TokenCoding.encode(QtkFormat.CODER_STATIC, idx[j], k, model.table(first + j));
                fixed.add(p);
                fixedBytes += p.length;
            }
            List<byte[]> best = fixed;
            long bestBytes = fixedBytes;
            int coder = QtkFormat.CODER_STATIC;
            if (useContext) {
                List<byte[]> ctx = new ArrayList<>(n);
                long ctxBytes = 0;
                for (int j = 0; j < n && ctxBytes < bestBytes; j++) {
                    byte[] p = TokenCoding.encode(QtkFormat.CODER_CONTEXT, idx[j], k, columns, null,
                            model.contextTables(first + j));
                    ctx.add(p);
                    ctxBytes += p.length;
                }
                if (ctxBytes < bestBytes) {
                    best = ctx;
                    bestBytes = ctxBytes;
                    coder = QtkFormat.CODER_CONTEXT;
                }
            }
            if (channel != null) {
                List<byte[]> ch = new ArrayList<>(n);
                long chBytes = 0;
                for (int j = 0; j < n && chBytes < bestBytes; j++) {
                    int g = first + j;
                    byte[] p = TokenCoding.encode(QtkFormat.CODER_CHANNEL, idx[j], k, columns, null, null,
                            channel.model(g, window.contexts(grid, g, channelContexts)));
                    ch.add(p);
                    chBytes += p.length;
                }
                if (chBytes < bestBytes) {
                    best = ch;
                    bestBytes = chBytes;
                    coder = QtkFormat.CODER_CHANNEL;
                }
            }
            if (predictor != null) {
                // coders 5 and 6 share predictions and contexts: one pass codes both
                List<byte[]> pr = new ArrayList<>(n);
                List<byte[]> pa = new ArrayList<>(n);
                long prBytes = 0;
                long paBytes = 0;
                for (int j = 0; j < n; j++) {
                    byte[][] p = predictor.encodeBoth(grid, first + j);
                    pr.add(p[0]);
                    pa.add(p[1]);
                    prBytes += p[0].length;
                    paBytes += p[1].length;
                }
                if (prBytes < bestBytes && prBytes <= paBytes) {
                    best = pr;
                    bestBytes = prBytes;
                    coder = QtkFormat.CODER_PREDICTION;
                } else if (paBytes < bestBytes) {
                    best = pa;
                    bestBytes = paBytes;
                    coder = QtkFormat.CODER_ADAPTIVE_PREDICTION;
                }
            }
            out.add(TokenStream.of(first, coder, best));
            first += n;
        }
        return out;
    }

    /**
     * The stream layout: a boundary at every ladder point, and with {@code groupsPerStream > 0} also every that
     * many groups, so that each ladder point is a prefix of whole streams.
     */
    static int[] streamLayout(int[] ladder, int top, int groupsPerStream) {
        TreeSet<Integer> ends = new TreeSet<>();
        for (int g : ladder) {
            ends.add(g);
        }
        if (groupsPerStream > 0) {
            for (int g = groupsPerStream; g < top; g += groupsPerStream) {
                ends.add(g);
            }
        }
        ends.add(top);
        int[] layout = new int[ends.size()];
        int prev = 0;
        int i = 0;
        for (int e : ends) {
            layout[i++] = e - prev;
            prev = e;
        }
        return layout;
    }

    private static io.qtk.format.ImageMetadata toFormat(io.qtk.ImageMetadata m, SourceImage src, boolean keep)
            throws QtkException {
        if (!keep) {
            return io.qtk.format.ImageMetadata.EMPTY;
        }
        byte[] icc = m.icc() != null ? m.icc() : src.iccProfile();
        try {
            return io.qtk.format.ImageMetadata.builder()
                    .icc(icc == null || icc.length == 0 ? null : icc)
                    .exif(m.exif() == null || m.exif().length == 0 ? null : m.exif())
                    .xmp(m.xmp() == null || m.xmp().length == 0 ? null : utf8("XMP packet", m.xmp()))
                    .comment(m.comment() == null || m.comment().isEmpty() ? null : m.comment())
                    .build();
        } catch (IllegalArgumentException ex) {
            throw new QtkException("metadata cannot be stored: " + ex.getMessage(), ex);
        }
    }

    private static String utf8(String what, byte[] b) throws QtkException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException ex) {
            throw new QtkException(what + " is not valid UTF-8", ex);
        }
    }

    private static boolean isGrid(ModelDescription d) throws QtkException {
        switch (d.quantiser()) {
            case "grid":
                return true;
            case "global":
                return false;
            default:
                throw new QtkException("model " + d.name() + " " + d.version() + " has an unknown quantiser kind "
                        + d.quantiser());
        }
    }

    // ------------------------------------------------------------------------------------------------- decode

    /**
     * @param data a whole or truncated file
     * @param options groups and region
     * @param listener progress and cancellation
     * @return the image
     * @throws IOException see {@code QtkDecoder#decode}
     */
    public DecodedImage decode(byte[] data, DecodeOptions options, ProgressListener listener) throws IOException {
        return decode(data, options, listener, Stages.NONE);
    }

    /**
     * As {@link #decode(byte[], DecodeOptions, ProgressListener)}, timing the stages.
     *
     * @param data a whole or truncated file
     * @param options groups and region
     * @param listener progress and cancellation
     * @param stages receives the time per stage
     * @return the image
     * @throws IOException see {@code QtkDecoder#decode}
     */
    public DecodedImage decode(byte[] data, DecodeOptions options, ProgressListener listener, Stages stages)
            throws IOException {
        if (data == null || options == null || listener == null) {
            throw new IllegalArgumentException("data, options and listener must not be null");
        }
        long t0 = stages.start();
        QtkFile file = QtkReader.read(data);
        stages.stop(Stages.Stage.CONTAINER_READ, t0);
        return decode(file, data.length, options, listener, stages);
    }

    /**
     * @param file a parsed file
     * @param fileBytes its size as read
     * @param options groups and region
     * @param listener progress and cancellation
     * @return the image
     * @throws IOException see {@code QtkDecoder#decode}
     */
    public DecodedImage decode(QtkFile file, long fileBytes, DecodeOptions options, ProgressListener listener)
            throws IOException {
        return decode(file, fileBytes, options, listener, Stages.NONE);
    }

    private DecodedImage decode(QtkFile file, long fileBytes, DecodeOptions options, ProgressListener listener,
            Stages stages) throws IOException {
        Prepared p = prepare(file, fileBytes, options, 0);
        QtkHeader hd = file.header();
        CodecModel model = p.model;
        ModelDescription d = model.description();
        int w = hd.width();
        int h = hd.height();
        Rectangle region = p.region;
        int used = p.used;
        listener.progress(0f);
        long t0 = stages.start();
        IndexGrid grid = TokenCoding.decodeGroups(file, used, model::table, model::contextTables,
                model.channelTables(), model.predictionTables());
        stages.stop(Stages.Stage.ENTROPY_DECODE, t0);
        listener.progress(0.05f);
        OutputImage out = new OutputImage(region.width, region.height, hd.channels().code());
        if (isGrid(d)) {
            GridPipeline pipeline = new GridPipeline(model.network(), model.quantiser(), model.haloPixels(),
                    maxTilePixels);
            pipeline.decode(grid, used, w, h, region, out, listener, 0.05f, 0.98f, stages);
        } else {
            new GlobalPipeline(model.globalNetwork(), d.codebookSize()).decode(grid, used, w, h, region, out,
                    listener, 0.05f, 0.98f, stages);
        }
        if (hd.channels().hasAlpha()) {
            t0 = stages.start();
            AlphaPlane ap = file.alpha().orElseThrow(() -> new QtkFormatException(0, "alpha chunk missing"));
            byte[] alpha = ap.decode();
            out.writeAlpha(alpha, w, region.x, region.y, 0, 0, region.width, region.height);
            stages.stop(Stages.Stage.ALPHA_DECODE, t0);
        }
        listener.progress(1f);
        return new DecodedImage(out.image(), toApi(file.metadata(), hd.orientation()), p.info, used);
    }

    /** A decode checked and ready: its model, region, groups and heap estimate. */
    private record Prepared(QtkInfo info, CodecModel model, Rectangle region, int used,
            DecodeLimits.Estimate estimate) {
    }

    /**
     * Everything a decode checks before it allocates anything that grows with the image, in this order: the pixel
     * limit (header only), the model and its layout, then the heap it will need ({@link DecodeLimits}).
     *
     * @param alsoNeeded heap the caller will allocate besides the decode (0 for a plain decode)
     */
    private Prepared prepare(QtkFile file, long fileBytes, DecodeOptions options, long alsoNeeded)
            throws IOException {
        QtkHeader hd = file.header();
        QtkInfo info = info(file, fileBytes);
        int w = hd.width();
        int h = hd.height();
        Rectangle region = region(options.region(), w, h);
        DecodeLimits.checkPixels(hd, region, options.maxPixels() > 0 ? options.maxPixels() : maxDecodePixels);
        long outBytes = (long) region.width * region.height * (hd.channels().code() == 1 ? 1
                : hd.channels().code() == 3 ? 3 : 4);
        if (outBytes > Integer.MAX_VALUE - 64) {
            throw new QtkException("a " + region.width + "x" + region.height + " " + hd.channels()
                    + " image does not fit in one BufferedImage (" + outBytes + " bytes); decode a region");
        }
        ModelId id = hd.model();
        CodecModel model = models.forDecode(id.name(), id.version(), id.sha256Hex());
        ModelDescription d = model.description();
        QuantiserLayout ql = hd.quantiser();
        if (!ql.kindName().equals(d.quantiser()) || ql.cellSize() != d.scale() || ql.groups() != d.groups()
                || ql.codebookSize() != d.codebookSize() || ql.codewordDim() != d.codebookDim()) {
            throw new QtkFormatException(0, "file's quantiser layout " + ql + " does not match model " + d.name()
                    + " " + d.version() + " (" + d.quantiser() + ", cell " + d.scale() + ", G=" + d.groups() + ", K="
                    + d.codebookSize() + ", d=" + d.codebookDim() + ")");
        }
        int used = Math.min(options.maxGroups(), info.groupsPresent());
        DecodeLimits.Estimate estimate = DecodeLimits.estimate(hd, fileBytes, used, region, isGrid(d),
                model.haloPixels(), maxTilePixels > 0 ? maxTilePixels : GridPipeline.DEFAULT_MAX_TILE_PIXELS);
        DecodeLimits.checkHeap(estimate, alsoNeeded, (region.width == w && region.height == h ? "the " : "a "
                + region.width + "x" + region.height + " region of the ") + w + "x" + h + " " + hd.channels()
                + " image (" + used + " groups)");
        return new Prepared(info, model, region, used, estimate);
    }

    /**
     * Checks a decode without running it: the container, the pixel limit, the model, and that the decode's heap
     * estimate plus {@code alsoNeeded} fits the heap free now. What a caller that must allocate before decoding
     * (an ImageIO reader's destination image) runs first.
     *
     * @param data a whole or truncated file
     * @param options groups, region and pixel limit
     * @param alsoNeeded bytes the caller will allocate besides the decode
     * @return the file's facts and the decode's heap estimate in bytes
     * @throws IOException as {@code QtkDecoder#decode}
     */
    public Checked check(byte[] data, DecodeOptions options, long alsoNeeded) throws IOException {
        if (data == null || options == null) {
            throw new IllegalArgumentException("data and options must not be null");
        }
        Prepared p = prepare(QtkReader.read(data), data.length, options, alsoNeeded);
        return new Checked(p.info, p.estimate.total());
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param info the file's facts
     * @param heapBytes the decode's heap estimate (an upper bound on its live heap)
     */
    public record Checked(QtkInfo info, long heapBytes) {
    }

    private static Rectangle region(Rectangle r, int w, int h) throws QtkException {
        if (r == null) {
            return new Rectangle(0, 0, w, h);
        }
        Rectangle c = r.intersection(new Rectangle(0, 0, w, h));
        if (c.isEmpty()) {
            throw new QtkException("region " + r + " does not intersect the " + w + "x" + h + " image");
        }
        return c;
    }

    private static io.qtk.ImageMetadata toApi(io.qtk.format.ImageMetadata m, int orientation) {
        return io.qtk.ImageMetadata.builder()
                .icc(m.icc().orElse(null))
                .exif(m.exif().orElse(null))
                .xmp(m.xmp().map(x -> x.getBytes(StandardCharsets.UTF_8)).orElse(null))
                .comment(m.comment().orElse(null))
                .orientation(orientation)
                .build();
    }

    // --------------------------------------------------------------------------------------------------- info

    /**
     * @param data a whole or partial file
     * @return its header facts
     * @throws QtkFormatException when not a valid header
     */
    public static QtkInfo info(byte[] data) throws QtkFormatException {
        try {
            return info(QtkReader.read(data), data.length);
        } catch (QtkFormatException ex) {
            // Cut short before the token data: the header alone still tells what the file is.
            QtkHeader hd;
            try {
                hd = QtkReader.readHeader(data);
            } catch (QtkFormatException ignored) {
                throw ex;
            }
            return info(hd, 0, true, data.length);
        }
    }

    /**
     * @param file a parsed file
     * @param fileBytes its size as read
     * @return its header facts
     */
    public static QtkInfo info(QtkFile file, long fileBytes) {
        int present = 0;
        for (TokenStream s : file.streams()) {
            present += s.groupCount();
        }
        return info(file.header(), present, file.truncated(), fileBytes);
    }

    private static QtkInfo info(QtkHeader hd, int present, boolean truncated, long fileBytes) {
        QuantiserLayout q = hd.quantiser();
        ModelId id = hd.model();
        return new QtkInfo(hd.width(), hd.height(), hd.channels().code(), hd.sourceBitDepth(), hd.orientation(),
                id.name(), id.version(), id.sha256Hex(), q.kindName(), q.groups(), hd.groupsCoded(), present,
                truncated, fileBytes);
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
