package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.state.LinkState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkViewTest {

    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void showsStatusLinksAndAlarmsAndForgetsClearedAlarms() {
        NetworkView view = new NetworkView();
        view.accept(
                "hotaru/v1/A/status",
                TelemetryJson.status(
                        "A", new NodeStatus(Map.of("ab", LinkState.KEYGEN), "ff", 2), List.of("trojan"), 0, T));
        view.accept("hotaru/v1/A/telemetry/ab", TelemetryJson.telemetry("A", BrokerContract.telemetry("ab", 4), 1));
        view.accept(
                "hotaru/v1/A/alarm/trojan",
                TelemetryJson.alarm(
                        "A",
                        "trojan",
                        List.of(new Alarm("trojan", "ab", Severity.CRITICAL, "monitor diode 3 nW", T)),
                        T));
        view.accept(
                "hotaru/v1/A/alarm/qber",
                TelemetryJson.alarm("A", "qber", List.of(new Alarm("qber", "ab", Severity.MAJOR, "high", T)), T));
        view.accept("hotaru/v1/A/alarm/qber", new byte[0]);
        view.accept("hotaru/v1/B/status", TelemetryJson.offline("B"));
        view.accept("hotaru/v1/B/telemetry/x", "not json".getBytes(StandardCharsets.UTF_8));
        view.accept("elsewhere/topic", new byte[] {1});

        StringWriter out = new StringWriter();
        view.print(new PrintWriter(out));
        assertThat(out.toString())
                .contains("node A: online (as of 2026-05-01T12:00:00Z)")
                .containsPattern("link ab +KEYGEN +qber 0.02100")
                .contains("idle 28%")
                .containsPattern("ALARM trojan +critical +links ab")
                .doesNotContain("ALARM qber")
                .contains("node B: offline")
                .contains("audit head ff (2 records)");
        assertThat(view.nodes()).isEqualTo(2);
        assertThat(view.ignored()).isEqualTo(2);
        assertThat(view.toJson().get("nodes").get("A").get("alarms").has("trojan"))
                .isTrue();
    }

    @Test
    void saysSoWhenNoNodeHasReported() {
        StringWriter out = new StringWriter();
        new NetworkView().print(new PrintWriter(out));
        assertThat(out.toString()).contains("no node has published");
    }
}
