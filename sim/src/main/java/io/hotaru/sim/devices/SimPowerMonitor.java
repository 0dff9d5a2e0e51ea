package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PowerReading;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.sim.physics.Attack;
import io.hotaru.sim.physics.CounterRandom;

/**
 * The photodiode at a simulated transmitter's fibre input ({@code sim:monitor?link=...}): a few
 * picowatts of noise, plus the probe light under {@code eve=trojan[:watts]}.
 */
public final class SimPowerMonitor extends SimDevice implements OpticalPowerMonitor {

    static final double NOISE_FLOOR_W = 1e-12;
    static final double FULL_SCALE_W = 1e-3;
    private static final long STREAM = 0x504F_5752L; // "POWR"

    private final double probeW;
    private final CounterRandom noise;
    private long reads;

    public SimPowerMonitor(SimLinkConfig config) {
        super(config, "simulated optical power monitor", "sim-monitor");
        this.probeW = config.attack() instanceof Attack.TrojanHorse t ? t.probePowerW() : 0;
        this.noise = CounterRandom.of(config.linkKey(), STREAM);
    }

    @Override
    public synchronized PowerReading read() {
        ensureOpen();
        double w = NOISE_FLOOR_W * (1 + noise.unitAt(reads++)) + probeW;
        return new PowerReading(Math.min(w, FULL_SCALE_W), w >= FULL_SCALE_W);
    }

    @Override
    public double noiseFloorW() {
        return NOISE_FLOOR_W;
    }

    @Override
    DeviceHealth healthWhileOpen() {
        return DeviceHealth.ok("simulated monitor, noise floor " + NOISE_FLOOR_W + " W");
    }

    @Override
    SelfTestResult selfTestWhileOpen() {
        return SelfTestResult.pass("simulated monitor reads within range");
    }
}
