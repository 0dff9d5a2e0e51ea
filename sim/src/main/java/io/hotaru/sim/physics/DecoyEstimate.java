package io.hotaru.sim.physics;

/**
 * The vacuum + weak decoy estimate of Ma, Qi, Zhao and Lo (PRA 72, 012326, 2005), as in
 * decoy-bb84-and-limits.md §1: from measured gains and error rates, lower-bound the single-photon
 * yield Y_1, upper-bound its error rate e_1, and the asymptotic key rate per pulse. What a
 * receiver can conclude from a simulated (or real) run, attacks included.
 *
 * @param y1Lower Y_1^L
 * @param e1Upper e_1^U (clamped to [0, 1/2])
 * @param q1Lower Q_1^L
 * @param ratePerPulse q·[Q_1^L·(1 − h(e_1^U)) − Q_μ·f·h(E_μ)], or 0 when that is negative
 */
public record DecoyEstimate(double y1Lower, double e1Upper, double q1Lower, double ratePerPulse) {

    /**
     * @param mu signal intensity, nu weak decoy intensity (0 < ν < μ)
     * @param qMu signal gain, eMu signal QBER, qNu decoy gain, eNu decoy QBER (a QBER measured on no
     *     sifted bit, NaN, counts as the worst case, 1/2)
     * @param y0 vacuum gain
     * @param f error-correction efficiency, q sifting factor
     */
    public static DecoyEstimate of(
            double mu, double nu, double qMu, double eMu, double qNu, double eNu, double y0, double f, double q) {
        if (!(nu > 0 && nu < mu)) {
            throw new IllegalArgumentException("need 0 < ν < μ, got ν = " + nu + ", μ = " + mu);
        }
        double y1 = mu
                / (mu * nu - nu * nu)
                * (qNu * Math.exp(nu)
                        - qMu * Math.exp(mu) * nu * nu / (mu * mu)
                        - (mu * mu - nu * nu) / (mu * mu) * y0);
        y1 = Math.max(0, y1);
        double e1 = y1 > 0 && !Double.isNaN(eNu) ? (eNu * qNu * Math.exp(nu) - 0.5 * y0) / (y1 * nu) : 0.5;
        e1 = Math.min(0.5, Math.max(0, e1));
        double q1 = y1 * mu * Math.exp(-mu);
        double rate = q
                * (q1 * (1 - AnalyticModel.binaryEntropy(e1))
                        - qMu * f * AnalyticModel.binaryEntropy(Double.isNaN(eMu) ? 0.5 : eMu));
        return new DecoyEstimate(y1, e1, q1, Math.max(0, rate));
    }
}
