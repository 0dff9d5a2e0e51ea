package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.sim.physics.PulseState;
import io.hotaru.sim.physics.WeakCoherentSource;

/**
 * Alice of a simulated link. Stores nothing per pulse: {@link #statesFor} regenerates the states
 * of the requested slots from the link's seed and parameters, exactly as Bob's detections were
 * drawn from them.
 */
public final class SimPhotonSource implements PhotonSource {

    private final SimLinkConfig config;
    private final WeakCoherentSource source;
    private final SourceSettings settings;
    private final DeviceIdentity identity;
    private boolean running;
    private boolean closed;

    public SimPhotonSource(SimLinkConfig config) {
        this.config = config;
        this.source = new WeakCoherentSource(config.parameters(), config.linkKey());
        this.settings = config.sourceSettings();
        this.identity = new DeviceIdentity(
                "Hotaru",
                "simulated weak coherent source",
                "sim-alice-" + config.link(),
                config.uri(),
                DeviceIdentity.Kind.SIMULATED);
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    public SimLinkConfig config() {
        return config;
    }

    @Override
    public SourceSettings settings() {
        return settings;
    }

    @Override
    public synchronized void start() {
        ensureOpen();
        running = true;
    }

    @Override
    public synchronized void stop() {
        ensureOpen();
        running = false;
    }

    public synchronized boolean running() {
        return running;
    }

    /** The states of any slots, whether or not the source is running (they are a pure function). */
    @Override
    public void statesFor(long[] slots, int count, byte[] intensity, byte[] basis, byte[] bit) {
        ensureOpen();
        if (count < 0
                || count > slots.length
                || count > intensity.length
                || count > basis.length
                || count > bit.length) {
            throw new IllegalArgumentException("count " + count + " exceeds an array's length");
        }
        for (int i = 0; i < count; i++) {
            int state = source.state(slots[i]);
            intensity[i] = (byte) PulseState.intensityLevel(state);
            basis[i] = (byte) PulseState.basis(state);
            bit[i] = (byte) PulseState.bit(state);
        }
    }

    /** Checks that the levels, bases and bits of the first 10^5 slots are reproducible and all occur. */
    @Override
    public SelfTestResult selfTest() {
        if (isClosed()) {
            return SelfTestResult.fail("closed");
        }
        int slots = 100_000;
        int levels = config.parameters().levelCount();
        long[] perLevel = new long[levels];
        long z = 0;
        long ones = 0;
        for (long s = 0; s < slots; s++) {
            int state = source.state(s);
            if (state != source.state(s)) {
                return SelfTestResult.fail("state of slot " + s + " is not reproducible");
            }
            perLevel[PulseState.intensityLevel(state)]++;
            z += 1 - PulseState.basis(state);
            ones += PulseState.bit(state);
        }
        for (int k = 0; k < levels; k++) {
            if (config.parameters().intensityProbability(k) > 0 && perLevel[k] == 0) {
                return SelfTestResult.fail("intensity level " + k + " never sent in " + slots + " slots");
            }
        }
        if (z == 0 || z == slots || ones == 0 || ones == slots) {
            return SelfTestResult.fail("bases or bits stuck in " + slots + " slots");
        }
        return SelfTestResult.pass(String.format(
                "simulated source of link '%s' (%s, %.0f MHz, %d levels): states reproducible, %.3f Z, %.3f ones",
                config.link(),
                config.parameterSet(),
                settings.repetitionRateHz() / 1e6,
                levels,
                (double) z / slots,
                (double) ones / slots));
    }

    @Override
    public synchronized DeviceHealth health() {
        return closed
                ? DeviceHealth.failed("closed")
                : DeviceHealth.ok("simulated source of link '" + config.link() + "' emitting");
    }

    @Override
    public synchronized void close() {
        closed = true;
        running = false;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new DeviceException(DeviceException.Code.CLOSED, "device '" + config.uri() + "' is closed");
        }
    }
}
