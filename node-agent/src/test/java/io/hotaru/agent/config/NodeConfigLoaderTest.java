package io.hotaru.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
                auth_bootstrap_key: auth.key
                peer_kme:
                  id: kme-a
                  etsi014: 127.0.0.1:8443
                protocol:
                  repetition_rate_hz: 1.0e+8
                  intensities: [0.4, 0.15, 0.0]
                  probabilities: [0.4, 0.3, 0.3]
                  z_basis_probability: 0.3
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
        assertThat(c.spentRetention()).isEqualTo(Duration.ofDays(1));
        assertThat(NodeConfigLoader.load(write(VALID.replace(
                                "  master_key: store/master.key",
                                "  master_key: store/master.key\n  spent_retention: 6h")))
                        .spentRetention())
                .isEqualTo(Duration.ofHours(6));
    }

    @Test
    void readsATimeSyncSectionAndAPolarisationController() throws IOException {
        String text = VALID.replace(
                        "    block_detections: 65536",
                        "    block_detections: 65536\n    time_sync:\n      max_offset_us: 5\n      window_ms: 2")
                .replace(
                        "      tagger: \"sim:bob?link=A-B&seed=42\"",
                        "      tagger: \"sim:bob?link=A-B&seed=42\"\n      polarisation: \"sim:polarisation?link=A-B\"");
        NodeConfig.Link link = NodeConfigLoader.load(write(text)).links().get(0);
        assertThat(link.timeSync())
                .contains(new NodeConfig.TimeSync(5e6, 20, Duration.ofMillis(2), Duration.ofMillis(50)));
        assertThat(link.devices()).containsEntry("polarisation", "sim:polarisation?link=A-B");
        assertThat(NodeConfigLoader.load(write(VALID)).links().get(0).timeSync())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown top-level key|mqtt:|mqttt:|33|mqttt: unknown key; known keys here: audit, etsi014",
                "unknown nested key|    block_detections: 65536|    block_size: 65536|23|links[0].block_size: unknown key",
                "out of range|    block_detections: 65536|    block_detections: 5|23|links[0].block_detections: must be in [1024, 1048576], got 5",
                "not a number|  port: 8444|  port: eighty|8|etsi014.port: must be an integer",
                "bad role|    role: receiver|    role: sender|19|links[0].role: 'sender' is not one of transmitter, receiver",
                "bad address|    connect: 127.0.0.1:7400|    connect: 127.0.0.1:99999|20|links[0].connect: '127.0.0.1:99999': port must be in [1, 65535]",
                "bad device uri|tagger: \"sim:bob?link=A-B&seed=42\"|tagger: bob|22|links[0].devices.tagger: 'bob' is not a device URI",
                "wrong device for role|      tagger:|      source:|22|links[0].devices.source: unknown key; known keys here: detectors, polarisation, tagger",
                "monitor threshold out of range|    block_detections: 65536|    block_detections: 65536\\n    monitors:\\n      qber_max: 0.3|25|links[0].monitors.qber_max: must be in [0.001, 0.11], got 0.3",
                "unknown monitor key|    block_detections: 65536|    block_detections: 65536\\n    monitors:\\n      trojan:\\n        max_power: 1e-9|26|links[0].monitors.trojan.max_power: unknown key; known keys here: max_power_w",
                "time sync offset out of range|    block_detections: 65536|    block_detections: 65536\\n    time_sync:\\n      max_offset_us: 0|25|links[0].time_sync.max_offset_us: must be in",
                "time sync gap within its window|    block_detections: 65536|    block_detections: 65536\\n    time_sync:\\n      window_ms: 10\\n      gap_ms: 5|24|links[0].time_sync: gap_ms (5.0) must be longer than window_ms (10.0)",
                "metrics off the loopback|mqtt:|metrics:\\n  bind: 0.0.0.0\\n  port: 9464\\nmqtt:|34|metrics.bind: '0.0.0.0': the metrics endpoint listens on the loopback only",
                "pass schedule without its TLE|    block_detections: 65536|    block_detections: 65536\\n    passes:\\n      tle: missing.tle\\n      station: \"35.6,139.7,40\"|24|links[0].passes: no TLE file at",
                "unknown SAE in a pair|      slave: sae-b|      slave: sae-x|15|etsi014.pairs[0].slave: SAE 'sae-x' is not listed",
                "pair of two SAEs of this KME|    sae-a: kme-a|    sae-a: kme-b|15|etsi014.pairs[0].slave: SAE 'sae-b' is at this KME (kme-b), like its master 'sae-a'",
                "pair on an unknown link|      link: A-B|      link: A-C|16|etsi014.pairs[0].link: no link with id 'A-C'",
                "spent retention under an hour|  master_key: store/master.key|  master_key: store/master.key\\n  spent_retention: 10m|6|key_store.spent_retention: must be between PT1H and PT87600H, got PT10M",
                "bad duration|  telemetry_period: 2s|  telemetry_period: soon|35|mqtt.telemetry_period: 'soon' is not a duration",
                "bad broker|  broker: tcp://127.0.0.1:1883|  broker: carrier-pigeon|34|mqtt.broker: 'carrier-pigeon' is not 'embedded' or a broker URI",
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
                    auth_bootstrap_key: auth.key
                    peer_kme:
                      id: kme-b
                      etsi014: 127.0.0.1:8444
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

    @Test
    void theBootstrapKeyMustExistBeLongEnoughAndPrivate() throws IOException {
        Path file = write(VALID);
        assertThat(NodeConfigLoader.load(file).links().get(0).authBootstrapKey())
                .isEqualTo(dir.resolve("auth.key"));
        assertThat(NodeConfigLoader.load(file).links().get(0).peerKme())
                .isEqualTo(new NodeConfig.PeerKme("kme-a", InetSocketAddress.createUnresolved("127.0.0.1", 8443)));

        Files.setPosixFilePermissions(dir.resolve("auth.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> NodeConfigLoader.load(file))
                .hasMessageStartingWith(file + ":24: links[0].auth_bootstrap_key: ")
                .hasMessageContaining("rw-r--r--");

        Files.write(dir.resolve("auth.key"), new byte[1008]);
        Files.setPosixFilePermissions(dir.resolve("auth.key"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> NodeConfigLoader.load(file)).hasMessageContaining("1008 bytes; at least 1024");

        Files.delete(dir.resolve("auth.key"));
        assertThatThrownBy(() -> NodeConfigLoader.load(file)).hasMessageContaining("does not exist");
    }

    @Test
    void aReceiverNeedsTheProtocolAndItIsChecked() throws IOException {
        NodeConfig.Protocol p =
                NodeConfigLoader.load(write(VALID)).links().get(0).protocol().orElseThrow();
        assertThat(p)
                .isEqualTo(
                        new NodeConfig.Protocol(1e8, new double[] {0.4, 0.15, 0}, new double[] {0.4, 0.3, 0.3}, 0.3));
        Path sum = write(VALID.replace("[0.4, 0.3, 0.3]", "[0.4, 0.3, 0.4]"));
        assertThatThrownBy(() -> NodeConfigLoader.load(sum))
                .hasMessageContaining("links[0].protocol.probabilities: give three probabilities");
        Path none = write(VALID.substring(0, VALID.indexOf("    protocol:")) + VALID.substring(VALID.indexOf("mqtt:")));
        assertThatThrownBy(() -> NodeConfigLoader.load(none)).hasMessageContaining("a receiver needs 'protocol'");
    }

    @Test
    void theMqttBrokerCanBeOverridden() throws IOException {
        NodeConfig c = NodeConfigLoader.load(write(VALID)).withMqttBroker("tcp://10.0.0.1:1883");
        assertThat(c.mqtt().broker()).isEqualTo("tcp://10.0.0.1:1883");
        assertThat(NodeConfigLoader.brokerProblem("carrier-pigeon")).isPresent();
        assertThat(NodeConfigLoader.brokerProblem("embedded")).isEmpty();
    }

    /** VALID as a relay node: it relays over A-B (dialling kme-a) and shares relayed keys with kme-c. */
    private static final String RELAYING = VALID.replace(
                            "      link: A-B\n",
                            "      link: A-B\n    - master: sae-b\n      slave: sae-c\n      link: kme-b~kme-c\n")
                    .replace("    sae-b: kme-b\n", "    sae-b: kme-b\n    sae-c: kme-c\n")
            + """
            relay:
              listen: 127.0.0.1:7600
              neighbours:
                - link: A-B
                  connect: 127.0.0.1:7601
                  auth_bootstrap_key: relay.key
              far_kmes:
                - id: kme-c
                  etsi014: 127.0.0.1:8445
            """;

    @Test
    void readsARelaySectionWhosePairsUseTheEndToEndLink() throws IOException {
        NodeConfig c = NodeConfigLoader.load(writeRelaying(RELAYING));

        NodeConfig.Relay relay = c.relay().orElseThrow();
        assertThat(relay.listen()).contains(InetSocketAddress.createUnresolved("127.0.0.1", 7600));
        assertThat(relay.neighbours()).singleElement().satisfies(n -> {
            assertThat(n.link()).isEqualTo("A-B");
            assertThat(n.peerKme()).isEqualTo("kme-a");
            assertThat(n.connect()).contains(InetSocketAddress.createUnresolved("127.0.0.1", 7601));
            assertThat(n.authBootstrapKey()).isEqualTo(dir.resolve("relay.key"));
        });
        assertThat(relay.farKmes())
                .containsExactly(
                        new NodeConfig.PeerKme("kme-c", InetSocketAddress.createUnresolved("127.0.0.1", 8445)));
        assertThat(c.etsi014().pairs()).contains(new NodeConfig.SaePairLink("sae-b", "sae-c", "kme-b~kme-c"));
        assertThat(relay.avoid()).isEmpty();
        assertThat(relay.maxHops()).as("any route the relay codec carries").isEqualTo(15);
        assertThat(NodeConfigLoader.load(write(VALID)).relay()).isEmpty();

        NodeConfig.Relay routed = NodeConfigLoader.load(
                        writeRelaying(RELAYING + "  route:\n    avoid: [kme-x, kme-y]\n    max_hops: 4\n"))
                .relay()
                .orElseThrow();
        assertThat(routed.avoid()).containsExactly("kme-x", "kme-y");
        assertThat(routed.maxHops()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown link|- link: A-B|- link: A-C|relay.neighbours[0].link: no link with id 'A-C' under links",
                "nobody dials|-|-|give 'connect' (this node dials kme-a) or relay.listen",
                "the link's own secret|auth_bootstrap_key: relay.key|auth_bootstrap_key: auth.key|"
                        + "needs a secret of its own",
                "a neighbour as far KME|- id: kme-c|- id: kme-a|kme-a is a neighbour (link 'A-B')",
                "relayed pair at the wrong KMEs|slave: sae-c|slave: sae-a|"
                        + "'kme-b~kme-c' holds the keys relayed between kme-b and kme-c",
                "a far KME avoided|etsi014: 127.0.0.1:8445|etsi014: 127.0.0.1:8445\\n  route:\\n    avoid: [kme-c]|"
                        + "relay.route.avoid[0]: kme-c is a far KME",
                "too many hops|etsi014: 127.0.0.1:8445|etsi014: 127.0.0.1:8445\\n  route:\\n    max_hops: 16|"
                        + "relay.route.max_hops: ",
                "relayed pair without its far KME|- id: kme-c|- id: kme-d|"
                        + "no link with id 'kme-b~kme-c' under links (for keys relayed from kme-c, list it under"
                        + " relay.far_kmes and give link 'kme-b~kme-c')",
            })
    void badRelaySectionsAreNamed(String name, String from, String to, String message) throws IOException {
        // (no listen, no connect: edited here, as a CSV value loses its leading spaces)
        String text = name.equals("nobody dials")
                ? RELAYING.replace("  listen: 127.0.0.1:7600\n", "").replace("      connect: 127.0.0.1:7601\n", "")
                : RELAYING.replace(from, to.replace("\\n", "\n"));
        assertThat(text).as("test case edits the file").isNotEqualTo(RELAYING);
        Path file = writeRelaying(text);
        assertThatThrownBy(() -> NodeConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    private Path writeRelaying(String text) throws IOException {
        Path key = dir.resolve("relay.key");
        byte[] secret = new byte[2048];
        secret[0] = 1;
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return write(text);
    }

    private Path write(String text) throws IOException {
        Path key = dir.resolve("auth.key");
        if (!Files.exists(key)) {
            Files.write(key, new byte[2048]);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, text);
        return file;
    }
}
