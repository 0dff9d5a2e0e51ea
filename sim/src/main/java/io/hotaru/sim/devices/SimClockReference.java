package io.hotaru.sim.devices;

import io.hotaru.drivers.ClockReference;
import io.hotaru.drivers.ClockStatus;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.SelfTestResult;

/** The shared clock of a simulated link ({@code sim:clock?link=...}): always locked, no offset. */
public final class SimClockReference extends SimDevice implements ClockReference {

    public SimClockReference(SimLinkConfig config) {
        super(config, "simulated clock reference", "sim-clock");
    }

    @Override
    public synchronized ClockStatus status() {
        ensureOpen();
        return new ClockStatus(true, config.parameters().repetitionRateHz(), 0, "sim: the link's slot counter");
    }

    @Override
    DeviceHealth healthWhileOpen() {
        return DeviceHealth.ok("locked to the simulated link's slot counter");
    }

    @Override
    SelfTestResult selfTestWhileOpen() {
        return SelfTestResult.pass("simulated clock locked");
    }
}
