package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotaru.agent.mqtt.TelemetryCapture;
import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.reliability.figures.KeyHistory;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts and slows the classical channel between two node daemons through a {@link FaultProxy}, many
 * times at random moments, then lets the link recover and compares the two key stores: every key
 * is held at both ends or at neither (none lost), no key ID twice (none duplicated), and the same
 * key bytes at both ends (none disagreeing). Every MQTT message of the run is captured and scanned at
 * the end for the keys the stores hold (the telemetry residue scan, counted in clear_residue_hits). {@code hotaru.link.faults} sets the number of faults.
 */
@Tag("reliability")
class LinkFaultCampaignIT {
    private static final int FAULTS = ReliabilityFigures.count("hotaru.link.faults", 20);
    private static final String SIM = "link=A-B&seed=21&params=metro&distance_km=25&time_scale=20";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void cutsAndDelaysLoseDuplicateOrSplitNoKey() throws Exception {
        long seed = Long.getLong("link.faults.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        FaultProxy[] proxy = new FaultProxy[1];
        TelemetryCapture telemetry = null;
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        try (NodePair nodes = new NodePair(dir, SIM, 1 << 19, mqttA, mqttB, "", port -> {
            try {
                proxy[0] = new FaultProxy(port);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return proxy[0].port();
        })) {
            nodes.start();
            telemetry = new TelemetryCapture(java.net.URI.create("tcp://127.0.0.1:" + broker));
            await().atMost(WAIT).until(() -> blocks(nodes.b()) >= 2);
            for (int i = 0; i < FAULTS; i++) {
                if (random.nextInt(3) == 0) {
                    proxy[0].delayMillis(20 + random.nextInt(300));
                    Thread.sleep(100 + random.nextInt(400));
                    proxy[0].delayMillis(0);
                } else {
                    proxy[0].cut();
                }
                Thread.sleep(50 + random.nextInt(600));
            }
            long before = blocks(nodes.b());
            await().atMost(WAIT)
                    .alias(String.format("seed %d: the link distils again and holds key after %d faults", seed, FAULTS))
                    .until(() -> nodes.b().linkStates().get("A-B") == LinkState.KEYGEN
                            && blocks(nodes.b()) >= before + 2
                            && keyPoolBits(nodes.a()) > 0
                            && keyPoolBits(nodes.b()) > 0);
            System.out.printf(
                    "LinkFaultCampaignIT seed %d: %d faults, %d connections through the proxy%n",
                    seed, proxy[0].faults(), proxy[0].connections());
            ReliabilityFigures.record("link_faults", "peer-channel-cut-or-delay", proxy[0].faults());
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
            if (telemetry != null) {
                telemetry.close();
            }
        }
        compareStores(seed);
        scanTelemetry(seed, telemetry);
    }

    /** The telemetry residue scan: the keys both stores hold, looked for in every MQTT message of the run. */
    private void scanTelemetry(long seed, TelemetryCapture telemetry) throws Exception {
        List<String> hits = telemetry.scanForKeysOf("A-B", List.of(dir.resolve("node-a"), dir.resolve("node-b")));
        System.out.printf(
                "LinkFaultCampaignIT seed %d: %d MQTT messages scanned for the held keys, %d hits%n",
                seed, telemetry.messages(), hits.size());
        ReliabilityFigures.record("telemetry_messages_scanned", "link-faults-mqtt-capture", telemetry.messages());
        ReliabilityFigures.record("clear_residue_hits", "link-faults-mqtt-capture", hits.size());
        assertThat(telemetry.messages()).as("MQTT messages captured").isPositive();
        assertThat(hits).as("seed %d: key material in MQTT messages", seed).isEmpty();
    }

    /** Both stores' keys through the shared history checker: node A is the first end, B the second. */
    private void compareStores(long seed) {
        KeyHistory history = new KeyHistory();
        int atA;
        int atB;
        try (KeyStore a = open("a");
                KeyStore b = open("b")) {
            List<UUID> heldA = a.heldKeyIds("A-B");
            List<UUID> heldB = b.heldKeyIds("A-B");
            heldA.forEach(id -> history.observe(KeyHistory.End.FIRST, id, a.digest(List.of(id))));
            heldB.forEach(id -> history.observe(KeyHistory.End.SECOND, id, b.digest(List.of(id))));
            atA = heldA.size();
            atB = heldB.size();
        }
        KeyHistory.Verdict verdict = history.record("link-faults");
        System.out.printf("LinkFaultCampaignIT seed %d: %d keys at A, %d at B, %s%n", seed, atA, atB, verdict);
        assertThat(atA).as("seed %d: keys at A", seed).isPositive();
        assertThat(history.findings())
                .as("seed %d: keys lost, duplicated or differing between the ends", seed)
                .isEmpty();
    }

    private KeyStore open(String node) {
        Path home = dir.resolve("node-" + node);
        return KeyStore.open(home.resolve("keys.db"), MasterKey.loadOrCreate(home.resolve("master.key")));
    }

    /** Key held for the link at {@code node} (a loaded machine may distil blocks too short to yield any). */
    private static long keyPoolBits(NodeDaemon node) {
        return node.telemetry().stream()
                .filter(t -> t.link().equals("A-B"))
                .mapToLong(t -> t.keyPoolBits())
                .sum();
    }

    private static long blocks(NodeDaemon node) {
        LinkRunner r = node.runners().get("A-B");
        var stats = r == null ? null : r.linkStats();
        return stats == null ? 0 : stats.blocks();
    }
}
