package io.qtk.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes ZIP archives byte by byte for tests, including ones a normal writer refuses to make (duplicate names, lying
 * sizes, odd flags), so every failure path of the bundle reader can be reached.
 */
public final class ZipBuilder {
    /** One entry; the public fields may be changed to produce hostile archives. */
    public static final class Entry {
        public String name;
        public byte[] data;
        public boolean deflate;
        public long declaredSize = -1; // override of the uncompressed size in the central directory
        public int method = -1; // override of the method field
        public int flags = 0;

        Entry(String name, byte[] data, boolean deflate) {
            this.name = name;
            this.data = data;
            this.deflate = deflate;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds a deflated entry. */
    public ZipBuilder add(String name, byte[] data) {
        return add(name, data, true);
    }

    /** Adds an entry, deflated or stored. */
    public ZipBuilder add(String name, byte[] data, boolean deflate) {
        entries.add(new Entry(name, data, deflate));
        return this;
    }

    /** The last entry added, to tweak. */
    public Entry last() {
        return entries.get(entries.size() - 1);
    }

    /** The archive bytes. */
    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            byte[] body = e.deflate ? deflate(e.data) : e.data;
            CRC32 crc = new CRC32();
            crc.update(e.data);
            int method = e.method >= 0 ? e.method : e.deflate ? 8 : 0;
            long usize = e.declaredSize >= 0 ? e.declaredSize : e.data.length;
            int offset = out.size();
            le32(out, 0x04034b50);
            le16(out, 20);
            le16(out, e.flags | 0x800);
            le16(out, method);
            le16(out, 0);
            le16(out, 0x21);
            le32(out, (int) crc.getValue());
            le32(out, body.length);
            le32(out, (int) usize);
            le16(out, name.length);
            le16(out, 0);
            out.writeBytes(name);
            out.writeBytes(body);

            le32(cd, 0x02014b50);
            le16(cd, 20);
            le16(cd, 20);
            le16(cd, e.flags | 0x800);
            le16(cd, method);
            le16(cd, 0);
            le16(cd, 0x21);
            le32(cd, (int) crc.getValue());
            le32(cd, body.length);
            le32(cd, (int) usize);
            le16(cd, name.length);
            le16(cd, 0);
            le16(cd, 0);
            le16(cd, 0);
            le16(cd, 0);
            le32(cd, 0);
            le32(cd, offset);
            cd.writeBytes(name);
        }
        int cdOffset = out.size();
        byte[] cdBytes = cd.toByteArray();
        out.writeBytes(cdBytes);
        le32(out, 0x06054b50);
        le16(out, 0);
        le16(out, 0);
        le16(out, entries.size());
        le16(out, entries.size());
        le32(out, cdBytes.length);
        le32(out, cdOffset);
        le16(out, 0);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static void le16(ByteArrayOutputStream o, int v) {
        o.write(v & 0xFF);
        o.write((v >>> 8) & 0xFF);
    }

    private static void le32(ByteArrayOutputStream o, int v) {
        le16(o, v & 0xFFFF);
        le16(o, v >>> 16);
    }
}
