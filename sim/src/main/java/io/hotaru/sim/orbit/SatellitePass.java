package io.hotaru.sim.orbit;

/**
 * One pass of a satellite over a station above a minimum elevation.
 *
 * @param aos acquisition of signal: the satellite rises through {@code minElevationDeg}, or the
 *     start of the search window if {@code startsBeforeWindow}
 * @param los loss of signal: the satellite sets through {@code minElevationDeg}, or the end of the
 *     search window if {@code endsAfterWindow}
 * @param maxElevationTime time of the highest elevation
 * @param maxElevationDeg highest elevation, degrees
 * @param aosAzimuthDeg azimuth at AOS, degrees
 * @param losAzimuthDeg azimuth at LOS, degrees
 * @param minRangeM shortest slant range during the pass, metres
 * @param minRangeTime time of the shortest slant range
 * @param minElevationDeg the elevation mask the pass was found with, degrees
 * @param startsBeforeWindow the satellite was already above the mask at the window start
 * @param endsAfterWindow the satellite was still above the mask at the window end
 */
public record SatellitePass(
        UtcTime aos,
        UtcTime los,
        UtcTime maxElevationTime,
        double maxElevationDeg,
        double aosAzimuthDeg,
        double losAzimuthDeg,
        double minRangeM,
        UtcTime minRangeTime,
        double minElevationDeg,
        boolean startsBeforeWindow,
        boolean endsAfterWindow) {

    /** Seconds from AOS to LOS. */
    public double durationSeconds() {
        return aos.secondsUntil(los);
    }
}
