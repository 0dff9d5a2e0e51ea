package io.hotaru.agent.demo;

import io.hotaru.agent.dashboard.RunClock;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.topology.FibreLink;
import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyNode;
import io.hotaru.drivers.Drivers;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.ReservationSync;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One in-JVM node per node of a {@link Topology} (key store, ETSI GS QKD 014 server, generated PKI)
 * and both ends of every fibre link distilling over an in-memory classical channel: the multi-node
 * network of the demo. Applications ({@code sae-<node>}) at
 * adjacent nodes share keys over their link, those at distant nodes keys relayed through the nodes
 * between ({@link NetworkRelays}). The satellite links key during their passes ({@link
 * SatelliteLinkRun}) when the options give the run's pass clock.
 */
public final class TopologyNetwork implements AutoCloseable {

    /**
     * What to build.
     *
     * @param workDir where the PKI and each node's master key and store go
     * @param basePort ETSI 014 port of a node = basePort + its offset; 0 picks free ports
     * @param seed link seeds derive from it
     * @param blockDetections detections per distillation block
     * @param timeScale link time per wall-clock time
     * @param eve the sim eavesdropper on a link from the start, by link id (others have none)
     * @param passClock the run's simulated time on the wall clock, which places the satellite passes;
     *     null runs no satellite link
     * @param horizon how long the run lasts: satellite passes within it are scheduled
     */
    public record Options(
            Path workDir,
            int basePort,
            long seed,
            int blockDetections,
            double timeScale,
            Map<String, String> eve,
            RunClock passClock,
            Duration horizon) {

        public Options {
            eve = Map.copyOf(eve);
        }

        public Options(
                Path workDir, int basePort, long seed, int blockDetections, double timeScale, Map<String, String> eve) {
            this(workDir, basePort, seed, blockDetections, timeScale, eve, null, Duration.ZERO);
        }

        public Options(Path workDir, int basePort, long seed, int blockDetections, double timeScale) {
            this(workDir, basePort, seed, blockDetections, timeScale, Map.of());
        }
    }

    /** A running node. */
    public record Node(TopologyNode node, String kme, String sae, KeyStore store, Etsi014Server server) {}

    /** Told of every alarm raised or cleared at a link end. */
    @FunctionalInterface
    public interface AlarmListener {
        void changed(String node, String link, AlarmBoard.AlarmChange change);
    }

    private final Topology topology;
    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, FibreLinkRun> links = new LinkedHashMap<>();
    private final Map<String, SatelliteLinkRun> satellites = new LinkedHashMap<>();
    private final AlarmListener alarms;
    private final Map<String, String> notStarted = new LinkedHashMap<>();
    private PkiFiles pki;
    private NetworkRelays relays;
    private boolean stopped;

    private TopologyNetwork(Topology topology, Options options, AlarmListener alarms) {
        this.topology = topology;
        this.options = options;
        this.alarms = alarms;
    }

    /**
     * Builds and starts the network.
     *
     * @throws io.hotaru.keys.store.KeyManagerException if a port is busy or a file cannot be made
     */
    public static TopologyNetwork start(Topology topology, Options options) {
        return start(topology, options, (node, link, change) -> {});
    }

    /**
     * Builds and starts the network, telling {@code alarms} of every alarm at a link end.
     *
     * @throws io.hotaru.keys.store.KeyManagerException if a port is busy or a file cannot be made
     */
    public static TopologyNetwork start(Topology topology, Options options, AlarmListener alarms) {
        TopologyNetwork network = new TopologyNetwork(topology, options, alarms);
        try {
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    static String kme(String node) {
        return "kme-" + node;
    }

    static String sae(String node) {
        return "sae-" + node;
    }

    private void build() {
        Map<String, String> kmeOfSae = new LinkedHashMap<>();
        topology.nodes().forEach(n -> kmeOfSae.put(sae(n.id()), kme(n.id())));
        Map<SaePair, String> linkOfPair = new LinkedHashMap<>();
        for (var l : topology.links()) {
            linkOfPair.put(new SaePair(sae(l.a()), sae(l.b())), l.id());
            linkOfPair.put(new SaePair(sae(l.b()), sae(l.a())), l.id());
        }
        Path dir = options.workDir();
        pki = Pki.create(
                dir.resolve("pki"),
                topology.nodes().stream().map(n -> kme(n.id())).toList(),
                List.copyOf(kmeOfSae.keySet()));
        Map<String, KeyStore> stores = new HashMap<>();
        for (TopologyNode n : topology.nodes()) {
            try (MasterKey master = MasterKey.loadOrCreate(dir.resolve(n.id()).resolve("master.key"))) {
                KeyStore store = KeyStore.open(dir.resolve(n.id()).resolve("keys.db"), master);
                resources.add(store);
                stores.put(n.id(), store);
            }
        }
        relays = NetworkRelays.start(topology, dir, stores);
        resources.add(relays);
        for (TopologyNode x : topology.nodes()) {
            for (String y : relays.distantFrom(x.id())) {
                linkOfPair.put(new SaePair(sae(x.id()), sae(y)), RelayNode.endToEndLink(x.id(), y));
            }
        }
        for (TopologyNode n : topology.nodes()) {
            Map<String, KeyStore> peers = new HashMap<>();
            for (String d : relays.distantFrom(n.id())) {
                peers.put(RelayNode.endToEndLink(n.id(), d), stores.get(d));
            }
            for (var l : topology.links()) {
                if (l.a().equals(n.id())) {
                    peers.put(l.id(), stores.get(l.b()));
                } else if (l.b().equals(n.id())) {
                    peers.put(l.id(), stores.get(l.a()));
                }
            }
            int port = options.basePort() == 0 ? 0 : options.basePort() + n.etsiPortOffset();
            Etsi014Server server = Etsi014Server.start(
                    Etsi014Config.of(kme(n.id()), port, kmeOfSae, linkOfPair),
                    TlsContexts.kmeServer(pki, kme(n.id())),
                    stores.get(n.id()),
                    new LocalPeerReservations(peers),
                    ReservationSync.disabled(),
                    relays.supplyAt(n.id()));
            resources.add(server);
            nodes.put(n.id(), new Node(n, kme(n.id()), sae(n.id()), stores.get(n.id()), server));
        }
        Drivers drivers = Drivers.discover();
        for (FibreLink l : topology.fibreLinks()) {
            long seed = options.seed() ^ ((long) l.id().hashCode() << 20);
            FibreLinkRun run = new FibreLinkRun(
                    l,
                    seed,
                    options.timeScale(),
                    options.blockDetections(),
                    drivers,
                    stores.get(l.a()),
                    stores.get(l.b()),
                    (node, change) -> alarms.changed(node, l.id(), change));
            resources.add(run);
            links.put(l.id(), run);
            run.start(options.eve().getOrDefault(l.id(), "none"));
        }
        for (SatelliteLink l : topology.satelliteLinks()) {
            if (options.passClock() == null) {
                notStarted.put(l.id(), "no pass clock given");
                continue;
            }
            SatelliteLinkRun run = new SatelliteLinkRun(
                    l,
                    options.passClock(),
                    options.horizon(),
                    options.timeScale(),
                    options.seed() ^ ((long) l.id().hashCode() << 20),
                    options.blockDetections(),
                    drivers,
                    stores.get(l.satellite()),
                    stores.get(l.station()),
                    (node, change) -> alarms.changed(node, l.id(), change));
            resources.add(run);
            satellites.put(l.id(), run);
            run.attack(options.eve().getOrDefault(l.id(), "none"));
            run.schedule();
        }
    }

    public Topology topology() {
        return topology;
    }

    public PkiFiles pki() {
        return pki;
    }

    /** The two nodes farthest apart over fibre links, whose keys are relayed, if there are such. */
    public Optional<List<String>> distantPair() {
        return relays.farthestPair();
    }

    /** Whether two nodes share a fibre link (else their keys are relayed). */
    public boolean adjacent(String x, String y) {
        return relays.adjacent(x, y);
    }

    /** The running nodes by id, in topology order. */
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** The running fibre links, in topology order. */
    public List<FibreLinkRun> links() {
        return List.copyOf(links.values());
    }

    /** A running fibre link by id, if there is one. */
    public Optional<FibreLinkRun> link(String id) {
        return Optional.ofNullable(links.get(id));
    }

    /** The satellite links, keyed during their passes, in topology order. */
    public List<SatelliteLinkRun> satelliteLinks() {
        return List.copyOf(satellites.values());
    }

    /** Every link: the fibre links, then the satellite links. */
    List<DemoLink> allLinks() {
        List<DemoLink> all = new ArrayList<>(links.values());
        all.addAll(satellites.values());
        return all;
    }

    /** A fibre or satellite link by id, if there is one. */
    Optional<DemoLink> anyLink(String id) {
        return Optional.<DemoLink>ofNullable(links.get(id)).or(() -> Optional.ofNullable(satellites.get(id)));
    }

    /** Links of the topology that are not running, with the reason. */
    public Map<String, String> notStarted() {
        return Map.copyOf(notStarted);
    }

    /** Stops every link after the block in progress, so that both ends hold the same blocks. */
    public void stopLinks() {
        if (stopped) {
            return;
        }
        stopped = true;
        allLinks().parallelStream().forEach(DemoLink::stop);
    }

    @Override
    public void close() {
        stopLinks();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        resources.clear();
    }
}
