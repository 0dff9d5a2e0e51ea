package io.hotaru.drivers;

/**
 * Control of the receiver's single-photon detectors: efficiency (bias), gate, dead time and
 * threshold, their readings, and self-test pulses for the blinding monitor.
 */
public interface DetectorControl extends Device {

    /** Number of detector channels (4 for a passive-basis BB84 receiver). */
    int channelCount();

    DetectorSettings settings();

    /**
     * Applies new settings.
     *
     * @throws DeviceException {@code DEVICE_ERROR} if the device rejects them
     */
    void apply(DetectorSettings settings);

    /** Count rates, photocurrents and temperature now. */
    DetectorStatus status();

    /**
     * Fires {@code pulses} faint test pulses at every channel, between key-generation slots, and
     * reports how many each channel detected.
     */
    SelfTestPulses fireSelfTestPulses(int pulses);
}
