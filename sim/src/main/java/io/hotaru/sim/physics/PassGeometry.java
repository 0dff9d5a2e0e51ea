package io.hotaru.sim.physics;

import java.util.Arrays;

/**
 * Slant range and elevation of a satellite over a ground station at increasing times from the
 * start of a pass: what a {@link PassChannel} follows. Taken from an SGP4 pass prediction, or made
 * by {@link #synthetic} for a circular orbit.
 */
public final class PassGeometry {

    private static final double EARTH_RADIUS_M = 6_371_000;
    private static final double GM = 3.986004418e14;

    private final double[] seconds;
    private final double[] rangeM;
    private final double[] elevationDeg;

    /**
     * @param seconds sample times from the start of the pass, strictly increasing, the first 0
     * @param rangeM slant range at each time
     * @param elevationDeg elevation at each time
     */
    public PassGeometry(double[] seconds, double[] rangeM, double[] elevationDeg) {
        if (seconds.length < 2 || rangeM.length != seconds.length || elevationDeg.length != seconds.length) {
            throw new IllegalArgumentException("a pass needs at least 2 samples, each with a range and an elevation");
        }
        for (int i = 0; i < seconds.length; i++) {
            if (i > 0 && !(seconds[i] > seconds[i - 1])) {
                throw new IllegalArgumentException("pass sample times must increase, at sample " + i);
            }
            Checks.positive("rangeM[" + i + "]", rangeM[i]);
        }
        this.seconds = seconds.clone();
        this.rangeM = rangeM.clone();
        this.elevationDeg = elevationDeg.clone();
    }

    /**
     * A pass of a satellite on a circular orbit at {@code altitudeKm} that culminates at {@code
     * maxElevationDeg}, from rising through {@code minElevationDeg} to setting through it, sampled
     * every {@code stepSeconds}; Earth's rotation is neglected (a fraction of a degree for LEO).
     */
    public static PassGeometry synthetic(
            double altitudeKm, double maxElevationDeg, double minElevationDeg, double stepSeconds) {
        Checks.positive("altitudeKm", altitudeKm);
        Checks.positive("stepSeconds", stepSeconds);
        if (!(maxElevationDeg > minElevationDeg && maxElevationDeg <= 90 && minElevationDeg >= 0)) {
            throw new IllegalArgumentException("need 0 <= minElevationDeg < maxElevationDeg <= 90, got "
                    + minElevationDeg + " and " + maxElevationDeg);
        }
        double r = EARTH_RADIUS_M + altitudeKm * 1e3;
        double omega = Math.sqrt(GM / (r * r * r));
        // Cross-track central angle at culmination: the one whose elevation is the maximum.
        double beta = centralAngleAt(maxElevationDeg, r);
        double psiMin = centralAngleAt(minElevationDeg, r);
        double halfSpan = Math.acos(Math.cos(psiMin) / Math.cos(beta)) / omega;
        int n = (int) Math.ceil(2 * halfSpan / stepSeconds) + 1;
        double[] t = new double[n];
        double[] range = new double[n];
        double[] el = new double[n];
        for (int i = 0; i < n; i++) {
            double ti = Math.min(i * stepSeconds, 2 * halfSpan);
            if (i > 0 && ti <= t[i - 1]) {
                return new PassGeometry(Arrays.copyOf(t, i), Arrays.copyOf(range, i), Arrays.copyOf(el, i));
            }
            double psi = Math.acos(Math.cos(beta) * Math.cos(omega * (ti - halfSpan)));
            double rho = Math.sqrt(EARTH_RADIUS_M * EARTH_RADIUS_M + r * r - 2 * EARTH_RADIUS_M * r * Math.cos(psi));
            t[i] = ti;
            range[i] = rho;
            el[i] = Math.toDegrees(Math.asin((r * Math.cos(psi) - EARTH_RADIUS_M) / rho));
        }
        return new PassGeometry(t, range, el);
    }

    /** Earth central angle between station and sub-satellite point at which the elevation is e. */
    private static double centralAngleAt(double elevationDeg, double orbitRadiusM) {
        double e = Math.toRadians(elevationDeg);
        return Math.acos(EARTH_RADIUS_M / orbitRadiusM * Math.cos(e)) - e;
    }

    public double durationSeconds() {
        return seconds[seconds.length - 1];
    }

    public int sampleCount() {
        return seconds.length;
    }

    public double secondsAt(int i) {
        return seconds[i];
    }

    public double rangeMAt(int i) {
        return rangeM[i];
    }

    public double elevationDegAt(int i) {
        return elevationDeg[i];
    }

    public double minRangeM() {
        return Arrays.stream(rangeM).min().orElseThrow();
    }

    public double maxRangeM() {
        return Arrays.stream(rangeM).max().orElseThrow();
    }
}
