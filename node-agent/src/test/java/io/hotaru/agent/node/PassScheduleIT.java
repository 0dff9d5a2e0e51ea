package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.pass.OrbitPasses;
import io.hotaru.agent.pass.PassWindow;
import io.hotaru.agent.state.LinkState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ground-station link follows its pass schedule on an accelerated orbit clock: both ends
 * self-test before AOS, make key only between AOS and LOS, stop at LOS, and audit the pass.
 */
class PassScheduleIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The ISS on 2008-09-20 (the element set of the SGP4 test cases). */
    private static final String ISS = """
            ISS (ZARYA)
            1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927
            2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537
            """;

    private static final String STATION = "35.68,139.77,40";
    private static final double SCALE = 40;
    private static final long LEAD_S = 60;
    private static final long BEFORE_AOS_S = 80;

    @TempDir
    Path dir;

    @Test
    void theLinkIsUpOnlyDuringThePassAndThePassIsAudited() throws Exception {
        Path tle = dir.resolve("iss.tle");
        Files.writeString(tle, ISS);
        PassWindow pass = OrbitPasses.predict(
                        tle, STATION, 10, Instant.parse("2008-09-20T12:00:00Z"), Duration.ofDays(1))
                .get(0);
        Instant start = pass.aos().minusSeconds(BEFORE_AOS_S);
        // both ends share one orbit clock, anchored a little after both have started
        Instant wallStart = Instant.now().plusSeconds(20);
        String passes = """
                    passes:
                      tle: iss.tle
                      station: "%s"
                      min_elevation_deg: 10
                      selftest_lead: %ds
                      time_scale: %s
                      start: "%s"
                      wall_start: "%s"
                """.formatted(STATION, LEAD_S, SCALE, start, wallStart);
        // no broker listens there: the nodes keep trying in the background, nothing waits for it
        String mqtt = "mqtt:\n  broker: tcp://127.0.0.1:" + NodePair.freePort() + "\n";
        try (NodePair nodes = new NodePair(
                dir, "link=A-B&seed=3&params=metro&distance_km=25&time_scale=10", 1 << 16, mqtt, mqtt, passes)) {
            nodes.start();
            await().atMost(WAIT)
                    .until(() -> Files.readString(nodes.audit("a")).contains("\"link.pass\"")
                            && Files.readString(nodes.audit("b")).contains("\"link.pass\""));
            Instant earliestAos = wallStart.plusMillis((long) (BEFORE_AOS_S * 1000 / SCALE));
            for (String node : List.of("a", "b")) {
                List<JsonNode> records = new ArrayList<>();
                for (String line : Files.readAllLines(nodes.audit(node))) {
                    records.add(JSON.readTree(line));
                }
                Instant selfTest = firstTransition(records, "SELFTEST");
                Instant keygen = firstTransition(records, "KEYGEN");
                assertThat(selfTest).as("node %s self-tests before AOS", node).isBefore(earliestAos);
                assertThat(keygen).as("node %s makes key only from AOS", node).isAfterOrEqualTo(earliestAos);
                JsonNode passRecord = records.stream()
                        .filter(r -> r.path("kind").asText().equals("link.pass"))
                        .findFirst()
                        .orElseThrow();
                assertThat(passRecord.toString()).contains(pass.aos().toString().substring(0, 16));
                assertThat(passRecord.path("detail").path("blocks").asLong())
                        .as("node %s: %s", node, passRecord)
                        .isPositive();
            }
            assertThat(nodes.a().linkStates()).containsEntry("A-B", LinkState.STOPPED);
        }
    }

    private static Instant firstTransition(List<JsonNode> records, String to) {
        return records.stream()
                .filter(r -> r.path("kind").asText().equals("link.transition")
                        && r.path("detail").path("to").asText().equals(to)
                        && r.path("detail").path("accepted").asBoolean())
                .map(r -> Instant.parse(r.path("time").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no transition to " + to));
    }
}
