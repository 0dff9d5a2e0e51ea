/**
 * Satellite geometry for ground-station QKD: TLE parsing ({@link io.hotaru.sim.orbit.Tle},
 * {@link io.hotaru.sim.orbit.TleReader}), SGP4 propagation ({@link io.hotaru.sim.orbit.Sgp4Propagator},
 * Orekit's implementation of the 2006 revision), look angles from a WGS-84 station ({@link
 * io.hotaru.sim.orbit.SatelliteView}) and pass prediction and sampling ({@link
 * io.hotaru.sim.orbit.PassPredictor}).
 *
 * <p>Pure: no files, network, logging or clocks. Times are {@link io.hotaru.sim.orbit.UtcTime}
 * (POSIX milliseconds) chosen by the caller; text is handed in already read.
 *
 * <p>Accuracy. SGP4 matches the Vallado et al. reference output to well under a millimetre for the
 * near-earth verification cases; the TLE itself is the limit (about 1 km at epoch, kilometres per
 * day after). TEME is turned Earth-fixed through GMST (IAU 1982) with UT1 = UTC and no polar motion
 * (see {@code EarthRotation}): up to about 0.4 km of satellite position, 0.05° of look angle at 500
 * km range, a fraction of a second in AOS/LOS. Mask crossings are refined to 1 ms, the highest
 * elevation and closest approach to 10 ms.
 */
package io.hotaru.sim.orbit;
