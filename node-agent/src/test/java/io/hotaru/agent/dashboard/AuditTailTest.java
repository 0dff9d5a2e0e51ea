package io.hotaru.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTailTest {

    @Test
    void followsARealAuditLog(@TempDir Path dir) {
        Topology tokyo = TopologyLoader.loadDefault();
        DashboardState state =
                new DashboardState(tokyo, new RunClock(tokyo.start(), Instant.EPOCH, 11), Duration.ofSeconds(1));
        Path file = dir.resolve("hongo-audit.jsonl");
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);
        AuditTail tail = new AuditTail(Map.of("hongo", file));
        tail.poll(state); // no file yet
        assertThat(state.snapshot().path("audit")).isEmpty();
        try (AuditLog log = AuditLog.open(file, clock)) {
            log.append("link.state", "ote-hon", Map.of("to", "KEYGEN"));
            tail.poll(state);
            log.append("mqtt.command.executed", "ote-hon", Map.of("verb", "selftest"));
            log.append("link.state", "ote-hon", Map.of("to", "ALARM"));
            tail.poll(state);
            tail.poll(state); // nothing new
        }
        var audit = state.snapshot().path("audit");
        assertThat(audit).hasSize(3);
        assertThat(audit.get(0).path("kind").asText()).isEqualTo("link.state");
        assertThat(audit.get(1).path("kind").asText()).isEqualTo("mqtt.command.executed");
        assertThat(audit.get(2).path("subject").asText()).isEqualTo("ote-hon");
        assertThat(audit.get(2).path("node").asText()).isEqualTo("hongo");
        assertThat(audit.get(2).path("seq").asLong())
                .isEqualTo(audit.get(1).path("seq").asLong() + 1);
        assertThat(audit.get(2).has("detail")).isFalse();
    }
}
