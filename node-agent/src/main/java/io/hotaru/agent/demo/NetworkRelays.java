package io.hotaru.agent.demo;

import io.hotaru.agent.topology.FibreLink;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyNode;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.relay.InMemoryWire;
import io.hotaru.keys.relay.RelayJournal;
import io.hotaru.keys.relay.RelayKeySupply;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.relay.RoutePolicy;
import io.hotaru.keys.store.KeyStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The trusted-node relay of a {@link TopologyNetwork}: a {@link RelayNode} per node on its key store
 * (journal in the node's folder), a relay channel per fibre link over an {@link InMemoryWire}
 * authenticated with Wegman–Carter tags from a bootstrap secret shared by the link's two ends (drawn
 * here: both ends live in this JVM), and link-state announcements every second so that routes follow
 * the pools. Each node's ETSI 014 server serves the pairs of non-adjacent nodes from end-to-end links
 * ({@link RelayNode#endToEndLink}), topped up on demand by a {@link RelayKeySupply}.
 */
final class NetworkRelays implements AutoCloseable {

    /** How long an {@code enc_keys} may wait for relays before the server answers 503. */
    static final Duration TOP_UP_WAIT = Duration.ofSeconds(10);

    private final Topology topology;
    private final Map<String, RelayNode> nodes = new LinkedHashMap<>();
    private final List<RelayJournal> journals = new ArrayList<>();
    private final List<AuthKeyPool> pools = new ArrayList<>();
    private final ScheduledExecutorService announcer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-announce");
        t.setDaemon(true);
        return t;
    });

    private NetworkRelays(Topology topology) {
        this.topology = topology;
    }

    /** Starts a relay node per node on {@code stores} and connects every fibre link's two ends. */
    static NetworkRelays start(Topology topology, Path workDir, Map<String, KeyStore> stores) {
        NetworkRelays r = new NetworkRelays(topology);
        try {
            for (TopologyNode n : topology.nodes()) {
                RelayJournal journal = RelayJournal.open(stores.get(n.id()));
                r.journals.add(journal);
                r.nodes.put(n.id(), new RelayNode(n.id(), stores.get(n.id()), journal, Duration.ofSeconds(10), 3));
            }
            SecureRandom random = new SecureRandom();
            for (FibreLink l : topology.fibreLinks()) {
                RelayNode a = r.nodes.get(l.a());
                RelayNode b = r.nodes.get(l.b());
                a.addLink(l.b(), l.id());
                b.addLink(l.a(), l.id());
                byte[] bootstrap = new byte[1 << 16];
                random.nextBytes(bootstrap);
                AuthKeyPool poolA = AuthKeyPool.bootstrap(bootstrap);
                AuthKeyPool poolB = AuthKeyPool.bootstrap(bootstrap);
                Arrays.fill(bootstrap, (byte) 0);
                r.pools.add(poolA);
                r.pools.add(poolB);
                InMemoryWire wire = new InMemoryWire();
                a.connect(l.b(), poolA, wire.endA());
                b.connect(l.a(), poolB, wire.endB());
            }
            r.announcer.scheduleWithFixedDelay(r::announce, 0, 1, TimeUnit.SECONDS);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void announce() {
        for (RelayNode n : nodes.values()) {
            try {
                n.announce();
            } catch (RuntimeException e) {
                // a failed announcement is retried on the next tick
            }
        }
    }

    /** The nodes {@code node} shares no fibre link with. */
    Set<String> distantFrom(String node) {
        Set<String> distant = new TreeSet<>();
        for (TopologyNode n : topology.nodes()) {
            if (!n.id().equals(node) && !adjacent(node, n.id())) {
                distant.add(n.id());
            }
        }
        return distant;
    }

    boolean adjacent(String x, String y) {
        return topology.fibreLinks().stream()
                .anyMatch(l -> (l.a().equals(x) && l.b().equals(y)) || (l.a().equals(y) && l.b().equals(x)));
    }

    /**
     * The two nodes farthest apart over fibre links (most hops, first in topology order on ties), if
     * any two nodes are joined only through others.
     */
    Optional<List<String>> farthestPair() {
        List<String> best = null;
        int bestHops = 1;
        for (TopologyNode from : topology.nodes()) {
            Map<String, Integer> hops = new LinkedHashMap<>();
            hops.put(from.id(), 0);
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(from.id()));
            while (!queue.isEmpty()) {
                String x = queue.poll();
                for (FibreLink l : topology.fibreLinks()) {
                    String y = l.a().equals(x) ? l.b() : l.b().equals(x) ? l.a() : null;
                    if (y != null && !hops.containsKey(y)) {
                        hops.put(y, hops.get(x) + 1);
                        queue.add(y);
                    }
                }
            }
            for (Map.Entry<String, Integer> e : hops.entrySet()) {
                if (e.getValue() > bestHops) {
                    bestHops = e.getValue();
                    best = List.of(from.id(), e.getKey());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Relays towards {@code node}'s distant nodes when its end-to-end pools run short. */
    RelayKeySupply supplyAt(String node) {
        return RelayKeySupply.towards(nodes.get(node), distantFrom(node), RoutePolicy.any(), TOP_UP_WAIT);
    }

    @Override
    public void close() {
        announcer.shutdownNow();
        nodes.values().forEach(RelayNode::close);
        journals.forEach(RelayJournal::close);
        pools.forEach(AuthKeyPool::close);
    }
}
