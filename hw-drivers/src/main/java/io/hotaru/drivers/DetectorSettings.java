package io.hotaru.drivers;

/**
 * Settings of the receiver's single-photon detectors, the same for every channel.
 *
 * @param efficiency detection efficiency the bias is set for, in (0, 1]
 * @param gateWidthNs gate width, ns; 0 for free-running detectors
 * @param deadTimeNs hold-off after a click, ns
 * @param thresholdMv discriminator threshold, mV
 */
public record DetectorSettings(double efficiency, double gateWidthNs, double deadTimeNs, double thresholdMv) {

    public DetectorSettings {
        if (!(efficiency > 0 && efficiency <= 1)) {
            throw new IllegalArgumentException("efficiency must be in (0, 1], got " + efficiency);
        }
        if (!(gateWidthNs >= 0 && gateWidthNs < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("gate width must be finite and >= 0 ns, got " + gateWidthNs);
        }
        if (!(deadTimeNs >= 0 && deadTimeNs < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("dead time must be finite and >= 0 ns, got " + deadTimeNs);
        }
        if (!(thresholdMv > 0 && thresholdMv < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("threshold must be finite and > 0 mV, got " + thresholdMv);
        }
    }
}
