package io.hotaru.keys.distill.estimate;

/**
 * The finite-key figures of one block (Lim, Curty, Walenta, Xu, Zbinden, PRA 89, 022307, 2014).
 * Counts are events among the sifted bits of the key basis X and the test basis Z.
 *
 * @param sX0 lower bound on vacuum events in X
 * @param sX1 lower bound on single-photon events in X
 * @param sZ1 lower bound on single-photon events in Z
 * @param vZ1 upper bound on bit errors of the single-photon events in Z
 * @param phiX upper bound on the phase-error rate of the single-photon events in X (≤ ½)
 * @param leakedEcBits λ_EC, the bits error correction actually disclosed
 * @param epsSec secrecy parameter ε_sec
 * @param epsCor correctness parameter ε_cor
 * @param bound ℓ before rounding: s_X,0 + s_X,1·(1 − h(φ_X)) − λ_EC − 6·log₂(21/ε_sec) −
 *     log₂(2/ε_cor); may be negative
 */
public record FiniteKeyEstimate(
        double sX0,
        double sX1,
        double sZ1,
        double vZ1,
        double phiX,
        long leakedEcBits,
        double epsSec,
        double epsCor,
        double bound) {
    /** Before parameter estimation has run. */
    public static final FiniteKeyEstimate NONE = new FiniteKeyEstimate(
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN);

    /** ⌊bound⌋, or 0 when the bound is not positive. */
    public long lengthBits() {
        return bound >= 1 ? (long) Math.floor(bound) : 0;
    }
}
