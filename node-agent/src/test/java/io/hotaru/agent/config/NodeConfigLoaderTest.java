package io.hotaru.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeConfigLoaderTest {

    static final String VALID = """
            node:
              id: node-b
            key_store:
              path: store/keys.db
              master_key: store/master.key
            etsi014:
              kme_id: kme-b
              port: 8444
              pki_dir: ../pki
              saes:
                sae-a: kme-a
                sae-b: kme-b
              pairs:
                - master: sae-a
                  slave: sae-b
                  link: A-B
            links:
              - id: A-B
                role: receiver
                connect: 127.0.0.1:7400
                devices:
                  tagger: "sim:bob?link=A-B&seed=42"
                block_detections: 65536
            mqtt:
              broker: tcp://127.0.0.1:1883
              telemetry_period: 2s
            """;

    @TempDir
    Path dir;

    @Test
    void readsAValidFile() throws IOException {
        NodeConfig c = NodeConfigLoader.load(write(VALID));
        assertThat(c.nodeId()).isEqualTo("node-b");
        assertThat(c.keyStore()).isEqualTo(dir.resolve("store/keys.db"));
        assertThat(c.auditLog()).isEqualTo(dir.resolve("audit.log"));
        assertThat(c.etsi014().port()).isEqualTo(8444);
        assertThat(c.etsi014().pairs()).containsExactly(new NodeConfig.SaePairLink("sae-a", "sae-b", "A-B"));
        NodeConfig.Link link = c.links().get(0);
        assertThat(link.role()).isEqualTo(NodeConfig.Role.RECEIVER);
        assertThat(link.connect()).isPresent();
        assertThat(link.listen()).isEmpty();
        assertThat(link.devices()).containsEntry("tagger", "sim:bob?link=A-B&seed=42");
        assertThat(link.blockDetections()).isEqualTo(65536);
        assertThat(link.reconciler()).isEqualTo(NodeConfigLoader.DEFAULT_RECONCILER);
        assertThat(c.mqtt().embedded()).isFalse();
        assertThat(c.mqtt().telemetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown top-level key|mqtt:|mqttt:|24|mqttt: unknown key; known keys here: audit, etsi014",
                "unknown nested key|    block_detections: 65536|    block_size: 65536|23|links[0].block_size: unknown key",
                "out of range|    block_detections: 65536|    block_detections: 5|23|links[0].block_detections: must be in [1024, 16777216], got 5",
                "not a number|  port: 8444|  port: eighty|8|etsi014.port: must be an integer",
                "bad role|    role: receiver|    role: sender|19|links[0].role: 'sender' is not one of transmitter, receiver",
                "bad address|    connect: 127.0.0.1:7400|    connect: 127.0.0.1:99999|20|links[0].connect: '127.0.0.1:99999': port must be in [1, 65535]",
                "bad device uri|tagger: \"sim:bob?link=A-B&seed=42\"|tagger: bob|22|links[0].devices.tagger: 'bob' is not a device URI",
                "wrong device for role|      tagger:|      source:|22|links[0].devices.source: unknown key; known keys here: tagger",
                "unknown SAE in a pair|      slave: sae-b|      slave: sae-x|15|etsi014.pairs[0].slave: SAE 'sae-x' is not listed",
                "pair on an unknown link|      link: A-B|      link: A-C|16|etsi014.pairs[0].link: no link with id 'A-C'",
                "bad duration|  telemetry_period: 2s|  telemetry_period: soon|26|mqtt.telemetry_period: 'soon' is not a duration",
                "bad broker|  broker: tcp://127.0.0.1:1883|  broker: carrier-pigeon|25|mqtt.broker: 'carrier-pigeon' is not 'embedded' or a broker URI",
                "malformed YAML|  id: node-b|  id: [node-b|3|not valid YAML",
                "duplicate key|  id: node-b|  id: node-b\\n  id: node-c|3|not valid YAML: Duplicate field 'id'",
            })
    void badInputNamesFileLineKeyAndReason(String name, String from, String to, int line, String message)
            throws IOException {
        String text = VALID.replace(from, to.replace("\\n", "\n"));
        assertThat(text).as("test case edits the file").isNotEqualTo(VALID);
        Path file = write(text);
        assertThatThrownBy(() -> NodeConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void missingKeysAreNamed() throws IOException {
        Path file = write(VALID.replace("  id: node-b\n", "  name: node-b\n"));
        assertThatThrownBy(() -> NodeConfigLoader.load(file)).hasMessageContaining("node.name: unknown key");
        Path file2 = write(VALID.replace("node:\n  id: node-b\n", ""));
        assertThatThrownBy(() -> NodeConfigLoader.load(file2)).hasMessageContaining("missing required key 'node'");
    }

    @Test
    void duplicateLinkIdsAndListenPlusConnectAreRefused() throws IOException {
        String twoLinks = VALID.replace("mqtt:", """
                  - id: A-B
                    role: transmitter
                    listen: 0.0.0.0:7401
                    devices:
                      source: "sim:alice?link=A-B&seed=42"
                      qrng: "sim:qrng?seed=1"
                mqtt:""");
        Path file = write(twoLinks);
        assertThatThrownBy(() -> NodeConfigLoader.load(file)).hasMessageContaining("duplicate link id 'A-B'");
        Path both = write(VALID.replace(
                "    connect: 127.0.0.1:7400\n", "    connect: 127.0.0.1:7400\n    listen: 0.0.0.0:7400\n"));
        assertThatThrownBy(() -> NodeConfigLoader.load(both)).hasMessageContaining("'listen'");
    }

    @Test
    void missingAndEmptyFilesAreNamed() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> NodeConfigLoader.load(missing)).hasMessage(missing + ": no such file");
        Path empty = write("");
        assertThatThrownBy(() -> NodeConfigLoader.load(empty)).hasMessageContaining("the file is empty");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, text);
        return file;
    }
}
