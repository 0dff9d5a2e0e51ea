package io.hotaru.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The example configurations load as their READMEs use them (with the secrets those make). */
class ExampleConfigsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "two-nodes, node-a node-b, auth-bootstrap",
        "three-nodes, node-a node-b node-c, auth-ab auth-bc relay-ab relay-bc",
    })
    void theExampleConfigurationsLoad(String example, String nodes, String secrets) throws IOException {
        Path source = Path.of("..", "examples", example);
        byte seed = 1;
        for (String secret : secrets.split(" ")) {
            Path file = dir.resolve(secret + ".key");
            byte[] bytes = new byte[4096];
            bytes[0] = seed++;
            Files.write(file, bytes);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        for (String node : nodes.split(" ")) {
            Path config = dir.resolve(node + ".yaml");
            Files.copy(source.resolve(node + ".yaml"), config);
            NodeConfig c = NodeConfigLoader.load(config);
            assertThat(c.nodeId()).isEqualTo(node);
        }
        if (example.equals("three-nodes")) {
            NodeConfig b = NodeConfigLoader.load(dir.resolve("node-b.yaml"));
            assertThat(b.relay().orElseThrow().neighbours())
                    .extracting(NodeConfig.RelayNeighbour::peerKme)
                    .isEqualTo(List.of("kme-a", "kme-c"));
            assertThat(NodeConfigLoader.load(dir.resolve("node-a.yaml"))
                            .etsi014()
                            .pairs())
                    .contains(new NodeConfig.SaePairLink("sae-a", "sae-c", "kme-a~kme-c"));
        }
    }
}
