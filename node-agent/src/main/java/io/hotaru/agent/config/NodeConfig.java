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
        Duration spentRetention,
        Path auditLog,
        Etsi014 etsi014,
        List<Link> links,
        Mqtt mqtt,
        Optional<Metrics> metrics,
        Optional<Relay> relay) {

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

    /**
     * One QKD link of this node.
     *
     * @param authBootstrapKey the pre-shared secret that authenticates the link's first blocks (a
     *     0600 file of at least {@value NodeConfigLoader#MIN_BOOTSTRAP_KEY_BYTES} bytes, identical
     *     at both ends)
     * @param peerKme the KME at the other end of the link
     */
    public record Link(
            String id,
            Role role,
            Optional<InetSocketAddress> listen,
            Optional<InetSocketAddress> connect,
            Map<String, String> devices,
            int blockDetections,
            String reconciler,
            Path authBootstrapKey,
            PeerKme peerKme,
            Optional<Protocol> protocol,
            Monitors monitors,
            Optional<Passes> passes,
            Optional<TimeSync> timeSync) {
        public Link {
            devices = Map.copyOf(devices);
        }
    }

    /**
     * A receiver's time-offset acquisition at each connection (docs/architecture.md, "Control loops
     * at the receiver"): two windows of tags a gap apart, cross-correlated with the vacuum slots the
     * transmitter reveals, then drift tracking. Without it the receiver takes its tags as stamped on
     * the link's clock.
     *
     * @param maxOffsetPs the largest clock offset searched
     * @param maxDriftPpm the largest rate error between the clocks
     * @param window length of each window of tags
     * @param gap from the first window's start to the second's
     */
    public record TimeSync(double maxOffsetPs, double maxDriftPpm, Duration window, Duration gap) {}

    /**
     * Thresholds of a link's attack monitors (docs/architecture.md, "A node as a process").
     *
     * @param qberMax signal QBER above which a block raises the {@code qber} alarm
     * @param clearAfterBlocks clean blocks in a row that clear an alarm (a self-test must then pass)
     * @param blindingWindowBlocks blocks averaged by the blinding monitor; every alarm is raised
     *     within this many blocks of its attack's start
     * @param blindingMinCountRateHz count rate above which detectors that miss their self-test
     *     pulses are taken as blinded rather than dead
     * @param blindingMinSelfTestFraction seen share of the self-test pulses below which the
     *     detectors are taken as blind
     * @param selfTestPulsesPerBlock self-test pulses fired at each detector before each block
     * @param trojanMaxPowerW light entering the transmitter above which it is probed
     * @param timeShiftMaxPs shift of one detector's mean arrival time relative to the others
     * @param timeShiftCalibrationBlocks blocks that learn the detectors' relative arrival times; 0
     *     takes them as equal (a matched receiver)
     * @param decoyMaxDeficit tolerated relative shortfall of the decoy gain
     * @param decoySigmas the shortfall must also exceed this many standard deviations
     */
    public record Monitors(
            double qberMax,
            int clearAfterBlocks,
            int blindingWindowBlocks,
            double blindingMinCountRateHz,
            double blindingMinSelfTestFraction,
            int selfTestPulsesPerBlock,
            double trojanMaxPowerW,
            double timeShiftMaxPs,
            int timeShiftCalibrationBlocks,
            double decoyMaxDeficit,
            double decoySigmas) {}

    /**
     * What the transmitter sends, as the receiver must know it to distil (the receiver has no
     * source to ask): the same numbers as the source's settings. Required at a receiver; at a
     * transmitter, if given, checked against the source at start-up.
     */
    public record Protocol(
            double repetitionRateHz, double[] intensities, double[] probabilities, double zBasisProbability) {
        public Protocol {
            intensities = intensities.clone();
            probabilities = probabilities.clone();
        }

        @Override
        public double[] intensities() {
            return intensities.clone();
        }

        @Override
        public double[] probabilities() {
            return probabilities.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Protocol p
                    && p.repetitionRateHz == repetitionRateHz
                    && java.util.Arrays.equals(p.intensities, intensities)
                    && java.util.Arrays.equals(p.probabilities, probabilities)
                    && p.zBasisProbability == zBasisProbability;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(
                    repetitionRateHz,
                    java.util.Arrays.hashCode(intensities),
                    java.util.Arrays.hashCode(probabilities),
                    zBasisProbability);
        }

        @Override
        public String toString() {
            return "Protocol[" + repetitionRateHz + " Hz, intensities " + java.util.Arrays.toString(intensities)
                    + " sent " + java.util.Arrays.toString(probabilities) + ", p_Z " + zBasisProbability + "]";
        }
    }

    /**
     * A satellite link's pass schedule: the link is up only during passes of the satellite over
     * the station.
     *
     * @param tle the satellite's element set (the file's first)
     * @param station {@code LAT,LON,ALT_M}
     * @param minElevationDeg elevation mask
     * @param selfTestLead how long (orbit time) before AOS the link starts and self-tests
     * @param timeScale orbit seconds per wall-clock second (1 on a real link)
     * @param start orbit time at {@code wallStart}; empty for the real time
     * @param wallStart the wall-clock instant at which orbit time is {@code start}; empty for the
     *     node's start (give it at both ends of a simulated link so that they share one orbit clock)
     * @param horizon how far ahead passes are predicted
     */
    public record Passes(
            Path tle,
            String station,
            double minElevationDeg,
            Duration selfTestLead,
            double timeScale,
            Optional<java.time.Instant> start,
            Optional<java.time.Instant> wallStart,
            Duration horizon) {}

    /** The Prometheus {@code /metrics} and {@code /health} endpoint (off unless configured). */
    public record Metrics(String bind, int port) {}

    /** The KME at the other end of a link and where its ETSI 014 server (and reservation sync) listens. */
    public record PeerKme(String kmeId, InetSocketAddress etsi014) {}

    /** This configuration with the MQTT broker replaced (the {@code --mqtt-broker} option). */
    public NodeConfig withMqttBroker(String broker) {
        return new NodeConfig(
                source,
                nodeId,
                keyStore,
                masterKey,
                spentRetention,
                auditLog,
                etsi014,
                links,
                new Mqtt(broker, mqtt.embeddedPort(), mqtt.telemetryPeriod(), mqtt.commandSenders()),
                metrics,
                relay);
    }

    /**
     * Trusted-node key relay (docs/architecture.md, "Key relay between non-adjacent nodes"): this
     * node relays keys over its links to its neighbours, and serves the SAE pairs it shares with
     * far KMEs from end-to-end links filled by relays. Relay node IDs are KME IDs.
     *
     * @param listen where neighbours that dial this node connect (mutual TLS with the KME
     *     certificates)
     * @param avoid trusted nodes (KME IDs) this node's relayed keys must not pass through
     * @param maxHops most links on the route of a key this node relays
     */
    public record Relay(
            Optional<InetSocketAddress> listen,
            List<RelayNeighbour> neighbours,
            List<PeerKme> farKmes,
            List<String> avoid,
            int maxHops) {
        public Relay {
            neighbours = List.copyOf(neighbours);
            farKmes = List.copyOf(farKmes);
            avoid = List.copyOf(avoid);
        }
    }

    /**
     * A neighbour on the relay: the KME at the other end of {@code link}, whose key pads the relay
     * hops between the two.
     *
     * @param connect where this node dials the neighbour; empty if the neighbour dials this node
     * @param authBootstrapKey the pre-shared secret that authenticates the relay frames on this
     *     link (a 0600 file, identical at both ends, other than the link's own)
     */
    public record RelayNeighbour(
            String link, String peerKme, Optional<InetSocketAddress> connect, Path authBootstrapKey) {}

    /**
     * The control plane.
     *
     * @param broker {@code embedded} or a broker URI
     * @param embeddedPort the embedded broker's port (0: any free port)
     * @param commandSenders the allow-list of command senders; without one every command is refused
     */
    public record Mqtt(String broker, int embeddedPort, Duration telemetryPeriod, Optional<Path> commandSenders) {
        public static final String EMBEDDED = "embedded";

        public boolean embedded() {
            return EMBEDDED.equals(broker);
        }
    }
}
