package io.hotaru.agent.link;

import java.util.random.RandomGenerator;

/**
 * Finds and follows the waveplate angles that minimise the error rate, from noisy error rates alone:
 * simultaneous-perturbation stochastic approximation (Spall 1992) with a constant gain, so it keeps
 * tracking a drifting optimum instead of converging once.
 *
 * <p>Each iteration measures the error rate at the centre plus a dither δ·s and at the centre minus
 * it, where s has a random ±1 per coordinate, and moves the centre by −gain · (J₊ − J₋)/(2δ) · s,
 * each coordinate by at most {@code maxStepDeg}. Near the optimum the error rate grows with the
 * square of the misalignment, so a small dither costs little QBER; the gain trades tracking speed for
 * noise.
 *
 * <p>With three waveplates (QWP, HWP, QWP: {@link WaveplateChain}) the coordinates are rotations of
 * the Poincaré sphere about its three axes, applied to the controller's rotation, and the angles are
 * solved from the rotation (the solution nearest to the last angles) for each probe. The search then
 * never meets the folds of the angle map (2a₂ = a₁ + a₃), where a search over the angles lags for
 * minutes when the drift carries the optimum across one (docs/adr/0007). With another number of
 * waveplates the coordinates are the angles themselves.
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
         * For a QWP–HWP–QWP controller, in rotations of the Poincaré sphere about each axis: tuned
         * on the simulated metro link (25 km, 0.2° per second of drift) with blocks of 2^16
         * detections over seeds 10 to 20 (docs/adr/0007-polarisation-search.md): 1.15° (0.02 rad)
         * of dither, a gain of 0.2 rad² and at most 4.6° (0.08 rad) per step.
         */
        public static Settings defaults() {
            double degPerRad = Math.toDegrees(1);
            return new Settings(0.02 * degPerRad, 0.2 * degPerRad * degPerRad, 0.08 * degPerRad);
        }
    }

    private final Settings settings;
    private final RandomGenerator random;
    /** Angle coordinates (degrees), or the rotation-coordinate steps' accumulator when rotating. */
    private final double[] centre;
    /** The controller rotation at the centre, row-major; null when the coordinates are angles. */
    private double[] centreRotation;
    /** The angles last handed out, to pick the nearest solution for the next rotation. */
    private double[] lastAngles;

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
        this.lastAngles = start.clone();
        if (start.length == 3) {
            centreRotation = WaveplateChain.rotationOf(start);
        }
        drawSigns();
    }

    /** The angles to apply for the next measurement, degrees. */
    public double[] probe() {
        double d = plusMeasured ? -settings.ditherDeg() : settings.ditherDeg();
        if (centreRotation != null) {
            double r = Math.toRadians(d);
            double[] probe =
                    WaveplateChain.times(WaveplateChain.exp(r * sign[0], r * sign[1], r * sign[2]), centreRotation);
            lastAngles = wrapAll(WaveplateChain.anglesFor(probe, lastAngles));
            return lastAngles.clone();
        }
        double[] a = centre.clone();
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
        double[] steps = new double[centre.length];
        for (int i = 0; i < centre.length; i++) {
            steps[i] = Math.max(-max, Math.min(max, -settings.gainDeg2() * slope * sign[i]));
        }
        if (centreRotation != null) {
            double[] step =
                    WaveplateChain.exp(Math.toRadians(steps[0]), Math.toRadians(steps[1]), Math.toRadians(steps[2]));
            centreRotation = WaveplateChain.orthonormalised(WaveplateChain.times(step, centreRotation));
        } else {
            for (int i = 0; i < centre.length; i++) {
                centre[i] = wrap(centre[i] + steps[i]);
            }
        }
        plusMeasured = false;
        iterations++;
        drawSigns();
    }

    /** The current estimate of the best angles, degrees. */
    public double[] centre() {
        if (centreRotation != null) {
            return wrapAll(WaveplateChain.anglesFor(centreRotation, lastAngles));
        }
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

    private static double[] wrapAll(double[] deg) {
        for (int i = 0; i < deg.length; i++) {
            deg[i] = wrap(deg[i]);
        }
        return deg;
    }

    /** Waveplate angles repeat every 180°: keeps them in (−180, 180]. */
    private static double wrap(double deg) {
        double r = Math.IEEEremainder(deg, 360);
        return r == -180 ? 180 : r;
    }
}
