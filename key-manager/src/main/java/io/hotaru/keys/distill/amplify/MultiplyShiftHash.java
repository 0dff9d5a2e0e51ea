package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * Privacy amplification by the multiply-add-shift family of Dietzfelbinger (STACS 1996) in its
 * vector form (Thorup, "High Speed Hashing for Integers and Strings", arXiv:1504.06804): the n-bit
 * key input is cut into k pieces x_0 … x_{k−1} of w bits (bit j of a piece is the coefficient of
 * 2^j), a_0 … a_{k−1} and b are uniform in [2^W] with W = w + ℓ − 1, and
 *
 * <pre>h(x) = ((Σ a_i·x_i + b) mod 2^W) div 2^(W−ℓ),</pre>
 *
 * the top ℓ of the low W bits. The family is strongly universal onto ℓ bits whenever
 * W ≥ w + ℓ − 1, so two distinct inputs collide with probability exactly 2^−ℓ: what the leftover
 * hash lemma behind the finite-key bound needs. ADR 0002 gives the argument, the choice of k and
 * the measurements.
 *
 * <p>The layout, the product engine, k and the digit width d, is a function of (n, ℓ) alone
 * ({@link #layout}), so both ends agree on it: 32-bit digits over three primes below 2³⁰
 * ({@link ThreePrimeProduct}, vectorised transforms) whenever some k in 1…4 keeps the coefficient
 * bound k·min(digits)·(2³² − 1)² below their product and the transform within 2²³ points, else
 * 16- to 18-bit digits over one 60-bit prime ({@link IntegerProduct}); within the engine the least
 * transform work, (2k + 1) transforms of the length that holds a product of a W-bit and a w-bit
 * number (at n = 10⁸, ℓ = n/4: three primes, k = 2, five transforms of 2²² points per prime), on a
 * tie the smaller k, then the smaller d. Pieces after the first start on a word boundary. The seed
 * is a_0 … a_{k−1} then b, each ⌈W/64⌉ words.
 */
public final class MultiplyShiftHash {
    private static final int MAX_PIECES = 4;

    private MultiplyShiftHash() {}

    /** How the input is cut and multiplied: k pieces of w bits (the last may hold fewer), d-bit digits. */
    record Layout(int pieces, int pieceBits, int digitBits) {}

    /**
     * The cheapest exact layout for an n-bit input and an ℓ-bit output: 32-bit digits over three
     * primes ({@link ThreePrimeProduct}) whenever some k fits, else 16- to 18-bit digits over the
     * 60-bit prime ({@link IntegerProduct}); within an engine the least transform work, on a tie
     * the smaller k, then the smaller d.
     */
    static Layout layout(int inputBits, int outputBits) {
        Layout best = null;
        double bestCost = Double.MAX_VALUE;
        for (int k = 1; k <= MAX_PIECES; k++) {
            long w = splitBits(inputBits, k);
            if ((k - 1) * w >= inputBits) {
                break;
            }
            int aDigits = IntegerProduct.digits(w + outputBits - 1, ThreePrimeProduct.DIGIT_BITS);
            int xDigits = IntegerProduct.digits(w, ThreePrimeProduct.DIGIT_BITS);
            if (ThreePrimeProduct.fitsExactly(k, aDigits, xDigits)) {
                double cost = transformWork(k, aDigits, xDigits);
                if (cost < bestCost) {
                    best = new Layout(k, (int) w, ThreePrimeProduct.DIGIT_BITS);
                    bestCost = cost;
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (int k = 1; k <= MAX_PIECES; k++) {
            long w = splitBits(inputBits, k);
            if ((k - 1) * w >= inputBits) {
                break;
            }
            for (int d = IntegerProduct.MIN_DIGIT_BITS; d <= IntegerProduct.MAX_DIGIT_BITS; d++) {
                int aDigits = IntegerProduct.digits(w + outputBits - 1, d);
                int xDigits = IntegerProduct.digits(w, d);
                if (!IntegerProduct.fitsExactly(k, aDigits, xDigits, d)) {
                    continue;
                }
                double cost = transformWork(k, aDigits, xDigits);
                if (cost < bestCost) {
                    best = new Layout(k, (int) w, d);
                    bestCost = cost;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no exact layout for n = " + inputBits + ", ℓ = " + outputBits);
        }
        return best;
    }

    /** (2k + 1) transforms of N = 2^log points, N·log each. */
    private static double transformWork(int k, int aDigits, int xDigits) {
        int log = IntegerProduct.transformLog(aDigits, xDigits);
        return (2.0 * k + 1) * Math.scalb(1.0, log) * log;
    }

    /** k: the number of pieces the input is cut into. */
    public static int pieces(int inputBits, int outputBits) {
        return layout(inputBits, outputBits).pieces();
    }

    /** w: the bits in each piece (the last may hold fewer). */
    public static int pieceBits(int inputBits, int outputBits) {
        return layout(inputBits, outputBits).pieceBits();
    }

    private static long splitBits(int inputBits, int k) {
        return k == 1 ? inputBits : ((((long) inputBits + k - 1) / k + 63) & ~63L);
    }

    /** W = w + ℓ − 1: the width of each a_i, of b and of the truncated sum. */
    public static long width(int inputBits, int outputBits) {
        return (long) pieceBits(inputBits, outputBits) + outputBits - 1;
    }

    /** Seed length in 64-bit words: k + 1 numbers of W bits, each starting on a word boundary. */
    public static int seedWords(int inputBits, int outputBits) {
        checkLengths(inputBits, outputBits);
        return (pieces(inputBits, outputBits) + 1) * wordsOf(width(inputBits, outputBits));
    }

    /**
     * An upper bound on {@link #seedWords}(n, ℓ) over every n ≤ {@code maxInputBits} and ℓ ≤ n, for
     * sizing the frame that carries the seed: with k pieces, W ≤ n/k + 64 + ℓ, so the seed holds at
     * most (k + 1)·(n/k + n + 128) bits, largest at k = 4: 6.25·n + 640 bits.
     */
    public static int seedWordsBound(int maxInputBits) {
        if (maxInputBits < 1) {
            throw new IllegalArgumentException("maxInputBits must be positive: " + maxInputBits);
        }
        long bits = (25L * maxInputBits + 3) / 4 + 640;
        return Math.toIntExact((bits + 63) / 64);
    }

    /**
     * @param input packed, {@code inputBits} long; bits past the length are ignored
     * @param seed packed, {@link #seedWords} words: a_0 … a_{k−1}, b; bits past W in each are ignored
     * @return the packed ℓ-bit hash
     */
    public static long[] hash(long[] input, int inputBits, long[] seed, int outputBits) {
        checkLengths(inputBits, outputBits);
        Layout layout = layout(inputBits, outputBits);
        int k = layout.pieces();
        int w = layout.pieceBits();
        int width = w + outputBits - 1;
        int words = wordsOf(width);
        if (input.length < PackedBits.words(inputBits) || seed.length < (k + 1) * words) {
            throw new IllegalArgumentException("input or seed shorter than stated");
        }
        long[][] a = new long[k][];
        for (int i = 0; i < k; i++) {
            a[i] = java.util.Arrays.copyOfRange(seed, i * words, (i + 1) * words);
        }
        long[] b = java.util.Arrays.copyOfRange(seed, k * words, (k + 1) * words);
        long[] low = null;
        try {
            PackedBits.clearTail(b, width);
            low = layout.digitBits() == ThreePrimeProduct.DIGIT_BITS
                    ? ThreePrimeProduct.dotProductAddLow(a, width, input, inputBits, w, b, width)
                    : IntegerProduct.dotProductAddLow(a, width, input, inputBits, w, b, width, layout.digitBits());
            return bitRange(low, width - outputBits, outputBits);
        } finally {
            PackedBits.zero(a);
            PackedBits.zero(b);
            if (low != null) {
                PackedBits.zero(low);
            }
        }
    }

    private static void checkLengths(int inputBits, int outputBits) {
        if (inputBits < 1 || outputBits < 1) {
            throw new IllegalArgumentException("input and output lengths must be positive");
        }
        if ((long) inputBits + outputBits > Integer.MAX_VALUE - 128) {
            throw new IllegalArgumentException("n + ℓ exceeds 2^31 − 129 bits");
        }
    }

    private static int wordsOf(long bits) {
        return (int) ((bits + 63) >>> 6);
    }

    /** Bits [from, from + count) of {@code bits}, packed from bit 0. */
    static long[] bitRange(long[] bits, int from, int count) {
        long[] out = new long[PackedBits.words(count)];
        int shift = from & 63;
        int base = from >>> 6;
        for (int k = 0; k < out.length; k++) {
            long lo = bits[base + k] >>> shift;
            long hi = shift == 0 || base + k + 1 >= bits.length ? 0 : bits[base + k + 1] << (64 - shift);
            out[k] = lo | hi;
        }
        PackedBits.clearTail(out, count);
        return out;
    }
}
