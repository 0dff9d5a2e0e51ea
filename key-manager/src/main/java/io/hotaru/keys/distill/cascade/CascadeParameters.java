package io.hotaru.keys.distill.cascade;

/**
 * Block sizes of Cascade: {@code k₁ = ⌈factor/Q⌉}, then each pass {@code multiplier} times the
 * previous, capped at the key length. Q is the estimated QBER clamped to {@code [minQber, maxQber]}
 * so that a sample without errors, or a noisy one, still gives sensible blocks.
 */
public record CascadeParameters(int passes, double firstBlockFactor, int multiplier, double minQber, double maxQber) {
    public CascadeParameters {
        if (passes < 1 || passes > 64 || multiplier < 1 || !(firstBlockFactor > 0)) {
            throw new IllegalArgumentException("invalid Cascade parameters");
        }
        if (!(minQber > 0 && minQber <= maxQber && maxQber < 0.5)) {
            throw new IllegalArgumentException("invalid QBER clamp for Cascade");
        }
    }

    /**
     * Brassard–Salvail original: 4 passes, k₁ = ⌈0.73/Q⌉, k_i = 2·k_{i−1}. Q is clamped at 0.5 %
     * from below: a small sample without errors must not give blocks so long that pairs of errors
     * hide in them (k₁ ≤ 146).
     */
    public static CascadeParameters original() {
        return new CascadeParameters(4, 0.73, 2, 0.005, 0.25);
    }

    /** Block size of pass {@code pass} (0-based) for a key of {@code length} bits. */
    public int blockSize(int pass, double qberEstimate, int length) {
        double q = Double.isNaN(qberEstimate) ? maxQber : Math.min(maxQber, Math.max(minQber, qberEstimate));
        long k = (long) Math.ceil(firstBlockFactor / q);
        for (int i = 0; i < pass && k < length; i++) {
            k *= multiplier;
        }
        return (int) Math.max(1, Math.min(k, Math.max(length, 1)));
    }
}
