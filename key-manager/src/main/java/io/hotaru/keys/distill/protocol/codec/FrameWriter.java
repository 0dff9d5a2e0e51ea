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

    /**
     * The zig-zag varints of {@code values[i] - values[i - 1]}, starting from {@code first}: the same
     * bytes as a {@link #zigZagLong} per element. A varint of one or two bytes, the common case for
     * slot gaps, is written without a data-dependent branch: both bytes are stored and the position
     * advances by one or two (the spare byte lies past the end and is overwritten or dropped).
     */
    void zigZagDeltas(long first, long[] values) {
        byte[] b = buf;
        int at = size;
        long previous = first;
        for (long v : values) {
            if (at > b.length - 10) {
                size = at;
                ensure(10);
                b = buf;
            }
            long z = zigZag(v - previous);
            previous = v;
            if (z >>> 14 == 0) {
                int more = (int) ((0x7FL - z) >>> 63);
                b[at] = (byte) (z | (more << 7));
                b[at + 1] = (byte) (z >>> 7);
                at += 1 + more;
            } else {
                while ((z & ~0x7FL) != 0) {
                    b[at++] = (byte) ((z & 0x7F) | 0x80);
                    z >>>= 7;
                }
                b[at++] = (byte) z;
            }
        }
        size = at;
    }

    /**
     * The first {@code n} values packed {@code 8 / width} to a byte, lowest bits first, the last
     * byte's unused high bits zero; {@code width} is 1, 2 or 4 and every value fits in it.
     */
    void packed(byte[] values, int n, int width) {
        int perByte = 8 / width;
        int count = (n + perByte - 1) / perByte;
        ensure(count);
        byte[] b = buf;
        int at = size;
        int whole = n / perByte;
        for (int k = 0, i = 0; k < whole; k++) {
            int packed = 0;
            for (int j = 0; j < perByte; j++, i++) {
                packed |= (values[i] & 0xFF) << (j * width);
            }
            b[at++] = (byte) packed;
        }
        if (whole < count) {
            int packed = 0;
            for (int i = whole * perByte, j = 0; i < n; i++, j++) {
                packed |= (values[i] & 0xFF) << (j * width);
            }
            b[at++] = (byte) packed;
        }
        size = at;
    }

    static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
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
