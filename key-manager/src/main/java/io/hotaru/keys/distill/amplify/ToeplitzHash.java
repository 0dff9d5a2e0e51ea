package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * Toeplitz hashing over GF(2): y = T·x with the m×n matrix {@code T[i][j] = s[j − i + m − 1]}
 * fixed by an (n + m − 1)-bit seed s. A 2-universal family (Pr[Tx = Tx′] = 2⁻ᵐ for x ≠ x′), used
 * for the short verification hash ({@code KeyVerifier}); privacy amplification uses {@link
 * MultiplyShiftHash} (ADR 0002).
 *
 * <p>The direct bit-sliced product: row i is the seed window starting at bit m − 1 − i, formed a
 * word at a time from two seed words during an AND/XOR sweep over the input, followed by one
 * {@link Long#bitCount}; cost ≈ n·m/64 word operations, memory ≈ 8·(n + m)·2 bytes (one copy each
 * of the input and the seed; the verification tag hashes a whole reconciled block per call).
 */
public final class ToeplitzHash {
    private ToeplitzHash() {}

    /** Seed length in bits for an n-bit input and an m-bit output. */
    public static int seedBits(int inputBits, int outputBits) {
        return inputBits + outputBits - 1;
    }

    /**
     * @param input packed, {@code inputBits} long; bits past the length are ignored
     * @param seed packed, at least {@link #seedBits} long
     * @return the packed m-bit hash
     */
    public static long[] hash(long[] input, int inputBits, long[] seed, int outputBits) {
        check(input, inputBits, seed, outputBits);
        return direct(input, inputBits, seed, outputBits);
    }

    private static void check(long[] input, int inputBits, long[] seed, int outputBits) {
        if (inputBits < 1 || outputBits < 1) {
            throw new IllegalArgumentException("input and output lengths must be positive");
        }
        if ((long) inputBits + outputBits - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("seed would exceed 2^31 - 1 bits");
        }
        if (input.length < PackedBits.words(inputBits)
                || seed.length < PackedBits.words(seedBits(inputBits, outputBits))) {
            throw new IllegalArgumentException("input or seed shorter than stated");
        }
    }

    /** The direct bit-sliced product, O(n·m/64): the reference every fast path is tested against. */
    public static long[] direct(long[] input, int inputBits, long[] seed, int outputBits) {
        if (inputBits < 1 || outputBits < 1) {
            throw new IllegalArgumentException("input and output lengths must be positive");
        }
        int seedBits = seedBits(inputBits, outputBits);
        if (input.length < PackedBits.words(inputBits) || seed.length < PackedBits.words(seedBits)) {
            throw new IllegalArgumentException("input or seed shorter than stated");
        }
        int inputWords = PackedBits.words(inputBits);
        long[] x = PackedBits.copyOf(input, inputBits);
        int seedWords = PackedBits.words(seedBits);
        long[] s = new long[seedWords + 1];
        System.arraycopy(seed, 0, s, 0, seedWords);
        PackedBits.clearTail(s, seedBits);
        long[] out = new long[PackedBits.words(outputBits)];
        for (int i = 0; i < outputBits; i++) {
            int offset = outputBits - 1 - i;
            int base = offset >>> 6;
            int r = offset & 63;
            long acc = 0;
            if (r == 0) {
                for (int k = 0; k < inputWords; k++) {
                    acc ^= x[k] & s[base + k];
                }
            } else {
                // The seed window at bit offset r, formed word by word as the sweep goes.
                int l = 64 - r;
                for (int k = 0; k < inputWords; k++) {
                    acc ^= x[k] & ((s[base + k] >>> r) | (s[base + k + 1] << l));
                }
            }
            if ((Long.bitCount(acc) & 1) != 0) {
                PackedBits.set(out, i);
            }
        }
        PackedBits.zero(x);
        PackedBits.zero(s);
        return out;
    }
}
