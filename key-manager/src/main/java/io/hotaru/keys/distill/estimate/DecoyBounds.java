package io.hotaru.keys.distill.estimate;

/**
 * Asymptotic vacuum + weak decoy bounds of Ma, Qi, Zhao and Lo, PRA 72, 012326 (2005): a lower
 * bound on the single-photon yield Y₁, an upper bound on its error rate e₁ and a lower bound on the
 * single-photon gain Q₁ = Y₁·μ·e^(−μ).
 */
public record DecoyBounds(double y1Lower, double e1Upper, double q1Lower) {
    /** Error rate of a vacuum (or random) detection. */
    public static final double E0 = 0.5;

    public static final DecoyBounds NONE = new DecoyBounds(Double.NaN, Double.NaN, Double.NaN);

    /**
     * @param mu signal intensity μ
     * @param nu decoy intensity ν (0 < ν < μ)
     * @param gainMu measured signal gain Q_μ
     * @param gainNu measured decoy gain Q_ν
     * @param y0 measured vacuum gain, the dark/background yield Y₀
     * @param errorNu measured decoy QBER E_ν
     */
    public static DecoyBounds estimate(double mu, double nu, double gainMu, double gainNu, double y0, double errorNu) {
        if (!(mu > nu && nu > 0)) {
            throw new IllegalArgumentException("need mu > nu > 0");
        }
        double y1 = mu
                / (mu * nu - nu * nu)
                * (gainNu * Math.exp(nu)
                        - gainMu * Math.exp(mu) * nu * nu / (mu * mu)
                        - (mu * mu - nu * nu) / (mu * mu) * y0);
        if (!(y1 > 0)) {
            return new DecoyBounds(Math.max(y1, 0), 0.5, 0);
        }
        double e1 = (errorNu * gainNu * Math.exp(nu) - E0 * y0) / (y1 * nu);
        e1 = Math.min(0.5, Math.max(0, e1));
        return new DecoyBounds(y1, e1, y1 * mu * Math.exp(-mu));
    }

    /** Whether the bounds admit any single-photon key at all. */
    public boolean usable() {
        return q1Lower > 0 && e1Upper < 0.5;
    }
}
