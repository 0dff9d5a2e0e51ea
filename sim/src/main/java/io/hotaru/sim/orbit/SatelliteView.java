package io.hotaru.sim.orbit;

/**
 * Look angles from one ground station to one satellite, from SGP4 and {@link EarthRotation}.
 *
 * <p>Not thread-safe (it holds an {@link Sgp4Propagator}).
 */
public final class SatelliteView {

    private final Sgp4Propagator propagator;
    private final GroundStation station;
    private final double[] stationPosition;
    private final double[] east;
    private final double[] north;
    private final double[] up;

    public SatelliteView(Tle tle, GroundStation station) {
        this.propagator = new Sgp4Propagator(tle);
        this.station = station;
        this.stationPosition = station.earthFixed();
        double lat = Math.toRadians(station.latitudeDeg());
        double lon = Math.toRadians(station.longitudeDeg());
        double sinLat = Math.sin(lat);
        double cosLat = Math.cos(lat);
        double sinLon = Math.sin(lon);
        double cosLon = Math.cos(lon);
        this.east = new double[] {-sinLon, cosLon, 0.0};
        this.north = new double[] {-sinLat * cosLon, -sinLat * sinLon, cosLat};
        this.up = new double[] {cosLat * cosLon, cosLat * sinLon, sinLat};
    }

    public Tle tle() {
        return propagator.tle();
    }

    public GroundStation station() {
        return station;
    }

    /**
     * Look angles at {@code time}.
     *
     * @throws PropagationException if SGP4 cannot give a position at that time
     */
    public LookAngles lookAngles(UtcTime time) {
        double[] satellite = EarthRotation.toEarthFixed(propagator.stateAt(time), time);
        double dx = satellite[0] - stationPosition[0];
        double dy = satellite[1] - stationPosition[1];
        double dz = satellite[2] - stationPosition[2];
        double range = Math.sqrt(dx * dx + dy * dy + dz * dz);
        double e = dx * east[0] + dy * east[1];
        double n = dx * north[0] + dy * north[1] + dz * north[2];
        double u = dx * up[0] + dy * up[1] + dz * up[2];
        double elevation = Math.toDegrees(Math.asin(Math.max(-1.0, Math.min(1.0, u / range))));
        double azimuth = Math.toDegrees(Math.atan2(e, n));
        if (azimuth < 0.0) {
            azimuth += 360.0;
        }
        if (azimuth >= 360.0) {
            azimuth -= 360.0;
        }
        double rangeRate = (dx * satellite[3] + dy * satellite[4] + dz * satellite[5]) / range;
        return new LookAngles(elevation, azimuth, range, rangeRate);
    }
}
