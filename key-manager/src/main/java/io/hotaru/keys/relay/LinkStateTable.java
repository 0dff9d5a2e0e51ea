package io.hotaru.keys.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What one node knows of the network: the latest link-state announcement of every node (by
 * sequence number), and routes over it. A link is usable when both ends announce it up; its key is
 * the smaller of the two ends' counts. The cost of a link grows as its pool shrinks,
 * 1 + {@value #SCARCITY_UNITS} / (available units + 1), so relays spread over the links with most
 * key and a nearly empty link is used only when nothing else reaches. Thread-safe.
 */
public final class LinkStateTable {
    /** Pool size (units) at which a link costs two hops' worth. */
    static final double SCARCITY_UNITS = 1_000;
    /** Marks, among the excluded nodes, that the direct link already carries a route (not a node ID). */
    private static final String DIRECT_USED = " direct";

    private record Entry(long sequence, Map<String, LinkState> links) {}

    private final Map<String, Entry> byNode = new HashMap<>();
    private long version;

    /**
     * Records {@code origin}'s links if {@code sequence} is newer than what is known.
     *
     * @return whether the announcement was new (and should be flooded on)
     */
    public synchronized boolean update(String origin, long sequence, List<LinkState> links) {
        Entry known = byNode.get(origin);
        if (known != null && known.sequence >= sequence) {
            return false;
        }
        Map<String, LinkState> map = new HashMap<>();
        links.forEach(l -> map.put(l.peer(), l));
        byNode.put(origin, new Entry(sequence, map));
        version++;
        notifyAll();
        return true;
    }

    /** Counts the updates so far; see {@link #awaitUpdate}. */
    public synchronized long version() {
        return version;
    }

    /**
     * Waits until the table changes after {@code seenVersion}, at most {@code maxMillis}.
     *
     * @return whether it changed
     */
    public synchronized boolean awaitUpdate(long seenVersion, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (version == seenVersion) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    public synchronized long sequenceOf(String origin) {
        Entry e = byNode.get(origin);
        return e == null ? -1 : e.sequence;
    }

    /** Key units usable on the link a–b, 0 if either end reports it down or unknown. */
    public synchronized long available(String a, String b) {
        LinkState ab = linkOf(a, b);
        LinkState ba = linkOf(b, a);
        if (ab == null || ba == null || !ab.up() || !ba.up()) {
            return 0;
        }
        return Math.min(ab.availableUnits(), ba.availableUnits());
    }

    private LinkState linkOf(String from, String to) {
        Entry e = byNode.get(from);
        return e == null ? null : e.links.get(to);
    }

    /**
     * The cheapest route from {@code source} to {@code destination} over links with at least {@code
     * units} available, within the policy; empty if there is none.
     */
    public synchronized Optional<List<String>> route(
            String source, String destination, long units, RoutePolicy policy) {
        return route(source, destination, units, policy, Set.of());
    }

    /**
     * Up to {@code count} node-disjoint routes (no intermediate node shared), each the cheapest
     * route left after the intermediate nodes of the earlier ones are removed; fewer if the network
     * has fewer. Greedy, so it can miss a disjoint set that exists (Suurballe's algorithm would not).
     */
    public synchronized List<List<String>> disjointRoutes(
            String source, String destination, long units, RoutePolicy policy, int count) {
        List<List<String>> routes = new ArrayList<>();
        Set<String> used = new HashSet<>();
        boolean directUsed = false;
        while (routes.size() < count) {
            Optional<List<String>> r = route(source, destination, units, policy, used);
            if (r.isEmpty()) {
                break;
            }
            List<String> path = r.get();
            if (path.size() == 2) {
                if (directUsed) {
                    break;
                }
                directUsed = true;
            }
            routes.add(path);
            used.addAll(path.subList(1, path.size() - 1));
            if (path.size() == 2) {
                used.add(DIRECT_USED); // the direct link carries one share only
            }
        }
        return routes;
    }

    private Optional<List<String>> route(
            String source, String destination, long units, RoutePolicy policy, Set<String> excluded) {
        record Visit(String node, double cost, int hops) {}
        Map<String, Double> best = new HashMap<>();
        Map<String, String> previous = new HashMap<>();
        Map<String, Integer> hopsTo = new HashMap<>();
        PriorityQueue<Visit> queue = new PriorityQueue<>((x, y) -> Double.compare(x.cost, y.cost));
        best.put(source, 0.0);
        hopsTo.put(source, 0);
        queue.add(new Visit(source, 0, 0));
        while (!queue.isEmpty()) {
            Visit v = queue.poll();
            if (v.cost > best.getOrDefault(v.node, Double.MAX_VALUE)) {
                continue;
            }
            if (v.node.equals(destination)) {
                break;
            }
            if (v.hops >= policy.maxHops() || (!v.node.equals(source) && isBlocked(v.node, policy, excluded))) {
                continue;
            }
            Entry e = byNode.get(v.node);
            if (e == null) {
                continue;
            }
            for (String next : e.links.keySet()) {
                long available = available(v.node, next);
                if (available < units || available == 0) {
                    continue;
                }
                if (!next.equals(destination) && isBlocked(next, policy, excluded)) {
                    continue;
                }
                if (v.node.equals(source) && next.equals(destination) && excluded.contains(DIRECT_USED)) {
                    continue;
                }
                double cost = v.cost + 1 + SCARCITY_UNITS / (available + 1);
                if (cost < best.getOrDefault(next, Double.MAX_VALUE)) {
                    best.put(next, cost);
                    previous.put(next, v.node);
                    hopsTo.put(next, v.hops + 1);
                    queue.add(new Visit(next, cost, v.hops + 1));
                }
            }
        }
        if (!previous.containsKey(destination)) {
            return Optional.empty();
        }
        ArrayDeque<String> path = new ArrayDeque<>();
        for (String n = destination; n != null; n = previous.get(n)) {
            path.addFirst(n);
        }
        return Optional.of(Collections.unmodifiableList(new ArrayList<>(path)));
    }

    private static boolean isBlocked(String node, RoutePolicy policy, Set<String> excluded) {
        return policy.avoid().contains(node) || excluded.contains(node);
    }
}
