package io.hotaru.sim.orbit;

/**
 * TEME to Earth-fixed by a rotation about z through Greenwich mean sidereal time (IAU 1982), the
 * transformation SGP4 itself is defined with.
 *
 * <p>Accuracy: UT1 is taken equal to UTC (|UT1 − UTC| &lt; 0.9 s, up to about 0.4 km of satellite
 * position along the rotation) and polar motion is ignored (about 10 m). For a station the result
 * is good to about 0.05° in look angle at 500 km range and well under a second in pass times, far
 * inside the error of a TLE itself (about a kilometre at epoch, growing by kilometres per day).
 */
final class EarthRotation {

    /** Earth rotation rate, rad/s. */
    static final double OMEGA_RAD_PER_S = 7.292115146706979e-5;

    private static final double SECONDS_PER_DAY = 86_400.0;
    /** 2000-01-01T12:00:00 UTC (taken as UT1) in POSIX seconds. */
    private static final long J2000_POSIX_SECONDS = 946_728_000L;

    private EarthRotation() {}

    /** Greenwich mean sidereal angle in radians, in [0, 2π), with UT1 = UTC. */
    static double gmstRadians(UtcTime time) {
        double t = (time.epochMillis() - J2000_POSIX_SECONDS * 1000L) / (SECONDS_PER_DAY * 1000.0 * 36_525.0);
        double seconds =
                67_310.54841 + (876_600.0 * 3600.0 + 8_640_184.812866) * t + 0.093104 * t * t - 6.2e-6 * t * t * t;
        double angle = Math.IEEEremainder(seconds, SECONDS_PER_DAY) * (2.0 * Math.PI / SECONDS_PER_DAY);
        return angle < 0.0 ? angle + 2.0 * Math.PI : angle;
    }

    /** The TEME state as Earth-fixed position (m) and velocity (m/s): {x, y, z, vx, vy, vz}. */
    static double[] toEarthFixed(TemeState teme, UtcTime time) {
        double theta = gmstRadians(time);
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        double x = c * teme.x() + s * teme.y();
        double y = -s * teme.x() + c * teme.y();
        double vx = c * teme.vx() + s * teme.vy() + OMEGA_RAD_PER_S * y;
        double vy = -s * teme.vx() + c * teme.vy() - OMEGA_RAD_PER_S * x;
        return new double[] {x, y, teme.z(), vx, vy, teme.vz()};
    }
}
