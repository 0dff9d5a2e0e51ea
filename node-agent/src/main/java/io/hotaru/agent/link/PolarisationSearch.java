package io.hotaru.agent.link;

import java.util.random.RandomGenerator;

/**
 * Finds and follows the waveplate angles that minimise the error rate, from noisy error rates alone:
 * simultaneous-perturbation stochastic approximation (Spall 1992) with a constant gain, so it keeps
 * tracking a drifting optimum instead of converging once.
 *
 * <p>Each iteration measures the error rate at the centre plus a dither δ·s and at the centre minus
 * it, where s has a random ±1 per waveplate, and moves the centre by −gain · (J₊ − J₋)/(2δ) · s,
 * each angle by at most {@code maxStepDeg}. Near the optimum the error rate grows with the square of
 * the misalignment, so a small dither costs little QBER; the gain trades tracking speed for noise.
 *
 * <p>Pure and not thread-safe: the caller applies the angles and reports the error rate measured
 * with them.
 */
public final class PolarisationSearch {

    /**
     * @param ditherDeg δ, degrees per waveplate
     * @param gainDeg2 gain, degrees² per unit of error rate (the step is gain · ΔJ / (2δ))
     * @param maxStepDeg the largest move of one angle in one iteration, degrees
     */
    public record Settings(double ditherDeg, double gainDeg2, double maxStepDeg) {

        public Settings {
            if (!(ditherDeg > 0 && ditherDeg < 45) || !(gainDeg2 > 0) || !(maxStepDeg > 0 && maxStepDeg < 90)) {
                throw new IllegalArgumentException("polarisation search settings out of range: dither " + ditherDeg
                        + " deg, gain " + gainDeg2 + " deg^2, max step " + maxStepDeg + " deg");
            }
        }

        /**
         * Tuned on the simulated metro link (25 km, 0.2° per second of drift) with blocks of 2^16
         * detections over seeds 10 to 20 (docs/adr/0007-polarisation-search.md): 0.57° (0.01 rad) of
         * dither, a gain of 0.0125 rad² and at most 1.7° (0.03 rad) per step. A larger gain lets the
         * error counts' noise walk the angles (and into the folds of the waveplate map), a smaller
         * one lags the drift.
         */
        public static Settings defaults() {
            double degPerRad = Math.toDegrees(1);
            return new Settings(0.01 * degPerRad, 0.0125 * degPerRad * degPerRad, 0.03 * degPerRad);
        }
    }

    private final Settings settings;
    private final RandomGenerator random;
    private final double[] centre;
    private final double[] sign;
    private boolean plusMeasured;
    private double plusRate;
    private long iterations;

    /**
     * @param start the angles to start from, degrees
     * @param random draws the dither signs
     */
    public PolarisationSearch(double[] start, Settings settings, RandomGenerator random) {
        this.centre = start.clone();
        this.sign = new double[start.length];
        this.settings = settings;
        this.random = random;
        drawSigns();
    }

    /** The angles to apply for the next measurement, degrees. */
    public double[] probe() {
        double[] a = centre.clone();
        double d = plusMeasured ? -settings.ditherDeg() : settings.ditherDeg();
        for (int i = 0; i < a.length; i++) {
            a[i] += d * sign[i];
        }
        return a;
    }

    /**
     * Takes the error rate measured at the last {@link #probe()}.
     *
     * @throws IllegalArgumentException if {@code errorRate} is not in [0, 1]
     */
    public void measured(double errorRate) {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error rate must be in [0, 1], got " + errorRate);
        }
        if (!plusMeasured) {
            plusRate = errorRate;
            plusMeasured = true;
            return;
        }
        double slope = (plusRate - errorRate) / (2 * settings.ditherDeg());
        double max = settings.maxStepDeg();
        for (int i = 0; i < centre.length; i++) {
            double step = -settings.gainDeg2() * slope * sign[i];
            centre[i] = wrap(centre[i] + Math.max(-max, Math.min(max, step)));
        }
        plusMeasured = false;
        iterations++;
        drawSigns();
    }

    /** The current estimate of the best angles, degrees. */
    public double[] centre() {
        return centre.clone();
    }

    /** Completed iterations (pairs of measurements). */
    public long iterations() {
        return iterations;
    }

    private void drawSigns() {
        for (int i = 0; i < sign.length; i++) {
            sign[i] = random.nextBoolean() ? 1 : -1;
        }
    }

    /** Waveplate angles repeat every 180°: keeps them in (−180, 180]. */
    private static double wrap(double deg) {
        double r = Math.IEEEremainder(deg, 360);
        return r == -180 ? 180 : r;
    }
}
