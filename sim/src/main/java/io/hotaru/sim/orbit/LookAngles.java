package io.hotaru.sim.orbit;

/**
 * Where a station sees a satellite.
 *
 * @param elevationDeg angle above the local horizon (ellipsoid normal), degrees in [-90, 90]
 * @param azimuthDeg clockwise from true north, degrees in [0, 360)
 * @param rangeM slant range from station to satellite, metres
 * @param rangeRateMps rate of change of the slant range, m/s (positive when receding)
 */
public record LookAngles(double elevationDeg, double azimuthDeg, double rangeM, double rangeRateMps) {}
