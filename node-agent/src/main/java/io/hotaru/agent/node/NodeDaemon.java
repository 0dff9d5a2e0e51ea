package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.mqtt.CommandResult;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.mqtt.NodeStatus;
import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.KeySupply;
import io.hotaru.keys.etsi014.RemotePeerReservations;
import io.hotaru.keys.etsi014.ReservationSync;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.peer.PeerConfig;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node, built from its configuration: audit log, key store, ETSI GS QKD 014 server (with
 * reservation sync to the peer KMEs) and one {@link LinkRunner} per link. {@link #close()} stops
 * the links block-aligned, then the server, the store and the audit log.
 */
public final class NodeDaemon implements AutoCloseable, NodeControlPlane.Node {
    private static final Logger log = LoggerFactory.getLogger(NodeDaemon.class);
    /** How long enc_keys waits for the peer KME to record a reservation. */
    static final Duration PEER_SYNC_TIMEOUT = Duration.ofSeconds(10);

    private final NodeConfig config;
    private final Map<String, LinkRunner> links = new LinkedHashMap<>();
    /** Parameters set over MQTT, applied when the link next starts. */
    private final Map<String, Map<String, Double>> overrides = new LinkedHashMap<>();

    private final Map<String, io.hotaru.keys.distill.auth.AuthKeyPool> pools = new LinkedHashMap<>();
    private final List<PassScheduler> schedulers = new ArrayList<>();
    private PeerConfig peerConfig;
    private NodeControlPlane control;
    private io.hotaru.agent.metrics.MetricsEndpoint metrics;
    private AuditLog audit;
    private KeyStore store;
    private io.hotaru.keys.store.AuthKeyStore authKeys;
    private Etsi014Server server;
    private NodeRelay relay;
    private boolean closed;

    private NodeDaemon(NodeConfig config) {
        this.config = config;
    }

    /** Starts everything; on failure closes what was started and rethrows. */
    public static NodeDaemon start(NodeConfig config) {
        NodeDaemon daemon = new NodeDaemon(config);
        try {
            daemon.build();
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    private void build() {
        NodeConfig.Etsi014 etsi = config.etsi014();
        audit = AuditLog.open(config.auditLog(), Clock.systemUTC());
        audit.append(
                "node.start", config.nodeId(), Map.of("config", config.source().toString()));
        PkiFiles pki = Pki.open(etsi.pkiDir(), List.of(etsi.kmeId()), List.of());
        createParent(config.keyStore());
        createParent(config.masterKey());
        try (MasterKey master = MasterKey.loadOrCreate(config.masterKey())) {
            store = KeyStore.open(
                    config.keyStore(), master, StoreOptions.defaults().withSpentRetention(config.spentRetention()));
        }
        authKeys = new io.hotaru.keys.store.AuthKeyStore(store);

        Map<String, URI> peerUris = new LinkedHashMap<>();
        Map<String, String> peerKmes = new LinkedHashMap<>();
        for (NodeConfig.Link link : config.links()) {
            var a = link.peerKme().etsi014();
            peerUris.put(link.id(), URI.create("https://" + a.getHostString() + ":" + a.getPort()));
            peerKmes.put(link.id(), link.peerKme().kmeId());
        }
        // The keys relayed with a far KME sit under the end-to-end link; its reservations go to that KME.
        config.relay()
                .ifPresent(r -> r.farKmes().forEach(far -> {
                    String e2e = RelayNode.endToEndLink(etsi.kmeId(), far.kmeId());
                    var a = far.etsi014();
                    peerUris.put(e2e, URI.create("https://" + a.getHostString() + ":" + a.getPort()));
                    peerKmes.put(e2e, far.kmeId());
                }));
        var kme = pki.kme(etsi.kmeId());
        PeerTls kmeChannels = new PeerTls(kme.certificate(), kme.privateKey(), pki.caCertificate());
        config.relay().ifPresent(r -> relay = NodeRelay.start(r, etsi.kmeId(), store, authKeys, kmeChannels));
        char[] password = pki.readPkcs12Password();
        SSLContext kmeTls;
        try {
            kmeTls = TlsContexts.jdkClient(pki.kme(etsi.kmeId()), password, pki.caCertificate());
        } finally {
            Arrays.fill(password, '\0');
        }
        Map<SaePair, String> linkOfPair = new LinkedHashMap<>();
        etsi.pairs().forEach(p -> linkOfPair.put(new SaePair(p.master(), p.slave()), p.link()));
        Etsi014Config etsiConfig = new Etsi014Config(
                etsi.kmeId(),
                etsi.bind(),
                etsi.port(),
                etsi.kmeOfSae(),
                linkOfPair,
                Etsi014Config.DEFAULT_MAX_KEYS_PER_REQUEST,
                Etsi014Config.DEFAULT_MAX_KEY_COUNT,
                Etsi014Config.DEFAULT_KEY_SIZE,
                Etsi014Config.DEFAULT_MIN_KEY_SIZE,
                Etsi014Config.DEFAULT_MAX_KEY_SIZE,
                Etsi014Config.DEFAULT_MAX_SAE_ID_COUNT);
        server = Etsi014Server.start(
                etsiConfig,
                TlsContexts.kmeServer(pki, etsi.kmeId()),
                store,
                new RemotePeerReservations(peerUris, kmeTls, PEER_SYNC_TIMEOUT),
                new ReservationSync(peerKmes, store::markReservedByPeer),
                relay == null ? KeySupply.none() : relay.supply());

        peerConfig = PeerConfig.defaults().withTls(kmeChannels);
        control = NodeControlPlane.start(
                config, config.auditLog().toAbsolutePath().getParent().resolve("mqtt-broker"), audit, this);
        for (NodeConfig.Link link : config.links()) {
            if (link.passes().isPresent()) {
                PassScheduler passes = new PassScheduler(link, aos -> startLinkRunner(link, aos), audit, pass -> {
                    NodeControlPlane c = control;
                    if (c != null) {
                        c.passFinished(pass);
                    }
                });
                schedulers.add(passes);
                passes.start();
            } else {
                startLinkRunner(link, null);
            }
        }
        config.metrics()
                .ifPresent(m -> metrics = io.hotaru.agent.metrics.MetricsEndpoint.start(
                        m.bind(),
                        m.port(),
                        registry -> NodeMetrics.register(
                                registry,
                                this,
                                config.links().stream().map(NodeConfig.Link::id).toList()),
                        this::healthJson));
        log.info(
                "node {} running: KME {}, ETSI GS QKD 014 on {}:{}, {} link(s)",
                config.nodeId(),
                etsi.kmeId(),
                etsi.bind(),
                server.port(),
                links.size());
    }

    private synchronized LinkRunner startLinkRunner(NodeConfig.Link configured, Instant holdUntil) {
        if (closed) {
            throw new IllegalStateException(
                    "node " + config.nodeId() + " is stopping; link " + configured.id() + " not started");
        }
        NodeConfig.Link link = LinkOverrides.apply(configured, overrides.getOrDefault(configured.id(), Map.of()));
        LinkRunner runner = new LinkRunner(
                link, store::ingest, audit, peerConfig, observer(), this::poolOf, new LinkResumption.StoredBlocks() {
                    @Override
                    public long lastStoredBlock(String linkId) {
                        return store.lastStoredBlock(linkId);
                    }

                    @Override
                    public io.hotaru.keys.store.BlockWithdrawal.Result withdrawBlocksAfter(
                            String linkId, long blockId) {
                        return store.withdrawBlocksAfter(linkId, blockId);
                    }
                });
        if (holdUntil != null) {
            runner.holdUntil(holdUntil);
        }
        links.put(link.id(), runner);
        runner.start();
        return runner;
    }

    private synchronized io.hotaru.keys.distill.auth.AuthKeyPool poolOf(NodeConfig.Link link) {
        return pools.computeIfAbsent(link.id(), id -> LinkRunner.openPool(authKeys, link));
    }

    private LinkObserver observer() {
        NodeControlPlane c = control;
        return c == null ? LinkObserver.NONE : c;
    }

    /**
     * The body of {@code /health}: the node is up; its links' states and active alarms; with a relay,
     * each relay channel (open, authentication words left for this node's frames) and the relays in
     * doubt.
     */
    String healthJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("status", "up");
        o.put("node", config.nodeId());
        var linksNode = o.putObject("links");
        Map<String, Map<String, String>> alarms = activeAlarms();
        linkStates().forEach((id, state) -> {
            var l = linksNode.putObject(id);
            l.put("state", state.name());
            var a = l.putArray("alarms");
            alarms.getOrDefault(id, Map.of()).keySet().stream().sorted().forEach(a::add);
        });
        relay().ifPresent(r -> {
            var relayNode = o.putObject("relay");
            var channels = relayNode.putObject("channels");
            for (String peer : r.neighbours()) {
                var c = channels.putObject(peer);
                c.put("up", r.channelUp(peer));
                c.put("auth_words_left", r.wordsLeft(peer));
                c.put("leased_units", r.leasedUnits(peer));
            }
            relayNode.put("in_doubt", r.inDoubt());
        });
        return o.toString();
    }

    /** This node's part in the relay, if its configuration has one. */
    java.util.Optional<NodeRelay> relay() {
        return java.util.Optional.ofNullable(relay);
    }

    long availableKeys(String linkId) {
        return store.availableCount(linkId);
    }

    double storeFileBytes() {
        return store.fileBytes();
    }

    double spentRowsDeleted() {
        return store.spentRowsDeleted();
    }

    double unitsErasedOnArrival() {
        return store.unitsErasedOnArrival();
    }

    boolean mqttConnected() {
        NodeControlPlane c = control;
        return c != null && c.connected();
    }

    double telemetryLost() {
        NodeControlPlane c = control;
        return c == null ? 0 : c.telemetryLost();
    }

    double auditRecords() {
        return audit.records();
    }

    /** The port of {@code /metrics}, or -1 without the endpoint. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public synchronized NodeStatus status() {
        Map<String, LinkState> states = new LinkedHashMap<>();
        links.forEach((id, r) -> states.put(id, r.state()));
        return new NodeStatus(states, audit.lastHash(), audit.records());
    }

    @Override
    public List<LinkTelemetry> telemetry() {
        List<LinkRunner> runners;
        synchronized (this) {
            runners = List.copyOf(links.values());
        }
        Instant now = Instant.now();
        List<LinkTelemetry> out = new ArrayList<>();
        for (LinkRunner r : runners) {
            out.add(r.telemetry(now, store.availableCount(r.id()) * 256L));
        }
        return out;
    }

    /** Link states by id. */
    public synchronized Map<String, LinkState> linkStates() {
        return status().links();
    }

    /** Active alarms per link, by kind. */
    public synchronized Map<String, Map<String, String>> activeAlarms() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        links.forEach((id, r) -> out.put(id, r.activeAlarms()));
        return out;
    }

    synchronized Map<String, LinkRunner> runners() {
        return Map.copyOf(links);
    }

    @Override
    public CommandResult startLink(String link) {
        synchronized (this) {
            LinkRunner r = links.get(link);
            if (r != null && r.state() != LinkState.STOPPED) {
                return CommandResult.failed("link " + link + " is running (" + r.state() + ")");
            }
            NodeConfig.Link configured = config.links().stream()
                    .filter(l -> l.id().equals(link))
                    .findFirst()
                    .orElse(null);
            if (configured == null) {
                return CommandResult.failed("no link " + link);
            }
            if (configured.passes().isPresent()) {
                return CommandResult.failed("link " + link + " follows its pass schedule");
            }
            startLinkRunner(configured, null);
        }
        return CommandResult.ok("link " + link + " starting");
    }

    @Override
    public CommandResult stopLink(String link) {
        LinkRunner r;
        synchronized (this) {
            r = links.get(link);
        }
        if (r == null || r.state() == LinkState.STOPPED) {
            return CommandResult.failed("link " + link + " is not running");
        }
        r.close();
        return CommandResult.ok("link " + link + " stopped");
    }

    @Override
    public synchronized CommandResult setParameter(String link, String name, double value) {
        if (!LinkOverrides.SUPPORTED.contains(name)) {
            return CommandResult.failed(name + " is set by the link's configuration and devices on this node; it"
                    + " cannot be changed over MQTT (supported: " + String.join(", ", LinkOverrides.SUPPORTED)
                    + ")");
        }
        overrides.computeIfAbsent(link, k -> new LinkedHashMap<>()).put(name, value);
        return CommandResult.ok(name + " = " + value + " for link " + link + "; applies when the link next starts");
    }

    @Override
    public CommandResult runSelfTest(String link) {
        LinkRunner r;
        synchronized (this) {
            r = links.get(link);
        }
        if (r == null) {
            return CommandResult.failed("no link " + link);
        }
        return r.requestSelfTest()
                ? CommandResult.ok("self-test of link " + link + " started")
                : CommandResult.failed("link " + link + " cannot run a self-test in state " + r.state()
                        + " (it runs one from KEYGEN, or from ALARM once its alarms have cleared)");
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent, e);
        }
    }

    public int etsi014Port() {
        return server.port();
    }

    /**
     * Stops everything. It does not hold this node's lock while it stops the links: a link that is
     * reconnecting holds its own lock and reports its state change, which reads this node's status
     * (a close holding both waited for ever).
     */
    @Override
    public void close() {
        List<LinkRunner> runners;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            runners = List.copyOf(links.values());
        }
        closeQuietly(metrics, "metrics endpoint");
        schedulers.forEach(s -> closeQuietly(s, "pass schedule"));
        for (LinkRunner link : runners) {
            closeQuietly(link, "link");
        }
        closeQuietly(control, "MQTT control plane");
        pools.values().forEach(p -> closeQuietly(p::close, "authentication pool"));
        closeQuietly(server, "ETSI 014 server");
        closeQuietly(relay, "trusted-node relay");
        closeQuietly(store, "key store");
        if (audit != null) {
            audit.append("node.stop", config.nodeId(), Map.of());
            closeQuietly(audit, "audit log");
        }
        log.info("node {} stopped", config.nodeId());
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.error("closing the {} failed: {}", what, e.toString());
        }
    }
}
