package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotaru.agent.state.LinkState;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link whose blocks yield no key spends its pre-shared authentication secret and cannot refill
 * it. When the pool runs dry both ends must fail closed where the operator sees it: the link in
 * ALARM with the {@code auth-key-exhausted} alarm, audited, and no key stored (before, the link sat
 * in ALIGN with one log line, found by the full reliability profile).
 */
class AuthKeyExhaustionIT {

    /** 4,096-detection blocks are far too short for the finite-key bound: every block aborts. */
    private static final int BLOCK = 1 << 12;

    private static final String SIM = "link=A-B&seed=5&params=metro&distance_km=25&time_scale=10";

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aLinkThatRunsItsPoolDryRaisesTheAlarmAtBothEndsAndStoresNoKey() throws Exception {
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        try (NodePair nodes = new NodePair(dir, SIM, BLOCK, mqttA, mqttB)) {
            // 2 KiB: 128 words per direction, a handful of aborted blocks' tags
            byte[] small = new byte[2048];
            new SecureRandom().nextBytes(small);
            Files.write(dir.resolve("auth-bootstrap.key"), small);
            nodes.start();

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> nodes.a().linkStates().get("A-B") == LinkState.ALARM
                            && nodes.b().linkStates().get("A-B") == LinkState.ALARM);
            for (String node : new String[] {"a", "b"}) {
                NodeDaemon daemon = node.equals("a") ? nodes.a() : nodes.b();
                LinkRunner runner = daemon.runners().get("A-B");
                assertThat(runner.activeAlarms()).as("node %s", node).containsKey(LinkRunner.AUTH_KEY_EXHAUSTED);
                assertThat(runner.activeAlarms().get(LinkRunner.AUTH_KEY_EXHAUSTED))
                        .contains("no authentication key left for")
                        .contains("pre-shared secret");
                assertThat(runner.keyCounts()[1]).as("units stored at %s", node).isZero();
                assertThat(Files.readString(nodes.audit(node)))
                        .contains("link.alarm.raised")
                        .contains(LinkRunner.AUTH_KEY_EXHAUSTED);
            }
            // it stays there: nothing clears an empty pool
            Thread.sleep(1500);
            assertThat(nodes.a().linkStates().get("A-B")).isEqualTo(LinkState.ALARM);
            assertThat(nodes.b().linkStates().get("A-B")).isEqualTo(LinkState.ALARM);
        }
    }
}
