package io.hotaru.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DashboardServerTest {

    private static final Topology TOKYO = TopologyLoader.loadDefault();
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private final DashboardState state =
            new DashboardState(TOKYO, new RunClock(TOKYO.start(), T0, 11), Duration.ofMinutes(1));
    private final DashboardServer server = DashboardServer.start(state, 0, "--port");
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsAssetsFromTheJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<svg id=\"map\"").doesNotContain("http://", "https://");
        assertThat(get("/dashboard.js").body()).contains("EventSource");
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheStateAsJson() throws Exception {
        state.accept(
                "hotaru/v1/koganei/telemetry/kog-ote",
                DashboardStateTest.telemetry("koganei", "kog-ote", T0, 0.02, 1500, 4096));
        HttpResponse<String> r = get("/api/state");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertThat(json.at("/topology/name").asText()).isEqualTo("tokyo");
        assertThat(json.at("/series/kog-ote/0/3").asLong()).isEqualTo(4096);
    }

    @Test
    void streamsASnapshotThenEachChangeAsServerSentEvents() throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/api/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("retry: " + EventStreamClient.RETRY_MS);
            assertThat(in.readLine()).isEmpty();
            List<String> snapshot = frame(in);
            assertThat(snapshot.get(0)).isEqualTo("event: snapshot");
            assertThat(snapshot.get(1)).startsWith("data: {\"topology\":");

            state.accept(
                    "hotaru/v1/koganei/telemetry/kog-ote",
                    DashboardStateTest.telemetry("koganei", "kog-ote", T0, 0.02, 1500, 4096));
            state.accept("hotaru/v1/koganei/alarm/qber", new byte[0]); // nothing active: no event
            state.accept("hotaru/v1/hongo/status", io.hotaru.agent.mqtt.TelemetryJson.offline("hongo"));

            List<String> telemetry = frame(in);
            assertThat(telemetry.get(0)).isEqualTo("event: telemetry");
            JsonNode data = new ObjectMapper().readTree(telemetry.get(1).substring("data: ".length()));
            assertThat(data.path("link").asText()).isEqualTo("kog-ote");
            assertThat(data.at("/point/1").asDouble()).isEqualTo(0.02);
            assertThat(frame(in).get(0)).isEqualTo("event: status");
        }
    }

    /** The lines of the next event, without its blank terminator. */
    private static List<String> frame(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void aBusyPortNamesThePortAndTheOption() {
        int taken = server.port();
        assertThatThrownBy(() -> DashboardServer.start(state, taken, "--port"))
                .isInstanceOf(DashboardException.class)
                .hasMessage("dashboard port " + taken
                        + " on 127.0.0.1 is already in use; choose another with --port PORT (or 0 for any free port)");
    }

    @Test
    void eventFramesAreOneDataLine() {
        var data = new ObjectMapper().createObjectNode().put("text", "two\nlines");
        String frame = new String(EventStreamClient.format("status", data), StandardCharsets.UTF_8);
        assertThat(frame).isEqualTo("event: status\ndata: {\"text\":\"two\\nlines\"}\n\n");
    }
}
