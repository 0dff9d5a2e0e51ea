package io.hotaru.sim.physics;

/**
 * The receiver's threshold detectors (click / no click) behind a passive 50/50 basis choice.
 *
 * @param efficiency η_Bob: receiver optics times detection efficiency, folded into the channel
 *     transmittance
 * @param darkCountProbability Y_0: probability of a click per gate without light (dark count or
 *     background)
 * @param misalignmentError e_d: probability that a detected photon gives the wrong bit when the
 *     bases match
 */
public record ThresholdDetector(double efficiency, double darkCountProbability, double misalignmentError) {

    public ThresholdDetector {
        Checks.probability("efficiency", efficiency);
        Checks.probability("darkCountProbability", darkCountProbability);
        Checks.probability("misalignmentError", misalignmentError);
    }

    /**
     * Probability that at least one photon of a Poisson pulse with mean {@code meanPhotons} at the
     * channel input is detected, given the channel transmittance: 1 − e^(−ημ).
     */
    public double signalProbability(double channelTransmittance, double meanPhotons) {
        return -Math.expm1(-efficiency * channelTransmittance * meanPhotons);
    }

    /**
     * Probability of a click in a gate: a detected photon or a dark count, 1 − (1 − Y_0)·e^(−ημ).
     * The analytic model's Y_0 + 1 − e^(−ημ) counts the (rare) coincidence of both twice.
     */
    public double clickProbability(double channelTransmittance, double meanPhotons) {
        double signal = signalProbability(channelTransmittance, meanPhotons);
        return signal + darkCountProbability * (1 - signal);
    }
}
