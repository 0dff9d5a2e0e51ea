package io.hotaru.agent.monitor;

/**
 * What the attack monitors see of one block: error rate, gains per intensity, count rates, the
 * receiver's self-test pulses, the transmitter's optical power monitor and the detectors' arrival
 * times. Unknown values are NaN (or 0 pulses sent).
 *
 * @param blockId the block
 * @param linkSeconds link time the block covers
 * @param qber estimated error rate of the signal intensity
 * @param gains detections per pulse, per intensity level (0 signal, 1 decoy, 2 vacuum)
 * @param intensities mean photon number per intensity level, as configured
 * @param pulses pulses sent per intensity level in the block
 * @param detections detection events in the block
 * @param selfTestSent self-test pulses the receiver fired at its own detectors
 * @param selfTestSeen of those, how many its detectors registered
 * @param monitorPowerWatts light entering the transmitter (Trojan-horse monitor), NaN if unmonitored
 * @param arrivalOffsetPs per detector, mean arrival time within its slot in ps
 */
public record BlockObservation(
        long blockId,
        double linkSeconds,
        double qber,
        double[] gains,
        double[] intensities,
        double[] pulses,
        long detections,
        long selfTestSent,
        long selfTestSeen,
        double monitorPowerWatts,
        double[] arrivalOffsetPs) {

    public BlockObservation {
        gains = gains.clone();
        intensities = intensities.clone();
        pulses = pulses.clone();
        arrivalOffsetPs = arrivalOffsetPs.clone();
    }

    @Override
    public double[] gains() {
        return gains.clone();
    }

    @Override
    public double[] intensities() {
        return intensities.clone();
    }

    @Override
    public double[] pulses() {
        return pulses.clone();
    }

    @Override
    public double[] arrivalOffsetPs() {
        return arrivalOffsetPs.clone();
    }

    /** Detections per second of link time. */
    public double countRate() {
        return linkSeconds > 0 ? detections / linkSeconds : Double.NaN;
    }
}
