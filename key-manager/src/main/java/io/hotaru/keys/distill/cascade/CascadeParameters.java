package io.hotaru.keys.distill.cascade;

import java.util.Locale;

/**
 * A Cascade variant: how many passes, the block size of each, and how many BICONF rounds follow.
 * The published parameter sets are those of Martinez-Mateo, Pacher, Peev, Ciurana and Martin,
 * "Demystifying the information reconciliation protocol Cascade", QIC 15 (2015) 453 (as coded in
 * brunorijsman/cascade-cpp), see {@link CascadeVariant}. The QBER the block sizes are computed from
 * is clamped to {@code [minQber, maxQber]}, so that a sample without errors, or a noisy one, still
 * gives sensible blocks.
 *
 * @param variant the block-size rule, pass count and BICONF rule
 * @param minQber lower clamp of the planning QBER
 * @param maxQber upper clamp of the planning QBER, also used when the estimate is NaN
 * @param repeatQuestions ask a block's parity again when the cascade effect reaches it a second
 *     time before the first answer arrives, as cascade-cpp does. It reveals nothing new but counts
 *     as leaked, so it costs 0.2–0.4 % of f; only for reproducing the published figures.
 */
public record CascadeParameters(CascadeVariant variant, double minQber, double maxQber, boolean repeatQuestions) {
    /** Bob asks at most this many passes (cascade and BICONF together): pass numbers travel as bytes. */
    public static final int MAX_PASSES = 127;

    public CascadeParameters {
        if (variant == null) {
            throw new IllegalArgumentException("Cascade variant missing");
        }
        if (!(minQber > 0 && minQber <= maxQber && maxQber < 0.5)) {
            throw new IllegalArgumentException("invalid QBER clamp for Cascade");
        }
    }

    /**
     * The variant with the pipeline's clamp: Q at least 0.5 %, so that a small sample without
     * errors does not give blocks so long that pairs of errors hide in them (original: k₁ ≤ 146).
     */
    public static CascadeParameters of(CascadeVariant variant) {
        return new CascadeParameters(variant, 0.005, 0.25, false);
    }

    /** The same variant asking repeated questions, to reproduce the published f figures. */
    public CascadeParameters asPublished() {
        return new CascadeParameters(variant, minQber, maxQber, true);
    }

    /** Brassard–Salvail original: 4 passes, k₁ = ⌈0.73/Q⌉, k_i = 2·k_{i−1}. */
    public static CascadeParameters original() {
        return of(CascadeVariant.ORIGINAL);
    }

    /** A variant by its lower-case name: original, biconf, yanetal, option7, option8. */
    public static CascadeParameters named(String name) {
        return of(CascadeVariant.valueOf(name.toUpperCase(Locale.ROOT)));
    }

    /** Number of normal Cascade passes (BICONF rounds not included). */
    public int passes() {
        return variant.passes();
    }

    /** Block size of cascade pass {@code pass} (0-based) for a key of {@code length} bits. */
    public int blockSize(int pass, double qberEstimate, int length) {
        double q = Double.isNaN(qberEstimate) ? maxQber : Math.min(maxQber, Math.max(minQber, qberEstimate));
        long k = variant.blockSize(pass, q, length);
        return (int) Math.max(1, Math.min(k, Math.max(length, 1)));
    }
}
