package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.state.LinkState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on a simulated link whose receiver clock is 3.7 µs (and a fraction of a slot) off the
 * link's and runs 4 ppm fast, and whose fibre turns the polarisation: the receiver acquires its
 * clock at ALIGN from the vacuum slots the transmitter reveals, tracks the drift, runs the
 * polarisation loop on its controller, and both ends distil key; the offset, drift and the loop's
 * counters reach the telemetry. Without the clock the same link's blocks fail (SlotClockIT shows the
 * framing falls apart).
 */
class LinkControlLoopsIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long OFFSET_PS = 3_701_234;
    private static final double DRIFT_PPM = 4;
    private static final String SIM = "link=A-B&seed=5&params=metro&distance_km=25&time_scale=4" + "&clock_offset_ps="
            + OFFSET_PS + "&clock_drift_ppm=" + DRIFT_PPM + "&pol_drift=0.2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReceiverAcquiresItsClockAtAlignAndBothEndsDistilThroughDriftAndPolarisation() throws Exception {
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        String timeSync = "    time_sync:\n      max_offset_us: 20\n      max_drift_ppm: 20\n";
        String controller = "      polarisation: \"sim:polarisation?" + SIM + "\"\n";
        try (NodePair nodes = new NodePair(dir, SIM, 1 << 19, mqttA, mqttB, "", timeSync, controller, p -> p)) {
            nodes.start();
            await().atMost(WAIT)
                    .until(() -> nodes.a().linkStates().get("A-B") == LinkState.KEYGEN
                            && nodes.b().linkStates().get("A-B") == LinkState.KEYGEN);
            try {
                await().atMost(WAIT).until(() -> distilled(nodes.a()) >= 3 && distilled(nodes.b()) >= 3);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "no key at both ends; B's audit log:\n" + tail(nodes.audit("b")) + "\nA's:\n"
                                + tail(nodes.audit("a")),
                        e);
            }

            JsonNode sync = auditRecord(nodes.audit("b"), "link.sync.acquired");
            assertThat(sync.path("acquired").asBoolean()).isTrue();
            assertThat(sync.path("offset_ps").asDouble()).isCloseTo(OFFSET_PS, within(200.0));
            assertThat(sync.path("drift_ppm").asDouble()).isCloseTo(DRIFT_PPM, within(0.1));
            long firstKeySlot = sync.path("first_key_slot").asLong();
            assertThat(auditRecord(nodes.audit("a"), "link.sync.revealed")
                            .path("first_key_slot")
                            .asLong())
                    .isEqualTo(firstKeySlot);

            LinkTelemetry t = nodes.b().runners().get("A-B").telemetry(Instant.now(), 0);
            assertThat(t.syncOffsetNanos()).isCloseTo(OFFSET_PS / 1000.0, within(0.5));
            assertThat(t.driftPpm()).isCloseTo(DRIFT_PPM, within(0.05));
            assertThat(t.polarisation().get("moves")).isGreaterThan(0);
            assertThat(t.polarisation().get("errors")).isZero();
            assertThat(t.qber()).isLessThan(0.05);
            LinkTelemetry ta = nodes.a().runners().get("A-B").telemetry(Instant.now(), 0);
            assertThat(ta.syncOffsetNanos()).isNaN();
            assertThat(ta.polarisation()).isEmpty();
        }
    }

    private static String tail(Path audit) throws java.io.IOException {
        java.util.List<String> lines = Files.readAllLines(audit);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static long distilled(NodeDaemon node) {
        LinkRunner r = node.runners().get("A-B");
        return r == null ? 0 : r.keyCounts()[0];
    }

    private static JsonNode auditRecord(Path audit, String type) throws Exception {
        String line = Files.readAllLines(audit).stream()
                .filter(l -> l.contains("\"" + type + "\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " record in " + audit));
        JsonNode record = JSON.readTree(line);
        return record.has("detail") ? record.get("detail") : record;
    }
}
