package io.qtk.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code qtk-synthetic-tiny.qtkm}: a hand-made (not trained) grid model bundle with real ONNX graphs, so the
 * engine's ONNX path is tested without depending on training. f = 4, G = 4 groups of d = 2 channels, K = 64.
 *
 * <p>Encoder: a 4x4 stride-4 convolution projecting each 4x4 RGB patch onto 8 orthonormal vectors (DC of R, G, B;
 * luminance gradients; chroma gradients). Decoder: the transposed convolution (the projection back) followed by a
 * depthwise 3x3 smoothing convolution, whose one-pixel reach makes the halo (4 px) matter. More groups give more
 * components, so quality rises with the prefix.
 *
 * <p>Run {@code main} to regenerate {@code src/test/resources/models/qtk-synthetic-tiny.qtkm}; the output is
 * deterministic.
 */
public final class SyntheticModel {
    static final int F = 4;
    static final int C = 8;
    static final int G = 4;
    static final int D = 2;
    static final int K = 64;

    private SyntheticModel() {
    }

    /**
     * @param args optional output path
     * @throws IOException when writing fails
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "codec-core/src/test/resources/models/qtk-synthetic-tiny.qtkm");
        Files.createDirectories(out.getParent());
        Files.write(out, bundle());
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }

    /** @return the 8 basis vectors, [8][3][4][4] flattened */
    static float[] basis() {
        float[] b = new float[C * 3 * F * F];
        float lum = (float) (1 / (4 * Math.sqrt(3)));
        float chroma = (float) (1 / (4 * Math.sqrt(2)));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < F; y++) {
                for (int x = 0; x < F; x++) {
                    int p = (c * F + y) * F + x;
                    float sx = x < 2 ? -1 : 1;
                    float sy = y < 2 ? -1 : 1;
                    float chk = ((x + y) & 1) == 0 ? 1 : -1;
                    b[0 * 48 + p] = c == 0 ? 0.25f : 0;
                    b[1 * 48 + p] = c == 1 ? 0.25f : 0;
                    b[2 * 48 + p] = c == 2 ? 0.25f : 0;
                    b[3 * 48 + p] = sx * lum;
                    b[4 * 48 + p] = sy * lum;
                    b[5 * 48 + p] = chk * lum;
                    b[6 * 48 + p] = c == 1 ? 0 : (c == 0 ? sx : -sx) * chroma;
                    b[7 * 48 + p] = c == 1 ? 0 : (c == 0 ? sy : -sy) * chroma;
                }
            }
        }
        return b;
    }

    /** @return codebooks [G][K][d] */
    static float[] codebooks() {
        float[] cb = new float[G * K * D];
        for (int g = 0; g < G; g++) {
            for (int k = 0; k < K; k++) {
                for (int j = 0; j < D; j++) {
                    int channel = g * D + j;
                    int level = j == 0 ? k & 7 : k >> 3;
                    float v = channel < 3 ? (level + 0.5f) * 0.5f : (level - 4) * 0.25f; // detail levels include 0
                    cb[(g * K + k) * D + j] = v;
                }
            }
        }
        return cb;
    }

    /**
     * @return the bundle's bytes
     * @throws IOException never (in-memory)
     */
    public static byte[] bundle() throws IOException {
        float[] basis = basis();
        float[] smooth = new float[3 * 9];
        for (int c = 0; c < 3; c++) {
            float[] k = {0, 0.05f, 0, 0.05f, 0.8f, 0.05f, 0, 0.05f, 0};
            System.arraycopy(k, 0, smooth, c * 9, 9);
        }
        Onnx enc = new Onnx();
        byte[] encNode = Onnx.node("Conv", new String[] {"image", "We"}, "latent", Onnx.ints("kernel_shape", F, F),
                Onnx.ints("strides", F, F));
        byte[] encGraph = Onnx.graph("encoder", new byte[][] {encNode},
                new byte[][] {Onnx.tensor("We", new long[] {C, 3, F, F}, basis)},
                Onnx.valueInfo("image", 3), Onnx.valueInfo("latent", C));
        byte[] decNode1 = Onnx.node("ConvTranspose", new String[] {"latent", "Wd"}, "up",
                Onnx.ints("kernel_shape", F, F), Onnx.ints("strides", F, F));
        byte[] decNode2 = Onnx.node("Conv", new String[] {"up", "Ws"}, "image", Onnx.ints("kernel_shape", 3, 3),
                Onnx.ints("pads", 1, 1, 1, 1), Onnx.intAttr("group", 3));
        byte[] decGraph = Onnx.graph("decoder", new byte[][] {decNode1, decNode2},
                new byte[][] {Onnx.tensor("Wd", new long[] {C, 3, F, F}, basis),
                    Onnx.tensor("Ws", new long[] {3, 1, 3, 3}, smooth)},
                Onnx.valueInfo("latent", C), Onnx.valueInfo("image", 3));
        String manifest = String.join("\n",
                "format=qtk-model-bundle/1",
                "name=qtk-synthetic-tiny",
                "version=1",
                "quantiser=grid",
                "groups=" + G,
                "codebook.size=" + K,
                "codebook.dim=" + D,
                "latent.channels=" + C,
                "grid.factor=" + F,
                "halo=4",
                "ladder=1,2,3,4",
                "io.encoder.input=image",
                "io.encoder.output=latent",
                "io.decoder.input=latent",
                "io.decoder.output=image",
                "training.data=none (hand-made orthonormal projection for engine tests)",
                "") ;
        ByteBuffer cb = ByteBuffer.allocate(G * K * D * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : codebooks()) {
            cb.putFloat(v);
        }
        ByteBuffer o0 = ByteBuffer.allocate(G * K * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < G; g++) {
            for (int k = 0; k < K; k++) {
                // peaked at the middle levels, as real statistics would be
                int a = Math.abs((k & 7) - 4) + Math.abs((k >> 3) - 4);
                o0.putInt(1 + (1000 >> a));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            put(z, "manifest.properties", manifest.getBytes(StandardCharsets.ISO_8859_1));
            put(z, "encoder.onnx", Onnx.model(encGraph));
            put(z, "decoder.onnx", Onnx.model(decGraph));
            put(z, "codebooks.bin", cb.array());
            put(z, "entropy/order0.bin", o0.array());
            put(z, "README.txt", ("Synthetic test model made by io.qtk.codec.SyntheticModel (codec-core tests): not "
                    + "trained.\n").getBytes(StandardCharsets.US_ASCII));
        }
        enc.hashCode();
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(LocalDateTime.of(2024, 1, 1, 0, 0));
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /** The few bits of the ONNX protobuf schema needed here, written by hand (proto2 wire format). */
    static final class Onnx {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Onnx varint(long v) {
            while ((v & ~0x7FL) != 0) {
                b.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            b.write((int) v);
            return this;
        }

        Onnx tag(int field, int wire) {
            return varint(((long) field << 3) | wire);
        }

        Onnx intField(int field, long v) {
            return tag(field, 0).varint(v);
        }

        Onnx bytesField(int field, byte[] v) {
            tag(field, 2).varint(v.length);
            b.writeBytes(v);
            return this;
        }

        Onnx str(int field, String s) {
            return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return b.toByteArray();
        }

        static byte[] model(byte[] graph) {
            byte[] opset = new Onnx().str(1, "").intField(2, 13).bytes();
            return new Onnx().intField(1, 7).str(2, "qtk-synthetic").bytesField(7, graph).bytesField(8, opset)
                    .bytes();
        }

        static byte[] graph(String name, byte[][] nodes, byte[][] inits, byte[] input, byte[] output) {
            Onnx o = new Onnx();
            for (byte[] n : nodes) {
                o.bytesField(1, n);
            }
            o.str(2, name);
            for (byte[] t : inits) {
                o.bytesField(5, t);
            }
            return o.bytesField(11, input).bytesField(12, output).bytes();
        }

        static byte[] node(String op, String[] inputs, String output, byte[]... attrs) {
            Onnx o = new Onnx();
            for (String i : inputs) {
                o.str(1, i);
            }
            o.str(2, output).str(3, op + "_" + output).str(4, op);
            for (byte[] a : attrs) {
                o.bytesField(5, a);
            }
            return o.bytes();
        }

        static byte[] ints(String name, long... v) {
            Onnx o = new Onnx().str(1, name);
            for (long x : v) {
                o.intField(8, x);
            }
            return o.intField(20, 7).bytes();
        }

        static byte[] intAttr(String name, long v) {
            return new Onnx().str(1, name).intField(3, v).intField(20, 2).bytes();
        }

        static byte[] tensor(String name, long[] dims, float[] data) {
            Onnx o = new Onnx();
            for (long d : dims) {
                o.intField(1, d);
            }
            o.intField(2, 1).str(8, name);
            ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                raw.putFloat(v);
            }
            return o.bytesField(9, raw.array()).bytes();
        }

        /** A float tensor [N, channels, H, W] with symbolic N, H, W. */
        static byte[] valueInfo(String name, int channels) {
            Onnx shape = new Onnx();
            shape.bytesField(1, new Onnx().str(2, "N").bytes());
            shape.bytesField(1, new Onnx().intField(1, channels).bytes());
            shape.bytesField(1, new Onnx().str(2, "H").bytes());
            shape.bytesField(1, new Onnx().str(2, "W").bytes());
            byte[] tensorType = new Onnx().intField(1, 1).bytesField(2, shape.bytes()).bytes();
            byte[] type = new Onnx().bytesField(1, tensorType).bytes();
            return new Onnx().str(1, name).bytesField(2, type).bytes();
        }
    }
}
