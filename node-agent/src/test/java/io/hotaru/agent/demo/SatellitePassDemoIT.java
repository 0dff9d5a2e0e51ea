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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A satellite link in a demo run: UKube-1's first pass over Koganei, compressed 30 times on the wall
 * clock (AOS about 6 s into the run, LOS about 14 s), keys at the pass's free-space loss into both
 * nodes' stores; the pass's key is in the terminal, the summary and on the dashboard, and both ends
 * hold the same keys.
 */
class SatellitePassDemoIT {

    private static final long SEED = 11;

    private static final String NETWORK = """
            name: one-pass
            start: 2016-03-20T02:30:00Z
            nodes:
              - {id: sat, kind: satellite, etsi_port_offset: 0}
              - {id: gs, kind: ground-station, etsi_port_offset: 1}
              - {id: city, kind: metro, etsi_port_offset: 2}
            fibre_links:
              - {id: gs-city, a: gs, b: city, length_km: 1, loss_db_per_km: 0.5, parameter_set: metro}
            satellite_links:
              - id: sat-gs
                satellite: sat
                station: gs
                tle: |
                  UKUBE-1
                  1 40074U 14037F   16079.81203031  .00001270  00000-0  16363-3 0  9993
                  2 40074  98.3348 169.0455 0005943  80.4298 279.7595 14.82938013 91827
                station_lat: 35.7106
                station_lon: 139.4890
                station_alt_m: 70
                min_elevation_deg: 15
                parameter_set: micius
            """;

    @Test
    void thePassKeysBetweenAosAndLosAndItsKeyIsShown(@TempDir Path dir) {
        Topology topology = TopologyLoader.parse("one-pass.yaml", NETWORK.getBytes(StandardCharsets.UTF_8));
        DemoSettings settings = new DemoSettings(
                topology,
                dir,
                0,
                0,
                SEED,
                Duration.ofSeconds(18),
                Duration.ofSeconds(2),
                30.0,
                // link seconds per wall second: one link second covers 7.5 orbit seconds of the pass
                4.0,
                DemoCommand.BLOCK_DETECTIONS,
                List.of(),
                false);
        StringWriter text = new StringWriter();
        NetworkDemo.Result result = new NetworkDemo(settings, new PrintWriter(text, true)).run();
        String out = text.toString();

        DemoSummary.LinkResult sat = result.links().get("sat-gs");
        assertThat(sat).as(out).isNotNull();
        assertThat(sat.storedKeyBits())
                .as("key of the pass (seed %d)\n%s", SEED, out)
                .isPositive();
        assertThat(sat.identical()).isTrue();
        assertThat(result.alarmedLinks()).isEmpty();
        assertThat(out)
                .contains("sat-gs     passes: [")
                .containsPattern(
                        "pass of sat-gs over gs: max elevation 78\\.\\d°, done, \\d+ blocks, [1-9][\\d,]* secret bits stored");

        JsonNode passes = result.dashboard().path("satellite").path("sat-gs").path("passes");
        assertThat(passes.size()).isEqualTo(1);
        assertThat(passes.get(0).path("elevation").size()).isPositive();
        assertThat(passes.get(0).path("key_bits").asDouble())
                .as("key per pass on the dashboard")
                .isPositive();
        assertThat(result.dashboard().path("links").fieldNames()).toIterable().contains("sat-gs", "gs-city");
    }
}
