package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network demo in-process on a three-node chain for 30 s, with an intercept-resend attack put on
 * one link 12 s in: every link ends with key and the same keys at both ends, only the attacked link
 * alarms (in the terminal and on the dashboard) and it stores no key after the attack, and the
 * dashboard saw every node and link.
 */
class NetworkDemoIT {

    private static final long SEED = 42;

    private static final String CHAIN = """
            name: chain
            start: 2016-03-20T02:30:00Z
            nodes:
              - {id: a, kind: metro, etsi_port_offset: 0}
              - {id: b, kind: metro, etsi_port_offset: 1}
              - {id: c, kind: metro, etsi_port_offset: 2}
            fibre_links:
              - {id: ab, a: a, b: b, length_km: 10, loss_db_per_km: 0.21, parameter_set: metro}
              - {id: bc, a: b, b: c, length_km: 5, loss_db_per_km: 0.3, parameter_set: metro}
            """;

    @Test
    void everyLinkEndsWithIdenticalKeysAndOnlyTheAttackedLinkAlarms(@TempDir Path dir) {
        Topology chain = TopologyLoader.parse("chain.yaml", CHAIN.getBytes(StandardCharsets.UTF_8));
        List<AttackPlan> attacks = new ArrayList<>();
        attacks.add(AttackPlan.parse("intercept-resend@bc,at=12s", chain));
        DemoSettings settings = new DemoSettings(
                chain,
                dir,
                0,
                0,
                SEED,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                1.0,
                // link time runs four times faster than the wall clock, so blocks come sooner
                4.0,
                DemoCommand.BLOCK_DETECTIONS,
                attacks,
                false);
        StringWriter text = new StringWriter();
        NetworkDemo.Result result = new NetworkDemo(settings, new PrintWriter(text, true)).run();
        String out = text.toString();

        assertThat(result.links()).containsOnlyKeys("ab", "bc");
        result.links().forEach((id, r) -> {
            assertThat(r.storedKeyBits())
                    .as("key stored on %s (seed %d)\n%s", id, SEED, out)
                    .isPositive();
            assertThat(r.identical()).as("same keys at both ends of %s", id).isTrue();
        });
        assertThat(result.alarmedLinks()).containsExactly("bc");
        assertThat(result.storedBeforeAttack()).containsKey("bc");
        assertThat(result.links().get("bc").storedKeyBits())
                .as("key stored on bc after the attack")
                .isEqualTo(result.storedBeforeAttack().get("bc"));

        assertThat(out)
                .contains("dashboard: http://127.0.0.1:")
                .contains("ALARM ")
                .contains("link bc at b: qber RAISED")
                .doesNotContain("link ab at")
                .contains("IDENTICAL")
                .contains("/api/v1/keys/sae-")
                .doesNotContain("\033[");

        JsonNode dashboard = result.dashboard();
        assertThat(dashboard.path("nodes").fieldNames()).toIterable().contains("a", "b", "c");
        assertThat(dashboard.path("links").fieldNames()).toIterable().contains("ab", "bc");
        JsonNode alarms = dashboard.path("alarms");
        assertThat(alarms.size()).as("alarms on the dashboard: %s", alarms).isPositive();
        for (JsonNode alarm : alarms) {
            assertThat(alarm.path("links").fieldNames()).toIterable().containsExactly("bc");
        }
    }
}
