package io.hotaru.keys.distill.protocol.codec;

import io.hotaru.keys.distill.protocol.codec.CodecException.Code;

/**
 * Reads fields from a frame, checking every length against the bytes left and every allocation
 * against the decoding budget before it happens.
 */
final class FrameReader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private long budget;
    private final int maxElements;

    FrameReader(byte[] buf, int offset, int end, CodecLimits limits) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
        this.budget = limits.maxDecodedBytes();
        this.maxElements = limits.maxElements();
    }

    int remaining() {
        return end - pos;
    }

    private void need(long n) {
        if (n > end - pos) {
            throw new CodecException(Code.TRUNCATED, "field needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** An unsigned LEB128 value of at most {@code bits} bits, in its shortest form. */
    private long varBits(int bits) {
        long v = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; i < maxBytes; i++) {
            need(1);
            int b = buf[pos++] & 0xFF;
            int shift = 7 * i;
            if (i == maxBytes - 1 && (b >>> (bits - shift)) != 0) {
                throw new CodecException(Code.NON_CANONICAL, "varint over " + bits + " bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new CodecException(Code.NON_CANONICAL, "overlong varint");
                }
                return v;
            }
        }
        throw new CodecException(Code.NON_CANONICAL, "varint over " + bits + " bits");
    }

    long varLong() {
        return varBits(64);
    }

    int varInt() {
        return (int) varBits(32);
    }

    long zigZagLong() {
        long v = varLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * Reads {@code n} zig-zag varint deltas into {@code out}, each added to the previous value
     * (starting from {@code first}): the same values, and the same errors, as {@code n} calls of
     * {@link #zigZagLong()}. A one- or two-byte varint, the usual slot gap, is read without a
     * data-dependent branch; longer, overlong ones and the last two bytes of the frame take the
     * general path.
     */
    void zigZagDeltas(long first, long[] out, int n) {
        byte[] b = buf;
        int p = pos;
        int limit = end - 2;
        long previous = first;
        for (int i = 0; i < n; i++) {
            if (p <= limit) {
                int b0 = b[p] & 0xFF;
                int b1 = b[p + 1] & 0xFF;
                int more = b0 >>> 7;
                // a second byte that continues, or a zero one (overlong), is not a two-byte varint
                int general = more & ((b1 >>> 7) | ((b1 - 1) >>> 31));
                if (general == 0) {
                    long z = (b0 & 0x7F) | ((long) (b1 * more) << 7);
                    p += 1 + more;
                    previous += (z >>> 1) ^ -(z & 1);
                    out[i] = previous;
                    continue;
                }
            }
            pos = p;
            previous += zigZagLong();
            out[i] = previous;
            p = pos;
        }
        pos = p;
    }

    int zigZagInt() {
        int v = varInt();
        return (v >>> 1) ^ -(v & 1);
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw new CodecException(Code.OUT_OF_RANGE, "boolean byte " + b);
        }
        return b == 1;
    }

    /**
     * An element count, checked against the per-field limit, the bytes left (each element takes at
     * least {@code minBitsEach} bits of frame) and the decoding budget ({@code bytesEach} per
     * element); the budget is charged here, before the caller allocates.
     */
    int count(int minBitsEach, int bytesEach) {
        int n = varInt();
        if (n < 0) {
            throw new CodecException(Code.OUT_OF_RANGE, "negative count");
        }
        if (n > maxElements) {
            throw new CodecException(Code.TOO_LARGE, "count " + n + " over " + maxElements);
        }
        need(((long) n * minBitsEach + 7) / 8);
        charge((long) n * bytesEach);
        return n;
    }

    void charge(long bytes) {
        if (bytes > budget) {
            throw new CodecException(Code.TOO_LARGE, "decoded message over its memory budget");
        }
        budget -= bytes;
    }

    /** Copies {@code n} raw bytes (already counted and charged). */
    byte[] raw(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    byte rawByte() {
        need(1);
        return buf[pos++];
    }

    void expectEnd() {
        if (pos != end) {
            throw new CodecException(Code.TRAILING_BYTES, (end - pos) + " bytes after the last field");
        }
    }
}
