package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.node.NodePair;
import io.hotaru.agent.state.LinkState;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts a real Mosquitto under two running node daemons again and again. After every restart
 * the node republishes its status, and a new signed command sent through the fresh broker runs
 * exactly once: over the whole run no command is lost and none is replayed (the audit log counts
 * the executions), and the link keeps making key. {@code hotaru.broker.restarts} sets the number of
 * restarts. Under CI=true a missing mosquitto fails the test instead of skipping it.
 */
@Tag("reliability")
class BrokerRestartCampaignIT {
    private static final int RESTARTS = ReliabilityFigures.count("hotaru.broker.restarts", 3);
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIM = "link=A-B&seed=31&params=metro&distance_km=25&time_scale=20";
    /**
     * Blocks that pay for their authentication (metro 25 km: 54 kbit of key for 11 kbit of tags at
     * 2²⁰ detections). With 2¹⁶-detection blocks every block aborted, and over the full profile's
     * restarts the link spent its whole pre-shared secret and stopped (now: auth-key-exhausted).
     */
    private static final int BLOCK = 1 << 20;

    private static final String REPLY = Topics.REPLY_ROOT + "ops-1/campaign";

    @TempDir
    Path dir;

    @Test
    void restartsLoseNoCommandAndReplayNone() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(MosquittoBroker.available(), "mosquitto is not installed (apt-get install mosquitto)");
        }
        MosquittoBroker broker = MosquittoBroker.start(Files.createTempDirectory("hotaru-mosquitto"));
        Path senders = dir.resolve("command-senders");
        Files.writeString(senders, "ops-1 * " + SenderAllowList.encode(TestKeys.OPS.publicKey()) + "\n");
        String mqtt = """
                mqtt:
                  broker: "%s"
                  telemetry_period: 300ms
                  command_senders: %s
                """.formatted(broker.uri(), senders);
        int ok = 0;
        try (NodePair nodes = new NodePair(dir, SIM, BLOCK, mqtt, mqtt);
                TestClient op = new TestClient(broker.uri())) {
            nodes.start();
            op.subscribe("hotaru/v1/#");
            op.subscribe(REPLY);
            await().atMost(WAIT).until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN);
            for (int i = 0; i < RESTARTS; i++) {
                broker.kill();
                await().atMost(WAIT).until(() -> !op.isConnected());
                broker.startProcess();
                op.clear();
                op.reconnect(WAIT);
                await().atMost(WAIT)
                        .until(() -> !op.matching(r -> r.topic().equals("hotaru/v1/node-a/status"))
                                .isEmpty());
                String value = String.format(Locale.ROOT, "%.4f", 0.05 + i * 1e-4);
                byte[] set = TestKeys.OPS.sign(
                        "node-a",
                        "set",
                        Map.of("link", "A-B", "name", "qber_threshold", "value", value),
                        Instant.now());
                op.publish("hotaru/v1/node-a/cmd/set", set, REPLY, ("r" + i).getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT)
                        .until(() -> !op.matching(r -> r.topic().equals(REPLY)).isEmpty());
                List<TestClient.Received> replies = op.matching(r -> r.topic().equals(REPLY));
                JsonNode reply = JSON.readTree(replies.get(0).payload());
                if ("ok".equals(reply.path("status").asText())) {
                    ok++;
                }
            }
            long executed = Files.readString(nodes.audit("a"))
                    .lines()
                    .filter(l -> l.contains("mqtt.command.executed"))
                    .count();
            System.out.printf(
                    "BrokerRestartCampaignIT: %d restarts, %d commands answered ok, %d executions audited%n",
                    RESTARTS, ok, executed);
            ReliabilityFigures.record("broker_restarts", "mosquitto-under-daemons", RESTARTS);
            ReliabilityFigures.record("commands_lost", "mosquitto-under-daemons", RESTARTS - ok);
            ReliabilityFigures.record("commands_replayed", "mosquitto-under-daemons", Math.max(0, executed - RESTARTS));
            assertThat(ok).as("commands answered ok, one per restart").isEqualTo(RESTARTS);
            assertThat(executed).as("commands executed, as audited").isEqualTo(RESTARTS);
            awaitKeygenAgain(nodes);
        } finally {
            broker.close();
        }
    }

    /**
     * Both ends back in KEYGEN; if not, the failure names both ends' states and carries every
     * thread's stack, so that a link that does not come back can be told from a slow one.
     */
    private static void awaitKeygenAgain(NodePair nodes) {
        try {
            await().atMost(WAIT)
                    .until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                            && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
        } catch (ConditionTimeoutException e) {
            StringBuilder stacks = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, frames) -> {
                stacks.append('"')
                        .append(thread.getName())
                        .append("\" ")
                        .append(thread.getState())
                        .append('\n');
                for (StackTraceElement f : frames) {
                    stacks.append("    at ").append(f).append('\n');
                }
            });
            throw new AssertionError(
                    "link A-B not back in KEYGEN at both ends within " + WAIT + ": A "
                            + nodes.a().linkStates() + ", B " + nodes.b().linkStates() + "\n" + stacks,
                    e);
        }
    }
}
