package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotaru.agent.state.LinkState;
import io.hotaru.drivers.ReliabilityFigures;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts and slows the classical channel between two node daemons through a {@link FaultProxy}, many
 * times at random moments, then lets the link recover and compares the two key stores: every key
 * is held at both ends or at neither (none lost), no key ID twice (none duplicated), and the same
 * key bytes at both ends (none disagreeing). {@code hotaru.link.faults} sets the number of faults.
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
                    .alias(String.format("seed %d: the link distils again after %d faults", seed, FAULTS))
                    .until(() ->
                            nodes.b().linkStates().get("A-B") == LinkState.KEYGEN && blocks(nodes.b()) >= before + 2);
            System.out.printf(
                    "LinkFaultCampaignIT seed %d: %d faults, %d connections through the proxy%n",
                    seed, proxy[0].faults(), proxy[0].connections());
            ReliabilityFigures.record("link_faults", "peer-channel-cut-or-delay", proxy[0].faults());
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
        }
        compareStores(seed);
    }

    private void compareStores(long seed) {
        try (KeyStore a = open("a");
                KeyStore b = open("b")) {
            List<UUID> atA = a.heldKeyIds("A-B");
            List<UUID> atB = b.heldKeyIds("A-B");
            Set<UUID> setA = new HashSet<>(atA);
            Set<UUID> setB = new HashSet<>(atB);
            long duplicated = (atA.size() - setA.size()) + (atB.size() - setB.size());
            Set<UUID> onlyA = new HashSet<>(setA);
            onlyA.removeAll(setB);
            Set<UUID> onlyB = new HashSet<>(setB);
            onlyB.removeAll(setA);
            long disagreeing = 0;
            for (UUID id : setA) {
                if (setB.contains(id) && !java.util.Arrays.equals(a.digest(List.of(id)), b.digest(List.of(id)))) {
                    disagreeing++;
                }
            }
            System.out.printf(
                    "LinkFaultCampaignIT seed %d: %d keys at A, %d at B, %d only at A, %d only at B%n",
                    seed, setA.size(), setB.size(), onlyA.size(), onlyB.size());
            ReliabilityFigures.record("keys_checked", "link-faults", setA.size());
            ReliabilityFigures.record("keys_lost", "link-faults", onlyA.size() + onlyB.size());
            ReliabilityFigures.record("keys_duplicated", "link-faults", duplicated);
            ReliabilityFigures.record("keys_disagreeing", "link-faults", disagreeing);
            assertThat(setA).as("seed %d: keys at A", seed).isNotEmpty();
            assertThat(duplicated).as("seed %d: duplicated key IDs", seed).isZero();
            assertThat(disagreeing)
                    .as("seed %d: keys that differ between the ends", seed)
                    .isZero();
            assertThat(onlyA).as("seed %d: keys held only at A", seed).isEmpty();
            assertThat(onlyB).as("seed %d: keys held only at B", seed).isEmpty();
        }
    }

    private KeyStore open(String node) {
        Path home = dir.resolve("node-" + node);
        return KeyStore.open(home.resolve("keys.db"), MasterKey.loadOrCreate(home.resolve("master.key")));
    }

    private static long blocks(NodeDaemon node) {
        LinkRunner r = node.runners().get("A-B");
        var stats = r == null ? null : r.linkStats();
        return stats == null ? 0 : stats.blocks();
    }
}
