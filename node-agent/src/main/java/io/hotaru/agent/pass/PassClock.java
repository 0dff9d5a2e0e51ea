package io.hotaru.agent.pass;

import java.time.Duration;
import java.time.Instant;

/**
 * Orbit time against the wall clock: {@code orbit = start + scale · (wall − wallStart)}. With scale
 * 1 and start "now" it is the real time; a simulated link runs it faster ({@code time_scale}).
 */
public record PassClock(Instant orbitStart, Instant wallStart, double scale) {

    public PassClock {
        if (!(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("time scale must be finite and > 0, got " + scale);
        }
    }

    /** The wall-clock instant at which orbit time reaches {@code orbit}. */
    public Instant wallAt(Instant orbit) {
        long orbitNanos = Duration.between(orbitStart, orbit).toNanos();
        return wallStart.plusNanos((long) (orbitNanos / scale));
    }

    /** Orbit time at wall instant {@code wall}. */
    public Instant orbitAt(Instant wall) {
        long wallNanos = Duration.between(wallStart, wall).toNanos();
        return orbitStart.plusNanos((long) (wallNanos * scale));
    }
}
