package io.hotaru.keys.distill;

/**
 * Distillation parameters, validated once. {@link #defaults()} is the one place the defaults live.
 *
 * @param qberThreshold abort when the signal QBER in the test basis exceeds this (≤ 11 %)
 * @param epsSec secrecy parameter ε_sec of the finite-key bound
 * @param epsCor correctness parameter ε_cor; the verification hash has ⌈log₂(1/ε_cor)⌉ bits
 * @param safetyMarginBits bits withheld from the key on top of the finite-key bound (default 0)
 */
public record DistillConfig(double qberThreshold, double epsSec, double epsCor, int safetyMarginBits) {
    public DistillConfig {
        if (!(qberThreshold > 0 && qberThreshold <= 0.11)) {
            throw invalid("qberThreshold must be in (0, 0.11]");
        }
        if (!(epsSec > 0 && epsSec < 1e-3)) {
            throw invalid("epsSec must be in (0, 1e-3)");
        }
        if (!(epsCor >= 1e-30 && epsCor < 1e-3)) {
            throw invalid("epsCor must be in [1e-30, 1e-3)");
        }
        if (safetyMarginBits < 0) {
            throw invalid("safetyMarginBits must not be negative");
        }
    }

    /** QBER threshold 11 %, ε_sec = 10⁻¹⁰, ε_cor = 10⁻¹⁵, no margin beyond the bound. */
    public static DistillConfig defaults() {
        return new DistillConfig(0.11, 1e-10, 1e-15, 0);
    }

    public DistillConfig withQberThreshold(double threshold) {
        return new DistillConfig(threshold, epsSec, epsCor, safetyMarginBits);
    }

    /** Output length of the verification hash: ⌈log₂(1/ε_cor)⌉ bits (50 for 10⁻¹⁵). */
    public int verificationBits() {
        return (int) Math.ceil(-Math.log(epsCor) / Math.log(2) - 1e-12);
    }

    private static DistillException invalid(String why) {
        return new DistillException(DistillException.Code.INVALID_INPUT, why);
    }
}
