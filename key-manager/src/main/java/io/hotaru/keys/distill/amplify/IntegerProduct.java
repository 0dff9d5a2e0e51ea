package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;
import java.util.Arrays;

/**
 * Exact products of long non-negative integers stored as packed bits (bit i of the array is the
 * coefficient of 2^i): (a·x + b) mod 2^W through {@link ModularNtt}. The factors are cut into
 * d-bit digits (d from 16 to 18), one per transform element. A coefficient of the digit
 * convolution of k products is a sum of at most k·min(digits) products below (2^d − 1)², and the
 * callers check ({@link #fitsExactly}) that this bound stays below p ≈ 2⁶⁰: the convolution
 * modulo p is then the exact integer convolution, and carrying it out in base 2^d gives the
 * product bit for bit.
 */
final class IntegerProduct {
    static final int MIN_DIGIT_BITS = 16;
    static final int MAX_DIGIT_BITS = 18;

    private IntegerProduct() {}

    /**
     * Whether a sum of {@code products} digit convolutions with these digit counts has every
     * coefficient below p: products·min(digits)·(2^d − 1)² < p.
     */
    static boolean fitsExactly(int products, int aDigits, int xDigits, int digitBits) {
        long digitMax = (1L << digitBits) - 1;
        long terms = (long) products * Math.min(aDigits, xDigits);
        return terms <= (ModularNtt.P - 1) / (digitMax * digitMax);
    }

    /**
     * @param a the multiplier, {@code aBits} long (bits past the length are ignored)
     * @param x the multiplicand, {@code xBits} long
     * @param b the addend, {@code resultBits} long
     * @return (a·x + b) mod 2^resultBits, packed
     */
    static long[] multiplyAddLow(long[] a, int aBits, long[] x, int xBits, long[] b, int resultBits, int digitBits) {
        return dotProductAddLow(new long[][] {a}, aBits, x, xBits, xBits, b, resultBits, digitBits);
    }

    /**
     * (Σ_i a_i·x_i + b) mod 2^resultBits, where x_i is bits [64·i·pieceWords, …) of {@code x}, each
     * {@code pieceBits} long (the last one may end early at {@code xBits}), pieceBits a multiple of
     * 64 unless there is one piece. One transform per factor and a single inverse transform, on
     * digits of {@code digitBits} bits.
     */
    static long[] dotProductAddLow(
            long[][] a, int aBits, long[] x, int xBits, int pieceBits, long[] b, int resultBits, int digitBits) {
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
        if (digitBits < MIN_DIGIT_BITS || digitBits > MAX_DIGIT_BITS) {
            throw new IllegalArgumentException("digit width " + digitBits + " outside 16..18 bits");
        }
        // Only the digits below 2^resultBits of either factor reach the result.
        int aUsed = Math.min(aBits, resultBits);
        int xUsed = Math.min(pieceBits, resultBits);
        int aDigits = digits(aUsed, digitBits);
        int xDigits = digits(xUsed, digitBits);
        if (!fitsExactly(pieces, aDigits, xDigits, digitBits)) {
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
                spread(a[i], 0, aUsed, digitBits, left);
                spread(x, from, bits, digitBits, right);
                ntt.forward(left);
                ntt.forward(right);
                if (pieces == 1) {
                    ntt.multiplyScaled(left, right, sum);
                } else if (i == 0) {
                    ntt.multiplyUnscaled(left, right, sum);
                } else if (i < pieces - 1) {
                    ntt.multiplyAddUnscaled(left, right, sum);
                } else {
                    ntt.multiplyAddScaled(left, right, sum);
                }
            }
            ntt.inverse(sum);
            return carry(sum, b, resultBits, digitBits);
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

    static int digits(long bits, int digitBits) {
        return (int) ((bits + digitBits - 1) / digitBits);
    }

    /**
     * Writes {@code bits} bits of {@code packed}, from word {@code from} on, as {@code digitBits}-bit
     * digits into {@code out}; bits of {@code packed} past the {@code bits} are not read into it.
     */
    private static void spread(long[] packed, int from, int bits, int digitBits, long[] out) {
        if (bits <= 0) {
            return;
        }
        long mask = (1L << digitBits) - 1;
        int digits = digits(bits, digitBits);
        int lastWord = from + ((bits - 1) >>> 6);
        int position = 0;
        for (int d = 0; d < digits; d++, position += digitBits) {
            int word = from + (position >>> 6);
            int shift = position & 63;
            long value = packed[word] >>> shift;
            if (shift > 64 - digitBits && word < lastWord) {
                value |= packed[word + 1] << (64 - shift);
            }
            out[d] = value & mask;
        }
        int rest = bits - (digits - 1) * digitBits;
        out[digits - 1] &= (1L << rest) - 1;
    }

    /**
     * Carries the convolution (coefficients in [0, 2p), exact below p after reduction) plus the
     * addend b out in base 2^d and keeps the low {@code resultBits} bits.
     */
    private static long[] carry(long[] coefficients, long[] b, int resultBits, int digitBits) {
        int words = PackedBits.words(resultBits);
        long[] out = new long[words];
        long mask = (1L << digitBits) - 1;
        int digits = digits(resultBits, digitBits);
        long carry = 0;
        int position = 0;
        for (int d = 0; d < digits; d++, position += digitBits) {
            int word = position >>> 6;
            int shift = position & 63;
            boolean straddles = shift > 64 - digitBits && word + 1 < words;
            long addend = b[word] >>> shift;
            if (straddles) {
                addend |= b[word + 1] << (64 - shift);
            }
            long coefficient = d < coefficients.length ? ModularNtt.reduce(coefficients[d]) : 0;
            long sum = coefficient + (addend & mask) + carry;
            long digit = sum & mask;
            carry = sum >>> digitBits;
            out[word] |= digit << shift;
            if (straddles) {
                out[word + 1] |= digit >>> (64 - shift);
            }
        }
        PackedBits.clearTail(out, resultBits);
        return out;
    }
}
