package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Exact products of long non-negative integers stored as packed bits: (Σ a_i·x_i + b) mod 2^W,
 * with 32-bit digits (two per 64-bit word) convolved by {@link SmallPrimeNtt} modulo three primes
 * p₁, p₂, p₃ below 2³⁰ and reconstructed by Garner's method. A coefficient of the digit convolution
 * of k products is a sum of at most k·min(digits) products below (2³² − 1)², and the callers check
 * ({@link #fitsExactly}) that this bound stays below p₁·p₂·p₃ ≈ 2⁸⁸·²: the three residues then
 * determine the exact integer coefficient, and carrying the coefficients out in base 2³² gives the
 * product bit for bit. Integer arithmetic only, so the result does not depend on how the JIT
 * compiles (or vectorises) the loops.
 */
final class ThreePrimeProduct {
    static final int DIGIT_BITS = 32;
    private static final long LOW32 = 0xFFFFFFFFL;
    private static final BigInteger MODULUS = BigInteger.valueOf(SmallPrimeNtt.PRIMES[0])
            .multiply(BigInteger.valueOf(SmallPrimeNtt.PRIMES[1]))
            .multiply(BigInteger.valueOf(SmallPrimeNtt.PRIMES[2]));
    private static final BigInteger DIGIT_SQUARE = BigInteger.valueOf(LOW32).multiply(BigInteger.valueOf(LOW32));

    private ThreePrimeProduct() {}

    /** Whether a sum of {@code products} convolutions of 32-bit digits stays below p₁·p₂·p₃. */
    static boolean fitsExactly(int products, int aDigits, int xDigits) {
        BigInteger terms = BigInteger.valueOf((long) products * Math.min(aDigits, xDigits));
        return terms.multiply(DIGIT_SQUARE).compareTo(MODULUS) < 0
                && IntegerProduct.transformLog(aDigits, xDigits) <= SmallPrimeNtt.MAX_LOG;
    }

    /** As {@link IntegerProduct#dotProductAddLow}, with 32-bit digits over three primes. */
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
        int aUsed = Math.min(aBits, resultBits);
        int xUsed = Math.min(pieceBits, resultBits);
        int aDigits = IntegerProduct.digits(aUsed, DIGIT_BITS);
        int xDigits = IntegerProduct.digits(xUsed, DIGIT_BITS);
        if (!fitsExactly(pieces, aDigits, xDigits)) {
            throw new IllegalArgumentException("factors too long for an exact three-prime transform");
        }
        int log = IntegerProduct.transformLog(aDigits, xDigits);
        SmallPrimeNtt first = SmallPrimeNtt.of(0, log);
        int rows = first.rows();
        int columns = first.columns();
        ProductWorkspace work = ProductWorkspace.take(log, rows, columns);
        long[][] spread = work.spread;
        // The last prime's residues go to the spread rows, free once its transforms are done.
        long[][][] residues = {work.residues[0], work.residues[1], spread};
        try {
            for (int prime = 0; prime < residues.length; prime++) {
                SmallPrimeNtt ntt = SmallPrimeNtt.of(prime, log);
                for (int i = 0; i < pieces; i++) {
                    int from = i * (pieceBits >>> 6);
                    int bits = Math.min(xUsed, xBits - i * pieceBits);
                    spread(a[i], 0, aUsed, spread, ntt);
                    ntt.forward(spread, work.left);
                    spread(x, from, bits, spread, ntt);
                    ntt.forwardMultiply(spread, work.right, work.left, work.sum, i > 0);
                }
                ntt.inverse(work.sum, residues[prime]);
            }
            return carry(residues, log, b, resultBits);
        } finally {
            work.release();
        }
    }

    /**
     * Writes {@code bits} bits of {@code packed}, from word {@code from} on, as 32-bit digits
     * reduced below 2p into the rows (digit n at [n / C][n mod C], two digits per word); the rest
     * of the rows is zeroed.
     */
    private static void spread(long[] packed, int from, int bits, long[][] rows, SmallPrimeNtt ntt) {
        int columns = ntt.columns();
        int colLog = ntt.colLog;
        long p = ntt.p;
        long q = (1L << 32) / p; // Shoup quotient of 1: d − ⌊d·q/2³²⌋·p is d mod p or d mod p + p
        int digits = bits <= 0 ? 0 : IntegerProduct.digits(bits, DIGIT_BITS);
        for (int r = 0; r < rows.length; r++) {
            long[] row = rows[r];
            int first = r << colLog;
            int count = Math.max(0, Math.min(columns, digits - first));
            spreadRow(packed, from + (first >>> 1), count, row, p, q);
        }
        if (digits > 0 && (bits & 31) != 0) { // the last digit holds fewer than 32 bits
            int n = digits - 1;
            long word = packed[from + (n >>> 1)];
            long digit = ((n & 1) == 0 ? word : word >>> 32) & ((1L << (bits & 31)) - 1);
            rows[n >>> colLog][n & (columns - 1)] = digit - ((digit * q) >>> 32) * p;
        }
    }

    /** count digits from the words at wordBase on into the row, reduced below 2p; the rest of the row zeroed. */
    private static void spreadRow(long[] packed, int wordBase, int count, long[] row, long p, long q) {
        int pairs = count >>> 1;
        for (int j = 0; j < pairs; j++) {
            long word = packed[wordBase + j];
            long low = word & LOW32;
            long high = word >>> 32;
            row[2 * j] = low - ((low * q) >>> 32) * p;
            row[2 * j + 1] = high - ((high * q) >>> 32) * p;
        }
        if ((count & 1) != 0) {
            long low = packed[wordBase + pairs] & LOW32;
            row[count - 1] = low - ((low * q) >>> 32) * p;
        }
        if (count < row.length) {
            Arrays.fill(row, count, row.length, 0);
        }
    }

    /**
     * Reconstructs each coefficient from its three residues (Garner: c = x₁ + p₁·(x₂ + p₂·x₃)),
     * adds b and carries in base 2³², keeping the low {@code resultBits} bits.
     */
    private static long[] carry(long[][][] residues, int log, long[] b, int resultBits) {
        SmallPrimeNtt ntt = SmallPrimeNtt.of(0, log);
        long p1 = ntt.p;
        int colLog = ntt.colLog;
        int columns = ntt.columns();
        int digits = IntegerProduct.digits(resultBits, DIGIT_BITS);
        int coefficients = Math.min(digits, 1 << log);
        garner(residues, (coefficients + columns - 1) >>> colLog, log);
        long[] out = new long[PackedBits.words(resultBits)];
        long[] carry = new long[2]; // the running carry, high and low words
        for (int first = 0; first < digits; first += columns) {
            int count = Math.min(columns, digits - first);
            int row = first >>> colLog;
            boolean reconstructed = first < coefficients;
            carryRow(
                    reconstructed ? residues[0][row] : null,
                    reconstructed ? residues[1][row] : null,
                    first,
                    count,
                    p1,
                    b,
                    out,
                    carry);
        }
        PackedBits.clearTail(out, resultBits);
        return out;
    }

    /**
     * Digits [first, first + count) of the result: x₁ + p₁·y from the row (zero past the
     * coefficients, where {@code x1} is null) plus b's digit plus the carry, in base 2³².
     */
    private static void carryRow(
            long[] x1, long[] y, int first, int count, long p1, long[] b, long[] out, long[] carry) {
        long carryHigh = carry[0];
        long carryLow = carry[1];
        for (int c = 0; c < count; c++) {
            int n = first + c;
            long low = 0;
            long high = 0;
            if (x1 != null) {
                long x = x1[c];
                long v = y[c]; // x₂ + p₂·x₃ < p₂·p₃ < 2⁶⁰
                low = p1 * v + x; // p₁·y + x₁ < 2⁹⁰
                high = Math.multiplyHigh(p1, v) + (Long.compareUnsigned(low, x) < 0 ? 1 : 0);
            }
            int word = n >>> 1;
            long addend = word < b.length ? ((n & 1) == 0 ? b[word] & LOW32 : b[word] >>> 32) : 0;
            // (carryHigh, carryLow) += (high, low) + addend
            long sumLow = carryLow + low;
            long sumHigh = carryHigh + high + (Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0);
            long withAddend = sumLow + addend;
            sumHigh += Long.compareUnsigned(withAddend, sumLow) < 0 ? 1 : 0;
            long digit = withAddend & LOW32;
            out[word] |= (n & 1) == 0 ? digit : digit << 32;
            carryLow = (withAddend >>> 32) | (sumHigh << 32);
            carryHigh = sumHigh >>> 32;
        }
        carry[0] = carryHigh;
        carry[1] = carryLow;
    }

    /**
     * Garner's steps on the first {@code rows} rows, as short loops over one row at a time (which
     * C2 vectorises): residues[0] becomes x₁ = r₁ mod p₁ and residues[1] becomes y = x₂ + p₂·x₃,
     * where x₂ = (r₂ − x₁)/p₁ mod p₂ and x₃ = (r₃ − x₁ − p₁·x₂)/(p₁·p₂) mod p₃, so that the
     * coefficient is x₁ + p₁·y. Every Shoup input stays below 2³² (the primes are below 2³⁰).
     */
    private static void garner(long[][][] residues, int rows, int log) {
        long p1 = SmallPrimeNtt.of(0, log).p;
        long p2 = SmallPrimeNtt.of(1, log).p;
        long p3 = SmallPrimeNtt.of(2, log).p;
        long inverse12 = inverse(p1 % p2, p2);
        long p1Mod3 = p1 % p3;
        long inverse123 = inverse(p1Mod3 * (p2 % p3) % p3, p3);
        for (int r = 0; r < rows; r++) {
            long[] u = residues[0][r];
            long[] v = residues[1][r];
            long[] w = residues[2][r];
            reduceRow(u, p1); // x₁
            subtractProduct(v, u, 1, p2); // r₂ − x₁ + 2p₂ in (0, 4p₂)
            multiplyRow(v, inverse12, p2); // x₂
            subtractProduct(w, u, 1, p3); // r₃ − x₁ + 2p₃ in (0, 4p₃)
            subtractProduct(w, v, p1Mod3, p3); // − p₁·x₂ + 2p₃: in (0, 6p₃)
            multiplyRow(w, inverse123, p3); // x₃
            for (int c = 0; c < v.length; c++) {
                v[c] += p2 * w[c];
            }
        }
    }

    /** v = v − (u·m mod p, below 2p) + 2p, for u below 2³². */
    private static void subtractProduct(long[] v, long[] u, long m, long p) {
        long q = (m << 32) / p;
        long twoP = 2 * p;
        for (int c = 0; c < v.length; c++) {
            long x = u[c];
            v[c] = v[c] - (x * m - ((x * q) >>> 32) * p) + twoP;
        }
    }

    /** v = v·m mod p in [0, p), for v below 2³². */
    private static void multiplyRow(long[] v, long m, long p) {
        long q = (m << 32) / p;
        for (int c = 0; c < v.length; c++) {
            long x = v[c];
            long t = x * m - ((x * q) >>> 32) * p - p;
            v[c] = t + ((t >> 63) & p);
        }
    }

    /** v below 2p to [0, p). */
    private static void reduceRow(long[] v, long p) {
        for (int c = 0; c < v.length; c++) {
            long t = v[c] - p;
            v[c] = t + ((t >> 63) & p);
        }
    }

    private static long inverse(long a, long p) {
        long result = 1;
        long base = a % p;
        for (long e = p - 2; e != 0; e >>>= 1, base = base * base % p) {
            if ((e & 1) != 0) {
                result = result * base % p;
            }
        }
        return result;
    }
}
