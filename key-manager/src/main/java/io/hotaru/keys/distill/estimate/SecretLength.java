package io.hotaru.keys.distill.estimate;

/**
 * The length of a block's final key: the finite-key bound ℓ of {@link LimFiniteKey}, further
 * limited to what is left of the key input after disclosure, less an optional safety margin, and
 * rounded down to whole bytes. Never longer than the bound; 0 means no key.
 */
public final class SecretLength {
    private SecretLength() {}

    /**
     * @param estimate the finite-key figures with λ_EC the actual leakage
     * @param keyInputBits n_X, the key input's length
     * @param verificationBits bits of the verification hash (already within the log₂(2/ε_cor) term)
     * @param safetyMarginBits extra bits withheld on top of the bound
     * @return ℓ in bits, a multiple of 8, or 0
     */
    public static int bits(FiniteKeyEstimate estimate, int keyInputBits, int verificationBits, int safetyMarginBits) {
        if (keyInputBits < 0 || verificationBits < 0 || safetyMarginBits < 0) {
            throw new IllegalArgumentException("lengths must not be negative");
        }
        long fromBound = estimate.lengthBits() - safetyMarginBits;
        long left = (long) keyInputBits - estimate.leakedEcBits() - verificationBits - safetyMarginBits;
        long length = Math.min(fromBound, left);
        if (length < 8) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE & ~7, length & ~7L);
    }
}
