package io.qtk.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One token stream (one {@code QTOK} chunk): a run of consecutive groups, coded by one entropy coder, with one
 * opaque payload per group. The container does not interpret payloads; {@code io.qtk.entropy} does. Immutable.
 */
public final class TokenStream {
    /** Bytes of a QTOK chunk's data before the first payload: first group, group count, coder id. */
    static final int FIXED_BYTES = 5;

    private final int firstGroup;
    private final int coderId;
    private final byte[] buf;
    private final int[] offsets;
    private final int[] lengths;

    private TokenStream(int firstGroup, int coderId, byte[] buf, int[] offsets, int[] lengths) {
        this.firstGroup = firstGroup;
        this.coderId = coderId;
        this.buf = buf;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /**
     * Creates a stream; the payloads are copied.
     *
     * @param firstGroup the first group it holds, 0..65534
     * @param coderId    entropy coder id, 0..{@value QtkFormat#MAX_CODER_ID}
     * @param payloads   one payload per group (each may be empty), at least one; their QTOK chunk (5 bytes, plus
     *                   4 bytes and the payload per group) must not exceed {@link QtkFormat#MAX_CHUNK_LENGTH}
     * @return the stream
     * @throws IllegalArgumentException if a value is out of range
     */
    public static TokenStream of(int firstGroup, int coderId, List<byte[]> payloads) {
        String p = QtkHeader.range("first group", firstGroup, 0, QtkFormat.MAX_GROUPS - 1);
        if (p == null) {
            p = QtkHeader.range("coder id", coderId, 0, QtkFormat.MAX_CODER_ID);
        }
        if (p == null) {
            p = QtkHeader.range("group count", payloads.size(), 1, QtkFormat.MAX_GROUPS - firstGroup);
        }
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        long total = FIXED_BYTES;
        for (byte[] b : payloads) {
            total += 4L + b.length;
        }
        if (total > QtkFormat.MAX_CHUNK_LENGTH) {
            throw new IllegalArgumentException("token stream of " + total + " bytes exceeds the chunk limit "
                    + QtkFormat.MAX_CHUNK_LENGTH + "; split it into more streams");
        }
        byte[] buf = new byte[(int) (total - FIXED_BYTES - 4L * payloads.size())];
        int[] offsets = new int[payloads.size()];
        int[] lengths = new int[payloads.size()];
        int at = 0;
        for (int i = 0; i < offsets.length; i++) {
            byte[] b = payloads.get(i);
            System.arraycopy(b, 0, buf, at, b.length);
            offsets[i] = at;
            lengths[i] = b.length;
            at += b.length;
        }
        return new TokenStream(firstGroup, coderId, buf, offsets, lengths);
    }

    /** Wraps slices of an array the caller will not change (the reader's chunk data). */
    static TokenStream trusted(int firstGroup, int coderId, byte[] buf, int[] offsets, int[] lengths) {
        return new TokenStream(firstGroup, coderId, buf, offsets, lengths);
    }

    /**
     * Returns the first group this stream holds.
     *
     * @return the group index
     */
    public int firstGroup() {
        return firstGroup;
    }

    /**
     * Returns the number of groups (payloads).
     *
     * @return 1 or more
     */
    public int groupCount() {
        return lengths.length;
    }

    /**
     * Returns the group after the last one held: {@code firstGroup() + groupCount()}.
     *
     * @return the end group (exclusive)
     */
    public int endGroup() {
        return firstGroup + lengths.length;
    }

    /**
     * Returns the entropy coder id.
     *
     * @return 0..15
     */
    public int coderId() {
        return coderId;
    }

    /**
     * Returns the payload of the i-th group of this stream (group {@code firstGroup() + i}).
     *
     * @param i 0..groupCount()-1
     * @return a copy of the payload
     */
    public byte[] payload(int i) {
        return Arrays.copyOfRange(buf, offsets[i], offsets[i] + lengths[i]);
    }

    /**
     * Returns the payload of the i-th group as a read-only buffer, without copying.
     *
     * @param i 0..groupCount()-1
     * @return a read-only buffer positioned at the payload's start, limited at its end
     */
    public ByteBuffer payloadBuffer(int i) {
        return ByteBuffer.wrap(buf, offsets[i], lengths[i]).slice().asReadOnlyBuffer();
    }

    /**
     * Returns the length of the i-th group's payload.
     *
     * @param i 0..groupCount()-1
     * @return bytes
     */
    public int payloadLength(int i) {
        return lengths[i];
    }

    /**
     * Returns copies of all payloads.
     *
     * @return an unmodifiable list of new arrays
     */
    public List<byte[]> payloads() {
        List<byte[]> l = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            l.add(payload(i));
        }
        return Collections.unmodifiableList(l);
    }

    /**
     * Returns the data length of this stream's {@code QTOK} chunk.
     *
     * @return 5 + sum of (4 + payload length)
     */
    public int chunkDataLength() {
        long n = FIXED_BYTES;
        for (int len : lengths) {
            n += 4L + len;
        }
        return (int) n;
    }

    byte[] buf() {
        return buf;
    }

    int offset(int i) {
        return offsets[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TokenStream)) {
            return false;
        }
        TokenStream t = (TokenStream) o;
        if (firstGroup != t.firstGroup || coderId != t.coderId || !Arrays.equals(lengths, t.lengths)) {
            return false;
        }
        for (int i = 0; i < lengths.length; i++) {
            if (!Arrays.equals(buf, offsets[i], offsets[i] + lengths[i], t.buf, t.offsets[i],
                    t.offsets[i] + lengths[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = firstGroup * 31 + coderId;
        for (int i = 0; i < lengths.length; i++) {
            for (int k = offsets[i], e = offsets[i] + lengths[i]; k < e; k++) {
                h = h * 31 + buf[k];
            }
            h = h * 31 + lengths[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "TokenStream[groups " + firstGroup + ".." + (endGroup() - 1) + ", coder " + coderId + ", payloads "
                + Arrays.toString(lengths) + " bytes]";
    }
}
