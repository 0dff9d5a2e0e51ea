package io.hotaru.agent.pass;

import io.hotaru.sim.orbit.GroundStation;
import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.SatellitePass;
import io.hotaru.sim.orbit.Tle;
import io.hotaru.sim.orbit.TleReader;
import io.hotaru.sim.orbit.UtcTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The node's only use of the simulator's orbit code: SGP4 pass prediction ({@link PassPredictor})
 * for a TLE file and a ground station, turned into {@link PassWindow}s.
 */
public final class OrbitPasses {

    private OrbitPasses() {}

    /**
     * Checks that {@code tleFile} holds at least one element set and {@code station} reads as
     * {@code LAT,LON,ALT_M}.
     *
     * @return why not, or null if both are fine
     */
    public static String problem(Path tleFile, String station) {
        try {
            elements(tleFile);
            GroundStation.parse(station);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Passes of the first satellite in {@code tleFile} over {@code station} in [from, from + window). */
    public static List<PassWindow> predict(
            Path tleFile, String station, double minElevationDeg, Instant from, Duration window) {
        PassPredictor predictor = new PassPredictor(elements(tleFile), GroundStation.parse(station));
        List<SatellitePass> passes = predictor.predict(new UtcTime(from.toEpochMilli()), window, minElevationDeg);
        return passes.stream()
                .map(p -> new PassWindow(
                        Instant.ofEpochMilli(p.aos().epochMillis()),
                        Instant.ofEpochMilli(p.los().epochMillis()),
                        p.maxElevationDeg()))
                .toList();
    }

    private static Tle elements(Path tleFile) {
        String text;
        try {
            text = Files.readString(tleFile);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no TLE file at " + tleFile, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tleFile + ": " + e.getMessage(), e);
        }
        List<Tle> sets = TleReader.parse(tleFile.toString(), text);
        if (sets.isEmpty()) {
            throw new IllegalArgumentException(tleFile + " holds no TLE");
        }
        return sets.get(0);
    }
}
