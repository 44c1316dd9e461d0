package io.qtk.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A deliberately small, strict ZIP reader for model bundles. It trusts nothing: the end-of-central-directory record
 * is located and checked first, at most {@link ModelBundle#MAX_ENTRIES} central-directory records are parsed (so a
 * hostile archive cannot make it allocate per-entry objects without bound), every entry's declared size is checked
 * against {@link ModelBundle#MAX_ENTRY_SIZE} before anything is inflated, and reading an entry verifies its size and
 * CRC-32. Only what bundles need: stored or deflated entries, no encryption, no ZIP64, a single disk. Hand-written
 * rather than a ZIP library's reader because those parse the whole central directory, and trust its sizes, before
 * a caller could apply these bounds.
 */
final class ZipReader {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int CFH_SIG = 0x02014b50;
    private static final int LFH_SIG = 0x04034b50;
    private static final int EOCD_LEN = 22;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    /** Random access to the archive bytes: a byte array or a file channel. */
    interface Source {
        long size() throws IOException;

        void read(long pos, byte[] dst, int off, int len) throws IOException;

        static Source of(byte[] bytes) {
            return new Source() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public void read(long pos, byte[] dst, int off, int len) throws IOException {
                    if (pos < 0 || pos + len > bytes.length) {
                        throw new IOException("read past the end");
                    }
                    System.arraycopy(bytes, (int) pos, dst, off, len);
                }
            };
        }

        static Source of(FileChannel ch) {
            return new Source() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void read(long pos, byte[] dst, int off, int len) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(dst, off, len);
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position() - off) < 0) {
                            throw new IOException("unexpected end of file");
                        }
                    }
                }
            };
        }
    }

    /** One central-directory record. */
    static final class Entry {
        final String name;
        final int method;
        final long crc;
        final long compressedSize;
        final long size;
        final long localHeaderOffset;

        Entry(String name, int method, long crc, long compressedSize, long size, long localHeaderOffset) {
            this.name = name;
            this.method = method;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localHeaderOffset = localHeaderOffset;
        }

        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    private final Source src;
    private final String where;
    private final long cdOffset;
    private final Map<String, Entry> entries;

    private ZipReader(Source src, String where, long cdOffset, Map<String, Entry> entries) {
        this.src = src;
        this.where = where;
        this.cdOffset = cdOffset;
        this.entries = entries;
    }

    /** Parses and validates the central directory. {@code where} names the bundle in error messages. */
    static ZipReader open(Source src, String where) throws IOException {
        long size = src.size();
        if (size < EOCD_LEN) {
            throw bad(where, "not a ZIP archive (" + size + " bytes)");
        }
        // The EOCD record is the last 22 bytes plus a comment of at most 65535 bytes: scan backwards.
        int tailLen = (int) Math.min(size, EOCD_LEN + 0xFFFF);
        byte[] tail = new byte[tailLen];
        src.read(size - tailLen, tail, 0, tailLen);
        int eocd = -1;
        for (int i = tailLen - EOCD_LEN; i >= 0; i--) {
            if (u32(tail, i) == EOCD_SIG && i + EOCD_LEN + u16(tail, i + 20) == tailLen) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw bad(where, "not a ZIP archive (no end-of-central-directory record)");
        }
        int disk = u16(tail, eocd + 4);
        int cdDisk = u16(tail, eocd + 6);
        int entriesHere = u16(tail, eocd + 8);
        int total = u16(tail, eocd + 10);
        long cdSize = u32(tail, eocd + 12);
        long cdOff = u32(tail, eocd + 16);
        if (total == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOff == 0xFFFFFFFFL) {
            throw bad(where, "ZIP64 archives are not supported");
        }
        if (disk != 0 || cdDisk != 0 || entriesHere != total) {
            throw bad(where, "multi-disk ZIP archives are not supported");
        }
        if (total > ModelBundle.MAX_ENTRIES) {
            throw bad(where, total + " entries, at most " + ModelBundle.MAX_ENTRIES + " allowed");
        }
        long eocdPos = size - tailLen + eocd;
        if (cdOff + cdSize > eocdPos) {
            throw bad(where, "corrupt ZIP: central directory outside the archive");
        }
        byte[] cd = new byte[(int) cdSize]; // <= 4 GiB by format, and within the file: checked above
        src.read(cdOff, cd, 0, cd.length);
        Map<String, Entry> map = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int p = 0;
        for (int i = 0; i < total; i++) {
            if (p + 46 > cd.length || u32(cd, p) != CFH_SIG) {
                throw bad(where, "corrupt ZIP: central directory record " + i + " is damaged");
            }
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            long crc = u32(cd, p + 16);
            long csize = u32(cd, p + 20);
            long usize = u32(cd, p + 24);
            int nameLen = u16(cd, p + 28);
            int extraLen = u16(cd, p + 30);
            int commentLen = u16(cd, p + 32);
            long lho = u32(cd, p + 42);
            if (p + 46 + nameLen > cd.length) {
                throw bad(where, "corrupt ZIP: central directory record " + i + " is truncated");
            }
            String name = new String(cd, p + 46, nameLen,
                    (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            p += 46 + nameLen + extraLen + commentLen;
            checkName(where, name);
            if (!seen.add(name)) {
                throw bad(where, "duplicate entry name '" + name + "'");
            }
            if ((flags & 0x1) != 0 || (flags & 0x40) != 0) {
                throw bad(where, "entry '" + name + "' is encrypted");
            }
            if (method != STORED && method != DEFLATED) {
                throw bad(where, "entry '" + name + "' uses compression method " + method
                        + " (only stored and deflated are allowed)");
            }
            if (usize == 0xFFFFFFFFL || csize == 0xFFFFFFFFL || lho == 0xFFFFFFFFL) {
                throw bad(where, "entry '" + name + "' needs ZIP64, which is not supported");
            }
            if (usize > ModelBundle.MAX_ENTRY_SIZE) {
                throw bad(where, "entry '" + name + "' declares " + usize + " bytes uncompressed, more than the "
                        + ModelBundle.MAX_ENTRY_SIZE + " allowed");
            }
            if (method == STORED && csize != usize) {
                throw bad(where, "entry '" + name + "' is stored but its sizes differ");
            }
            if (lho + 30 + csize > cdOff) {
                throw bad(where, "corrupt ZIP: entry '" + name + "' data lies outside the archive");
            }
            map.put(name, new Entry(name, method, crc, csize, usize, lho));
        }
        return new ZipReader(src, where, cdOff, Collections.unmodifiableMap(map));
    }

    private static void checkName(String where, String name) throws InvalidModelException {
        if (name.isEmpty()) {
            throw bad(where, "entry with an empty name");
        }
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw bad(where, "unsafe entry name '" + name + "' (absolute, backslash or NUL)");
        }
        for (String seg : name.split("/", -1)) {
            if (seg.equals("..")) {
                throw bad(where, "unsafe entry name '" + name + "' (contains ..)");
            }
        }
    }

    /** Entry names in central-directory order. */
    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /** Reads and inflates an entry, checking its size and CRC-32. */
    byte[] read(Entry e) throws IOException {
        byte[] lfh = new byte[30];
        src.read(e.localHeaderOffset, lfh, 0, 30);
        if (u32(lfh, 0) != LFH_SIG) {
            throw bad(where, "corrupt ZIP: no local header for entry '" + e.name + "'");
        }
        long dataStart = e.localHeaderOffset + 30 + u16(lfh, 26) + u16(lfh, 28);
        if (dataStart + e.compressedSize > cdOffset) {
            throw bad(where, "corrupt ZIP: entry '" + e.name + "' data lies outside the archive");
        }
        byte[] comp = new byte[(int) e.compressedSize];
        src.read(dataStart, comp, 0, comp.length);
        byte[] out;
        if (e.method == STORED) {
            out = comp;
        } else {
            out = new byte[(int) e.size];
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(comp);
                int n = 0;
                while (n < out.length && !inf.finished()) {
                    int r = inf.inflate(out, n, out.length - n);
                    if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        break;
                    }
                    n += r;
                }
                if (n != out.length) {
                    throw bad(where, "entry '" + e.name + "' inflates to " + n + " bytes, declared " + e.size);
                }
                if (!inf.finished() && inf.inflate(new byte[1]) > 0) {
                    throw bad(where, "entry '" + e.name + "' inflates to more than the declared " + e.size
                            + " bytes");
                }
            } catch (DataFormatException ex) {
                throw new InvalidModelException(where + ": entry '" + e.name + "' is corrupt: " + ex.getMessage(),
                        ex);
            } finally {
                inf.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc) {
            throw bad(where, "entry '" + e.name + "' fails its CRC-32 check (corrupt archive)");
        }
        return out;
    }

    private static InvalidModelException bad(String where, String what) {
        return new InvalidModelException(where + ": " + what);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16);
    }
}
