package io.hotaru.drivers;

/**
 * Result of firing the receiver's own faint test pulses at its detectors ("self-seeding"). A
 * blinded detector misses them.
 *
 * @param sent pulses fired at each channel
 * @param detected pulses each channel detected
 * @param expectedFraction share the device expects to detect when healthy
 */
public record SelfTestPulses(int sent, int[] detected, double expectedFraction) {

    public SelfTestPulses {
        if (sent < 0) {
            throw new IllegalArgumentException("sent must be >= 0");
        }
        detected = detected.clone();
    }

    @Override
    public int[] detected() {
        return detected.clone();
    }

    /** Detected share of the pulses sent to {@code channel}. */
    public double fraction(int channel) {
        return sent == 0 ? 0 : (double) detected[channel] / sent;
    }
}
