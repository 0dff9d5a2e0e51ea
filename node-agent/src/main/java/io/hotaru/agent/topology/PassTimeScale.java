package io.hotaru.agent.topology;

import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.SatellitePass;
import io.hotaru.sim.orbit.UtcTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;

/**
 * The time compression that makes a topology's first satellite pass happen early in a run: with
 * simulated time running {@code scale} times faster than the wall clock from {@link Topology#start},
 * the whole first pass (AOS to LOS above the link's mask) is over within the wanted wall-clock time.
 */
public final class PassTimeScale {

    /** How far ahead of the start a first pass is looked for. */
    public static final Duration SEARCH_WINDOW = Duration.ofDays(2);

    private PassTimeScale() {}

    /**
     * The first pass over any satellite link of a topology, and the smallest whole time scale that
     * puts its LOS within {@code wallClock} of the start of a run.
     *
     * @param link the satellite link of the pass
     * @param pass the pass (simulated time)
     * @param timeScale simulated seconds per wall-clock second, at least 1
     */
    public record FirstPass(SatelliteLink link, SatellitePass pass, long timeScale) {

        /** Wall-clock time from the start of a run to AOS at this time scale. */
        public Duration wallClockToAos(UtcTime start) {
            return Duration.ofMillis(Math.round(start.secondsUntil(pass.aos()) * 1000 / timeScale));
        }

        /** Wall-clock time from the start of a run to LOS at this time scale. */
        public Duration wallClockToLos(UtcTime start) {
            return Duration.ofMillis(Math.round(start.secondsUntil(pass.los()) * 1000 / timeScale));
        }
    }

    /**
     * Finds the first pass after {@code topology.start()} within {@link #SEARCH_WINDOW}; empty when the
     * topology has no satellite link or no pass in that window.
     */
    public static Optional<FirstPass> firstPass(Topology topology, Duration wallClock) {
        if (wallClock.isNegative() || wallClock.isZero()) {
            throw new IllegalArgumentException("wall-clock time must be positive, was " + wallClock);
        }
        FirstPass best = null;
        for (SatelliteLink link : topology.satelliteLinks()) {
            Optional<SatellitePass> first = new PassPredictor(link.tle(), link.groundStation())
                    .predict(topology.start(), SEARCH_WINDOW, link.minElevationDeg()).stream()
                            .filter(p -> !p.startsBeforeWindow() && !p.endsAfterWindow())
                            .min(Comparator.comparing(SatellitePass::aos));
            if (first.isPresent()
                    && (best == null || first.get().aos().isBefore(best.pass().aos()))) {
                best = new FirstPass(link, first.get(), scaleFor(topology.start(), first.get(), wallClock));
            }
        }
        return Optional.ofNullable(best);
    }

    static long scaleFor(UtcTime start, SatellitePass pass, Duration wallClock) {
        double simulatedSeconds = start.secondsUntil(pass.los());
        return Math.max(1, (long) Math.ceil(simulatedSeconds / (wallClock.toMillis() / 1000.0)));
    }
}
