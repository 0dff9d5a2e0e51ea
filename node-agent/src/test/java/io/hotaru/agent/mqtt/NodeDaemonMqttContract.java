package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.node.NodePair;
import io.hotaru.agent.state.LinkState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node daemon on MQTT, whichever broker: status (retained), telemetry with the documented
 * schema, retained alarms from the link's monitors, and signed commands that are authorised,
 * range-checked, audited and idempotent, a rejected one changing nothing at the link.
 */
abstract class NodeDaemonMqttContract {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SIM = "link=A-B&seed=5&params=metro&distance_km=25&time_scale=10";
    static final String REPLY = Topics.REPLY_ROOT + "ops-1/daemon";

    @TempDir
    Path dir;

    /** The MQTT sections of A's and B's configurations, and the URI an operator connects to. */
    record Brokers(String mqttA, String mqttB, URI operator) {}

    abstract Brokers brokers(Path dir) throws Exception;

    /** Restarts the broker the nodes use, if the test owns it; false if it cannot. */
    abstract boolean restartBroker() throws Exception;

    private String mqttSection(String broker, int port, Path senders) {
        return """
                mqtt:
                  broker: "%s"
                  port: %d
                  telemetry_period: 300ms
                  command_senders: %s
                """.formatted(broker, port, senders);
    }

    String embedded(int port, Path senders) {
        return mqttSection("embedded", port, senders);
    }

    String external(URI uri, Path senders) {
        return mqttSection(uri.toString(), 1883, senders);
    }

    Path senders(Path dir) throws Exception {
        Path file = dir.resolve("command-senders");
        Files.writeString(file, "ops-1 * " + SenderAllowList.encode(TestKeys.OPS.publicKey()) + "\n");
        return file;
    }

    private NodePair pair(String eve) throws Exception {
        Brokers b = brokers(dir);
        brokers = b;
        return new NodePair(dir, SIM + eve, 1 << 16, b.mqttA() + "metrics:\n  port: 0\n", b.mqttB());
    }

    private Brokers brokers;

    private static JsonNode json(TestClient.Received r) {
        try {
            return JSON.readTree(r.payload());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode last(TestClient op, String topic) {
        List<TestClient.Received> m = op.matching(r -> r.topic().equals(topic) && r.payload().length > 0);
        return m.isEmpty() ? null : json(m.get(m.size() - 1));
    }

    private JsonNode command(TestClient op, String verb, Map<String, String> args, byte[] signed, String corr)
            throws Exception {
        int before = op.matching(r -> r.topic().equals(REPLY)).size();
        op.publish("hotaru/v1/node-a/cmd/" + verb, signed, REPLY, corr.getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT)
                .until(() -> op.matching(r -> r.topic().equals(REPLY)).size() > before);
        List<TestClient.Received> replies = op.matching(r -> r.topic().equals(REPLY));
        return json(replies.get(replies.size() - 1));
    }

    @Test
    void statusTelemetryAndSignedCommandsReachTheDaemon() throws Exception {
        try (NodePair nodes = pair("")) {
            nodes.start();
            try (TestClient op = new TestClient(brokers.operator())) {
                op.subscribe("hotaru/v1/#");
                await().atMost(WAIT).until(() -> {
                    JsonNode s = last(op, "hotaru/v1/node-a/status");
                    return s != null
                            && "KEYGEN".equals(s.path("links").path("A-B").asText());
                });
                await().atMost(WAIT).until(() -> {
                    JsonNode t = last(op, "hotaru/v1/node-b/telemetry/A-B");
                    return t != null && t.path("block").asLong() >= 0;
                });
                assertMetricsAndHealth(nodes.a().metricsPort());
                JsonNode t = last(op, "hotaru/v1/node-b/telemetry/A-B");
                assertThat(t.fieldNames())
                        .toIterable()
                        .contains(
                                "v",
                                "node",
                                "ts",
                                "seq",
                                "link",
                                "state",
                                "block",
                                "qber",
                                "qber_by_intensity",
                                "gain_by_intensity",
                                "sifted_bps",
                                "secret_bps",
                                "detector_counts",
                                "data_lost_total",
                                "key_pool_bits",
                                "auth_pool_bits",
                                "sync_offset_ns",
                                "drift_ppm",
                                "receiver_idle");
                assertThat(t.get("qber").asDouble()).isBetween(0.0, 0.11);
                // node-b receives: from its second period on it reports its distiller's idle share
                await().atMost(WAIT)
                        .until(() -> last(op, "hotaru/v1/node-b/telemetry/A-B")
                                .path("receiver_idle")
                                .isNumber());
                assertThat(last(op, "hotaru/v1/node-b/telemetry/A-B")
                                .get("receiver_idle")
                                .asDouble())
                        .isBetween(0.0, 1.0);
                JsonNode transmitter = last(op, "hotaru/v1/node-a/telemetry/A-B");
                assertThat(transmitter.get("receiver_idle").isNull())
                        .as("a transmitter has no receiver idle share: %s", transmitter)
                        .isTrue();
                assertThat(t.get("gain_by_intensity").fieldNames())
                        .toIterable()
                        .containsExactlyInAnyOrder("signal", "decoy", "vacuum");
                assertThat(t.get("detector_counts").fieldNames())
                        .toIterable()
                        .containsExactlyInAnyOrder("z0", "z1", "x0", "x1");
                op.subscribe(REPLY);

                // unauthorised and out of range: rejected, audited, and the link goes on
                long transitions = transitions(nodes);
                JsonNode intruder = command(
                        op,
                        "stop",
                        Map.of("link", "A-B"),
                        TestKeys.INTRUDER.sign("node-a", "stop", Map.of("link", "A-B"), Instant.now()),
                        "x1");
                assertThat(intruder.get("status").asText()).isEqualTo("rejected");
                JsonNode range = command(
                        op,
                        "set",
                        Map.of(),
                        TestKeys.OPS.sign(
                                "node-a",
                                "set",
                                Map.of("link", "A-B", "name", "qber_threshold", "value", "0.5"),
                                Instant.now()),
                        "x2");
                assertThat(range.get("status").asText()).isEqualTo("rejected");
                assertThat(nodes.a().linkStates()).containsEntry("A-B", LinkState.KEYGEN);
                assertThat(transitions(nodes)).isEqualTo(transitions);
                assertThat(Files.readString(nodes.audit("a"))).contains("mqtt.command.rejected");

                // authorised: runs once; the same signed message again is answered, not run
                byte[] stop = TestKeys.OPS.sign("node-a", "stop", Map.of("link", "A-B"), Instant.now());
                assertThat(command(op, "stop", Map.of(), stop, "s1")
                                .get("status")
                                .asText())
                        .isEqualTo("ok");
                assertThat(nodes.a().linkStates()).containsEntry("A-B", LinkState.STOPPED);
                JsonNode again = command(op, "stop", Map.of(), stop, "s1-retry");
                assertThat(again.get("duplicate").asBoolean()).isTrue();
                await().atMost(WAIT).until(() -> {
                    JsonNode s = last(op, "hotaru/v1/node-a/status");
                    return s != null
                            && "STOPPED".equals(s.path("links").path("A-B").asText());
                });

                op.clear();
                if (restartBroker()) {
                    // the broker comes back empty: the node reconnects, republishes its status
                    // and runs a new command exactly once
                    op.reconnect(WAIT);
                    await().atMost(WAIT).until(() -> last(op, "hotaru/v1/node-a/status") != null);
                }
                byte[] start = TestKeys.OPS.sign("node-a", "start", Map.of("link", "A-B"), Instant.now());
                assertThat(command(op, "start", Map.of(), start, "s2")
                                .get("status")
                                .asText())
                        .isEqualTo("ok");
                // started again: B's end, which lost its channel, reconnects and both make key again
                await().atMost(WAIT)
                        .until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                                && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
                assertThat(Files.readString(nodes.audit("a")))
                        .contains("mqtt.command.executed")
                        .contains("mqtt.command.duplicate");
            }
        }
    }

    @Test
    void aMonitorsAlarmIsRetainedWhileActive() throws Exception {
        try (NodePair nodes = pair("&eve=trojan")) {
            nodes.start();
            try (TestClient op = new TestClient(brokers.operator())) {
                op.subscribe("hotaru/v1/#");
                await().atMost(WAIT).until(() -> last(op, "hotaru/v1/node-a/alarm/trojan") != null);
                JsonNode alarm = last(op, "hotaru/v1/node-a/alarm/trojan");
                assertThat(alarm.get("active").asBoolean()).isTrue();
                assertThat(alarm.toString()).contains("A-B");
                try (TestClient late = new TestClient(brokers.operator())) {
                    late.subscribe("hotaru/v1/node-a/alarm/#");
                    await().atMost(WAIT)
                            .until(() -> !late.matching(r -> r.topic().endsWith("/alarm/trojan"))
                                    .isEmpty());
                    assertThat(late.matching(r -> r.topic().endsWith("/alarm/trojan")))
                            .allMatch(TestClient.Received::retained, "retained for a late subscriber");
                }
                await().atMost(WAIT).until(() -> {
                    JsonNode s = last(op, "hotaru/v1/node-a/status");
                    return s != null && s.path("alarms").toString().contains("trojan");
                });
                assertThat(nodes.a().linkStates()).containsEntry("A-B", LinkState.ALARM);
            }
        }
    }

    /** Prometheus scrapes the node's meters; the health endpoint reports the node and its link. */
    private static void assertMetricsAndHealth(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        await().atMost(WAIT).until(() -> {
            String m = http.send(
                            HttpRequest.newBuilder(base.resolve("/metrics")).build(), BodyHandlers.ofString())
                    .body();
            return m.contains("hotaru_link_blocks_total{link=\"A-B\"}")
                    && !m.contains("hotaru_link_blocks_total{link=\"A-B\"} 0.0");
        });
        HttpResponse<String> metrics =
                http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("# TYPE hotaru_link_state gauge")
                .contains("hotaru_link_state{link=\"A-B\"} 4.0")
                .contains("hotaru_link_blocks_withheld_total{link=\"A-B\"}")
                .contains("hotaru_mqtt_connected 1.0")
                .contains("hotaru_key_store_file_bytes")
                .contains("hotaru_key_store_spent_rows_deleted_total 0.0")
                .contains("hotaru_key_store_units_erased_on_arrival_total 0.0")
                .contains("hotaru_audit_records");
        HttpResponse<String> health =
                http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(health.body());
        assertThat(h.get("status").asText()).isEqualTo("up");
        assertThat(h.get("links").get("A-B").get("state").asText()).isEqualTo("KEYGEN");
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/nope")).build(), BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    private static long transitions(NodePair nodes) throws java.io.IOException {
        return Files.readAllLines(nodes.audit("a")).stream()
                .filter(l -> l.contains("link.transition"))
                .count();
    }
}
