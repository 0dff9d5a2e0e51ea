package io.hotaru.drivers;

/**
 * A device opened through a {@link DriverProvider}. Every role (photon source, time tagger, QRNG,
 * ...) extends this interface, so the node agent can identify, self-test and close any device the
 * same way whether it is simulated or real.
 */
public interface Device extends AutoCloseable {

    /** What this device is; says so when it is simulated or a stand-in. */
    DeviceIdentity identity();

    /** Runs the device's self-test. Never throws for a failed test; a failure is a result. */
    SelfTestResult selfTest();

    /**
     * The device's current condition, cheap to poll. Devices that report nothing say {@link
     * DeviceHealth.State#UNKNOWN}, which a monitor must not take for OK.
     */
    default DeviceHealth health() {
        return DeviceHealth.unknown("this device does not report its health");
    }

    /** Releases the device. Idempotent. */
    @Override
    void close();
}
