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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each attack the simulator models, put on a link of a four-node chain from the start of a demo run:
 * its monitor raises its alarm at the end that can see it, in the terminal and on the dashboard; the
 * attacked link stores no key while the honest link stores identical keys at both ends. Two kinds per
 * run; the local monitors' kinds (blinding, Trojan horse) in the default suite, the others (time
 * shift, PNS) tagged slow (intercept-resend is in {@link NetworkDemoIT}).
 */
class DemoAttacksIT {

    private static final long SEED = 7;

    private static final String CHAIN = """
            name: chain4
            start: 2016-03-20T02:30:00Z
            nodes:
              - {id: a, kind: metro, etsi_port_offset: 0}
              - {id: b, kind: metro, etsi_port_offset: 1}
              - {id: c, kind: metro, etsi_port_offset: 2}
              - {id: d, kind: metro, etsi_port_offset: 3}
            fibre_links:
              - {id: ab, a: a, b: b, length_km: 5, loss_db_per_km: 0.21, parameter_set: metro}
              - {id: bc, a: b, b: c, length_km: 5, loss_db_per_km: 0.21, parameter_set: metro}
              - {id: cd, a: c, b: d, length_km: 5, loss_db_per_km: 0.21, parameter_set: metro}
            """;

    @Test
    void blindingAndTrojanHorseRaiseTheirAlarmsAndOnlyTheirLinksStopAddingKey(@TempDir Path dir) {
        // blinding is seen at ab's receiver (b), the Trojan horse at bc's transmitter (b)
        attacked(dir, "blinding@ab", "b", "blinding", "trojan@bc", "b", "trojan");
    }

    @Tag("slow")
    @Test
    void timeShiftAndPnsRaiseTheirAlarmsAndOnlyTheirLinksStopAddingKey(@TempDir Path dir) {
        attacked(dir, "time-shift@ab", "b", "time-shift", "pns@bc", "b", "decoy-statistics");
    }

    private static void attacked(
            Path dir,
            String first,
            String firstNode,
            String firstKind,
            String second,
            String secondNode,
            String secondKind) {
        Topology chain = TopologyLoader.parse("chain4.yaml", CHAIN.getBytes(StandardCharsets.UTF_8));
        DemoSettings settings = new DemoSettings(
                chain,
                dir,
                0,
                0,
                SEED,
                Duration.ofSeconds(25),
                Duration.ofSeconds(2),
                1.0,
                4.0,
                DemoCommand.BLOCK_DETECTIONS,
                List.of(AttackPlan.parse(first, chain), AttackPlan.parse(second, chain)),
                false);
        StringWriter text = new StringWriter();
        NetworkDemo.Result result = new NetworkDemo(settings, new PrintWriter(text, true)).run();
        String out = text.toString();

        assertThat(out)
                .as("seed %d", SEED)
                .contains("link ab at " + firstNode + ": " + firstKind + " RAISED")
                .contains("link bc at " + secondNode + ": " + secondKind + " RAISED")
                .doesNotContain("link cd at");
        assertThat(result.alarmedLinks()).containsExactlyInAnyOrder("ab", "bc");
        assertThat(result.links().get("ab").storedKeyBits())
                .as("key on ab under attack\n%s", out)
                .isZero();
        assertThat(result.links().get("bc").storedKeyBits())
                .as("key on bc under attack\n%s", out)
                .isZero();
        assertThat(result.links().get("cd").storedKeyBits())
                .as("key on the honest cd\n%s", out)
                .isPositive();
        assertThat(result.allIdentical()).isTrue();

        JsonNode alarms = result.dashboard().path("alarms");
        assertThat(alarms.path(firstNode + "/" + firstKind).path("links").fieldNames())
                .as("dashboard alarms %s", alarms)
                .toIterable()
                .containsExactly("ab");
        assertThat(alarms.path(secondNode + "/" + secondKind).path("links").fieldNames())
                .as("dashboard alarms %s", alarms)
                .toIterable()
                .containsExactly("bc");
    }
}
