package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.relay.RelayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node daemons on the line A–B–C (simulated fibre links A-B and B-C), each with a {@code relay}
 * section: A and C dial B's relay listener, and each names the other as a far KME. An application at
 * A asks its ETSI 014 server for a key shared with an application at C, with which A shares no link:
 * the key is relayed through B, and C's server hands out the same key.
 */
class RelayedNodesIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<NodeDaemon> daemons = new ArrayList<>();

    @AfterEach
    void stop() {
        daemons.forEach(NodeDaemon::close);
    }

    @Test
    void aKeyForAnApplicationTwoLinksAwayIsRelayedAndIdenticalAtBothEnds() throws Exception {
        Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b", "kme-c"), List.of("sae-a", "sae-b", "sae-c"));
        for (String secret : List.of("auth-ab.key", "auth-bc.key", "relay-ab.key", "relay-bc.key")) {
            secret(secret);
        }
        int etsiA = NodePair.freePort();
        int etsiB = NodePair.freePort();
        int etsiC = NodePair.freePort();
        int linkAb = NodePair.freePort();
        int linkBc = NodePair.freePort();
        int relayB = NodePair.freePort();
        int broker = NodePair.freePort();
        int metricsA = NodePair.freePort();
        String toBroker = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";

        Path configA = write(
                "node-a.yaml",
                head("a", "kme-a", etsiA, "kme-c")
                        + "links:\n"
                        + transmitter("A-B", linkAb, "auth-ab.key", "kme-b", etsiB)
                        + "mqtt:\n  broker: embedded\n  port: " + broker + "\n"
                        + "metrics:\n  port: " + metricsA + "\n"
                        + """
                relay:
                  neighbours:
                    - link: A-B
                      connect: 127.0.0.1:%d
                      auth_bootstrap_key: relay-ab.key
                  far_kmes:
                    - id: kme-c
                      etsi014: 127.0.0.1:%d
                """.formatted(relayB, etsiC));
        Path configB = write(
                "node-b.yaml",
                head("b", "kme-b", etsiB, null)
                        + "links:\n"
                        + receiver("A-B", linkAb, "auth-ab.key", "kme-a", etsiA)
                        + transmitter("B-C", linkBc, "auth-bc.key", "kme-c", etsiC)
                        + toBroker
                        + """
                relay:
                  listen: 127.0.0.1:%d
                  neighbours:
                    - link: A-B
                      auth_bootstrap_key: relay-ab.key
                    - link: B-C
                      auth_bootstrap_key: relay-bc.key
                """.formatted(relayB));
        Path configC = write(
                "node-c.yaml",
                head("c", "kme-c", etsiC, "kme-a")
                        + "links:\n"
                        + receiver("B-C", linkBc, "auth-bc.key", "kme-b", etsiB)
                        + toBroker
                        + """
                relay:
                  neighbours:
                    - link: B-C
                      connect: 127.0.0.1:%d
                      auth_bootstrap_key: relay-bc.key
                  far_kmes:
                    - id: kme-a
                      etsi014: 127.0.0.1:%d
                """.formatted(relayB, etsiA));

        for (Path config : List.of(configA, configB, configC)) {
            daemons.add(NodeDaemon.start(NodeConfigLoader.load(config)));
        }
        NodeDaemon a = daemons.get(0);
        NodeDaemon b = daemons.get(1);
        await().atMost(WAIT).until(() -> a.availableKeys("A-B") > 0 && b.availableKeys("B-C") > 0);

        PkiFiles pki = Pki.open(dir.resolve("pki"), List.of(), List.of("sae-a", "sae-c"));
        SaeClient saeA = new SaeClient(pki, "sae-a");
        SaeClient saeC = new SaeClient(pki, "sae-c");
        // The first asks may find no route yet (announcements every second) or C still storing.
        AtomicReference<HttpResponse<String>> enc = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            enc.set(saeA.get(etsiA, "/api/v1/keys/sae-c/enc_keys?number=1&size=256"));
            return enc.get().statusCode() == 200;
        });
        JsonNode key = JSON.readTree(enc.get().body()).get("keys").get(0);
        HttpResponse<String> dec = saeC.get(
                etsiC, "/api/v1/keys/sae-a/dec_keys?key_ID=" + key.get("key_ID").asText());

        assertThat(dec.statusCode()).as(dec.body()).isEqualTo(200);
        assertThat(JSON.readTree(dec.body()).get("keys").get(0).get("key").asText())
                .isEqualTo(key.get("key").asText());
        String e2e = RelayNode.endToEndLink("kme-a", "kme-c");
        assertThat(b.availableKeys(e2e)).as("B only passed the key on").isZero();

        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsA + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("hotaru_relay_channel_up{peer=\"kme-b\"} 1.0", "hotaru_relay_in_doubt 0.0")
                .containsPattern("hotaru_relay_leased_units\\{peer=\"kme-b\"} [0-9.E]+");
        Matcher words = Pattern.compile("hotaru_relay_auth_words_left\\{peer=\"kme-b\"} ([0-9.E]+)")
                .matcher(metrics);
        assertThat(words.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(words.group(1)))
                .as("a 64 KiB secret gives 4,096 words per direction, a few of them spent")
                .isBetween(1.0, 4095.0);
        JsonNode health = JSON.readTree(HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsA + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(health.at("/relay/channels/kme-b/up").asBoolean()).isTrue();
        assertThat(health.at("/relay/channels/kme-b/auth_words_left").asLong()).isBetween(1L, 4095L);
        assertThat(health.at("/relay/channels/kme-b/leased_units").isInt()).isTrue();
        assertThat(health.at("/relay/in_doubt").asInt()).isZero();
    }

    private static String head(String node, String kme, int etsiPort, String far) {
        String pairs = far == null ? """
                    - master: sae-a
                      slave: sae-b
                      link: A-B
                """ : """
                    - master: sae-a
                      slave: sae-c
                      link: %s
                """.formatted(RelayNode.endToEndLink(kme, far));
        return """
                node:
                  id: node-%s
                key_store:
                  path: node-%s/keys.db
                  master_key: node-%s/master.key
                audit:
                  path: node-%s/audit.log
                etsi014:
                  kme_id: %s
                  port: %d
                  pki_dir: pki
                  saes:
                    sae-a: kme-a
                    sae-b: kme-b
                    sae-c: kme-c
                  pairs:
                %s""".formatted(node, node, node, node, kme, etsiPort, pairs);
    }

    private static String transmitter(String link, int port, String authKey, String peerKme, int peerEtsi) {
        String sim = sim(link);
        return """
                  - id: %s
                    role: transmitter
                    listen: 127.0.0.1:%d
                    devices:
                      source: "sim:alice?%s"
                      qrng: "sim:qrng?seed=%d"
                      monitor: "sim:monitor?%s"
                    block_detections: 524288
                    auth_bootstrap_key: %s
                    peer_kme:
                      id: %s
                      etsi014: 127.0.0.1:%d
                """.formatted(link, port, sim, link.equals("A-B") ? 7 : 8, sim, authKey, peerKme, peerEtsi);
    }

    private static String receiver(String link, int port, String authKey, String peerKme, int peerEtsi) {
        String sim = sim(link);
        return """
                  - id: %s
                    role: receiver
                    connect: 127.0.0.1:%d
                    devices:
                      tagger: "sim:bob?%s"
                      detectors: "sim:detectors?%s"
                    protocol:
                      repetition_rate_hz: 1.0e+8
                      intensities: [0.4, 0.15, 0.0]
                      probabilities: [0.4, 0.3, 0.3]
                      z_basis_probability: 0.3
                    block_detections: 524288
                    auth_bootstrap_key: %s
                    peer_kme:
                      id: %s
                      etsi014: 127.0.0.1:%d
                """.formatted(link, port, sim, sim, authKey, peerKme, peerEtsi);
    }

    private static String sim(String link) {
        return "link=" + link + "&seed=" + (link.equals("A-B") ? 11 : 12) + "&params=metro&distance_km=25&time_scale=4";
    }

    private void secret(String name) throws IOException {
        byte[] secret = new byte[64 * 1024];
        new SecureRandom().nextBytes(secret);
        Path file = dir.resolve(name);
        Files.write(file, secret);
        java.util.Arrays.fill(secret, (byte) 0);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
