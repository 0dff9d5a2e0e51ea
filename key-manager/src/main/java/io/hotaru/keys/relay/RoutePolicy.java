package io.hotaru.keys.relay;

import java.util.Set;

/**
 * Constraints on a relay's route.
 *
 * @param avoid trusted nodes the key must not pass through (never the source or destination)
 * @param maxHops most links on the route
 */
public record RoutePolicy(Set<String> avoid, int maxHops) {
    public RoutePolicy {
        avoid = Set.copyOf(avoid);
        if (maxHops < 1) {
            throw new IllegalArgumentException("maxHops must be at least 1, was " + maxHops);
        }
    }

    /** Any node, up to 15 hops (the longest path the relay codec carries). */
    public static RoutePolicy any() {
        return new RoutePolicy(Set.of(), 15);
    }

    public RoutePolicy avoiding(String node) {
        java.util.Set<String> more = new java.util.HashSet<>(avoid);
        more.add(node);
        return new RoutePolicy(more, maxHops);
    }

    public RoutePolicy withMaxHops(int hops) {
        return new RoutePolicy(avoid, hops);
    }
}
