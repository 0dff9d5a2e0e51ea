package io.hotaru.sim.physics;

import java.util.Arrays;

/**
 * What makes Bob's four detectors (channels 0 = Z/0, 1 = Z/1, 2 = X/0, 3 = X/1) less than the ideal
 * threshold detectors of the analytic model. With {@link #NONE} the sampled link follows the
 * analytic model exactly; each imperfection moves it away in a way the monitors can see.
 *
 * @param relativeEfficiencies efficiency of each channel relative to η_Bob, in [0, 1]; unequal
 *     values are an efficiency mismatch
 * @param afterpulseProbability probability that a click is followed by an afterpulse on the same
 *     channel once the dead time is over
 * @param afterpulseDecayNs mean delay of an afterpulse after the dead time (exponential)
 * @param deadTimeNs time after a click during which the channel cannot click again
 * @param timingJitterPs standard deviation of the (Gaussian) timing jitter of a click
 */
public record DetectorImperfections(
        double[] relativeEfficiencies,
        double afterpulseProbability,
        double afterpulseDecayNs,
        double deadTimeNs,
        double timingJitterPs) {

    /** Channels of a passive-basis BB84 receiver. */
    public static final int CHANNELS = 4;

    /** Ideal detectors: the analytic model's. */
    public static final DetectorImperfections NONE = new DetectorImperfections(new double[] {1, 1, 1, 1}, 0, 0, 0, 0);

    public DetectorImperfections {
        if (relativeEfficiencies == null || relativeEfficiencies.length != CHANNELS) {
            throw new IllegalArgumentException("relativeEfficiencies must have one entry per channel (4)");
        }
        for (int j = 0; j < CHANNELS; j++) {
            Checks.probability("relativeEfficiencies[" + j + "]", relativeEfficiencies[j]);
        }
        Checks.probability("afterpulseProbability", afterpulseProbability);
        Checks.nonNegative("afterpulseDecayNs", afterpulseDecayNs);
        Checks.nonNegative("deadTimeNs", deadTimeNs);
        Checks.nonNegative("timingJitterPs", timingJitterPs);
        relativeEfficiencies = relativeEfficiencies.clone();
    }

    @Override
    public double[] relativeEfficiencies() {
        return relativeEfficiencies.clone();
    }

    public double relativeEfficiency(int channel) {
        return relativeEfficiencies[channel];
    }

    /** Whether every channel has relative efficiency 1. */
    public boolean matched() {
        for (double r : relativeEfficiencies) {
            if (r != 1) {
                return false;
            }
        }
        return true;
    }

    /** Whether these are the analytic model's ideal detectors. */
    public boolean ideal() {
        return matched() && afterpulseProbability == 0 && deadTimeNs == 0 && timingJitterPs == 0;
    }

    public DetectorImperfections withRelativeEfficiencies(double... values) {
        return new DetectorImperfections(values, afterpulseProbability, afterpulseDecayNs, deadTimeNs, timingJitterPs);
    }

    public DetectorImperfections withAfterpulsing(double probability, double decayNs) {
        return new DetectorImperfections(relativeEfficiencies, probability, decayNs, deadTimeNs, timingJitterPs);
    }

    public DetectorImperfections withDeadTimeNs(double ns) {
        return new DetectorImperfections(
                relativeEfficiencies, afterpulseProbability, afterpulseDecayNs, ns, timingJitterPs);
    }

    public DetectorImperfections withTimingJitterPs(double ps) {
        return new DetectorImperfections(
                relativeEfficiencies, afterpulseProbability, afterpulseDecayNs, deadTimeNs, ps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorImperfections d
                && Arrays.equals(d.relativeEfficiencies, relativeEfficiencies)
                && d.afterpulseProbability == afterpulseProbability
                && d.afterpulseDecayNs == afterpulseDecayNs
                && d.deadTimeNs == deadTimeNs
                && d.timingJitterPs == timingJitterPs;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(relativeEfficiencies) * 31 + Double.hashCode(deadTimeNs);
    }

    @Override
    public String toString() {
        return "DetectorImperfections[η_rel=" + Arrays.toString(relativeEfficiencies) + ", afterpulse="
                + afterpulseProbability + " (" + afterpulseDecayNs + " ns), dead=" + deadTimeNs + " ns, jitter="
                + timingJitterPs + " ps]";
    }
}
