package io.qtk.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes and decodes the data of the QHDR chunk (specification section "QHDR"). */
final class HeaderCodec {
    /** Smallest QHDR data length: one-byte name and version, one stream. */
    static final int MIN_LENGTH = 69 + 1 + 1 + 2;
    /** Largest QHDR data length: 64-byte name, 32-byte version, 65535 streams. */
    static final int MAX_LENGTH = 69 + QtkFormat.MAX_MODEL_NAME_LENGTH + QtkFormat.MAX_MODEL_VERSION_LENGTH
            + 2 * QtkFormat.MAX_GROUPS;

    private HeaderCodec() {
    }

    static byte[] encode(QtkHeader h) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(128);
        u32(o, h.width());
        u32(o, h.height());
        o.write(h.channels().code());
        o.write(h.sourceBitDepth());
        o.write(h.codedBitDepth());
        o.write(h.orientation());
        byte[] name = h.model().name().getBytes(StandardCharsets.US_ASCII);
        o.write(name.length);
        o.writeBytes(name);
        byte[] version = h.model().version().getBytes(StandardCharsets.US_ASCII);
        o.write(version.length);
        o.writeBytes(version);
        o.writeBytes(h.model().sha256());
        QuantiserLayout q = h.quantiser();
        o.write(q.kindCode());
        u16(o, q.cellSize());
        u16(o, q.groups());
        u32(o, q.codebookSize());
        u16(o, q.codewordDim());
        u32(o, h.tokenColumns());
        u32(o, h.tokenRows());
        u16(o, h.groupsCoded());
        u16(o, h.streamCount());
        for (int i = 0; i < h.streamCount(); i++) {
            u16(o, h.streamGroupCount(i));
        }
        return o.toByteArray();
    }

    private static void u32(ByteArrayOutputStream o, long v) {
        o.write((int) (v >>> 24));
        o.write((int) (v >>> 16));
        o.write((int) (v >>> 8));
        o.write((int) v);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    /** Parses QHDR data; {@code base} is the file offset of its first byte, {@code ctx} the message prefix. */
    static QtkHeader decode(byte[] d, long base, String ctx) throws QtkFormatException {
        return new Parser(d, base, ctx).parse();
    }

    private static final class Parser {
        final byte[] d;
        final long base;
        final String ctx;
        int p;

        Parser(byte[] d, long base, String ctx) {
            this.d = d;
            this.base = base;
            this.ctx = ctx;
        }

        QtkFormatException fail(int at, String msg) {
            return new QtkFormatException(base + at, ctx + msg);
        }

        void need(int n, String field) throws QtkFormatException {
            if (d.length - p < n) {
                throw fail(p, "data of " + d.length + " bytes ends inside " + field);
            }
        }

        long u32(String field) throws QtkFormatException {
            need(4, field);
            long v = ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
            p += 4;
            return v;
        }

        int u16(String field) throws QtkFormatException {
            need(2, field);
            int v = ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
            p += 2;
            return v;
        }

        int u8(String field) throws QtkFormatException {
            need(1, field);
            return d[p++] & 0xFF;
        }

        void check(int at, String problem) throws QtkFormatException {
            if (problem != null) {
                throw fail(at, problem);
            }
        }

        String ascii(String field, int max) throws QtkFormatException {
            int at = p;
            int n = u8(field + " length");
            check(at, QtkHeader.range(field + " length", n, 1, max));
            need(n, field);
            String s = new String(d, p, n, StandardCharsets.ISO_8859_1);
            p += n;
            return s;
        }

        QtkHeader parse() throws QtkFormatException {
            long width = u32("width");
            check(0, QtkHeader.range("width", width, 1, QtkFormat.MAX_DIMENSION));
            long height = u32("height");
            check(4, QtkHeader.range("height", height, 1, QtkFormat.MAX_DIMENSION));
            check(0, QtkHeader.pixelsProblem(width, height));
            int channels = u8("channels");
            check(8, QtkHeader.range("channels", channels, 1, 4));
            int depth = u8("source bit depth");
            check(9, QtkHeader.bitDepthProblem(depth));
            int coded = u8("coded bit depth");
            check(10, coded == QtkHeader.CODED_BIT_DEPTH ? null : "coded bit depth " + coded + " is not 8");
            int orientation = u8("orientation");
            check(11, QtkHeader.range("orientation", orientation, 1, 8));
            int at = p;
            String name = ascii("model name", QtkFormat.MAX_MODEL_NAME_LENGTH);
            check(at + 1, ModelId.checkName(name));
            at = p;
            String version = ascii("model version", QtkFormat.MAX_MODEL_VERSION_LENGTH);
            check(at + 1, ModelId.checkVersion(version));
            need(ModelId.SHA256_LENGTH, "model sha256");
            byte[] sha = java.util.Arrays.copyOfRange(d, p, p + ModelId.SHA256_LENGTH);
            p += ModelId.SHA256_LENGTH;
            ModelId model = ModelId.of(name, version, sha);

            at = p;
            int kind = u8("quantiser kind");
            if (kind != QuantiserLayout.KIND_GRID && kind != QuantiserLayout.KIND_GLOBAL) {
                throw fail(at, "quantiser kind " + kind + " unknown (0 grid, 1 global)");
            }
            boolean grid = kind == QuantiserLayout.KIND_GRID;
            int cellAt = p;
            int cell = u16(grid ? "grid factor f" : "tile size T");
            check(cellAt, QtkHeader.range(grid ? "grid factor f" : "tile size T", cell, 1, QtkFormat.MAX_FACTOR));
            int gAt = p;
            int groups = u16(grid ? "groups G" : "tokens N");
            check(gAt, QtkHeader.range(grid ? "groups G" : "tokens N", groups, 1, QtkFormat.MAX_GROUPS));
            int kAt = p;
            long k = u32("codebook size K");
            check(kAt, QtkHeader.range("codebook size K", k, QtkFormat.MIN_CODEBOOK_SIZE,
                    QtkFormat.MAX_CODEBOOK_SIZE));
            int dAt = p;
            int dim = u16("codeword dim d");
            check(dAt, QtkHeader.range("codeword dim d", dim, 1, QtkFormat.MAX_CODEWORD_DIM));
            QuantiserLayout q = grid ? new GridLayout(cell, groups, (int) k, dim)
                    : new GlobalLayout(cell, groups, (int) k, dim);
            String colName = grid ? "latent width" : "tiles across";
            String rowName = grid ? "latent height" : "tiles down";
            String cellName = grid ? "f" : "T";
            int colAt = p;
            long cols = u32(colName);
            long wantCols = q.tokenColumns((int) width);
            if (cols != wantCols) {
                throw fail(colAt, colName + " " + cols + " does not match ceil(width " + width + " / " + cellName
                        + " " + cell + ") = " + wantCols);
            }
            int rowAt = p;
            long rows = u32(rowName);
            long wantRows = q.tokenRows((int) height);
            if (rows != wantRows) {
                throw fail(rowAt, rowName + " " + rows + " does not match ceil(height " + height + " / " + cellName
                        + " " + cell + ") = " + wantRows);
            }
            int gcAt = p;
            int groupsCoded = u16("groups coded");
            check(gcAt, QtkHeader.range("groups coded", groupsCoded, 1, groups));
            int sAt = p;
            int streams = u16("stream count");
            check(sAt, QtkHeader.range("stream count", streams, 1, groupsCoded));
            int[] layout = new int[streams];
            long sum = 0;
            for (int i = 0; i < streams; i++) {
                int nAt = p;
                int n = u16("stream " + i + " group count");
                check(nAt, QtkHeader.range("stream " + i + " group count", n, 1, groupsCoded));
                sum += n;
                if (sum > groupsCoded) {
                    throw fail(nAt, "stream layout exceeds groups coded " + groupsCoded + " at stream " + i);
                }
                layout[i] = n;
            }
            if (sum != groupsCoded) {
                throw fail(sAt, "stream layout sums to " + sum + " groups, groups coded is " + groupsCoded);
            }
            if (p != d.length) {
                throw fail(p, (d.length - p) + " bytes after the stream layout");
            }
            return QtkHeader.builder().size((int) width, (int) height).channels(Channels.ofCode(channels))
                    .sourceBitDepth(depth).orientation(orientation).model(model).quantiser(q)
                    .streamLayout(layout).build();
        }
    }
}
