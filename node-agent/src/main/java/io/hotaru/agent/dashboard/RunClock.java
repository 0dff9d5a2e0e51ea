package io.hotaru.agent.dashboard;

import io.hotaru.sim.orbit.UtcTime;
import java.time.Instant;
import java.util.Objects;

/**
 * How a run's simulated time maps to the wall clock: simulated time starts at {@code simStart} when
 * the wall clock reads {@code wallStart} and runs {@code timeScale} times faster.
 *
 * @param simStart simulated instant at the start of the run
 * @param wallStart wall-clock instant at the start of the run
 * @param timeScale simulated seconds per wall-clock second, positive
 */
public record RunClock(UtcTime simStart, Instant wallStart, double timeScale) {

    public RunClock {
        Objects.requireNonNull(simStart, "simStart");
        Objects.requireNonNull(wallStart, "wallStart");
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be positive, was " + timeScale);
        }
    }

    /** The wall-clock instant at which simulated time reaches {@code sim}, in epoch milliseconds. */
    public long wallMillisOf(UtcTime sim) {
        return wallStart.toEpochMilli() + Math.round(simStart.secondsUntil(sim) * 1000.0 / timeScale);
    }

    /** The simulated instant at wall-clock time {@code wallMillis}. */
    public UtcTime simOf(long wallMillis) {
        return simStart.plusSeconds((wallMillis - wallStart.toEpochMilli()) / 1000.0 * timeScale);
    }
}
