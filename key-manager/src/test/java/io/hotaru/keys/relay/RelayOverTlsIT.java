package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.relay.net.NettyRelayWire;
import io.hotaru.keys.relay.net.RelayConnector;
import io.hotaru.keys.relay.net.RelayListener;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 5-node line with every relay channel on Netty over mutual TLS 1.3 on loopback. */
class RelayOverTlsIT {
    static final List<String> NODES = List.of("A", "B", "C", "D", "E");

    @TempDir
    Path dir;

    private RelayNetwork net;
    private final Map<String, RelayListener> listeners = new LinkedHashMap<>();
    private final List<RelayConnector> connectors = new ArrayList<>();

    @AfterEach
    void checkHistoryAndClose() {
        try {
            if (net != null) {
                assertThat(RelayHistoryChecker.check(net)).as("history checker").isEmpty();
            }
        } finally {
            if (net != null) {
                net.close();
            }
            connectors.forEach(RelayConnector::close);
            listeners.values().forEach(RelayListener::close);
        }
    }

    private PeerTls tlsOf(PkiFiles pki, String node) {
        CredentialFiles kme = pki.kme(node);
        return new PeerTls(kme.certificate(), kme.privateKey(), pki.caCertificate());
    }

    @Test
    void keysRelayedOverMutualTlsAreTheSameAtBothEnds() throws Exception {
        PkiFiles pki = Pki.create(dir.resolve("pki"), NODES, List.of("sae-a"));
        net = new RelayNetwork(dir, 61);
        for (String n : NODES) {
            net.node(n);
            listeners.put(n, RelayListener.bind(new InetSocketAddress("127.0.0.1", 0), tlsOf(pki, n)));
        }
        for (int i = 0; i + 1 < NODES.size(); i++) {
            String a = NODES.get(i);
            String b = NODES.get(i + 1);
            net.linkWithoutChannel(a, b, 32);
            RelayConnector connector = new RelayConnector(tlsOf(pki, a), Duration.ofSeconds(10));
            connectors.add(connector);
            NettyRelayWire client = connector.connect(
                    "localhost", listeners.get(b).localAddress().getPort(), b);
            NettyRelayWire server =
                    listeners.get(b).accept(Duration.ofSeconds(10)).orElseThrow();
            assertThat(server.peerName()).contains(a);
            net.connect(a, b, (self, peer) -> self.equals(a) ? client : server);
        }
        net.converge();

        for (int i = 0; i < 5; i++) {
            RelayOutcome o = net.at("A").relay("E", 256, RoutePolicy.any());
            assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
            assertThat(net.storeOf("A").digest(o.keyIds()))
                    .isEqualTo(net.storeOf("E").digest(o.keyIds()));
        }

        RelayConnector wrong = new RelayConnector(tlsOf(pki, "A"), Duration.ofSeconds(10));
        connectors.add(wrong);
        assertThatThrownBy(() -> wrong.connect(
                        "localhost", listeners.get("B").localAddress().getPort(), "C"))
                .isInstanceOf(RelayCallException.class)
                .hasMessageContaining("is not relay peer C");
    }
}
