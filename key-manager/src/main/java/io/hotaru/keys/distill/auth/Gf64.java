package io.hotaru.keys.distill.auth;

/**
 * Arithmetic in GF(2⁶⁴) = GF(2)[x] / (x⁶⁴ + x⁴ + x³ + x + 1): bit {@code i} of a {@code long} is
 * the coefficient of xⁱ. The modulus is irreducible (checked by Rabin's test in the tests).
 */
public final class Gf64 {
    /** The modulus without its x⁶⁴ term. */
    public static final long REDUCTION = 0x1BL;

    private Gf64() {}

    /** a · x. */
    public static long timesX(long a) {
        return (a << 1) ^ ((a >> 63) & REDUCTION);
    }

    /** a · b, bit by bit, without branches on the operands. */
    public static long multiply(long a, long b) {
        long product = 0;
        for (int i = 0; i < 64; i++) {
            product ^= a & -((b >>> i) & 1);
            a = timesX(a);
        }
        return product;
    }
}
