package io.hotaru.sim.orbit;

/**
 * A ground station on the WGS-84 ellipsoid.
 *
 * @param latitudeDeg geodetic latitude, degrees in [-90, 90], north positive
 * @param longitudeDeg longitude, degrees in [-180, 360), east positive
 * @param altitudeM height above the ellipsoid, metres in [-1000, 100000]
 */
public record GroundStation(double latitudeDeg, double longitudeDeg, double altitudeM) {

    static final double WGS84_A_M = 6_378_137.0;
    static final double WGS84_F = 1.0 / 298.257223563;
    static final double WGS84_E2 = WGS84_F * (2.0 - WGS84_F);

    public GroundStation {
        if (!(latitudeDeg >= -90.0 && latitudeDeg <= 90.0)) {
            throw new IllegalArgumentException("station latitude must be in [-90, 90] degrees, was " + latitudeDeg);
        }
        if (!(longitudeDeg >= -180.0 && longitudeDeg < 360.0)) {
            throw new IllegalArgumentException("station longitude must be in [-180, 360) degrees, was " + longitudeDeg);
        }
        if (!(altitudeM >= -1000.0 && altitudeM <= 100_000.0)) {
            throw new IllegalArgumentException("station altitude must be in [-1000, 100000] m, was " + altitudeM);
        }
    }

    /**
     * Parses {@code "LAT,LON,ALT_M"}, e.g. {@code "35.68,139.77,40"}.
     *
     * @throws IllegalArgumentException naming the field that is missing, not a number or out of range
     */
    public static GroundStation parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "station must be LAT,LON,ALT_M (degrees, degrees, metres), was '" + text + "'");
        }
        return new GroundStation(
                number(parts[0], "latitude"), number(parts[1], "longitude"), number(parts[2], "altitude"));
    }

    private static double number(String text, String field) {
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("station " + field + " is not a number: '" + text.strip() + "'");
    }

    /** Earth-fixed (ITRF-like) Cartesian position in metres: x, y, z. */
    double[] earthFixed() {
        double lat = Math.toRadians(latitudeDeg);
        double lon = Math.toRadians(longitudeDeg);
        double sinLat = Math.sin(lat);
        double cosLat = Math.cos(lat);
        double n = WGS84_A_M / Math.sqrt(1.0 - WGS84_E2 * sinLat * sinLat);
        return new double[] {
            (n + altitudeM) * cosLat * Math.cos(lon),
            (n + altitudeM) * cosLat * Math.sin(lon),
            (n * (1.0 - WGS84_E2) + altitudeM) * sinLat
        };
    }
}
