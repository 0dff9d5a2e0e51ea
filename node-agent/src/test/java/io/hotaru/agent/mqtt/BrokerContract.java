package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.state.LinkState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node's MQTT side must do against any MQTT 5 broker; run by {@link EmbeddedBrokerIT} and
 * {@link MosquittoBrokerIT}. Each test uses its own node id, so the retained messages of one do not
 * leak into another while the classes share a broker.
 */
abstract class BrokerContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    /** The shared broker of the test class. */
    abstract MqttBroker broker();

    /** Stops the broker abruptly and starts it again on the same port, with nothing remembered. */
    abstract void restartBroker() throws Exception;

    /** A node's MQTT side: one session, a publisher and a command listener with a recording handler. */
    final class Node implements AutoCloseable {
        final MqttSession session;
        final TelemetryPublisher publisher;
        final RecordingHandler handler = new RecordingHandler();
        final AuditLog audit;
        final CommandListener listener;

        Node(String id, URI broker, int bufferCapacity) {
            MqttSettings settings = MqttSettings.defaults(id, broker)
                    .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .withKeepAlive(Duration.ofSeconds(2))
                    .withBufferCapacity(bufferCapacity);
            session = new MqttSession(settings);
            publisher = new TelemetryPublisher(session, Clock.systemUTC());
            audit = AuditLog.open(tmp.resolve(id + "-audit.jsonl"), Clock.systemUTC());
            CommandGate gate = new CommandGate(
                    id,
                    TestKeys.allowList(),
                    CommandPolicy.of(Set.of("ab")),
                    handler,
                    audit::append,
                    Clock.systemUTC());
            listener = new CommandListener(session, gate, Clock.systemUTC());
            session.start();
        }

        void awaitConnections(long n) {
            await().atMost(WAIT).until(() -> session.connections() >= n && session.isConnected());
        }

        @Override
        public void close() {
            listener.close();
            publisher.close();
            session.close();
            audit.close();
        }
    }

    static LinkTelemetry telemetry(String link, long block) {
        return new LinkTelemetry(
                link,
                LinkState.KEYGEN,
                Instant.parse("2026-05-01T12:00:00Z").plusSeconds(block),
                block,
                0.021,
                Map.of("signal", 0.02, "decoy", 0.031, "vacuum", Double.NaN),
                Map.of("signal", 1.2e-3, "decoy", 3.1e-4, "vacuum", 2.0e-6),
                12_500.0,
                3_100.0,
                Map.of("d0", 10_021L, "d1", 9_977L, "d2", 10_102L, "d3", 9_900L),
                0,
                1_048_576,
                8_192,
                -12.5,
                0.8,
                Map.of(),
                0.28);
    }

    static JsonNode json(TestClient.Received r) throws Exception {
        return JSON.readTree(r.payload());
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void telemetryStatusAndAlarmsArriveWithTheDocumentedSchema() throws Exception {
        try (TestClient op = new TestClient(broker().uri());
                Node node = new Node("schema", broker().uri(), 100)) {
            op.subscribe("hotaru/v1/schema/#");
            node.awaitConnections(1);
            node.publisher.updateStatus(new NodeStatus(Map.of("ab", LinkState.KEYGEN), "ab".repeat(32), 7));
            node.publisher.publish(telemetry("ab", 42));
            node.publisher.raiseAlarm(
                    new Alarm("blinding", "ab", Severity.CRITICAL, "self-test pulses missing", Instant.now()));

            await().atMost(WAIT)
                    .until(() -> !op.matching(r -> r.topic().endsWith("/alarm/blinding"))
                            .isEmpty());
            TestClient.Received t = op.matching(r -> r.topic().equals("hotaru/v1/schema/telemetry/ab"))
                    .get(0);
            JsonNode tj = json(t);
            assertThat(fieldNames(tj))
                    .containsExactly(
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
                            "polarisation",
                            "receiver_idle");
            assertThat(tj.get("polarisation").isNull()).isTrue();
            assertThat(tj.get("receiver_idle").doubleValue()).isEqualTo(0.28);
            assertThat(tj.get("qber").doubleValue()).isEqualTo(0.021);
            assertThat(tj.get("qber_by_intensity").get("vacuum").isNull()).isTrue();
            assertThat(tj.get("detector_counts").get("d2").longValue()).isEqualTo(10_102L);
            assertThat(tj.get("state").textValue()).isEqualTo("KEYGEN");

            List<TestClient.Received> statuses = op.matching(r -> r.topic().endsWith("/status"));
            JsonNode status = json(statuses.get(statuses.size() - 1));
            assertThat(fieldNames(status))
                    .containsExactly(
                            "v",
                            "node",
                            "ts",
                            "state",
                            "links",
                            "alarms",
                            "audit_head",
                            "audit_records",
                            "telemetry_lost_total");
            assertThat(status.get("state").textValue()).isEqualTo("online");
            assertThat(status.get("links").get("ab").textValue()).isEqualTo("KEYGEN");
            assertThat(status.get("alarms").get(0).textValue()).isEqualTo("blinding");
            assertThat(status.get("audit_records").longValue()).isEqualTo(7);

            JsonNode alarm =
                    json(op.matching(r -> r.topic().endsWith("/alarm/blinding")).get(0));
            assertThat(alarm.get("severity").textValue()).isEqualTo("critical");
            assertThat(alarm.get("links").get("ab").get("message").textValue()).isEqualTo("self-test pulses missing");

            // resolved: the retained alarm is cleared, so a late subscriber sees none
            node.publisher.clearAlarm("blinding", "ab");
            await().atMost(WAIT)
                    .until(() -> op.matching(r -> r.topic().endsWith("/alarm/blinding") && r.payload().length == 0)
                                    .size()
                            == 1);
            try (TestClient late = new TestClient(broker().uri())) {
                late.subscribe("hotaru/v1/schema/#");
                await().atMost(WAIT)
                        .until(() -> !late.matching(r -> r.topic().endsWith("/status"))
                                .isEmpty());
                Thread.sleep(300);
                assertThat(late.matching(r -> r.topic().contains("/alarm/"))).isEmpty();
                assertThat(late.matching(r -> r.topic().endsWith("/telemetry/ab")))
                        .singleElement()
                        .satisfies(r -> assertThat(r.retained()).isTrue());
            }
        }
    }

    @Test
    void theLastWillFiresWhenTheConnectionDiesAndTelemetryIsBufferedMeanwhile() throws Exception {
        try (TestClient op = new TestClient(broker().uri());
                TcpProxy proxy = new TcpProxy(broker().uri());
                Node node = new Node("will", proxy.uri(), 200)) {
            op.subscribe("hotaru/v1/will/#");
            node.awaitConnections(1);
            node.publisher.updateStatus(new NodeStatus(Map.of("ab", LinkState.KEYGEN), "00", 1));
            await().atMost(WAIT).until(() -> hasState(op, "online"));

            proxy.cut(); // the node's TCP connection is reset: no DISCONNECT reaches the broker
            await().atMost(WAIT).until(() -> hasState(op, "offline"));
            TestClient.Received will = op.matching(r -> r.topic().endsWith("/status"))
                    .get(op.matching(r -> r.topic().endsWith("/status")).size() - 1);
            assertThat(json(will).get("state").textValue()).isEqualTo("offline");

            await().atMost(WAIT).until(() -> !node.session.isConnected());
            for (int block = 1; block <= 250; block++) {
                node.publisher.publish(telemetry("ab", block));
            }
            assertThat(node.publisher.buffered()).isEqualTo(200);
            op.clear();
            proxy.restore();
            node.awaitConnections(2);

            await().atMost(WAIT)
                    .until(() -> !op.matching(r -> r.topic().endsWith("/event/telemetry_gap"))
                            .isEmpty());
            assertThat(op.matching(r -> r.topic().endsWith("/telemetry/ab")).stream()
                            .map(r -> block(r))
                            .toList())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(51, 250)
                            .boxed()
                            .toList());
            JsonNode gap = json(
                    op.matching(r -> r.topic().endsWith("/event/telemetry_gap")).get(0));
            assertThat(gap.get("lost").longValue()).isEqualTo(50);
            assertThat(gap.get("from").textValue()).isEqualTo("2026-05-01T12:00:01Z");
            assertThat(gap.get("to").textValue()).isEqualTo("2026-05-01T12:00:50Z");
            assertThat(node.publisher.lostTotal()).isEqualTo(50);
            assertThat(hasState(op, "online")).isTrue();
        }
    }

    private static long block(TestClient.Received r) {
        try {
            return json(r).get("block").longValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean hasState(TestClient op, String state) {
        List<TestClient.Received> statuses = op.matching(r -> r.topic().endsWith("/status"));
        return !statuses.isEmpty()
                && new String(statuses.get(statuses.size() - 1).payload(), StandardCharsets.UTF_8)
                        .contains("\"state\":\"" + state + "\"");
    }

    @Test
    void aBrokerRestartLosesNoCommandAndReplaysNone() throws Exception {
        String reply = Topics.REPLY_ROOT + "ops-1/restart";
        try (TestClient op = new TestClient(broker().uri());
                TcpProxy proxy = new TcpProxy(broker().uri());
                Node node = new Node("restart", proxy.uri(), 100)) {
            op.subscribe(reply);
            node.awaitConnections(1);
            byte[] first = TestKeys.OPS.sign("restart", "start", Map.of("link", "ab"), Instant.now());
            op.publish("hotaru/v1/restart/cmd/start", first, reply, "c1".getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> op.received().size() == 1);
            assertThat(node.handler.calls).containsExactly("start ab");

            // the broker dies and comes back empty; the node is held off until the operator is back
            proxy.cut();
            restartBroker();
            op.reconnect(WAIT);
            for (int block = 1; block <= 3; block++) {
                node.publisher.publish(telemetry("ab", block));
            }
            op.subscribe("hotaru/v1/restart/telemetry/#");
            proxy.restore();
            node.awaitConnections(2);

            // the operator, unsure whether the first command ran, sends it again: answered, not executed
            op.publish("hotaru/v1/restart/cmd/start", first, reply, "c1-retry".getBytes(StandardCharsets.UTF_8));
            byte[] second = TestKeys.OPS.sign("restart", "stop", Map.of("link", "ab"), Instant.now());
            op.publish("hotaru/v1/restart/cmd/stop", second, reply, "c2".getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT)
                    .until(() -> op.matching(r -> r.topic().equals(reply)).size() == 3);
            List<JsonNode> answers = new ArrayList<>();
            for (TestClient.Received r : op.matching(r -> r.topic().equals(reply))) {
                answers.add(json(r));
            }
            assertThat(answers.get(1).get("duplicate").booleanValue()).isTrue();
            assertThat(answers.get(1).get("status").textValue()).isEqualTo("ok");
            assertThat(new String(
                            op.matching(r -> r.topic().equals(reply)).get(1).correlation(), StandardCharsets.UTF_8))
                    .isEqualTo("c1-retry");
            assertThat(answers.get(2).get("duplicate").booleanValue()).isFalse();
            assertThat(node.handler.calls).containsExactly("start ab", "stop ab");

            await().atMost(WAIT)
                    .until(() -> op.matching(r -> r.topic().endsWith("/telemetry/ab"))
                                    .size()
                            >= 3);
            assertThat(op.matching(r -> r.topic().endsWith("/telemetry/ab")).stream()
                            .map(r -> block(r))
                            .toList())
                    .containsExactly(1L, 2L, 3L);

            // a command sent while the node is away is not kept for it (clean sessions): no answer,
            // so the operator sends the same signed message again and it runs once
            proxy.cut();
            await().atMost(WAIT).until(() -> !node.session.isConnected());
            byte[] third = TestKeys.OPS.sign("restart", "selftest", Map.of("link", "ab"), Instant.now());
            op.publish("hotaru/v1/restart/cmd/selftest", third, reply, "c3".getBytes(StandardCharsets.UTF_8));
            proxy.restore();
            node.awaitConnections(3);
            assertThat(op.matching(r -> r.topic().equals(reply))).hasSize(3);
            op.publish("hotaru/v1/restart/cmd/selftest", third, reply, "c3-retry".getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT)
                    .until(() -> op.matching(r -> r.topic().equals(reply)).size() == 4);
            assertThat(json(op.matching(r -> r.topic().equals(reply)).get(3))
                            .get("duplicate")
                            .booleanValue())
                    .isFalse();
            assertThat(node.handler.calls).containsExactly("start ab", "stop ab", "selftest ab");
        }
    }

    @Test
    void unauthorisedAndOutOfRangeCommandsAreRejectedAndAuditedWithoutAHandlerCall() throws Exception {
        String reply = Topics.REPLY_ROOT + "ops-1/reject";
        try (TestClient op = new TestClient(broker().uri());
                Node node = new Node("reject", broker().uri(), 100)) {
            op.subscribe(reply);
            node.awaitConnections(1);
            Instant now = Instant.now();
            byte[] intruder = TestKeys.INTRUDER.sign("reject", "stop", Map.of("link", "ab"), now);
            byte[] outOfRange =
                    TestKeys.OPS.sign("reject", "set", Map.of("link", "ab", "name", "mu_signal", "value", "3.5"), now);
            byte[] notAllowed = TestKeys.NOC.sign("reject", "stop", Map.of("link", "ab"), now);
            byte[] unsigned = new String(
                            TestKeys.OPS.sign("reject", "stop", Map.of("link", "ab"), now), StandardCharsets.UTF_8)
                    .replaceAll("\"sig\":\"[^\"]*\"", "\"sig\":\"" + "A".repeat(86) + "==\"")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] expired = TestKeys.OPS.sign("reject", "stop", Map.of("link", "ab"), now.minusSeconds(600));
            byte[] garbage = {0, 1, 2, '{'};
            op.publish("hotaru/v1/reject/cmd/stop", intruder, reply, null);
            op.publish("hotaru/v1/reject/cmd/set", outOfRange, reply, null);
            op.publish("hotaru/v1/reject/cmd/stop", notAllowed, reply, null);
            op.publish("hotaru/v1/reject/cmd/stop", unsigned, reply, null);
            op.publish("hotaru/v1/reject/cmd/stop", expired, reply, null);
            op.publish("hotaru/v1/reject/cmd/stop", garbage, reply, null);
            // a command that tries to make the node publish over its own status gets no answer there
            op.publish("hotaru/v1/reject/cmd/stop", garbage, "hotaru/v1/reject/status", null);

            await().atMost(WAIT).until(() -> op.received().size() == 6);
            await().atMost(WAIT).until(() -> node.audit.records() == 7);
            List<String> reasons = new ArrayList<>();
            for (TestClient.Received r : op.received()) {
                JsonNode j = json(r);
                assertThat(j.get("status").textValue()).isEqualTo("rejected");
                reasons.add(j.get("reason").textValue());
            }
            assertThat(reasons)
                    .containsExactly(
                            "unknown_sender",
                            "out_of_range",
                            "verb_not_allowed",
                            "bad_signature",
                            "expired",
                            "malformed");
            assertThat(node.handler.calls).isEmpty();
            List<String> log = Files.readAllLines(node.audit.file());
            assertThat(log).hasSize(7).allSatisfy(l -> assertThat(l).contains(CommandGate.AUDIT_REJECTED));
            assertThat(String.join("\n", log)).contains("out_of_range").contains("unknown_sender");
        }
    }

    @Test
    void theStatusCommandPrintsEveryNodeWithLinksAndAlarms() throws Exception {
        try (Node a = new Node("site-a", broker().uri(), 100);
                Node b = new Node("site-b", broker().uri(), 100)) {
            a.awaitConnections(1);
            b.awaitConnections(1);
            a.publisher.updateStatus(new NodeStatus(Map.of("ab", LinkState.KEYGEN), "11".repeat(32), 3));
            b.publisher.updateStatus(new NodeStatus(Map.of("ab", LinkState.ALARM), "22".repeat(32), 5));
            a.publisher.publish(telemetry("ab", 9));
            b.publisher.raiseAlarm(new Alarm("qber", "ab", Severity.MAJOR, "QBER 12.1 % above 11 %", Instant.now()));
            Thread.sleep(300);

            java.io.StringWriter text = new java.io.StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new StatusCommand());
            cli.setOut(new java.io.PrintWriter(text));
            int code = cli.execute("--broker", broker().uri().toString(), "--window", "700ms");
            assertThat(code).isZero();
            assertThat(text.toString())
                    .contains("node site-a: online")
                    .contains("node site-b: online")
                    .contains("qber 0.02100")
                    .containsPattern("ALARM qber +major +links ab");

            java.io.StringWriter json = new java.io.StringWriter();
            cli = new picocli.CommandLine(new StatusCommand());
            cli.setOut(new java.io.PrintWriter(json));
            assertThat(cli.execute("--broker", broker().uri().toString(), "--window", "500ms", "--json"))
                    .isZero();
            JsonNode nodes = JSON.readTree(json.toString()).get("nodes");
            assertThat(nodes.get("site-b").get("status").get("links").get("ab").textValue())
                    .isEqualTo("ALARM");
            assertThat(nodes.get("site-b")
                            .get("alarms")
                            .get("qber")
                            .get("severity")
                            .textValue())
                    .isEqualTo("major");
            assertThat(nodes.get("site-a")
                            .get("telemetry")
                            .get("ab")
                            .get("block")
                            .longValue())
                    .isEqualTo(9);
        }
    }
}
