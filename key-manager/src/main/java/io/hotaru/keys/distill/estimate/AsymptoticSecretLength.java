package io.hotaru.keys.distill.estimate;

/**
 * The secret length of a block from the asymptotic decoy bound:
 *
 * <pre>
 * ℓ = ⌊ n_key · (Q₁ᴸ/Q_μ) · (1 − h(e₁ᵁ)) − leak_EC − verification − margin ⌋
 * </pre>
 *
 * rounded down to whole bytes, never negative, never more than {@code n_key} minus what was
 * disclosed. Kept for analytic comparisons; blocks use the finite-key {@link SecretLength}.
 */
public final class AsymptoticSecretLength {
    private AsymptoticSecretLength() {}

    /** The bound before rounding; may be negative. */
    public static double bound(
            int keyInputBits,
            double gainMu,
            DecoyBounds decoy,
            long leakedEcBits,
            int verificationBits,
            int safetyMarginBits) {
        if (!decoy.usable() || !(gainMu > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double singlePhotonFraction = Math.min(1, decoy.q1Lower() / gainMu);
        return keyInputBits * singlePhotonFraction * (1 - BinaryEntropy.h(decoy.e1Upper()))
                - leakedEcBits
                - verificationBits
                - safetyMarginBits;
    }

    /** ℓ in bits, a multiple of 8, or 0 when there is no secret key. */
    public static int bits(
            int keyInputBits,
            double gainMu,
            DecoyBounds decoy,
            long leakedEcBits,
            int verificationBits,
            int safetyMarginBits) {
        double b = bound(keyInputBits, gainMu, decoy, leakedEcBits, verificationBits, safetyMarginBits);
        long cap = keyInputBits - leakedEcBits - verificationBits - safetyMarginBits;
        double l = Math.min(Math.floor(b), cap);
        if (!(l >= 8)) {
            return 0;
        }
        return ((int) l) & ~7;
    }
}
