package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin end-to-end path on the demo's network, headless, with a fixed seed: on the chain a-b-c a
 * simulated 25 km link between nodes a and b distils keys into both stores, and ETSI GS QKD 014 over
 * mutual TLS hands the same key to sae-a at a and sae-b at b, once, and to nobody else; sae-a and
 * sae-c at the distant nodes a and c get the same key relayed through b.
 */
class NetworkEtsi014IT {

    private static final long SEED = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PAIR = """
            name: pair
            start: 2016-03-20T02:30:00Z
            nodes:
              - {id: a, kind: metro, etsi_port_offset: 0}
              - {id: b, kind: metro, etsi_port_offset: 1}
              - {id: c, kind: metro, etsi_port_offset: 2}
            fibre_links:
              - {id: ab, a: a, b: b, length_km: 25, loss_db_per_km: 0.21, parameter_set: metro}
              - {id: bc, a: b, b: c, length_km: 5, loss_db_per_km: 0.21, parameter_set: metro}
            """;

    @TempDir
    static Path workDir;

    private static TopologyNetwork network;

    @BeforeAll
    static void distil() throws InterruptedException {
        Topology pair = TopologyLoader.parse("pair.yaml", PAIR.getBytes(StandardCharsets.UTF_8));
        // link time runs four times faster than the wall clock, so blocks come sooner
        network = TopologyNetwork.start(pair, new TopologyNetwork.Options(workDir, 0, SEED, 1 << 19, 4.0));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((link().storedKeyBits() < 60L * KeyStore.UNIT_BITS
                        || network.link("bc").orElseThrow().storedKeyBits() < 8L * KeyStore.UNIT_BITS)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        network.stopLinks();
    }

    private static FibreLinkRun link() {
        return network.link("ab").orElseThrow();
    }

    private static int port(String node) {
        return network.nodes().get(node).server().port();
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void bothStoresHoldTheSameKeys() {
        assertThat(link().blocks()).as("blocks distilled (seed %d)", SEED).isGreaterThanOrEqualTo(1);
        assertThat(link().transmitterStats().secretBits())
                .isEqualTo(link().receiverStats().secretBits())
                .isPositive();
        List<UUID> idsA = network.nodes().get("a").store().heldKeyIds("ab");
        List<UUID> idsB = network.nodes().get("b").store().heldKeyIds("ab");
        assertThat(idsA).hasSizeGreaterThanOrEqualTo(60).isEqualTo(idsB);
        assertThat(network.nodes().get("a").store().digest(idsA))
                .isEqualTo(network.nodes().get("b").store().digest(idsB));
    }

    @Test
    void etsi014DeliversTheSameKeyToTheNamedSlaveOnlyOnce() throws Exception {
        JsonNode enc = get("sae-a", port("a"), "/api/v1/keys/sae-b/enc_keys?number=1&size=256", 200);
        String keyId = enc.get("keys").get(0).get("key_ID").asText();
        String keyAtA = enc.get("keys").get(0).get("key").asText();

        String decPath = "/api/v1/keys/sae-a/dec_keys?key_ID=" + keyId;
        JsonNode refused = get("sae-b", port("b"), "/api/v1/keys/sae-a/dec_keys?key_ID=" + UUID.randomUUID(), 400);
        assertThat(refused.toString()).doesNotContain(keyId);

        JsonNode dec = get("sae-b", port("b"), decPath, 200);
        assertThat(dec.get("keys").get(0).get("key_ID").asText()).isEqualTo(keyId);
        assertThat(dec.get("keys").get(0).get("key").asText()).isEqualTo(keyAtA);

        get("sae-b", port("b"), decPath, 400);
    }

    @Test
    void saesAtDistantNodesGetTheSameRelayedKey() throws Exception {
        assertThat(network.distantPair()).contains(List.of("a", "c"));
        JsonNode enc = get("sae-a", port("a"), "/api/v1/keys/sae-c/enc_keys?number=2&size=256", 200);
        for (JsonNode key : enc.get("keys")) {
            String keyId = key.get("key_ID").asText();
            JsonNode dec = get("sae-c", port("c"), "/api/v1/keys/sae-a/dec_keys?key_ID=" + keyId, 200);
            assertThat(dec.get("keys").get(0).get("key").asText())
                    .isEqualTo(key.get("key").asText());
        }
        assertThat(network.nodes().get("b").store().heldKeyIds("a~c"))
                .as("the relaying node keeps nothing of the end-to-end key")
                .isEmpty();
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTls() throws Exception {
        SSLContext trustOnly = SSLContext.getInstance("TLSv1.3");
        trustOnly.init(
                null, TlsContexts.trustOnly(network.pki().caCertificate()).getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(trustOnly).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port("a") + "/api/v1/keys/sae-b/status"))
                .build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private static JsonNode get(String sae, int port, String path, int expectedStatus) throws Exception {
        CredentialFiles credential = network.pki().sae(sae);
        SSLContext ssl = TlsContexts.jdkClient(
                credential, network.pki().readPkcs12Password(), network.pki().caCertificate());
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s GET %s", sae, path).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
