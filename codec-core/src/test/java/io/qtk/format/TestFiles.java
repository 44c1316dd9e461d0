package io.qtk.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/** Random valid files and raw-chunk helpers for the format tests. */
final class TestFiles {
    private TestFiles() {
    }

    static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    static final String VERSION_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static String chars(Random r, String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Random valid Unicode text (BMP, supplementary, controls), 1..maxCodePoints code points. */
    static String text(Random r, int maxCodePoints) {
        int n = 1 + r.nextInt(maxCodePoints);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            int cp;
            if (kind < 6) {
                cp = 0x20 + r.nextInt(0x5F);
            } else if (kind < 8) {
                cp = 0xA0 + r.nextInt(0xD000 - 0xA0);
            } else if (kind < 9) {
                cp = 0x10000 + r.nextInt(0x10FFFF - 0x10000);
            } else {
                cp = r.nextInt(0x20);
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    static ModelId model(Random r) {
        String name = chars(r, "abcdefghijklmnopqrstuvwxyz0123456789", 1)
                + chars(r, NAME_CHARS, r.nextInt(r.nextBoolean() ? 10 : 64));
        String version = chars(r, VERSION_CHARS, 1 + r.nextInt(r.nextBoolean() ? 4 : 32));
        return ModelId.of(name, version, bytes(r, 32));
    }

    /**
     * A random valid file. {@code small} keeps it to a few hundred bytes (for exhaustive mutation); otherwise
     * sizes, counts and limits vary widely.
     */
    static QtkFile random(Random r, boolean small) {
        boolean grid = r.nextBoolean();
        int w;
        int h;
        if (!small && r.nextInt(8) == 0) {
            w = 1 + r.nextInt(QtkFormat.MAX_DIMENSION);
            h = 1 + r.nextInt((int) Math.min(QtkFormat.MAX_DIMENSION, QtkFormat.MAX_PIXELS / w));
        } else {
            w = 1 + r.nextInt(small ? 24 : 300);
            h = 1 + r.nextInt(small ? 24 : 300);
        }
        Channels ch = Channels.values()[r.nextInt(4)];
        if (ch.hasAlpha() && (long) w * h > 100_000) {
            ch = ch == Channels.RGBA ? Channels.RGB : Channels.GRAY;
        }
        int cell = r.nextInt(4) == 0 ? 1 + r.nextInt(QtkFormat.MAX_FACTOR) : pick(r, 1, 2, 4, 8, 16, 32, 64, 128, 256);
        int groups = small ? 1 + r.nextInt(8) : r.nextInt(10) == 0 ? 1 + r.nextInt(QtkFormat.MAX_GROUPS)
                : 1 + r.nextInt(64);
        int k = r.nextInt(4) == 0 ? 2 + r.nextInt(QtkFormat.MAX_CODEBOOK_SIZE - 1) : pick(r, 2, 256, 1024, 65536);
        int d = 1 + r.nextInt(r.nextBoolean() ? 16 : QtkFormat.MAX_CODEWORD_DIM);
        QuantiserLayout q = grid ? new GridLayout(cell, groups, k, d) : new GlobalLayout(cell, groups, k, d);
        int coded = 1 + r.nextInt(Math.min(groups, small ? 6 : 200));
        List<Integer> layout = new ArrayList<>();
        int left = coded;
        while (left > 0) {
            int n = r.nextInt(3) == 0 ? left : 1 + r.nextInt(left);
            layout.add(n);
            left -= n;
        }
        QtkHeader header = QtkHeader.builder().size(w, h).channels(ch).sourceBitDepth(r.nextBoolean() ? 8 : 16)
                .orientation(1 + r.nextInt(8)).model(small ? smallModel(r) : model(r)).quantiser(q)
                .streamLayout(layout).build();
        QtkFile.Builder fb = QtkFile.builder(header);
        int maxPayload = small ? 12 : 200;
        for (int n : layout) {
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                payloads.add(bytes(r, r.nextInt(maxPayload + 1)));
            }
            fb.addStream(r.nextInt(QtkFormat.MAX_CODER_ID + 1), payloads);
        }
        ImageMetadata.Builder mb = ImageMetadata.builder();
        int metaOdds = small ? 4 : 2;
        if (r.nextInt(metaOdds) == 0) {
            mb.icc(bytes(r, 1 + r.nextInt(small ? 16 : 2000)));
        }
        if (r.nextInt(metaOdds) == 0) {
            mb.exif(exif(r, small ? 4 : 500));
        }
        if (r.nextInt(metaOdds) == 0) {
            mb.xmp(text(r, small ? 8 : 500));
        }
        if (r.nextInt(metaOdds) == 0) {
            mb.comment(text(r, small ? 8 : 200));
        }
        fb.metadata(mb.build());
        if (ch.hasAlpha()) {
            fb.alpha(AlphaPlane.of(w, h, alphaSamples(r, w, h)));
        }
        return fb.build();
    }

    static ModelId smallModel(Random r) {
        return ModelId.of("m" + chars(r, NAME_CHARS, r.nextInt(3)), chars(r, VERSION_CHARS, 1 + r.nextInt(2)),
                bytes(r, 32));
    }

    static byte[] exif(Random r, int extra) {
        byte[] head = r.nextBoolean() ? new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0} : new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8};
        byte[] b = new byte[8 + r.nextInt(extra + 1)];
        r.nextBytes(b);
        System.arraycopy(head, 0, b, 0, 8);
        return b;
    }

    static byte[] alphaSamples(Random r, int w, int h) {
        byte[] a = new byte[w * h];
        switch (r.nextInt(3)) {
            case 0:
                java.util.Arrays.fill(a, (byte) 255);
                break;
            case 1:
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        a[y * w + x] = (byte) (x * 7 + y * 3);
                    }
                }
                break;
            default:
                r.nextBytes(a);
        }
        return a;
    }

    // ---- raw building blocks, for hand-made (often invalid) files ----------------------------------------------

    static byte[] chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[12 + data.length];
        putU32(out, 0, data.length);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32C crc = new CRC32C();
        crc.update(t);
        crc.update(data);
        putU32(out, 8 + data.length, crc.getValue());
        return out;
    }

    static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] preamble(int major, int minor) {
        byte[] s = QtkFormat.signature();
        return concat(s, new byte[] {(byte) major, (byte) minor});
    }

    /** A file's chunks, split from valid bytes, as raw chunk byte arrays (signature and version excluded). */
    static List<byte[]> splitChunks(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        int p = QtkFormat.FIRST_CHUNK_OFFSET;
        while (p < file.length) {
            int len = ((file[p] & 0xFF) << 24) | ((file[p + 1] & 0xFF) << 16) | ((file[p + 2] & 0xFF) << 8)
                    | (file[p + 3] & 0xFF);
            out.add(java.util.Arrays.copyOfRange(file, p, p + 12 + len));
            p += 12 + len;
        }
        return out;
    }

    static String type(byte[] rawChunk) {
        return new String(rawChunk, 4, 4, StandardCharsets.ISO_8859_1);
    }

    static byte[] data(byte[] rawChunk) {
        return java.util.Arrays.copyOfRange(rawChunk, 8, rawChunk.length - 4);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
