package io.hotaru.keys.distill.bits;

import java.util.Arrays;

/**
 * Operations on bit strings packed into {@code long[]} words, least significant bit first: bit
 * {@code i} is bit {@code i & 63} of word {@code i >>> 6}. Bits past the logical length are kept
 * zero by every method here that produces a packed string.
 */
public final class PackedBits {
    private PackedBits() {}

    /** Number of 64-bit words needed for {@code bits} bits. */
    public static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    public static int get(long[] words, int index) {
        return (int) (words[index >>> 6] >>> (index & 63)) & 1;
    }

    public static void set(long[] words, int index) {
        words[index >>> 6] |= 1L << (index & 63);
    }

    public static void flip(long[] words, int index) {
        words[index >>> 6] ^= 1L << (index & 63);
    }

    /** Parity of bits {@code [from, to)}. */
    public static int rangeParity(long[] words, int from, int to) {
        if (from >= to) {
            return 0;
        }
        int first = from >>> 6;
        int last = (to - 1) >>> 6;
        long firstMask = -1L << (from & 63);
        long lastMask = -1L >>> (63 - ((to - 1) & 63));
        if (first == last) {
            return Long.bitCount(words[first] & firstMask & lastMask) & 1;
        }
        long acc = words[first] & firstMask;
        for (int w = first + 1; w < last; w++) {
            acc ^= words[w];
        }
        acc ^= words[last] & lastMask;
        return Long.bitCount(acc) & 1;
    }

    /** Number of positions in {@code [0, length)} where {@code a} and {@code b} differ. */
    public static int hammingDistance(long[] a, long[] b, int length) {
        int full = length >>> 6;
        int count = 0;
        for (int w = 0; w < full; w++) {
            count += Long.bitCount(a[w] ^ b[w]);
        }
        int rest = length & 63;
        if (rest != 0) {
            count += Long.bitCount((a[full] ^ b[full]) & ((1L << rest) - 1));
        }
        return count;
    }

    /**
     * Packs the bits {@code bits[indices[i]]} (each 0 or 1) into a new packed string. Branch-free:
     * key bits are random, so a branch per bit would be mispredicted half the time.
     */
    public static long[] gather(byte[] bits, int[] indices) {
        long[] out = new long[words(indices.length)];
        for (int i = 0; i < indices.length; i++) {
            out[i >>> 6] |= (long) (bits[indices[i]] & 1) << (i & 63);
        }
        return out;
    }

    /** Packs the bits {@code bits[indices[i]]} for {@code i < count}, branch-free. */
    public static long[] gather(byte[] bits, int[] indices, int count) {
        if (count < 0 || count > indices.length) {
            throw new IllegalArgumentException("count out of range");
        }
        long[] out = new long[words(count)];
        for (int i = 0; i < count; i++) {
            out[i >>> 6] |= (long) (bits[indices[i]] & 1) << (i & 63);
        }
        return out;
    }

    /** Packs one bit per byte (0 or 1) into a packed string, branch-free. */
    public static long[] pack(byte[] bits) {
        long[] out = new long[words(bits.length)];
        for (int i = 0; i < bits.length; i++) {
            out[i >>> 6] |= (long) (bits[i] & 1) << (i & 63);
        }
        return out;
    }

    /** Copies the first {@code length} bits into a new array with the tail of the last word cleared. */
    public static long[] copyOf(long[] words, int length) {
        long[] out = Arrays.copyOf(words, words(length));
        clearTail(out, length);
        return out;
    }

    /** Clears the bits at and after {@code length} in the last word. */
    public static void clearTail(long[] words, int length) {
        int rest = length & 63;
        if (rest != 0 && words.length > 0) {
            words[(length >>> 6)] &= (1L << rest) - 1;
        }
    }

    /**
     * Writes the first {@code lengthBits} bits (a multiple of 8) as bytes, bit {@code 8j + b} going
     * to bit {@code b} of byte {@code j}.
     */
    public static byte[] toBytes(long[] words, int lengthBits) {
        if ((lengthBits & 7) != 0) {
            throw new IllegalArgumentException("length must be a multiple of 8 bits: " + lengthBits);
        }
        byte[] out = new byte[lengthBits >>> 3];
        for (int j = 0; j < out.length; j++) {
            out[j] = (byte) (words[j >>> 3] >>> ((j & 7) << 3));
        }
        return out;
    }

    /** Marks each packed string as no longer needed by overwriting it with zeros. */
    public static void zero(long[]... arrays) {
        for (long[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, 0L);
            }
        }
    }
}
