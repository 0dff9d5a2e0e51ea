package io.hotaru.keys.distill.protocol.codec;

import java.util.Arrays;

/** Appends fields to a growing byte array: big-endian fixed-width integers and LEB128 varints. */
final class FrameWriter {
    private byte[] buf;
    private int size;
    private final int limit;

    FrameWriter(int initialCapacity, int limit) {
        this.buf = new byte[Math.max(16, Math.min(initialCapacity, limit))];
        this.limit = limit;
    }

    int size() {
        return size;
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > limit) {
            throw new CodecException(CodecException.Code.TOO_LARGE, "frame over " + limit + " bytes");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(needed, 2L * buf.length)));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void i32(int v) {
        ensure(4);
        buf[size] = (byte) (v >>> 24);
        buf[size + 1] = (byte) (v >>> 16);
        buf[size + 2] = (byte) (v >>> 8);
        buf[size + 3] = (byte) v;
        size += 4;
    }

    void i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size + i] = (byte) (v >>> (56 - 8 * i));
        }
        size += 8;
    }

    void varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void varInt(int v) {
        varLong(v & 0xFFFF_FFFFL);
    }

    void zigZagLong(long v) {
        varLong((v << 1) ^ (v >> 63));
    }

    void zigZagInt(int v) {
        varInt((v << 1) ^ (v >> 31));
    }

    void bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /** Overwrites a 32-bit big-endian value at {@code position}. */
    void patchI32(int position, int v) {
        buf[position] = (byte) (v >>> 24);
        buf[position + 1] = (byte) (v >>> 16);
        buf[position + 2] = (byte) (v >>> 8);
        buf[position + 3] = (byte) v;
    }

    byte[] toArray() {
        return buf.length == size ? buf : Arrays.copyOf(buf, size);
    }
}
