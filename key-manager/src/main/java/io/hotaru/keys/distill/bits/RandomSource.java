package io.hotaru.keys.distill.bits;

/**
 * The randomness the distillation algorithms draw from: the node agent passes a QRNG-backed source,
 * tests a seeded one. Implementations must return independent uniform 64-bit words.
 */
@FunctionalInterface
public interface RandomSource {
    long nextLong();

    /**
     * A uniform integer in {@code [0, bound)}, without bias: Lemire's multiply-shift with
     * rejection, so a division is needed only rarely.
     */
    default int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
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
