package io.hotaru.agent.demo;

import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.agent.topology.FibreLink;
import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyNode;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One in-JVM node per node of a {@link Topology} (key store, ETSI GS QKD 014 server, generated PKI)
 * and both ends of every fibre link distilling over an in-memory classical channel: the multi-node
 * counterpart of {@link TwoNodeNetwork}, for the network demo. Applications ({@code sae-<node>}) at
 * adjacent nodes share keys over their link; relaying between distant nodes and the satellite links
 * come with the relay and a satellite-pass binding of the {@code sim:} driver ({@link #notStarted}).
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
     */
    public record Options(Path workDir, int basePort, long seed, int blockDetections, double timeScale) {}

    /** A running node. */
    public record Node(TopologyNode node, String kme, String sae, KeyStore store, Etsi014Server server) {}

    /** A running fibre link. */
    public record Link(FibreLink link, String tagger, TransmitterLink transmitter, ReceiverLink receiver) {}

    private final Topology topology;
    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final Map<String, String> notStarted = new LinkedHashMap<>();
    private PkiFiles pki;
    private boolean stopped;

    private TopologyNetwork(Topology topology, Options options) {
        this.topology = topology;
        this.options = options;
    }

    /**
     * Builds and starts the network.
     *
     * @throws io.hotaru.keys.store.KeyManagerException if a port is busy or a file cannot be made
     */
    public static TopologyNetwork start(Topology topology, Options options) {
        TopologyNetwork network = new TopologyNetwork(topology, options);
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
        for (FibreLink l : topology.fibreLinks()) {
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
        for (TopologyNode n : topology.nodes()) {
            Map<String, KeyStore> peers = new HashMap<>();
            for (FibreLink l : topology.fibreLinks()) {
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
                    new LocalPeerReservations(peers));
            resources.add(server);
            nodes.put(n.id(), new Node(n, kme(n.id()), sae(n.id()), stores.get(n.id()), server));
        }
        Drivers drivers = Drivers.discover();
        for (FibreLink l : topology.fibreLinks()) {
            links.add(startLink(drivers, l, stores.get(l.a()), stores.get(l.b())));
        }
        for (SatelliteLink l : topology.satelliteLinks()) {
            notStarted.put(l.id(), "the sim: binding has no satellite-pass link yet");
        }
    }

    private Link startLink(Drivers drivers, FibreLink l, KeyStore storeA, KeyStore storeB) {
        long seed = options.seed() ^ ((long) l.id().hashCode() << 20);
        FibreLinkDevices devices = FibreLinkDevices.of(l, seed, options.timeScale());
        PhotonSource source = drivers.open(devices.source(), PhotonSource.class);
        resources.add(source);
        TimeTagger tagger = drivers.open(devices.tagger(), TimeTagger.class);
        resources.add(tagger);
        Qrng qrng = drivers.open("sim:qrng?seed=" + (seed ^ 0x5DEECE66DL), Qrng.class);
        resources.add(qrng);
        SourceSettings settings = source.settings();
        var distillSettings = TwoNodeNetwork.toDistillSettings(settings);
        DistillConfig config = DistillConfig.defaults();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        TransmitterLink transmitter = new TransmitterLink(
                l.id(),
                source,
                new AliceSession(
                        config,
                        distillSettings,
                        CascadeReconciler.original(),
                        new QrngRandomSource(qrng),
                        channel.alice()),
                storeA::ingest);
        ReceiverLink receiver = new ReceiverLink(
                l.id(),
                tagger,
                new BobSession(config, distillSettings, CascadeReconciler.original(), channel.bob()),
                storeB::ingest,
                settings.slotPeriodPs(),
                options.blockDetections(),
                seed);
        transmitter.start();
        receiver.start();
        return new Link(l, devices.tagger(), transmitter, receiver);
    }

    public Topology topology() {
        return topology;
    }

    public PkiFiles pki() {
        return pki;
    }

    public Map<String, Node> nodes() {
        return Map.copyOf(nodes);
    }

    public List<Link> links() {
        return List.copyOf(links);
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
        for (Link l : links) {
            l.receiver().close();
        }
        for (Link l : links) {
            l.transmitter().stopAfter(l.receiver().startedBlocks(), Duration.ofSeconds(30));
        }
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
