package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.PassSample;
import io.hotaru.sim.orbit.SatellitePass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One satellite link's passes during a run: the elevation over each pass (from the TLE, by the sim's
 * {@link PassPredictor}) placed on the wall clock, and the secret key the link reported during each
 * pass (its telemetry's secret rate integrated over the telemetry periods that end inside the pass).
 * Not thread-safe; {@link DashboardState} guards it.
 */
final class SatelliteTrack {

    /** Elevation samples per pass. */
    static final int SAMPLES_PER_PASS = 60;
    /** A telemetry gap longer than this is not integrated (the link was not reporting). */
    static final long MAX_INTEGRATION_MS = 10_000;

    private record Pass(long aosMillis, long losMillis, double maxElevationDeg, List<double[]> samples) {}

    private final String link;
    private final List<Pass> passes;
    private final double[] keyBits;
    private long lastTelemetryMillis = Long.MIN_VALUE;

    private SatelliteTrack(String link, List<Pass> passes) {
        this.link = link;
        this.passes = passes;
        this.keyBits = new double[passes.size()];
    }

    /** The passes of {@code link} during the first {@code horizon} of wall-clock time of a run. */
    static SatelliteTrack of(SatelliteLink link, RunClock clock, Duration horizon) {
        PassPredictor predictor = new PassPredictor(link.tle(), link.groundStation());
        Duration simulated = Duration.ofMillis(Math.max(1, Math.round(horizon.toMillis() * clock.timeScale())));
        if (simulated.compareTo(PassPredictor.MAX_WINDOW) > 0) {
            simulated = PassPredictor.MAX_WINDOW;
        }
        List<Pass> passes = new ArrayList<>();
        for (SatellitePass p : predictor.predict(clock.simStart(), simulated, link.minElevationDeg())) {
            long stepMs = Math.max(1, Math.round(p.durationSeconds() * 1000 / SAMPLES_PER_PASS));
            List<double[]> samples = new ArrayList<>();
            for (PassSample s : predictor.sample(p, Duration.ofMillis(stepMs))) {
                samples.add(new double[] {clock.wallMillisOf(s.time()), s.elevationDeg()});
            }
            passes.add(
                    new Pass(clock.wallMillisOf(p.aos()), clock.wallMillisOf(p.los()), p.maxElevationDeg(), samples));
        }
        return new SatelliteTrack(link.id(), List.copyOf(passes));
    }

    String link() {
        return link;
    }

    /**
     * Adds a telemetry message of this link: {@code secretBps} over the period since the previous
     * one, to the pass whose window contains {@code atMillis}. Returns true if a pass's key changed.
     */
    boolean addTelemetry(long atMillis, double secretBps) {
        long previous = lastTelemetryMillis;
        lastTelemetryMillis = Math.max(previous, atMillis);
        if (previous == Long.MIN_VALUE || atMillis <= previous || !(secretBps > 0)) {
            return false;
        }
        long period = Math.min(atMillis - previous, MAX_INTEGRATION_MS);
        for (int i = 0; i < passes.size(); i++) {
            Pass p = passes.get(i);
            if (atMillis >= p.aosMillis() && atMillis <= p.losMillis() + MAX_INTEGRATION_MS) {
                keyBits[i] += secretBps * period / 1000.0;
                return true;
            }
        }
        return false;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("link", link);
        ArrayNode list = o.putArray("passes");
        for (int i = 0; i < passes.size(); i++) {
            Pass p = passes.get(i);
            ObjectNode j = list.addObject();
            j.put("aos", p.aosMillis());
            j.put("los", p.losMillis());
            j.put("max_elevation_deg", p.maxElevationDeg());
            j.put("key_bits", Math.floor(keyBits[i]));
            ArrayNode samples = j.putArray("elevation");
            for (double[] s : p.samples()) {
                samples.addArray().add((long) s[0]).add(Math.round(s[1] * 100) / 100.0);
            }
        }
        return o;
    }
}
