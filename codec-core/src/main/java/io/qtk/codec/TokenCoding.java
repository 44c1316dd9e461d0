package io.qtk.codec;

import io.qtk.entropy.AdaptiveModel;
import io.qtk.entropy.ContextModel;
import io.qtk.entropy.EntropyCodingException;
import io.qtk.entropy.FrequencyTable;
import io.qtk.entropy.IndexStreamCodec;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkFormat;
import io.qtk.format.QtkFormatException;
import io.qtk.format.QtkHeader;
import io.qtk.format.TokenStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The content of one group payload of a {@code QTOK} chunk, per coder id ({@code format-spec/qtk-format.md},
 * section 9.2 "Payload content"): the {@code n = columns * rows} indices of one group, in token order, each in
 * {@code [0, K)}, coded as
 * <ul>
 *   <li>id 0, raw: {@code b = ceil(log2 K)} bits per index, most significant bit first, packed most significant bit
 *       of each byte first, the last byte padded with zero bits; exactly {@code ceil(n * b / 8)} bytes;</li>
 *   <li>id 1, static: the range coder with the group's table, the bundle's {@code entropy/order0.bin} row
 *       normalised at the default precision;</li>
 *   <li>id 2, adaptive: the range coder with the adaptive model of K symbols at the default parameters
 *       (increment 32, limit {@code min(2^24, max(2^16, 64 K))}), fresh for every payload;</li>
 *   <li>id 3, context (format 1.1): the range coder with the group's {@link ContextTables}, the grid neighbours
 *       selector over a grid of {@code columns} (the header's latent width, or tiles across) choosing one of 25
 *       static tables per index;</li>
 *   <li>id 4, channel context (format 1.2): the range coder with the group's tables of {@link ChannelTables}, one
 *       of {@code L + 2} static tables per index chosen by the weights of the previous groups' indices at the same
 *       position. The only coder whose payloads depend on other groups: group g needs groups
 *       {@code g - min(g, N) .. g - 1} decoded first (prefixes still decode alone).</li>
 *   <li>id 5, prediction (format 1.3): the range coder with the group's tables of {@link PredictionTables}: the
 *       symbol of each index is its residual against an integer linear prediction from the previous groups at the
 *       same position and the same group's causal neighbours, coded with one of {@code (L + 2)(M + 1)} static tables
 *       chosen by the coder-4 channel context and the neighbours' prediction errors. Like coder 4 its payloads
 *       depend on earlier groups; they are coded through a {@link PredictionTables.Coder}, not the per-payload
 *       methods here.</li>
 * </ul>
 * Ids 6..15 are reserved (not written, not decodable by this version).
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenCoding {
    private TokenCoding() {
    }

    /**
     * @param coderId a coder id
     * @return whether this version can write and read payloads of that coder
     */
    public static boolean supported(int coderId) {
        return coderId == QtkFormat.CODER_RAW || coderId == QtkFormat.CODER_STATIC
                || coderId == QtkFormat.CODER_ADAPTIVE || coderId == QtkFormat.CODER_CONTEXT
                || coderId == QtkFormat.CODER_CHANNEL || coderId == QtkFormat.CODER_PREDICTION
                || coderId == QtkFormat.CODER_ADAPTIVE_PREDICTION;
    }

    /**
     * @param codebookSize K, 2..65536
     * @return b, the bits per index of the raw coder: {@code ceil(log2 K)}, 1..16
     */
    public static int rawBits(int codebookSize) {
        checkK(codebookSize);
        return 32 - Integer.numberOfLeadingZeros(codebookSize - 1);
    }

    /**
     * @param count n, the indices of a group
     * @param codebookSize K
     * @return the exact length in bytes of a raw payload: {@code ceil(n * b / 8)}
     */
    public static long rawLength(long count, int codebookSize) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        return (count * rawBits(codebookSize) + 7) >>> 3;
    }

    /**
     * @param codebookSize K
     * @return the adaptive model coder id 2 uses: default increment and limit
     */
    public static AdaptiveModel adaptiveModel(int codebookSize) {
        checkK(codebookSize);
        return AdaptiveModel.of(codebookSize);
    }

    /**
     * Encodes one group with coder 0, 1 or 2 (coder 3 needs {@link #encode(int, int[], int, int, FrequencyTable,
     * ContextTables)}).
     *
     * @param coderId 0, 1 or 2
     * @param indices the group's indices in token order, each in {@code [0, K)}
     * @param codebookSize K
     * @param table the group's static table (coder 1 only; may be null otherwise)
     * @return the payload
     * @throws IllegalArgumentException for an unsupported coder id, an index outside {@code [0, K)}, or a payload
     *     that cannot be represented
     */
    public static byte[] encode(int coderId, int[] indices, int codebookSize, FrequencyTable table) {
        return encode(coderId, indices, codebookSize, 0, table, null);
    }

    /**
     * Encodes one group.
     *
     * @param coderId 0, 1, 2 or 3
     * @param indices the group's indices in token order, each in {@code [0, K)}
     * @param codebookSize K
     * @param width the grid width (the header's {@code columns}; coder 3 only, {@code >= 1})
     * @param table the group's static table (coder 1 only; may be null otherwise)
     * @param context the group's context tables (coder 3 only; may be null otherwise)
     * @return the payload
     * @throws IllegalArgumentException for an unsupported coder id, missing tables, an index outside
     *     {@code [0, K)}, or a payload that cannot be represented
     */
    public static byte[] encode(int coderId, int[] indices, int codebookSize, int width, FrequencyTable table,
            ContextTables context) {
        return encode(coderId, indices, codebookSize, width, table, context, null);
    }

    /**
     * Encodes one group.
     *
     * @param coderId 0..4
     * @param indices the group's indices in token order, each in {@code [0, K)}
     * @param codebookSize K
     * @param width the grid width (the header's {@code columns}; coder 3 only, {@code >= 1})
     * @param table the group's static table (coder 1 only; may be null otherwise)
     * @param context the group's context tables (coder 3 only; may be null otherwise)
     * @param channel coder 4's model of this payload, {@link ChannelTables#model(int, int[])} with the contexts of
     *     the group's positions (coder 4 only; may be null otherwise)
     * @return the payload
     * @throws IllegalArgumentException for an unsupported coder id, missing tables, an index outside
     *     {@code [0, K)}, or a payload that cannot be represented
     */
    public static byte[] encode(int coderId, int[] indices, int codebookSize, int width, FrequencyTable table,
            ContextTables context, ContextModel channel) {
        Objects.requireNonNull(indices, "indices");
        checkK(codebookSize);
        switch (coderId) {
            case QtkFormat.CODER_RAW:
                return encodeRaw(indices, codebookSize);
            case QtkFormat.CODER_STATIC:
                Objects.requireNonNull(table, "table");
                if (table.alphabetSize() != codebookSize) {
                    throw new IllegalArgumentException("table of " + table.alphabetSize() + " symbols for K = "
                            + codebookSize);
                }
                return IndexStreamCodec.encode(indices, table);
            case QtkFormat.CODER_ADAPTIVE:
                return IndexStreamCodec.encode(indices, adaptiveModel(codebookSize));
            case QtkFormat.CODER_CONTEXT:
                return IndexStreamCodec.encode(indices, contextModel(context, codebookSize, width));
            case QtkFormat.CODER_CHANNEL:
                return IndexStreamCodec.encode(indices, channelModel(channel, codebookSize));
            case QtkFormat.CODER_PREDICTION:
            case QtkFormat.CODER_ADAPTIVE_PREDICTION:
                throw new IllegalArgumentException("coder id " + coderId + " codes a group from the earlier groups:"
                        + " use PredictionTables.Coder");
            default:
                throw new IllegalArgumentException("coder id " + coderId + " is reserved in this version");
        }
    }

    /**
     * Decodes one group payload of coder 0, 1 or 2 (coder 3 needs {@link #decode(int, byte[], int, int, int[], int,
     * int, int, int, FrequencyTable, ContextTables)}).
     *
     * @param coderId 0, 1 or 2
     * @param data the array holding the payload
     * @param offset start of the payload
     * @param length its length
     * @param out receives the indices
     * @param outOffset where the first index goes
     * @param count n, the indices to decode
     * @param codebookSize K
     * @param table the group's static table (coder 1 only)
     * @throws EntropyCodingException when the payload is provably corrupt
     * @throws IllegalArgumentException for an unsupported coder id or bad arguments
     */
    public static void decode(int coderId, byte[] data, int offset, int length, int[] out, int outOffset, int count,
            int codebookSize, FrequencyTable table) throws EntropyCodingException {
        decode(coderId, data, offset, length, out, outOffset, count, codebookSize, 0, table, null);
    }

    /**
     * Decodes one group payload.
     *
     * @param coderId 0, 1, 2 or 3
     * @param data the array holding the payload
     * @param offset start of the payload
     * @param length its length
     * @param out receives the indices
     * @param outOffset where the first index goes
     * @param count n, the indices to decode
     * @param codebookSize K
     * @param width the grid width (the header's {@code columns}; coder 3 only, {@code >= 1})
     * @param table the group's static table (coder 1 only)
     * @param context the group's context tables (coder 3 only)
     * @throws EntropyCodingException when the payload is provably corrupt: coder 0: a length other than
     *     {@code ceil(n * b / 8)}, a non-zero padding bit or an index {@code >= K}; coders 1, 2 and 3: see
     *     {@link IndexStreamCodec}
     * @throws IllegalArgumentException for an unsupported coder id, missing tables or bad arguments
     */
    public static void decode(int coderId, byte[] data, int offset, int length, int[] out, int outOffset, int count,
            int codebookSize, int width, FrequencyTable table, ContextTables context) throws EntropyCodingException {
        decode(coderId, data, offset, length, out, outOffset, count, codebookSize, width, table, context, null);
    }

    /**
     * Decodes one group payload.
     *
     * @param coderId 0..4
     * @param data the array holding the payload
     * @param offset start of the payload
     * @param length its length
     * @param out receives the indices
     * @param outOffset where the first index goes
     * @param count n, the indices to decode
     * @param codebookSize K
     * @param width the grid width (the header's {@code columns}; coder 3 only, {@code >= 1})
     * @param table the group's static table (coder 1 only)
     * @param context the group's context tables (coder 3 only)
     * @param channel coder 4's model of this payload ({@link ChannelTables#model(int, int[])}, its contexts made
     *     from the earlier groups' decoded indices; coder 4 only)
     * @throws EntropyCodingException when the payload is provably corrupt (see the overload without {@code channel})
     * @throws IllegalArgumentException for an unsupported coder id, missing tables or bad arguments
     */
    public static void decode(int coderId, byte[] data, int offset, int length, int[] out, int outOffset, int count,
            int codebookSize, int width, FrequencyTable table, ContextTables context, ContextModel channel)
            throws EntropyCodingException {
        checkK(codebookSize);
        switch (coderId) {
            case QtkFormat.CODER_RAW:
                decodeRaw(data, offset, length, out, outOffset, count, codebookSize);
                return;
            case QtkFormat.CODER_STATIC:
                Objects.requireNonNull(table, "table");
                IndexStreamCodec.decode(data, offset, length, out, outOffset, count, table);
                return;
            case QtkFormat.CODER_ADAPTIVE:
                IndexStreamCodec.decode(data, offset, length, out, outOffset, count, adaptiveModel(codebookSize));
                return;
            case QtkFormat.CODER_CONTEXT:
                IndexStreamCodec.decode(data, offset, length, out, outOffset, count,
                        contextModel(context, codebookSize, width));
                return;
            case QtkFormat.CODER_CHANNEL:
                IndexStreamCodec.decode(data, offset, length, out, outOffset, count,
                        channelModel(channel, codebookSize));
                return;
            case QtkFormat.CODER_PREDICTION:
            case QtkFormat.CODER_ADAPTIVE_PREDICTION:
                throw new IllegalArgumentException("coder id " + coderId + " decodes a group from the earlier"
                        + " groups: use PredictionTables.Coder");
            default:
                throw new IllegalArgumentException("coder id " + coderId + " is reserved in this version");
        }
    }

    /**
     * As {@link #decodeGroups(QtkFile, int, IntFunction, IntFunction)} for a model without context tables: a needed
     * stream of coder 3 fails.
     *
     * @param file a complete or truncated file
     * @param used the groups to decode, at most {@link QtkFile#groupsPresent()}
     * @param tables the static table of each group (consulted for coder 1 only)
     * @return the indices, {@code used} groups
     * @throws java.io.IOException as the four-argument method
     */
    public static IndexGrid decodeGroups(QtkFile file, int used, IntFunction<FrequencyTable> tables)
            throws java.io.IOException {
        return decodeGroups(file, used, tables, g -> null);
    }

    /**
     * As {@link #decodeGroups(QtkFile, int, IntFunction, IntFunction, ChannelTables)} for a model without channel
     * tables: a needed stream of coder 4 fails.
     *
     * @param file a complete or truncated file
     * @param used the groups to decode, at most {@link QtkFile#groupsPresent()}
     * @param tables the static table of each group (consulted for coder 1 only)
     * @param contexts the context tables of each group, null when the model has none (consulted for coder 3 only)
     * @return the indices, {@code used} groups
     * @throws java.io.IOException as the five-argument method
     */
    public static IndexGrid decodeGroups(QtkFile file, int used, IntFunction<FrequencyTable> tables,
            IntFunction<ContextTables> contexts) throws java.io.IOException {
        return decodeGroups(file, used, tables, contexts, null);
    }

    /**
     * As {@link #decodeGroups(QtkFile, int, IntFunction, IntFunction, ChannelTables, PredictionTables)} for a model
     * without prediction tables: a needed stream of coder 5 or 6 fails.
     *
     * @param file a complete or truncated file
     * @param used the groups to decode, at most {@link QtkFile#groupsPresent()}
     * @param tables the static table of each group (consulted for coder 1 only)
     * @param contexts the context tables of each group, null when the model has none (consulted for coder 3 only)
     * @param channel the model's channel tables, null when it has none (used for coder 4 only)
     * @return the indices, {@code used} groups
     * @throws java.io.IOException as the six-argument method
     */
    public static IndexGrid decodeGroups(QtkFile file, int used, IntFunction<FrequencyTable> tables,
            IntFunction<ContextTables> contexts, ChannelTables channel) throws java.io.IOException {
        return decodeGroups(file, used, tables, contexts, channel, null);
    }

    /**
     * Decodes the groups of a parsed file into an index grid: groups {@code [0, used)}, each
     * {@code columns * rows} indices in token order, in ascending group order (coders 4, 5 and 6 read the groups before
     * the one they decode, whatever their streams' coders). Streams past {@code used} are not read.
     *
     * @param file a complete or truncated file
     * @param used the groups to decode, at most {@link QtkFile#groupsPresent()}
     * @param tables the static table of each group (consulted for coder 1 only)
     * @param contexts the context tables of each group, null when the model has none (consulted for coder 3 only)
     * @param channel the model's channel tables, null when it has none (used for coder 4 only)
     * @param prediction the model's prediction tables, null when it has none (used for coders 5 and 6 only)
     * @return the indices, {@code used} groups
     * @throws QtkFormatException when a payload is corrupt (naming the group)
     * @throws io.qtk.QtkException when a stream that is needed has a reserved coder id, has coder id 3 and the
     *     model has no context tables, has coder id 4 and the model has no channel tables, or has coder id 5 or 6
     *     and the model has no prediction tables
     */
    public static IndexGrid decodeGroups(QtkFile file, int used, IntFunction<FrequencyTable> tables,
            IntFunction<ContextTables> contexts, ChannelTables channel, PredictionTables prediction)
            throws java.io.IOException {
        QtkHeader hd = file.header();
        if (used < 0 || used > file.groupsPresent()) {
            throw new IllegalArgumentException("used " + used + " outside [0, " + file.groupsPresent() + "]");
        }
        int k = hd.quantiser().codebookSize();
        int width = hd.tokenColumns();
        int positions = Math.toIntExact(hd.tokensPerGroup());
        IndexGrid grid = new IndexGrid(used, positions, k);
        int[] buf = new int[positions];
        ChannelTables.Window window = null; // made at the first coder-4 group
        int[] channelContexts = null;
        PredictionTables.Coder predictor = null; // made at the first coder-5 group
        int next = 0; // groups [0, next) are decoded
        for (TokenStream s : file.streams()) {
            if (s.firstGroup() >= used) {
                break;
            }
            if (!supported(s.coderId())) {
                throw new io.qtk.QtkException("token stream coder id " + s.coderId()
                        + " is reserved and not supported by this decoder (groups " + s.firstGroup() + ".."
                        + (s.endGroup() - 1) + ")");
            }
            for (int i = 0; i < s.groupCount() && s.firstGroup() + i < used; i++) {
                int g = s.firstGroup() + i;
                if (g != next) {
                    // Streams cover the groups from 0 without gaps (QtkFile checks it); a coder-4 or coder-5
                    // payload must never be decoded with earlier groups missing.
                    throw new QtkFormatException(0, "group " + g + " token stream (coder " + s.coderId()
                            + ") follows group " + (next - 1) + ": earlier groups are absent");
                }
                next = g + 1;
                FrequencyTable t = s.coderId() == QtkFormat.CODER_STATIC ? tables.apply(g) : null;
                ContextTables c = null;
                if (s.coderId() == QtkFormat.CODER_CONTEXT) {
                    c = contexts.apply(g);
                    if (c == null) {
                        throw new io.qtk.QtkException("token stream coder id 3 (context tables, qtk format 1.1) of"
                                + " groups " + s.firstGroup() + ".." + (s.endGroup() - 1) + " needs the context tables"
                                + " of model " + hd.model().name() + " " + hd.model().version() + " (bundle entries "
                                + "entropy/classes.bin and entropy/context.bin), and its bundle has none");
                    }
                    if (c.codebookSize() != k) {
                        throw new io.qtk.QtkException("context tables of group " + g + " have K = "
                                + c.codebookSize() + ", the file has K = " + k);
                    }
                }
                ContextModel ch = null;
                if (s.coderId() == QtkFormat.CODER_CHANNEL) {
                    if (channel == null) {
                        throw new io.qtk.QtkException("token stream coder id 4 (channel context tables, qtk format"
                                + " 1.2) of groups " + s.firstGroup() + ".." + (s.endGroup() - 1) + " needs the"
                                + " channel tables of model " + hd.model().name() + " " + hd.model().version()
                                + " (bundle entries entropy/weights.bin and entropy/channel.bin), and its bundle has"
                                + " none");
                    }
                    if (channel.codebookSize() != k || channel.groups() != hd.quantiser().groups()) {
                        throw new io.qtk.QtkException("channel tables of G = " + channel.groups() + ", K = "
                                + channel.codebookSize() + " for a file of G = " + hd.quantiser().groups()
                                + ", K = " + k);
                    }
                    if (window == null) {
                        window = channel.newWindow(positions);
                        channelContexts = new int[positions];
                    }
                    ch = channel.model(g, window.contexts(grid, g, channelContexts));
                }
                boolean predicted = s.coderId() == QtkFormat.CODER_PREDICTION
                        || s.coderId() == QtkFormat.CODER_ADAPTIVE_PREDICTION;
                boolean adaptive = s.coderId() == QtkFormat.CODER_ADAPTIVE_PREDICTION;
                if (predicted) {
                    if (prediction == null) {
                        throw new io.qtk.QtkException("token stream coder id " + s.coderId() + " ("
                                + (adaptive ? "adaptive prediction, qtk format 1.4"
                                        : "prediction tables, qtk format 1.3")
                                + ") of groups " + s.firstGroup() + ".." + (s.endGroup() - 1) + " needs the"
                                + " prediction tables of model " + hd.model().name() + " " + hd.model().version()
                                + " (bundle entries entropy/predict.bin and entropy/residual.bin, with the channel"
                                + " tables), and its bundle has none");
                    }
                    if (prediction.codebookSize() != k || prediction.groups() != hd.quantiser().groups()) {
                        throw new io.qtk.QtkException("prediction tables of G = " + prediction.groups() + ", K = "
                                + prediction.codebookSize() + " for a file of G = " + hd.quantiser().groups()
                                + ", K = " + k);
                    }
                    if (width < 1 || positions % width != 0) {
                        throw new QtkFormatException(0, "coder id " + s.coderId() + " needs whole rows: " + positions
                                + " indices per group are not rows of " + width + " columns");
                    }
                    if (predictor == null) {
                        predictor = prediction.newCoder(positions, width);
                    }
                }
                ByteBuffer pb = s.payloadBuffer(i);
                try {
                    if (predicted) {
                        if (pb.hasArray()) {
                            predictor.decode(grid, g, pb.array(), pb.arrayOffset() + pb.position(), pb.remaining(),
                                    buf, adaptive);
                        } else {
                            byte[] p = s.payload(i);
                            predictor.decode(grid, g, p, 0, p.length, buf, adaptive);
                        }
                    } else if (pb.hasArray()) {
                        decode(s.coderId(), pb.array(), pb.arrayOffset() + pb.position(), pb.remaining(), buf, 0,
                                positions, k, width, t, c, ch);
                    } else {
                        byte[] p = s.payload(i);
                        decode(s.coderId(), p, 0, p.length, buf, 0, positions, k, width, t, c, ch);
                    }
                } catch (EntropyCodingException ex) {
                    throw new QtkFormatException(0, "group " + g + " token stream (coder " + s.coderId()
                            + ") is corrupt: " + ex.getMessage());
                }
                grid.setGroup(g, buf);
            }
        }
        return grid;
    }

    // ---------------------------------------------------------------------------------------------------- raw

    private static byte[] encodeRaw(int[] indices, int k) {
        int b = rawBits(k);
        long len = rawLength(indices.length, k);
        if (len > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("raw payload of " + len + " bytes is too large");
        }
        byte[] out = new byte[(int) len];
        long acc = 0; // pending bits, right-aligned
        int pending = 0;
        int at = 0;
        for (int i = 0; i < indices.length; i++) {
            int v = indices[i];
            if (v < 0 || v >= k) {
                throw new IllegalArgumentException("index " + v + " at " + i + " outside [0, " + k + ")");
            }
            acc = (acc << b) | v;
            pending += b;
            while (pending >= 8) {
                pending -= 8;
                out[at++] = (byte) (acc >>> pending);
            }
            acc &= (1L << pending) - 1;
        }
        if (pending > 0) {
            out[at] = (byte) (acc << (8 - pending));
        }
        return out;
    }

    private static void decodeRaw(byte[] data, int offset, int length, int[] out, int outOffset, int count, int k)
            throws EntropyCodingException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") outside " + data.length);
        }
        if (count < 0 || outOffset < 0 || outOffset > out.length - count) {
            throw new IllegalArgumentException("slice [" + outOffset + ", +" + count + ") outside " + out.length);
        }
        int b = rawBits(k);
        long want = rawLength(count, k);
        if (length != want) {
            throw new EntropyCodingException("raw payload of " + length + " bytes, expected ceil(" + count + " * "
                    + b + " / 8) = " + want, -1);
        }
        long acc = 0;
        int have = 0;
        int at = offset;
        int mask = (1 << b) - 1;
        for (int i = 0; i < count; i++) {
            while (have < b) {
                acc = (acc << 8) | (data[at++] & 0xFF);
                have += 8;
            }
            have -= b;
            int v = (int) (acc >>> have) & mask;
            acc &= (1L << have) - 1;
            if (v >= k) {
                throw new EntropyCodingException("raw index " + v + " >= K = " + k, i);
            }
            out[outOffset + i] = v;
        }
        if (acc != 0 || at != offset + length) {
            throw new EntropyCodingException("raw payload has non-zero padding bits", -1);
        }
    }

    /**
     * @param context the group's context tables
     * @param codebookSize K
     * @param width the grid width
     * @return the context model of coder 3
     * @throws IllegalArgumentException when the tables are missing or of another K, or the width is below 1
     */
    static ContextModel contextModel(ContextTables context, int codebookSize, int width) {
        if (context == null) {
            throw new IllegalArgumentException("coder id 3 needs the group's context tables");
        }
        if (context.codebookSize() != codebookSize) {
            throw new IllegalArgumentException("context tables of " + context.codebookSize() + " symbols for K = "
                    + codebookSize);
        }
        return context.model(width);
    }

    /**
     * @param channel coder 4's model of a payload
     * @param codebookSize K
     * @return it, checked
     * @throws IllegalArgumentException when it is missing or of another K
     */
    static ContextModel channelModel(ContextModel channel, int codebookSize) {
        if (channel == null) {
            throw new IllegalArgumentException("coder id 4 needs the group's channel context model");
        }
        if (channel.alphabetSize() != codebookSize) {
            throw new IllegalArgumentException("channel tables of " + channel.alphabetSize() + " symbols for K = "
                    + codebookSize);
        }
        return channel;
    }

    private static void checkK(int k) {
        if (k < QtkFormat.MIN_CODEBOOK_SIZE || k > QtkFormat.MAX_CODEBOOK_SIZE) {
            throw new IllegalArgumentException("K = " + k + " outside [2, 65536]");
        }
    }
}
