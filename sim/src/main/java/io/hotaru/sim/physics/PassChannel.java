package io.hotaru.sim.physics;

/**
 * A free-space downlink that follows a pass: the transmittance at link time t is the {@link
 * FreeSpaceChannel}'s at the pass's range and elevation, interpolated linearly in dB between the
 * pass samples; 0 before the pass and after it. The background is the day or night one throughout.
 */
public final class PassChannel implements QuantumChannel {

    private final FreeSpaceChannel optics;
    private final PassGeometry pass;
    private final double[] lossDb;
    private final double background;

    public PassChannel(FreeSpaceChannel optics, PassGeometry pass, boolean daylight) {
        this.optics = optics;
        this.pass = pass;
        this.lossDb = new double[pass.sampleCount()];
        for (int i = 0; i < lossDb.length; i++) {
            lossDb[i] = optics.lossDb(pass.rangeMAt(i), pass.elevationDegAt(i));
        }
        this.background = optics.backgroundProbability(daylight);
    }

    public FreeSpaceChannel optics() {
        return optics;
    }

    public PassGeometry pass() {
        return pass;
    }

    /** Channel loss at pass sample i, dB. */
    public double lossDbAt(int i) {
        return lossDb[i];
    }

    @Override
    public double transmittanceAt(double t) {
        if (t < 0 || t > pass.durationSeconds()) {
            return 0;
        }
        int lo = 0;
        int hi = lossDb.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (pass.secondsAt(mid) <= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t0 = pass.secondsAt(lo);
        double w = (t - t0) / (pass.secondsAt(hi) - t0);
        double db = lossDb[lo] + w * (lossDb[hi] - lossDb[lo]);
        return Double.isFinite(db) ? Math.pow(10, -db / 10) : 0;
    }

    @Override
    public double backgroundProbabilityAt(double linkSeconds) {
        return background;
    }

    @Override
    public boolean isConstant() {
        return false;
    }
}
