package io.hotaru.agent.topology;

import io.hotaru.agent.mqtt.Topics;
import io.hotaru.sim.orbit.GroundStation;
import io.hotaru.sim.orbit.Tle;
import java.util.Objects;

/**
 * A down-link from a satellite node to a ground-station node, keyed only while the satellite is
 * above the station's elevation mask.
 *
 * @param id link id
 * @param satellite the satellite's node (the transmitter)
 * @param station the ground station's node (the receiver)
 * @param tle the satellite's orbit
 * @param groundStation the station's geodetic position
 * @param minElevationDeg elevation mask, degrees
 * @param parameterSet the sim parameter set of the link ({@code micius}, ...)
 */
public record SatelliteLink(
        String id,
        String satellite,
        String station,
        Tle tle,
        GroundStation groundStation,
        double minElevationDeg,
        String parameterSet) {

    public SatelliteLink {
        if (!Topics.isLevel(id)) {
            throw new IllegalArgumentException("link id '" + id + "' is not a topic level");
        }
        Objects.requireNonNull(satellite, "satellite");
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(tle, "tle");
        Objects.requireNonNull(groundStation, "groundStation");
        Objects.requireNonNull(parameterSet, "parameterSet");
        if (!(minElevationDeg >= 0 && minElevationDeg < 90)) {
            throw new IllegalArgumentException("elevation mask must be in [0, 90) degrees");
        }
    }
}
