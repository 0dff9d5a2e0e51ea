package io.hotaru.sim.physics;

import java.util.ArrayList;
import java.util.List;

/**
 * The expected figures of a link (decoy-bb84-and-limits.md §1, after Ma, Qi, Zhao, Lo 2005): per
 * intensity level k the gain Q_k = Y_0 + 1 − e^(−ημ_k) and the error rate E_k = (e_0·Y_0 +
 * e_d·(1 − e^(−ημ_k)))/Q_k with e_0 = 1/2, the single-photon yield and error rate, and the
 * asymptotic (infinite-decoy) key rate. These are the oracles the sampled link is tested against,
 * and what an operator should expect to measure.
 */
public final class AnalyticModel {

    private static final double E0 = 0.5;

    private final LinkParameters parameters;
    private final double eta;
    private final double y0;

    private AnalyticModel(LinkParameters parameters, double eta, double y0) {
        this.parameters = parameters;
        this.eta = eta;
        this.y0 = y0;
    }

    /** The parameters' fibre link. */
    public static AnalyticModel of(LinkParameters parameters) {
        return new AnalyticModel(parameters, parameters.transmittance(), parameters.darkCountProbability());
    }

    /**
     * The parameters' source and misalignment with a given total transmittance η (channel × η_Bob)
     * and Y_0 (dark counts and background), e.g. a satellite link at one moment of a pass.
     */
    public static AnalyticModel of(LinkParameters parameters, double transmittance, double darkProbability) {
        Checks.probability("transmittance", transmittance);
        Checks.probability("darkProbability", darkProbability);
        return new AnalyticModel(parameters, transmittance, darkProbability);
    }

    /** Y_0: dark count and background probability per gate. */
    public double darkProbability() {
        return y0;
    }

    public LinkParameters parameters() {
        return parameters;
    }

    /** η = η_Bob · 10^(−(α·L + extra)/10). */
    public double transmittance() {
        return eta;
    }

    /** Q_k: probability that a pulse of level k gives a click. */
    public double gain(int level) {
        return y0 + detectedPhotonProbability(level);
    }

    /** E_k: error rate of level k's clicks when the bases match. */
    public double qber(int level) {
        double errors = E0 * y0 + parameters.misalignmentError() * detectedPhotonProbability(level);
        return errors / gain(level);
    }

    /** Expected clicks per slot over all levels: Σ p_k·Q_k. */
    public double detectionsPerSlot() {
        double sum = 0;
        for (int k = 0; k < parameters.levelCount(); k++) {
            sum += parameters.intensityProbability(k) * gain(k);
        }
        return sum;
    }

    /** Expected clicks per second. */
    public double detectionsPerSecond() {
        return detectionsPerSlot() * parameters.repetitionRateHz();
    }

    /** Y_1 = Y_0 + η − Y_0·η. */
    public double singlePhotonYield() {
        return y0 + eta - y0 * eta;
    }

    /** Q_1 of level k: Y_1 · μ_k · e^(−μ_k). */
    public double singlePhotonGain(int level) {
        double mu = parameters.intensity(level);
        return singlePhotonYield() * mu * Math.exp(-mu);
    }

    /** e_1 = (e_0·Y_0 + e_d·η) / Y_1. */
    public double singlePhotonErrorRate() {
        return (E0 * y0 + parameters.misalignmentError() * eta) / singlePhotonYield();
    }

    /**
     * Asymptotic key rate per pulse with infinitely many decoys (GLLP): q·[−Q_μ·f·h(E_μ) + Q_1·(1 −
     * h(e_1))] for the signal level 0, or 0 when that is negative.
     *
     * @param errorCorrectionEfficiency f, e.g. 1.22
     * @param siftingFactor q, e.g. 1/2 for standard BB84
     */
    public double keyRatePerPulse(double errorCorrectionEfficiency, double siftingFactor) {
        return Math.max(0, keyRateUnclamped(errorCorrectionEfficiency, siftingFactor));
    }

    /** The GLLP expression of {@link #keyRatePerPulse} before clamping at 0 (for optimisers). */
    public double keyRateUnclamped(double errorCorrectionEfficiency, double siftingFactor) {
        return siftingFactor
                * (-gain(0) * errorCorrectionEfficiency * binaryEntropy(qber(0))
                        + singlePhotonGain(0) * (1 - binaryEntropy(singlePhotonErrorRate())));
    }

    /** The figures of every level. */
    public List<LevelFigures> levels() {
        List<LevelFigures> out = new ArrayList<>(parameters.levelCount());
        for (int k = 0; k < parameters.levelCount(); k++) {
            double pulses = parameters.repetitionRateHz() * parameters.intensityProbability(k);
            out.add(new LevelFigures(
                    k, parameters.intensity(k), parameters.intensityProbability(k), pulses, gain(k), qber(k)));
        }
        return List.copyOf(out);
    }

    /**
     * Expected figures of one intensity level.
     *
     * @param level index, 0 = signal
     * @param intensity μ_k
     * @param probability p_k
     * @param pulsesPerSecond repetition rate × p_k
     * @param gain Q_k
     * @param qber E_k
     */
    public record LevelFigures(
            int level, double intensity, double probability, double pulsesPerSecond, double gain, double qber) {

        public double detectionsPerSecond() {
            return pulsesPerSecond * gain;
        }
    }

    public static double binaryEntropy(double x) {
        if (x <= 0 || x >= 1) {
            return 0;
        }
        return -x * log2(x) - (1 - x) * log2(1 - x);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private double detectedPhotonProbability(int level) {
        return -Math.expm1(-eta * parameters.intensity(level));
    }
}
