package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * How a {@link KeyStore} runs.
 *
 * @param reservationTtl how long reserved keys wait for their slaves; then both ends erase them
 * @param defaultCapacity most units a link may hold (available or reserved) unless listed
 * @param capacityByLink per-link capacities overriding the default
 * @param spentRetention how long the row of a delivered or erased unit stays after it was spent; then
 *     the store deletes it ({@link KeyStore#purgeSpent})
 */
public record StoreOptions(
        Clock clock,
        Duration reservationTtl,
        long defaultCapacity,
        Map<String, Long> capacityByLink,
        Duration spentRetention) {
    public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(10);
    public static final long DEFAULT_CAPACITY = 10_000_000;
    /**
     * A day: far longer than a relay stays open or a reservation waits, and a store holding a day of
     * spent rows at a metro link's rate (about 10 units a second) holds about 200 MB of them.
     */
    public static final Duration DEFAULT_SPENT_RETENTION = Duration.ofDays(1);
    /** The shortest retention: an hour, twice {@link KeyStore#FORGOTTEN_MARGIN}. */
    public static final Duration MIN_SPENT_RETENTION = Duration.ofHours(1);

    public StoreOptions {
        capacityByLink = Map.copyOf(capacityByLink);
        if (reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new KeyManagerException(Code.CONFIG, "reservation TTL must be positive, was " + reservationTtl);
        }
        if (defaultCapacity < 1 || capacityByLink.values().stream().anyMatch(c -> c < 1)) {
            throw new KeyManagerException(Code.CONFIG, "link capacities must be at least 1 unit");
        }
        if (spentRetention.compareTo(MIN_SPENT_RETENTION) < 0) {
            throw new KeyManagerException(
                    Code.CONFIG,
                    "spent-unit retention must be at least " + MIN_SPENT_RETENTION + ", was " + spentRetention);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(
                Clock.systemUTC(), DEFAULT_RESERVATION_TTL, DEFAULT_CAPACITY, Map.of(), DEFAULT_SPENT_RETENTION);
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(newClock, reservationTtl, defaultCapacity, capacityByLink, spentRetention);
    }

    public StoreOptions withReservationTtl(Duration ttl) {
        return new StoreOptions(clock, ttl, defaultCapacity, capacityByLink, spentRetention);
    }

    public StoreOptions withCapacity(String linkId, long units) {
        Map<String, Long> copy = new java.util.HashMap<>(capacityByLink);
        copy.put(linkId, units);
        return new StoreOptions(clock, reservationTtl, defaultCapacity, copy, spentRetention);
    }

    public StoreOptions withSpentRetention(Duration retention) {
        return new StoreOptions(clock, reservationTtl, defaultCapacity, capacityByLink, retention);
    }

    long capacity(String linkId) {
        return capacityByLink.getOrDefault(linkId, defaultCapacity);
    }
}
