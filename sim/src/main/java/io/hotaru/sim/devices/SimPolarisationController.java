package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.SelfTestResult;

/**
 * A simulated three-waveplate polarisation controller ({@code sim:polarisation?link=...}). It
 * remembers its angles; the link's misalignment comes from the parameter set, not from them.
 */
public final class SimPolarisationController extends SimDevice implements PolarisationController {

    private final double[] angles = new double[3];

    public SimPolarisationController(SimLinkConfig config) {
        super(config, "simulated polarisation controller (3 waveplates)", "sim-polarisation");
    }

    @Override
    public int waveplateCount() {
        return angles.length;
    }

    @Override
    public synchronized double[] anglesDeg() {
        ensureOpen();
        return angles.clone();
    }

    @Override
    public synchronized void setAnglesDeg(double[] a) {
        ensureOpen();
        if (a.length != angles.length) {
            throw new IllegalArgumentException("need " + angles.length + " angles, got " + a.length);
        }
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("angles must be finite, got " + x);
            }
        }
        System.arraycopy(a, 0, angles, 0, angles.length);
    }

    @Override
    DeviceHealth healthWhileOpen() {
        return DeviceHealth.ok("simulated waveplates responding");
    }

    @Override
    SelfTestResult selfTestWhileOpen() {
        return SelfTestResult.pass("simulated waveplates move and report back");
    }
}
