package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.relay.RelayJournal;
import io.hotaru.keys.relay.RelayKeySupply;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.relay.RelayPeer;
import io.hotaru.keys.relay.RoutePolicy;
import io.hotaru.keys.relay.net.NettyRelayWire;
import io.hotaru.keys.relay.net.RelayConnector;
import io.hotaru.keys.relay.net.RelayListener;
import io.hotaru.keys.store.AuthKeyStore;
import io.hotaru.keys.store.KeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the trusted-node relay, from its {@code relay} configuration: a {@link RelayNode}
 * named by the node's KME ID on its key store (journal in the same file), a relay channel to each
 * neighbour over mutual TLS with the KME certificates (dialled by this node or accepted on {@code
 * relay.listen}, and dialled again whenever it drops), each authenticated with Wegman–Carter tags
 * from a durable pool opened from the neighbour's bootstrap secret and refilled from the link's key,
 * link-state announcements every {@link #ANNOUNCE_PERIOD}, and the settling of relays left in doubt. The ETSI 014 server tops up the end-to-end links
 * of its far KMEs through {@link #supply}.
 */
final class NodeRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRelay.class);
    /** How long a call to a neighbour waits for its answer. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Routes a relay tries before it reports a failure. */
    static final int MAX_ATTEMPTS = 3;
    /**
     * Between two link-state announcements. Every frame, an announcement passed on as much as a
     * relay, costs a word of its channel's authentication pool: the bootstrap secret first (a 16 MiB
     * secret gives about a million words per direction, some weeks of announcements at this period
     * on a small network), then words refilled from the link's key (ADR 0011).
     */
    static final Duration ANNOUNCE_PERIOD = Duration.ofSeconds(5);
    /** Between two dials of a neighbour that is down. */
    static final Duration DIAL_PERIOD = Duration.ofSeconds(1);
    /** How long an {@code enc_keys} may wait for relays before the server answers 503. */
    static final Duration TOP_UP_WAIT = Duration.ofSeconds(10);

    private final NodeConfig.Relay config;
    private final RelayJournal journal;
    private final RelayNode node;
    private final PeerTls tls;
    private final Map<String, AuthKeyPool> poolByPeer = new LinkedHashMap<>();
    private final Map<String, NodeConfig.RelayNeighbour> neighbourByPeer = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Between two attempts to settle the relays this node started and left in doubt. */
    static final Duration SETTLE_PERIOD = Duration.ofSeconds(5);

    /** Announces on one thread and settles on the other: settling may wait for a call's timeout. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "relay-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * Below this many authentication words left for the frames to a neighbour, the node warns (once
     * per channel and start). The channel keeps its pool at 4,096 unused words per direction from
     * the link's key once the bootstrap secret is spent (ADR 0011, "Refilled from the link"), so
     * a pool this low means the refills are not keeping up: the link's key is short.
     */
    static final long LOW_WORDS = 1_024;

    private final java.util.Set<String> warnedLow = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private RelayListener listener;
    private RelayConnector connector;
    private volatile boolean closed;

    private NodeRelay(NodeConfig.Relay config, String kmeId, KeyStore store, PeerTls tls) {
        this.config = config;
        this.tls = tls;
        this.journal = RelayJournal.open(store);
        this.node = new RelayNode(kmeId, store, journal, CALL_TIMEOUT, MAX_ATTEMPTS);
    }

    /**
     * Starts the relay of {@code kmeId}: opens the channels' authentication pools (each bootstrap
     * secret read only while its pool has no state in the store), listens, dials, announces.
     */
    static NodeRelay start(NodeConfig.Relay config, String kmeId, KeyStore store, AuthKeyStore authKeys, PeerTls tls) {
        NodeRelay relay = new NodeRelay(config, kmeId, store, tls);
        try {
            relay.open(authKeys);
            return relay;
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
    }

    private void open(AuthKeyStore authKeys) {
        for (NodeConfig.RelayNeighbour n : config.neighbours()) {
            node.addLink(n.peerKme(), n.link());
            neighbourByPeer.put(n.peerKme(), n);
            poolByPeer.put(n.peerKme(), authKeys.open(authPoolOf(n.link()), () -> {
                try {
                    return Files.readAllBytes(n.authBootstrapKey()); // zeroed by the store
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + n.authBootstrapKey(), e);
                }
            }));
        }
        config.listen().ifPresent(address -> {
            listener = RelayListener.bind(new InetSocketAddress(address.getHostString(), address.getPort()), tls);
            daemon("relay-accept", this::acceptForever);
        });
        connector = new RelayConnector(tls, CALL_TIMEOUT, listener); // one event loop for the node's relay channels
        for (NodeConfig.RelayNeighbour n : config.neighbours()) {
            n.connect().ifPresent(address -> daemon("relay-dial-" + n.peerKme(), () -> dialForever(n, address)));
        }
        timer.scheduleWithFixedDelay(this::announce, 0, ANNOUNCE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        long settle = SETTLE_PERIOD.toMillis();
        timer.scheduleWithFixedDelay(this::settle, settle, settle, TimeUnit.MILLISECONDS);
        log.info(
                "relay node {}: neighbours {}, far KMEs {}{}",
                node.id(),
                neighbourByPeer.keySet(),
                config.farKmes().stream().map(NodeConfig.PeerKme::kmeId).toList(),
                listener == null ? "" : ", listening on " + listener.localAddress());
    }

    /** The name of a link's relay authentication pool in the key store. */
    static String authPoolOf(String linkId) {
        return "relay/" + linkId;
    }

    /**
     * Tops up the end-to-end links of the far KMEs by relaying (for the ETSI 014 server), on routes
     * within the configured policy.
     */
    RelayKeySupply supply() {
        return RelayKeySupply.towards(
                node,
                config.farKmes().stream().map(NodeConfig.PeerKme::kmeId).toList(),
                new RoutePolicy(java.util.Set.copyOf(config.avoid()), config.maxHops()),
                TOP_UP_WAIT);
    }

    private void acceptForever() throws InterruptedException {
        while (!closed) {
            Optional<NettyRelayWire> accepted = listener.accept(Duration.ofMillis(500));
            if (accepted.isEmpty()) {
                continue;
            }
            NettyRelayWire wire = accepted.get();
            Optional<String> peer = wire.peerName();
            if (peer.isEmpty() || !neighbourByPeer.containsKey(peer.get())) {
                log.warn(
                        "relay connection from {} refused: not a neighbour ({})",
                        peer.orElse("?"),
                        neighbourByPeer.keySet());
                wire.close();
                continue;
            }
            if (neighbourByPeer.get(peer.get()).connect().isPresent()) { // both ends would replace each other's channel
                log.warn(
                        "relay connection from {} refused: this node dials {} itself (relay.neighbours[].connect);"
                                + " give 'connect' at one end of link {} only",
                        peer.get(),
                        peer.get(),
                        neighbourByPeer.get(peer.get()).link());
                wire.close();
                continue;
            }
            log.info("relay channel to {} accepted", peer.get());
            node.connect(peer.get(), poolByPeer.get(peer.get()), wire);
        }
    }

    private void dialForever(NodeConfig.RelayNeighbour n, InetSocketAddress target) throws InterruptedException {
        String peer = n.peerKme();
        String address = target.getHostString() + ":" + target.getPort();
        boolean reported = false;
        while (!closed) {
            Optional<RelayPeer> open = node.channelTo(peer).filter(c -> !c.isClosed());
            if (open.isPresent()) {
                Thread.sleep(200);
                continue;
            }
            try {
                NettyRelayWire wire = connector.connect(target.getHostString(), target.getPort(), peer);
                node.connect(peer, poolByPeer.get(peer), wire);
                log.info("relay channel to {} at {} open", peer, address);
                reported = false;
            } catch (RuntimeException e) {
                if (!reported) { // once per outage, not once per attempt
                    log.warn(
                            "relay channel to {} at {}: {}; dialling again every {} s",
                            peer,
                            address,
                            e.getMessage(),
                            DIAL_PERIOD.toSeconds());
                    reported = true;
                }
                Thread.sleep(DIAL_PERIOD.toMillis());
            }
        }
    }

    /** The neighbours' KME IDs, in configuration order. */
    List<String> neighbours() {
        return List.copyOf(neighbourByPeer.keySet());
    }

    /** Whether the relay channel to {@code peer} is open. */
    boolean channelUp(String peer) {
        return node.channelTo(peer).filter(c -> !c.isClosed()).isPresent();
    }

    /** Authentication words left for the frames this node sends to {@code peer}. */
    long wordsLeft(String peer) {
        return poolByPeer.get(peer).availableBits(RelayNode.sendingDirection(node.id(), peer)) / 64;
    }

    /** Pad units of the link to {@code peer} this node leased and has not used yet. */
    int leasedUnits(String peer) {
        return node.leasedUnits(peer);
    }

    /** Relays started here and not yet settled. */
    int inDoubt() {
        return node.inDoubt();
    }

    private void warnIfLow() {
        for (String peer : neighbourByPeer.keySet()) {
            long left = wordsLeft(peer);
            if (left < LOW_WORDS && warnedLow.add(peer)) {
                log.warn(
                        "relay channel to {} (link {}): {} authentication words left for this node's frames;"
                                + " the channel refills them from the link's key, which is short: when they run"
                                + " out the channel closes until the link has key again",
                        peer,
                        neighbourByPeer.get(peer).link(),
                        left);
            }
        }
    }

    private void announce() {
        try {
            warnIfLow();
            node.announce();
        } catch (RuntimeException e) { // a neighbour went away mid-announcement
            log.debug("relay announcement failed, sent again in {} s: {}", ANNOUNCE_PERIOD.toSeconds(), e.toString());
        }
    }

    private void settle() {
        try {
            if (node.inDoubt() > 0) {
                int left = node.resolveInDoubt();
                if (left > 0) {
                    log.info(
                            "{} relay(s) started here still in doubt: a route is down; tried again in {} s",
                            left,
                            SETTLE_PERIOD.toSeconds());
                }
            }
        } catch (RuntimeException e) {
            log.warn(
                    "settling the relays in doubt failed, tried again in {} s: {}",
                    SETTLE_PERIOD.toSeconds(),
                    e.toString());
        }
    }

    private void daemon(String name, InterruptibleBody body) {
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        if (!closed) {
                            log.error("{} stopped: {}", name, e.toString(), e);
                        }
                    }
                },
                name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private interface InterruptibleBody {
        void run() throws InterruptedException;
    }

    /** Stops dialling and announcing, closes the channels, then the journal (the store stays the caller's). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        threads.forEach(Thread::interrupt);
        node.close();
        if (listener != null) {
            listener.close();
        }
        if (connector != null) {
            connector.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        journal.close();
        poolByPeer.values().forEach(AuthKeyPool::close);
    }
}
