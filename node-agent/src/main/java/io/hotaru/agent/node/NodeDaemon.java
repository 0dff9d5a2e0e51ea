package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.RemotePeerReservations;
import io.hotaru.keys.etsi014.ReservationSync;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.peer.PeerConfig;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
public final class NodeDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeDaemon.class);
    /** How long enc_keys waits for the peer KME to record a reservation. */
    static final Duration PEER_SYNC_TIMEOUT = Duration.ofSeconds(10);

    private final NodeConfig config;
    private final List<LinkRunner> links = new ArrayList<>();
    private AuditLog audit;
    private KeyStore store;
    private Etsi014Server server;
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
            store = KeyStore.open(config.keyStore(), master);
        }

        Map<String, URI> peerUris = new LinkedHashMap<>();
        Map<String, String> peerKmes = new LinkedHashMap<>();
        for (NodeConfig.Link link : config.links()) {
            var a = link.peerKme().etsi014();
            peerUris.put(link.id(), URI.create("https://" + a.getHostString() + ":" + a.getPort()));
            peerKmes.put(link.id(), link.peerKme().kmeId());
        }
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
                new ReservationSync(peerKmes, store::markReservedByPeer));

        var kme = pki.kme(etsi.kmeId());
        PeerConfig peerConfig =
                PeerConfig.defaults().withTls(new PeerTls(kme.certificate(), kme.privateKey(), pki.caCertificate()));
        for (NodeConfig.Link link : config.links()) {
            LinkRunner runner = new LinkRunner(link, store::ingest, audit, peerConfig, LinkObserver.NONE);
            links.add(runner);
            runner.start();
        }
        log.info(
                "node {} running: KME {}, ETSI GS QKD 014 on {}:{}, {} link(s)",
                config.nodeId(),
                etsi.kmeId(),
                etsi.bind(),
                server.port(),
                links.size());
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

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LinkRunner link : links) {
            closeQuietly(link, "link");
        }
        closeQuietly(server, "ETSI 014 server");
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
