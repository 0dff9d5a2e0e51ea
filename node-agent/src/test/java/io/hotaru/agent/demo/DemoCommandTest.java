package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.cli.HotaruCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's refusals: bad options are usage errors naming the option; a busy port names the option. */
class DemoCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aBusyDashboardPortNamesThePortAndTheOption(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int code = run(
                    "demo",
                    "--port",
                    Integer.toString(port),
                    "--work-dir",
                    dir.resolve("w").toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString())
                    .contains("dashboard port " + port + " on 127.0.0.1 is already in use; choose another with --port")
                    .doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void anAttackOnAnUnknownLinkNamesTheTopologysLinks() {
        int code = run("demo", "--attack", "intercept-resend@nowhere");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("--attack no link 'nowhere' in topology tokyo; its links are kog-ote,")
                .contains("sat-gsk");
    }

    @Test
    void anUnknownAttackKindNamesTheKinds() {
        int code = run("demo", "--attack", "laser@kog-ote");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("unknown attack 'laser'", "pns, blinding, trojan[:WATTS] or time-shift[:PS]");
    }

    @Test
    void aBadAttackTimeNamesTheForm() {
        int code = run("demo", "--attack", "intercept-resend@kog-ote,at=soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'at=soon'", "like 20s");
    }

    @Test
    void anInvalidTopologyIsAUsageErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("net.yaml");
        Files.writeString(file, """
                start: 2016-03-20T00:00:00Z
                nodes:
                  - {id: a, kind: metro, etsi_port_offset: 0}
                fibre_links:
                  - {id: ab, a: a, b: z, length_km: 10, loss_db_per_km: 0.2, parameter_set: metro}
                """);
        int code = run("demo", "--topology", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--topology " + file + ":5:");
    }
}
