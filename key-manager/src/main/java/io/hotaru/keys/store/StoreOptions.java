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
 */
public record StoreOptions(
        Clock clock, Duration reservationTtl, long defaultCapacity, Map<String, Long> capacityByLink) {
    public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(10);
    public static final long DEFAULT_CAPACITY = 10_000_000;

    public StoreOptions {
        capacityByLink = Map.copyOf(capacityByLink);
        if (reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new KeyManagerException(Code.CONFIG, "reservation TTL must be positive, was " + reservationTtl);
        }
        if (defaultCapacity < 1 || capacityByLink.values().stream().anyMatch(c -> c < 1)) {
            throw new KeyManagerException(Code.CONFIG, "link capacities must be at least 1 unit");
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), DEFAULT_RESERVATION_TTL, DEFAULT_CAPACITY, Map.of());
    }

    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(newClock, reservationTtl, defaultCapacity, capacityByLink);
    }

    public StoreOptions withReservationTtl(Duration ttl) {
        return new StoreOptions(clock, ttl, defaultCapacity, capacityByLink);
    }

    public StoreOptions withCapacity(String linkId, long units) {
        Map<String, Long> copy = new java.util.HashMap<>(capacityByLink);
        copy.put(linkId, units);
        return new StoreOptions(clock, reservationTtl, defaultCapacity, copy);
    }

    long capacity(String linkId) {
        return capacityByLink.getOrDefault(linkId, defaultCapacity);
    }
}
