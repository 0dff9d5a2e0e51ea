package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;
import java.util.Arrays;

/**
 * Exact products of long non-negative integers stored as packed bits (bit i of the array is the
 * coefficient of 2^i): (a·x + b) mod 2^W through {@link ModularNtt}. The factors are cut into
 * 16-bit digits, one per transform element; a coefficient of the digit convolution is a sum of at
 * most min(digits) products below 2³², so it stays below p ≈ 2⁶⁰ while the shorter factor has
 * fewer than 2²⁸ digits (2³² bits): the convolution modulo p is the exact integer convolution,
 * and carrying it out in base 2¹⁶ gives the product bit for bit.
 */
final class IntegerProduct {
    private static final int DIGIT_BITS = 16;
    private static final int DIGITS_PER_WORD = 64 / DIGIT_BITS;
    private static final long DIGIT_MASK = (1L << DIGIT_BITS) - 1;
    /** Above this many digits in the shorter factor a coefficient could reach p. */
    static final long MAX_SHORTER_DIGITS = 1L << 28;

    private IntegerProduct() {}

    /**
     * @param a the multiplier, {@code aBits} long (bits past the length are ignored)
     * @param x the multiplicand, {@code xBits} long
     * @param b the addend, {@code resultBits} long
     * @return (a·x + b) mod 2^resultBits, packed
     */
    static long[] multiplyAddLow(long[] a, int aBits, long[] x, int xBits, long[] b, int resultBits) {
        return dotProductAddLow(new long[][] {a}, aBits, x, xBits, xBits, b, resultBits);
    }

    /**
     * (Σ_i a_i·x_i + b) mod 2^resultBits, where x_i is bits [64·i·pieceWords, …) of {@code x}, each
     * {@code pieceBits} long (the last one may end early at {@code xBits}), pieceBits a multiple of
     * 64 unless there is one piece. One transform per factor and a single inverse transform.
     */
    static long[] dotProductAddLow(
            long[][] a, int aBits, long[] x, int xBits, int pieceBits, long[] b, int resultBits) {
        int pieces = a.length;
        if (aBits < 1 || xBits < 1 || pieceBits < 1 || resultBits < 1 || pieces < 1) {
            throw new IllegalArgumentException("lengths must be positive");
        }
        if (pieces > 1 && (pieceBits & 63) != 0) {
            throw new IllegalArgumentException("pieces must be whole words");
        }
        if ((long) pieces * pieceBits < xBits) {
            throw new IllegalArgumentException("pieces do not cover the multiplicand");
        }
        // Only the digits below 2^resultBits of either factor reach the result.
        int aUsed = Math.min(aBits, resultBits);
        int xUsed = Math.min(pieceBits, resultBits);
        int aDigits = digits(aUsed);
        int xDigits = digits(xUsed);
        if ((long) pieces * Math.min(aDigits, xDigits) >= MAX_SHORTER_DIGITS) {
            throw new IllegalArgumentException("factors too long for an exact 60-bit transform");
        }
        ModularNtt ntt = ModularNtt.of(transformLog(aDigits, xDigits));
        long[] sum = new long[ntt.size()];
        long[] left = pieces == 1 ? sum : new long[ntt.size()];
        long[] right = new long[ntt.size()];
        try {
            for (int i = 0; i < pieces; i++) {
                int from = i * (pieceBits >>> 6);
                int bits = Math.min(xUsed, xBits - i * pieceBits);
                if (i > 0) { // fresh arrays are already zero
                    Arrays.fill(left, 0);
                    Arrays.fill(right, 0);
                }
                spread(a[i], 0, aUsed, left);
                spread(x, from, bits, right);
                ntt.forward(left);
                ntt.forward(right);
                if (i == 0) {
                    ntt.multiplyScaled(left, right, sum);
                } else {
                    ntt.multiplyScaledAdd(left, right, sum);
                }
            }
            ntt.inverse(sum);
            return carry(sum, b, resultBits);
        } finally {
            Arrays.fill(sum, 0);
            Arrays.fill(left, 0);
            Arrays.fill(right, 0);
        }
    }

    /** log₂ of the transform that holds the full product of two factors with these digit counts. */
    static int transformLog(int aDigits, int xDigits) {
        long length = (long) aDigits + xDigits - 1;
        return Math.max(1, 64 - Long.numberOfLeadingZeros(length - 1));
    }

    private static int digits(int bits) {
        return (bits + DIGIT_BITS - 1) / DIGIT_BITS;
    }

    /** Writes {@code bits} bits of {@code packed} from word {@code from} on as 16-bit digits into {@code out}. */
    private static void spread(long[] packed, int from, int bits, long[] out) {
        if (bits <= 0) {
            return;
        }
        int fullWords = bits >>> 6;
        int d = 0;
        for (int w = 0; w < fullWords; w++) {
            long word = packed[from + w];
            out[d] = word & DIGIT_MASK;
            out[d + 1] = (word >>> 16) & DIGIT_MASK;
            out[d + 2] = (word >>> 32) & DIGIT_MASK;
            out[d + 3] = word >>> 48;
            d += DIGITS_PER_WORD;
        }
        int rest = bits & 63;
        if (rest != 0) {
            long word = packed[from + fullWords] & (-1L >>> (64 - rest));
            for (int k = 0; k < DIGITS_PER_WORD && d < out.length; k++) {
                out[d++] = (word >>> (DIGIT_BITS * k)) & DIGIT_MASK;
            }
        }
    }

    /**
     * Carries the convolution (coefficients in [0, 2p), exact below p after reduction) plus the
     * addend b out in base 2¹⁶ and keeps the low {@code resultBits} bits.
     */
    private static long[] carry(long[] coefficients, long[] b, int resultBits) {
        int words = PackedBits.words(resultBits);
        long[] out = new long[words];
        long carry = 0;
        int d = 0;
        for (int w = 0; w < words; w++) {
            long addend = b[w];
            long word = 0;
            for (int k = 0; k < DIGITS_PER_WORD; k++, d++) {
                long coefficient = d < coefficients.length ? ModularNtt.reduce(coefficients[d]) : 0;
                long sum = coefficient + ((addend >>> (DIGIT_BITS * k)) & DIGIT_MASK) + carry;
                word |= (sum & DIGIT_MASK) << (DIGIT_BITS * k);
                carry = sum >>> DIGIT_BITS;
            }
            out[w] = word;
        }
        PackedBits.clearTail(out, resultBits);
        return out;
    }
}
