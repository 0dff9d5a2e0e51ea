package io.hotaru.agent.dashboard;

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

class DashboardCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aBusyPortNamesThePortAndTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int code = run("dashboard", "--broker", "tcp://127.0.0.1:1", "--port", Integer.toString(port));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString())
                    .contains("dashboard port " + port + " on 127.0.0.1 is already in use; choose another with --port")
                    .doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void anInvalidTopologyIsAUsageErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("net.yaml");
        Files.writeString(file, """
                start: 2016-03-20T00:00:00Z
                nodes:
                  - {id: a, kind: metro, etsi_port_offset: 0}
                  - {id: a, kind: metro, etsi_port_offset: 1}
                """);
        int code = run("dashboard", "--broker", "tcp://127.0.0.1:1", "--topology", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":4: nodes[1].id: duplicate node id 'a' (first at line 3)");
    }

    @Test
    void servesUntilTheDurationEnds() {
        int code = run("dashboard", "--broker", "tcp://127.0.0.1:1", "--port", "0", "--duration", "1s");
        assertThat(code).isEqualTo(0);
        assertThat(out.toString())
                .containsPattern("dashboard of tokyo at http://127\\.0\\.0\\.1:\\d+/ .*time scale 11");
    }
}
