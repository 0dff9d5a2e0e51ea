package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.distill.BobBlock;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link end whose peer channel fails goes back to connecting, not to STOPPED: one end (A's) is
 * stopped and started again; B's end reconnects, both ends agree where block ids go on, and blocks
 * are distilled again at both ends.
 */
class LinkReconnectIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SIM = "link=A-B&seed=9&params=metro&distance_km=25&time_scale=10";
    /** Few detections a second: a block of 2²² takes minutes. */
    private static final String SLOW_SIM = "link=A-B&seed=9&params=metro&distance_km=150&time_scale=1";

    @TempDir
    java.nio.file.Path dir;

    @Test
    void theOtherEndReconnectsWhenOneEndIsStartedAgain() throws Exception {
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        try (NodePair nodes = new NodePair(dir, SIM, 1 << 16, mqttA, mqttB)) {
            nodes.start();
            await().atMost(WAIT).until(() -> blocks(nodes.b()) >= 2 && blocks(nodes.a()) >= 2);

            assertThat(nodes.a().stopLink("A-B").ok()).isTrue();
            await().atMost(WAIT).until(() -> nodes.b().linkStates().get("A-B") == LinkState.ALIGN);
            assertThat(nodes.a().startLink("A-B").ok()).isTrue();

            await().atMost(WAIT)
                    .until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                            && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
            long before = blocks(nodes.b());
            await().atMost(WAIT).until(() -> blocks(nodes.b()) >= before + 2 && blocks(nodes.a()) >= 2);
            // the ends agree on block ids and tag key after the reconnection: no block is refused
            for (NodeDaemon node : new NodeDaemon[] {nodes.a(), nodes.b()}) {
                assertThat(node.runners().get("A-B").linkStats().lastAbortReason())
                        .isNotIn("PROTOCOL_ERROR", "AUTHENTICATION_FAILED");
            }
            String auditB = Files.readString(nodes.audit("b"));
            assertThat(auditB).contains("link.peer.lost").doesNotContain("\"to\":\"STOPPED\"");
            assertThat(auditB.lines().filter(l -> l.contains("link.auth.synchronised")))
                    .hasSize(2);
        }
    }

    /**
     * A cut while the receiver is inside its first, long block: the receiver does not touch the
     * channel until the block is complete, and the transmitter's end has gone, so without watching
     * the channel the link would stay down until that block ends. Both ends must be connected again
     * before the receiver finishes any block.
     */
    @Test
    void aCutIsNoticedWhileTheReceiverIsInsideABlock() throws Exception {
        FaultProxy[] proxy = new FaultProxy[1];
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        try (NodePair nodes = new NodePair(dir, SLOW_SIM, BobBlock.MAX_DETECTIONS, mqttA, mqttB, "", port -> {
            try {
                proxy[0] = new FaultProxy(port);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return proxy[0].port();
        })) {
            nodes.start();
            await().atMost(WAIT)
                    .until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                            && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
            long connections = proxy[0].connections();

            proxy[0].cut();

            await().atMost(Duration.ofSeconds(20))
                    .alias("both ends connected again")
                    .until(() -> proxy[0].connections() > connections
                            && nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                            && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
            assertThat(blocks(nodes.b()))
                    .as("blocks B finished: the reconnection came before the receiver's first block ended")
                    .isZero();
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
        }
    }

    /** Blocks the current link end of {@code node} has finished (a new end starts from zero). */
    private static long blocks(NodeDaemon node) {
        LinkRunner r = node.runners().get("A-B");
        var stats = r == null ? null : r.linkStats();
        return stats == null ? 0 : stats.blocks();
    }
}
