package io.hotaru.agent.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's configuration, parsed and validated once at start-up by {@link NodeConfigLoader}.
 * Relative paths in the file are resolved against the file's directory.
 */
public record NodeConfig(
        Path source,
        String nodeId,
        Path keyStore,
        Path masterKey,
        Path auditLog,
        Etsi014 etsi014,
        List<Link> links,
        Mqtt mqtt) {

    public NodeConfig {
        links = List.copyOf(links);
    }

    /** Which end of a link this node is. */
    public enum Role {
        TRANSMITTER,
        RECEIVER
    }

    /** The ETSI GS QKD 014 server. */
    public record Etsi014(
            String kmeId, String bind, int port, Path pkiDir, Map<String, String> kmeOfSae, List<SaePairLink> pairs) {
        public Etsi014 {
            kmeOfSae = Map.copyOf(kmeOfSae);
            pairs = List.copyOf(pairs);
        }
    }

    /** A master/slave SAE pair served by a link. */
    public record SaePairLink(String master, String slave, String link) {}

    /** One QKD link of this node. */
    public record Link(
            String id,
            Role role,
            Optional<InetSocketAddress> listen,
            Optional<InetSocketAddress> connect,
            Map<String, String> devices,
            int blockDetections,
            String reconciler) {
        public Link {
            devices = Map.copyOf(devices);
        }
    }

    /** The control plane. */
    public record Mqtt(String broker, int embeddedPort, Duration telemetryPeriod) {
        public static final String EMBEDDED = "embedded";

        public boolean embedded() {
            return EMBEDDED.equals(broker);
        }
    }
}
