package io.hotaru.sim.orbit;

/**
 * The geometry of a pass at one time: what the satellite channel model needs.
 *
 * @param time the sample time
 * @param elevationDeg elevation above the horizon, degrees
 * @param azimuthDeg azimuth from true north, degrees in [0, 360)
 * @param rangeM slant range, metres
 * @param rangeRateMps slant range rate, m/s (positive when receding)
 */
public record PassSample(UtcTime time, double elevationDeg, double azimuthDeg, double rangeM, double rangeRateMps) {

    static PassSample of(UtcTime time, LookAngles look) {
        return new PassSample(time, look.elevationDeg(), look.azimuthDeg(), look.rangeM(), look.rangeRateMps());
    }
}
