package io.hotaru.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.mqtt.Alarm;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.mqtt.Severity;
import io.hotaru.agent.mqtt.TelemetryJson;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    private static final Topology TOKYO = TopologyLoader.loadDefault();
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private final DashboardState state =
            new DashboardState(TOKYO, new RunClock(TOKYO.start(), T0, 11), Duration.ofMinutes(2));
    private final List<String> events = new ArrayList<>();
    private final List<ObjectNode> data = new ArrayList<>();

    static byte[] telemetry(String node, String link, Instant at, double qber, double secretBps, long pool) {
        LinkTelemetry t = new LinkTelemetry(
                link,
                LinkState.KEYGEN,
                at,
                7,
                qber,
                Map.of(),
                Map.of(),
                4 * secretBps,
                secretBps,
                Map.of(),
                0,
                pool,
                0,
                Double.NaN,
                Double.NaN,
                Map.of(),
                Double.NaN);
        return TelemetryJson.telemetry(node, t, 1);
    }

    private void listen() {
        state.subscribe((name, d) -> {
            events.add(name);
            data.add(d);
        });
    }

    @Test
    void aListenerGetsTheWholeStateFirstThenEachChange() {
        state.accept("hotaru/v1/koganei/telemetry/kog-ote", telemetry("koganei", "kog-ote", T0, 0.02, 1500, 4096));
        listen();
        state.accept(
                "hotaru/v1/koganei/telemetry/kog-ote",
                telemetry("koganei", "kog-ote", T0.plusSeconds(1), 0.03, 1600, 8192));

        assertThat(events).containsExactly("snapshot", "telemetry");
        JsonNode snapshot = data.get(0);
        assertThat(snapshot.path("topology").path("nodes")).hasSize(7);
        assertThat(snapshot.path("topology").path("links")).hasSize(7);
        assertThat(snapshot.at("/series/kog-ote")).hasSize(1);
        assertThat(snapshot.at("/series/kog-ote/0/1").asDouble()).isEqualTo(0.02);
        JsonNode t = data.get(1);
        assertThat(t.path("link").asText()).isEqualTo("kog-ote");
        assertThat(t.at("/point/0").asLong()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
        assertThat(t.at("/point/2").asDouble()).isEqualTo(1600);
        assertThat(t.at("/latest/key_pool_bits").asLong()).isEqualTo(8192);
        assertThat(state.points("kog-ote")).isEqualTo(2);
    }

    @Test
    void onlyOneEndOfALinkIsPlotted() {
        state.accept("hotaru/v1/otemachi/telemetry/kog-ote", telemetry("otemachi", "kog-ote", T0, 0.02, 1, 1));
        // the transmitter's end (a = koganei) takes over once heard; the receiver's copies are dropped
        state.accept("hotaru/v1/koganei/telemetry/kog-ote", telemetry("koganei", "kog-ote", T0, 0.02, 1, 1));
        state.accept(
                "hotaru/v1/otemachi/telemetry/kog-ote",
                telemetry("otemachi", "kog-ote", T0.plusSeconds(1), 0.02, 1, 1));
        assertThat(state.points("kog-ote")).isEqualTo(2);
        assertThat(state.snapshot().at("/links/kog-ote/node").asText()).isEqualTo("koganei");
    }

    @Test
    void theReceiversIdleShareIsShownWithThePlottedEndsFigures() {
        state.accept("hotaru/v1/koganei/telemetry/kog-ote", telemetry("koganei", "kog-ote", T0, 0.02, 1, 1));
        assertThat(state.snapshot().at("/links/kog-ote").has("receiver_idle")).isFalse();
        LinkTelemetry atReceiver = new LinkTelemetry(
                "kog-ote",
                LinkState.KEYGEN,
                T0,
                7,
                0.02,
                Map.of(),
                Map.of(),
                4,
                1,
                Map.of(),
                0,
                1,
                0,
                Double.NaN,
                Double.NaN,
                Map.of(),
                0.31);
        state.accept("hotaru/v1/otemachi/telemetry/kog-ote", TelemetryJson.telemetry("otemachi", atReceiver, 1));
        state.accept(
                "hotaru/v1/koganei/telemetry/kog-ote", telemetry("koganei", "kog-ote", T0.plusSeconds(1), 0.02, 1, 1));
        assertThat(state.points("kog-ote"))
                .as("the receiver's copy is not plotted")
                .isEqualTo(2);
        assertThat(state.snapshot().at("/links/kog-ote/node").asText()).isEqualTo("koganei");
        assertThat(state.snapshot().at("/links/kog-ote/receiver_idle").asDouble())
                .isEqualTo(0.31);
    }

    @Test
    void nodesAndLinksOutsideTheTopologyAreIgnored() {
        state.accept("hotaru/v1/osaka/status", TelemetryJson.offline("osaka"));
        state.accept("hotaru/v1/koganei/telemetry/kog-osaka", telemetry("koganei", "kog-osaka", T0, 0, 0, 0));
        state.accept("hotaru/v1/hongo/telemetry/kog-ote", telemetry("hongo", "kog-ote", T0, 0, 0, 0));
        state.accept("hotaru/v1/koganei/status", "{not json".getBytes(StandardCharsets.UTF_8));
        state.accept("elsewhere/v1/koganei/status", TelemetryJson.offline("koganei"));
        assertThat(state.ignored()).isEqualTo(5);
        assertThat(state.snapshot().path("nodes").size()).isZero();
        assertThat(state.snapshot().path("series").size()).isZero();
    }

    @Test
    void alarmsAppearAndClear() {
        listen();
        Alarm a = new Alarm("qber", "kog-ote", Severity.MAJOR, "QBER 0.25 above 0.11", T0);
        state.accept("hotaru/v1/koganei/alarm/qber", TelemetryJson.alarm("koganei", "qber", List.of(a), T0));
        assertThat(state.snapshot().at("/alarms/koganei~1qber/severity").asText())
                .isEqualTo("major");
        assertThat(state.snapshot()
                        .at("/alarms/koganei~1qber/links/kog-ote/message")
                        .asText())
                .isEqualTo("QBER 0.25 above 0.11");
        state.accept("hotaru/v1/koganei/alarm/qber", new byte[0]);
        state.accept("hotaru/v1/koganei/alarm/qber", new byte[0]); // a second clear changes nothing
        assertThat(state.snapshot().path("alarms").size()).isZero();
        assertThat(events).containsExactly("snapshot", "alarm", "alarm");
        assertThat(data.get(2).path("active").asBoolean()).isFalse();
    }

    @Test
    void statusKeepsTheNodeStateAndAuditFigures() {
        byte[] status = ("{\"v\":1,\"node\":\"hongo\",\"ts\":\"2026-05-01T12:00:05Z\",\"state\":\"online\","
                        + "\"links\":{\"ote-hon\":\"KEYGEN\"},\"alarms\":[],\"audit_head\":\"ab\",\"audit_records\":12,"
                        + "\"telemetry_lost_total\":0}")
                .getBytes(StandardCharsets.UTF_8);
        state.accept("hotaru/v1/hongo/status", status);
        JsonNode n = state.snapshot().at("/nodes/hongo");
        assertThat(n.path("state").asText()).isEqualTo("online");
        assertThat(n.at("/links/ote-hon").asText()).isEqualTo("KEYGEN");
        assertThat(n.path("audit_records").asLong()).isEqualTo(12);
        state.accept("hotaru/v1/hongo/status", TelemetryJson.offline("hongo"));
        assertThat(state.snapshot().at("/nodes/hongo/state").asText()).isEqualTo("offline");
    }

    @Test
    void satellitePassesArePlacedOnTheWallClockAndCollectTheirKey() {
        JsonNode track = state.snapshot().at("/satellite/sat-gsk");
        JsonNode pass = track.at("/passes/0");
        RunClock clock = new RunClock(TOKYO.start(), T0, 11);
        // AOS 2016-03-20T02:33:07.56Z is 187.56 s simulated after the start: 17.05 s of wall time at x11
        assertThat(pass.path("aos").asLong() - T0.toEpochMilli()).isBetween(17_000L, 17_100L);
        assertThat(pass.path("max_elevation_deg").asDouble()).isBetween(77.0, 79.0);
        assertThat(pass.path("elevation").size()).isGreaterThanOrEqualTo(SatelliteTrack.SAMPLES_PER_PASS);
        assertThat(pass.at("/elevation/0/1").asDouble()).isBetween(14.9, 15.1);

        long aos = pass.path("aos").asLong();
        // before the pass: no key counted; during it: rate x period
        state.accept("hotaru/v1/ukube1/telemetry/sat-gsk", telemetry("ukube1", "sat-gsk", at(aos - 2000), 0, 900, 0));
        state.accept("hotaru/v1/ukube1/telemetry/sat-gsk", telemetry("ukube1", "sat-gsk", at(aos - 1000), 0, 900, 0));
        state.accept("hotaru/v1/ukube1/telemetry/sat-gsk", telemetry("ukube1", "sat-gsk", at(aos + 1000), 0, 1000, 0));
        state.accept("hotaru/v1/ukube1/telemetry/sat-gsk", telemetry("ukube1", "sat-gsk", at(aos + 1500), 0, 1000, 0));
        assertThat(state.snapshot().at("/satellite/sat-gsk/passes/0/key_bits").asDouble())
                .isEqualTo(2000 + 500);
        assertThat(clock.simOf(aos).toString()).startsWith("2016-03-20T02:33:07");
    }

    private static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    @Test
    void theAuditTailKeepsTheLastRecords() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < DashboardState.AUDIT_TAIL + 5; i++) {
            ObjectNode r = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            r.put("seq", i);
            r.put("kind", "link.state");
            records.add(r);
        }
        state.addAudit("hongo", records);
        JsonNode audit = state.snapshot().path("audit");
        assertThat(audit).hasSize(DashboardState.AUDIT_TAIL);
        assertThat(audit.get(0).path("seq").asLong()).isEqualTo(5);
        assertThat(audit.get(0).path("node").asText()).isEqualTo("hongo");
    }
}
