package io.hotaru.keys.distill.estimate;

/**
 * The asymptotic GLLP + decoy key rate per pulse, R = q·{−Q_μ·f·h(E_μ) + Q₁·[1 − h(e₁)]}: the
 * figure the per-block secret length tends to, and the reference the tests compare with.
 */
public final class DecoyKeyRate {
    private DecoyKeyRate() {}

    public static double perPulse(
            double siftingFactor,
            double gainMu,
            double errorMu,
            double efficiency,
            double singlePhotonGain,
            double singlePhotonError) {
        return siftingFactor
                * (-gainMu * efficiency * BinaryEntropy.h(errorMu)
                        + singlePhotonGain * (1 - BinaryEntropy.h(singlePhotonError)));
    }
}
