package io.hotaru.keys.distill.estimate;

/** The binary entropy function h(q) = −q·log₂q − (1−q)·log₂(1−q). */
public final class BinaryEntropy {
    private static final double LN2 = Math.log(2);

    private BinaryEntropy() {}

    /** h(q) for q in [0, 1]; h(0) = h(1) = 0. */
    public static double h(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1]: " + q);
        }
        if (q == 0 || q == 1) {
            return 0;
        }
        return -(q * Math.log(q) + (1 - q) * Math.log1p(-q)) / LN2;
    }
}
