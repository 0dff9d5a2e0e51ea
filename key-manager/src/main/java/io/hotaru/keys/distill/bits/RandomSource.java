package io.hotaru.keys.distill.bits;

/**
 * The randomness the distillation algorithms draw from: the node agent passes a QRNG-backed source,
 * tests a seeded one. Implementations must return independent uniform 64-bit words.
 */
@FunctionalInterface
public interface RandomSource {
    long nextLong();

    /** A uniform integer in {@code [0, bound)}, without modulo bias. */
    default int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** {@code bits} uniform bits, packed as in {@link PackedBits}, tail cleared. */
    default long[] nextBits(int bits) {
        long[] out = new long[PackedBits.words(bits)];
        for (int i = 0; i < out.length; i++) {
            out[i] = nextLong();
        }
        PackedBits.clearTail(out, bits);
        return out;
    }
}
