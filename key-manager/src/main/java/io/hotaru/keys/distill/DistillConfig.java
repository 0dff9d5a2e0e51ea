package io.hotaru.keys.distill;

/**
 * Distillation parameters, validated once. {@link #defaults()} is the one place the defaults live.
 *
 * @param sampleFraction fraction of the sifted signal bits disclosed to estimate the QBER
 * @param minSampleSize lower bound on that sample (capped at the sifted signal bits)
 * @param qberThreshold abort when the estimated signal QBER exceeds this (≤ 11 %)
 * @param verificationBits output length of the verification hash (≥ 64)
 * @param safetyMarginBits bits subtracted from the secret length on top of the bound
 */
public record DistillConfig(
        double sampleFraction, int minSampleSize, double qberThreshold, int verificationBits, int safetyMarginBits) {
    public DistillConfig {
        if (!(sampleFraction > 0 && sampleFraction < 1)) {
            throw invalid("sampleFraction must be in (0, 1)");
        }
        if (minSampleSize < 1) {
            throw invalid("minSampleSize must be positive");
        }
        if (!(qberThreshold > 0 && qberThreshold <= 0.11)) {
            throw invalid("qberThreshold must be in (0, 0.11]");
        }
        if (verificationBits < 64) {
            throw invalid("verificationBits must be at least 64");
        }
        if (safetyMarginBits < 0) {
            throw invalid("safetyMarginBits must not be negative");
        }
    }

    public static DistillConfig defaults() {
        return new DistillConfig(0.10, 100, 0.11, 64, 128);
    }

    public DistillConfig withQberThreshold(double threshold) {
        return new DistillConfig(sampleFraction, minSampleSize, threshold, verificationBits, safetyMarginBits);
    }

    private static DistillException invalid(String why) {
        return new DistillException(DistillException.Code.INVALID_INPUT, why);
    }
}
