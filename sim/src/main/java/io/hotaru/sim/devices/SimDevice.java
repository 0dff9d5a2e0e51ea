package io.hotaru.sim.devices;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;

/** What the simulated link-side devices share: identity, closing, and health while open. */
abstract class SimDevice implements Device {

    protected final SimLinkConfig config;
    private final DeviceIdentity identity;
    private boolean closed;

    SimDevice(SimLinkConfig config, String model, String serialPrefix) {
        this.config = config;
        this.identity = new DeviceIdentity(
                "Hotaru", model, serialPrefix + "-" + config.link(), config.uri(), DeviceIdentity.Kind.SIMULATED);
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    public SimLinkConfig config() {
        return config;
    }

    @Override
    public synchronized DeviceHealth health() {
        return closed ? DeviceHealth.failed("closed") : healthWhileOpen();
    }

    @Override
    public synchronized SelfTestResult selfTest() {
        return closed ? SelfTestResult.fail("closed") : selfTestWhileOpen();
    }

    abstract DeviceHealth healthWhileOpen();

    abstract SelfTestResult selfTestWhileOpen();

    @Override
    public synchronized void close() {
        closed = true;
    }

    protected synchronized void ensureOpen() {
        if (closed) {
            throw new DeviceException(DeviceException.Code.CLOSED, "device '" + config.uri() + "' is closed");
        }
    }
}
