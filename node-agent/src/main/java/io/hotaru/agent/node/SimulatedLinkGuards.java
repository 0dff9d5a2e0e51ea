package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.TimeTagger;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@link KeyOutputGuard}s of the two ends of an in-JVM simulated link (the network demo), built
 * as {@code LinkRunner} builds a daemon's: each end's local monitors on its own devices and the
 * shared monitors on the distillation's figures.
 */
public final class SimulatedLinkGuards {

    private SimulatedLinkGuards() {}

    /**
     * A guard for the transmitting end of an in-JVM simulated link (the network demo): the
     * Trojan-horse monitor on {@code powerMonitor} and the shared monitors, with the thresholds of
     * {@code monitors}.
     *
     * @param selfTest runs the end's devices' self-tests, true if all passed
     */
    public static KeyOutputGuard transmitter(
            String linkId,
            LinkStateMachine machine,
            NodeConfig.Monitors monitors,
            double slotPeriodPs,
            double[] intensities,
            OpticalPowerMonitor powerMonitor,
            BooleanSupplier selfTest,
            Consumer<AlarmBoard.AlarmChange> alarms) {
        return LinkMonitors.guard(
                linkId,
                NodeConfig.Role.TRANSMITTER,
                monitors,
                machine,
                new LocalReadings(Optional.of(powerMonitor), Optional.empty(), Optional.empty(), 0),
                slotPeriodPs,
                intensities,
                selfTest,
                alarms);
    }

    /**
     * A guard for the receiving end of an in-JVM simulated link (the network demo): the blinding
     * monitor on {@code detectors}' self-test pulses, the time-shift monitor on the arrival times seen
     * by {@code tapped} (made by {@link #arrivalTap}; the receiver must read through it), and the
     * shared monitors.
     */
    public static KeyOutputGuard receiver(
            String linkId,
            LinkStateMachine machine,
            NodeConfig.Monitors monitors,
            double slotPeriodPs,
            double[] intensities,
            DetectorControl detectors,
            TimeTagger tapped,
            BooleanSupplier selfTest,
            Consumer<AlarmBoard.AlarmChange> alarms) {
        if (!(tapped instanceof ArrivalTimeTap tap)) {
            throw new IllegalArgumentException("the receiver's tagger must come from SimulatedLinkGuards.arrivalTap");
        }
        return LinkMonitors.guard(
                linkId,
                NodeConfig.Role.RECEIVER,
                monitors,
                machine,
                new LocalReadings(
                        Optional.empty(), Optional.of(detectors), Optional.of(tap), monitors.selfTestPulsesPerBlock()),
                slotPeriodPs,
                intensities,
                selfTest,
                alarms);
    }

    /** {@code tagger} seen through a tap of its arrival times, for {@link #receiver}. */
    public static TimeTagger arrivalTap(TimeTagger tagger, double slotPeriodPs) {
        return new ArrivalTimeTap(tagger, slotPeriodPs);
    }
}
