package io.hotaru.keys.distill.estimate;

import java.util.List;

/**
 * Finite-key parameter estimation for decoy-state BB84 with two decoys, after Lim, Curty, Walenta,
 * Xu and Zbinden, "Concise security bounds for practical decoy-state quantum key distribution", PRA
 * 89, 022307 (2014), arXiv:1311.7129. Intensities μ₁ > μ₂ + μ₃, μ₂ > μ₃ ≥ 0 (index 0, 1, 2); X is
 * the key basis, every intensity contributes to it; Z, entirely disclosed, estimates the phase
 * error. X and Z here are the paper's names for the key and test bases: the pipeline keys from
 * whichever physical basis the source chooses more often (the paper's q_x &gt; ½), so the callers'
 * counts, not this class, decide which physical basis is which.
 *
 * <p>Each count is widened by Hoeffding's inequality, n^±_k = (e^{μ_k}/p_k)·(n_k ± √(n/2 ·
 * ln(21/ε_sec))) with n the basis total (for errors: the Z error total); τ_n = Σ_k p_k e^{−μ_k}
 * μ_k^n/n!; then
 *
 * <pre>
 * s_0 ≥ τ₀·(μ₂·n⁻₃ − μ₃·n⁺₂)/(μ₂ − μ₃)
 * s_1 ≥ τ₁·μ₁·[n⁻₂ − n⁺₃ − (μ₂² − μ₃²)/μ₁²·(n⁺₁ − s_0/τ₀)] / [μ₁(μ₂ − μ₃) − μ₂² + μ₃²]
 * v_Z,1 ≤ τ₁·(m⁺_Z,2 − m⁻_Z,3)/(μ₂ − μ₃)
 * φ_X ≤ v_Z,1/s_Z,1 + γ(ε_sec, v_Z,1/s_Z,1, s_Z,1, s_X,1),
 * γ(a, b, c, d) = √[(c + d)(1 − b)b/(c·d·ln 2) · log₂((c + d)/(c·d·(1 − b)·b) · 21²/a²)]
 * ℓ = s_X,0 + s_X,1 − s_X,1·h(φ_X) − λ_EC − 6·log₂(21/ε_sec) − log₂(2/ε_cor)
 * </pre>
 *
 * <p>Guards, each of which can only lower ℓ: lower bounds below zero count as zero; φ_X is capped
 * at ½ and is ½ when s_X,1 or s_Z,1 is zero; γ is evaluated at b no smaller than 1/s_Z,1, since the
 * formula tends to 0 as b → 0, which would claim a phase error of zero from a clean sample.
 */
public final class LimFiniteKey {
    private LimFiniteKey() {}

    /**
     * @param intensities μ₁, μ₂, μ₃
     * @param probabilities p₁, p₂, p₃ (each in (0, 1))
     * @param counts per intensity: {@link IntensityCounts#keyBasis()} is n_X,k, {@link
     *     IntensityCounts#disclosed()} is n_Z,k and {@link IntensityCounts#errors()} is m_Z,k
     * @param leakedEcBits λ_EC
     */
    public static FiniteKeyEstimate estimate(
            double[] intensities,
            double[] probabilities,
            List<IntensityCounts> counts,
            long leakedEcBits,
            double epsSec,
            double epsCor) {
        check(intensities, probabilities, counts, leakedEcBits, epsSec, epsCor);
        long[] nX = new long[3];
        long[] nZ = new long[3];
        long[] mZ = new long[3];
        for (int k = 0; k < 3; k++) {
            nX[k] = counts.get(k).keyBasis();
            nZ[k] = counts.get(k).disclosed();
            mZ[k] = counts.get(k).errors();
        }
        double mu2 = intensities[1];
        double mu3 = intensities[2];
        double tau0 = tau(0, intensities, probabilities);
        double tau1 = tau(1, intensities, probabilities);
        double lnTerm = Math.log(21 / epsSec);

        double[] x = vacuumAndSingle(nX, intensities, probabilities, tau0, tau1, lnTerm);
        double[] z = vacuumAndSingle(nZ, intensities, probabilities, tau0, tau1, lnTerm);
        double sX0 = x[0];
        double sX1 = x[1];
        double sZ1 = z[1];

        double[] mLow = widened(mZ, intensities, probabilities, lnTerm, -1);
        double[] mHigh = widened(mZ, intensities, probabilities, lnTerm, +1);
        double vZ1 = Math.max(0, tau1 * (mHigh[1] - mLow[2]) / (mu2 - mu3));

        double phiX = phaseError(vZ1, sZ1, sX1, epsSec);
        double bound =
                sX0 + sX1 * (1 - BinaryEntropy.h(phiX)) - leakedEcBits - 6 * log2(21 / epsSec) - log2(2 / epsCor);
        return new FiniteKeyEstimate(sX0, sX1, sZ1, vZ1, phiX, leakedEcBits, epsSec, epsCor, bound);
    }

    /** The phase-error bound φ_X, at most ½. */
    static double phaseError(double vZ1, double sZ1, double sX1, double epsSec) {
        if (!(sZ1 > 0 && sX1 > 0)) {
            return 0.5;
        }
        double b = Math.min(0.5, vZ1 / sZ1);
        double bForGamma = Math.min(0.5, Math.max(b, 1 / sZ1));
        return Math.min(0.5, b + gamma(epsSec, bForGamma, sZ1, sX1));
    }

    /** γ(a, b, c, d) of Lim et al., the random-sampling correction; 0 if its logarithm is not positive. */
    public static double gamma(double a, double b, double c, double d) {
        double spread = (1 - b) * b;
        double log = log2((c + d) / (c * d * spread) * 21 * 21 / (a * a));
        if (!(log > 0)) {
            return 0;
        }
        return Math.sqrt((c + d) * spread / (c * d * Math.log(2)) * log);
    }

    /** τ_n = Σ_k p_k e^{−μ_k} μ_k^n / n!, the probability that Alice sends n photons. */
    public static double tau(int n, double[] intensities, double[] probabilities) {
        double factorial = 1;
        for (int i = 2; i <= n; i++) {
            factorial *= i;
        }
        double sum = 0;
        for (int k = 0; k < intensities.length; k++) {
            sum += probabilities[k] * Math.exp(-intensities[k]) * Math.pow(intensities[k], n) / factorial;
        }
        return sum;
    }

    /** {s_0, s_1}, the lower bounds on vacuum and single-photon events of one basis, never negative. */
    private static double[] vacuumAndSingle(
            long[] n, double[] mu, double[] p, double tau0, double tau1, double lnTerm) {
        double[] low = widened(n, mu, p, lnTerm, -1);
        double[] high = widened(n, mu, p, lnTerm, +1);
        double mu1 = mu[0];
        double mu2 = mu[1];
        double mu3 = mu[2];
        double s0 = Math.max(0, tau0 * (mu2 * low[2] - mu3 * high[1]) / (mu2 - mu3));
        double s1 = tau1
                * mu1
                * (low[1] - high[2] - (mu2 * mu2 - mu3 * mu3) / (mu1 * mu1) * (high[0] - s0 / tau0))
                / (mu1 * (mu2 - mu3) - mu2 * mu2 + mu3 * mu3);
        long total = n[0] + n[1] + n[2];
        s1 = Math.max(0, s1);
        // The true counts add up to at most the basis total; so may the bounds.
        if (s0 > total) {
            s0 = total;
        }
        if (s0 + s1 > total) {
            s1 = total - s0;
        }
        return new double[] {s0, s1};
    }

    /** n^±_k = (e^{μ_k}/p_k)·(n_k ± √(n/2 · ln(21/ε_sec))), n the sum over k. */
    private static double[] widened(long[] n, double[] mu, double[] p, double lnTerm, int sign) {
        double delta = Math.sqrt((n[0] + n[1] + n[2]) / 2.0 * lnTerm);
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            out[k] = Math.exp(mu[k]) / p[k] * (n[k] + sign * delta);
        }
        return out;
    }

    private static void check(
            double[] mu, double[] p, List<IntensityCounts> counts, long leaked, double epsSec, double epsCor) {
        if (mu.length != 3 || p.length != 3 || counts.size() != 3) {
            throw new IllegalArgumentException("need three intensities, probabilities and counts");
        }
        if (!(mu[1] > mu[2] && mu[2] >= 0 && mu[0] > mu[1] + mu[2])) {
            throw new IllegalArgumentException("need μ₁ > μ₂ + μ₃ and μ₂ > μ₃ ≥ 0");
        }
        for (double pk : p) {
            if (!(pk > 0 && pk < 1)) {
                throw new IllegalArgumentException("intensity probabilities must be in (0, 1)");
            }
        }
        for (IntensityCounts c : counts) {
            if (c.keyBasis() < 0 || c.disclosed() < 0 || c.errors() < 0 || c.errors() > c.disclosed()) {
                throw new IllegalArgumentException("inconsistent counts");
            }
        }
        if (leaked < 0 || !(epsSec > 0 && epsSec < 1) || !(epsCor > 0 && epsCor < 1)) {
            throw new IllegalArgumentException("need λ_EC ≥ 0 and ε in (0, 1)");
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
