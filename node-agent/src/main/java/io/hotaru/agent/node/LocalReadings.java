package io.hotaru.agent.node;

import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.SelfTestPulses;
import java.util.Optional;

/**
 * What one end of a link reads from its own devices before each block, for the monitors that only
 * that end can run: the transmitter's optical power monitor (Trojan horse), the receiver's
 * self-test pulses (blinding) and arrival times per detector (time shift). A device the link does
 * not have leaves its figures unknown, and its monitor reports itself unmonitored.
 */
final class LocalReadings {

    /** One end's readings for one block. */
    record Reading(long selfTestSent, long selfTestSeen, double monitorPowerWatts, double[] arrivalOffsetPs) {}

    private final Optional<OpticalPowerMonitor> powerMonitor;
    private final Optional<DetectorControl> detectors;
    private final Optional<ArrivalTimeTap> arrivals;
    private final int selfTestPulses;

    LocalReadings(
            Optional<OpticalPowerMonitor> powerMonitor,
            Optional<DetectorControl> detectors,
            Optional<ArrivalTimeTap> arrivals,
            int selfTestPulses) {
        this.powerMonitor = powerMonitor;
        this.detectors = detectors;
        this.arrivals = arrivals;
        this.selfTestPulses = selfTestPulses;
    }

    Reading read() {
        long sent = 0;
        long seen = 0;
        if (detectors.isPresent() && selfTestPulses > 0) {
            SelfTestPulses p = detectors.get().fireSelfTestPulses(selfTestPulses);
            for (int d : p.detected()) {
                sent += p.sent();
                seen += d;
            }
        }
        double power = powerMonitor.map(m -> m.read().watts()).orElse(Double.NaN);
        double[] offsets = arrivals.map(ArrivalTimeTap::drain).orElse(new double[0]);
        return new Reading(sent, seen, power, offsets);
    }
}
