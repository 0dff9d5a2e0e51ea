package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.keys.peer.NettyPeerTransport;
import io.hotaru.keys.peer.PeerClient;
import io.hotaru.keys.peer.PeerConfig;
import io.hotaru.keys.peer.PeerServer;
import io.hotaru.keys.peer.PeerTransportException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classical channel of one link: listens for, or dials, the peer KME until it answers (with
 * backoff), and accepts only a peer whose certificate names the configured peer KME.
 */
final class PeerChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerChannel.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final NodeConfig.Link link;
    private final PeerConfig config;
    private volatile PeerServer server;
    private volatile PeerClient client;

    PeerChannel(NodeConfig.Link link, PeerConfig config) {
        this.link = link;
        this.config = config;
    }

    /**
     * The next connection to the peer, retrying until one is up or {@code stopping} says to give up.
     *
     * @throws PeerTransportException {@code INTERRUPTED} when stopped
     */
    NettyPeerTransport open(BooleanSupplier stopping) {
        String expected = link.peerKme().kmeId();
        long backoff = FIRST_BACKOFF.toMillis();
        while (!stopping.getAsBoolean()) {
            NettyPeerTransport transport;
            try {
                transport = link.listen().isPresent() ? accept() : dial();
            } catch (PeerTransportException e) {
                if (e.code() != PeerTransportException.Code.TIMEOUT) {
                    log.info(
                            "link {}: peer not reachable yet ({}); retrying in {} ms",
                            link.id(),
                            e.getMessage(),
                            backoff);
                }
                sleep(backoff);
                backoff = Math.min(2 * backoff, MAX_BACKOFF.toMillis());
                continue;
            }
            String peer =
                    transport.peerPrincipal().map(p -> commonName(p.getName())).orElse("(no certificate)");
            if (!peer.equals(expected)) {
                log.warn("link {}: refused a connection from {}, expected KME {}", link.id(), peer, expected);
                transport.close();
                sleep(backoff);
                backoff = Math.min(2 * backoff, MAX_BACKOFF.toMillis());
                continue;
            }
            log.info("link {}: peer channel up with {} at {}", link.id(), peer, transport.remoteAddress());
            return transport;
        }
        throw new PeerTransportException(PeerTransportException.Code.INTERRUPTED, "link " + link.id() + " stopped");
    }

    /** The single CN of an X.500 name, or the whole name if it has none or several. */
    static String commonName(String distinguishedName) {
        try {
            List<String> cns = new LdapName(distinguishedName)
                    .getRdns().stream()
                            .filter(r -> r.getType().equalsIgnoreCase("CN"))
                            .map(r -> String.valueOf(r.getValue()))
                            .toList();
            return cns.size() == 1 ? cns.get(0) : distinguishedName;
        } catch (InvalidNameException e) {
            return distinguishedName;
        }
    }

    private NettyPeerTransport accept() {
        if (server == null) {
            InetSocketAddress a = link.listen().orElseThrow();
            server = PeerServer.bind(new InetSocketAddress(a.getHostString(), a.getPort()), config);
            log.info("link {}: waiting for the peer on {}", link.id(), server.localAddress());
        }
        return server.accept(Duration.ofSeconds(1));
    }

    private NettyPeerTransport dial() {
        if (client == null) {
            client = new PeerClient(config);
        }
        InetSocketAddress a = link.connect().orElseThrow();
        return client.connect(a.getHostString(), a.getPort());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerTransportException(PeerTransportException.Code.INTERRUPTED, "interrupted", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
