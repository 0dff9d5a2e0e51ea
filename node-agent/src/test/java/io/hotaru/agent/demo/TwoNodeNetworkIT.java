package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin end-to-end path, headless, with a fixed seed: a simulated 25 km link between nodes A
 * and B distils keys into both stores, and ETSI GS QKD 014 over mutual TLS hands the same key to
 * sae-a at A and sae-b at B, and to nobody else.
 */
class TwoNodeNetworkIT {

    private static final long SEED = 42;
    private static final String SAE_C = "sae-c";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static TwoNodeNetwork network;

    @BeforeAll
    static void distil() throws InterruptedException {
        network = TwoNodeNetwork.start(new TwoNodeNetwork.Options(
                workDir,
                0,
                0,
                25,
                SEED,
                1 << 19,
                // link time runs four times faster than the wall clock, so blocks come sooner
                4.0,
                // sae-c is a legitimate application at node B that sae-a may also share keys with,
                // so refusing it a key meant for sae-b tests the per-key entitlement, not the ACL
                Map.of(SAE_C, TwoNodeNetwork.KME_B),
                List.of(new SaePair(TwoNodeNetwork.SAE_A, SAE_C))));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (network.transmitter().stats().keysStored() < 60 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        network.stopLink();
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void bothStoresHoldTheSameKeys() {
        assertThat(network.receiver().stats().blocks())
                .as("blocks distilled (seed %d)", SEED)
                .isGreaterThanOrEqualTo(1);
        assertThat(network.transmitter().stats().secretBits())
                .isEqualTo(network.receiver().stats().secretBits())
                .isPositive();
        List<UUID> idsA = network.storeA().heldKeyIds(TwoNodeNetwork.LINK_ID);
        List<UUID> idsB = network.storeB().heldKeyIds(TwoNodeNetwork.LINK_ID);
        assertThat(idsA).hasSizeGreaterThanOrEqualTo(60).isEqualTo(idsB);
        assertThat(network.storeA().digest(idsA)).isEqualTo(network.storeB().digest(idsB));
    }

    @Test
    void etsi014DeliversTheSameKeyToTheNamedSlaveOnlyOnce() throws Exception {
        JsonNode enc = get(
                TwoNodeNetwork.SAE_A,
                network.portA(),
                "/api/v1/keys/" + TwoNodeNetwork.SAE_B + "/enc_keys?number=1&size=256",
                200);
        String keyId = enc.get("keys").get(0).get("key_ID").asText();
        String keyAtA = enc.get("keys").get(0).get("key").asText();

        String decPath = "/api/v1/keys/" + TwoNodeNetwork.SAE_A + "/dec_keys?key_ID=" + keyId;
        JsonNode refused = get(SAE_C, network.portB(), decPath, 400);
        JsonNode unknown = get(
                SAE_C,
                network.portB(),
                "/api/v1/keys/" + TwoNodeNetwork.SAE_A + "/dec_keys?key_ID=" + UUID.randomUUID(),
                400);
        assertThat(refused).as("no existence oracle").isEqualTo(unknown);

        JsonNode dec = get(TwoNodeNetwork.SAE_B, network.portB(), decPath, 200);
        assertThat(dec.get("keys").get(0).get("key_ID").asText()).isEqualTo(keyId);
        assertThat(dec.get("keys").get(0).get("key").asText()).isEqualTo(keyAtA);

        get(TwoNodeNetwork.SAE_B, network.portB(), decPath, 400);
        get(SAE_C, network.portB(), decPath, 400);
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTls() throws Exception {
        SSLContext trustOnly = SSLContext.getInstance("TLSv1.3");
        trustOnly.init(
                null, TlsContexts.trustOnly(network.pki().caCertificate()).getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(trustOnly).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "https://localhost:" + network.portA() + "/api/v1/keys/" + TwoNodeNetwork.SAE_B + "/status"))
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
