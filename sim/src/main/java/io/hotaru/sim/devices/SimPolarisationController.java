package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.sim.physics.StokesRotation;

/**
 * A simulated three-waveplate polarisation controller ({@code sim:polarisation?link=...}): a
 * quarter-wave, a half-wave and a quarter-wave plate, in the order the light meets them, each
 * turned to its angle from horizontal. At angles (0, 0, 0) it leaves the light as it is. Opened
 * through the same {@link SimDriverProvider} as the link's {@code sim:bob}, it acts on that
 * receiver's detections: the rotation it applies follows the fibre's {@code pol_drift}, and the
 * misalignment error of the parameter set stays underneath as the floor.
 */
public final class SimPolarisationController extends SimDevice implements PolarisationController {

    private static final double[] RETARDANCES = {Math.PI / 2, Math.PI, Math.PI / 2};

    private final double[] angles = new double[3];
    private final PolarisationPath path;

    /** A controller acting on nothing but itself (no receiver shares its path). */
    public SimPolarisationController(SimLinkConfig config) {
        this(config, new PolarisationPath());
    }

    SimPolarisationController(SimLinkConfig config, PolarisationPath path) {
        super(config, "simulated polarisation controller (QWP, HWP, QWP)", "sim-polarisation");
        this.path = path;
    }

    /** The rotation of the Poincaré sphere that waveplates at {@code anglesDeg} make. */
    public static StokesRotation rotationOf(double[] anglesDeg) {
        StokesRotation r = StokesRotation.IDENTITY;
        for (int i = 0; i < anglesDeg.length; i++) {
            r = StokesRotation.waveplate(Math.toRadians(anglesDeg[i]), RETARDANCES[i])
                    .after(r);
        }
        return r;
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
        path.setController(rotationOf(angles));
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
