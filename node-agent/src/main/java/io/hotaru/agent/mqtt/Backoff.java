package io.hotaru.agent.mqtt;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Exponential reconnect backoff with full jitter: the n-th wait is uniform in [min, min·2ⁿ], capped at
 * {@code max}. Randomness is injected so tests are repeatable.
 */
public final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final LongSupplier random;
    private int attempt;

    /** @param random a source of uniformly distributed longs */
    public Backoff(Duration min, Duration max, LongSupplier random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + ", " + max);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before the next attempt. */
    public synchronized Duration next() {
        long ceiling = attempt >= 30 ? maxMillis : Math.min(maxMillis, minMillis << attempt);
        attempt++;
        long span = ceiling - minMillis;
        long jitter = span == 0 ? 0 : Math.floorMod(random.getAsLong(), span + 1);
        return Duration.ofMillis(minMillis + jitter);
    }

    /** Called after a successful connection. */
    public synchronized void reset() {
        attempt = 0;
    }
}
