package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two KMEs in one JVM, each with its store and ETSI 014 server, spoken to over mutual TLS on loopback.
 * SAEs are named by their certificate's CN here; {@link Etsi014SanUriServerIT} runs the same suite
 * with SAEs named by a SAN URI.
 */
class Etsi014ServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static PkiFiles pki;
    static KeyStore storeA;
    static KeyStore storeB;
    static Etsi014Server kmeA;
    static Etsi014Server kmeB;

    /** The credential an SAE presents, by SAE ID. */
    static Function<String, CredentialFiles> credentials;

    @BeforeAll
    static void startTwoKmes() throws IOException {
        start(SaeIdentity.COMMON_NAME, id -> pki.sae(id));
    }

    static void start(SaeIdentity identity, Function<String, CredentialFiles> credentialOfSae) throws IOException {
        // JUnit runs this class's @BeforeAll before a subclass's own: close what it started.
        stop();
        // A subclass shares the static temporary directory: each run of the suite gets its own part.
        dir = Files.createTempDirectory(dir, identity.source().name());
        SAES.clear();
        credentials = credentialOfSae;
        pki = Pki.create(
                dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b", "sae-c", "sae-d", "sae-e"));
        Map<String, String> kmeOfSae = Map.of(
                "sae-a", "kme-a",
                "sae-d", "kme-a",
                "sae-e", "kme-a",
                "sae-x", "kme-a",
                "sae-b", "kme-b",
                "sae-c", "kme-b");
        Map<SaePair, String> acl = Map.of(
                new SaePair("sae-a", "sae-b"), "ab",
                new SaePair("sae-a", "sae-c"), "ab",
                new SaePair("sae-a", "sae-d"), "ad",
                new SaePair("sae-e", "sae-b"), "eb",
                new SaePair("sae-x", "sae-b"), "ab");
        storeA = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.loadOrCreate(dir.resolve("kme-a.key")));
        storeB = KeyStore.open(dir.resolve("kme-b.db"), MasterKey.loadOrCreate(dir.resolve("kme-b.key")));
        byte[] linkAb = random(1, 64);
        storeA.ingest("ab", 1, linkAb);
        storeB.ingest("ab", 1, linkAb);
        byte[] linkEb = random(2, 2);
        storeA.ingest("eb", 1, linkEb);
        storeB.ingest("eb", 1, linkEb);
        storeA.ingest("ad", 1, random(3, 4));

        Etsi014Config configA = Etsi014Config.of("kme-a", 0, kmeOfSae, acl).withSaeIdentity(identity);
        Etsi014Config configB = Etsi014Config.of("kme-b", 0, kmeOfSae, acl).withSaeIdentity(identity);
        kmeA = Etsi014Server.start(
                configA,
                TlsContexts.kmeServer(pki, "kme-a"),
                storeA,
                new LocalPeerReservations(Map.of("ab", storeB, "eb", storeB)));
        kmeB = Etsi014Server.start(
                configB,
                TlsContexts.kmeServer(pki, "kme-b"),
                storeB,
                new LocalPeerReservations(Map.of("ab", storeA, "eb", storeA)));
    }

    @AfterAll
    static void stop() {
        if (kmeA != null) {
            kmeA.close();
            kmeB.close();
            storeA.close();
            storeB.close();
            kmeA = null;
        }
    }

    @Test
    void masterGetsKeysAtItsKmeAndTheSlaveGetsTheSameBytesOnceAtTheOther() throws Exception {
        HttpResponse<String> enc = sae("sae-a").get(kmeA, "sae-b/enc_keys?number=2&size=256");
        assertThat(enc.statusCode()).isEqualTo(200);
        assertThat(enc.headers().firstValue("content-type")).hasValue("application/json");
        List<UUID> ids = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (JsonNode key : JSON.readTree(enc.body()).get("keys")) {
            ids.add(UUID.fromString(key.get("key_ID").asText()));
            keys.add(Base64.getDecoder().decode(key.get("key").asText()));
        }
        assertThat(keys).hasSize(2).allSatisfy(k -> assertThat(k).hasSize(32));

        String body = "{\"key_IDs\":[{\"key_ID\":\"" + ids.get(0) + "\"},{\"key_ID\":\"" + ids.get(1) + "\"}]}";
        HttpResponse<String> dec = sae("sae-b").post(kmeB, "sae-a/dec_keys", body);
        assertThat(dec.statusCode()).isEqualTo(200);
        JsonNode decKeys = JSON.readTree(dec.body()).get("keys");
        for (int i = 0; i < 2; i++) {
            assertThat(decKeys.get(i).get("key_ID").asText())
                    .isEqualTo(ids.get(i).toString());
            assertThat(Base64.getDecoder().decode(decKeys.get(i).get("key").asText()))
                    .isEqualTo(keys.get(i));
        }

        HttpResponse<String> again = sae("sae-b").get(kmeB, "sae-a/dec_keys?key_ID=" + ids.get(0));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains(KeyDeliveryService.KEYS_NOT_FOUND);
    }

    @Test
    void aThirdSaeGetsTheSameAnswerForSomeoneElsesKeyAsForAnUnknownOne() throws Exception {
        HttpResponse<String> enc = sae("sae-a").get(kmeA, "sae-b/enc_keys");
        assertThat(enc.statusCode()).isEqualTo(200);
        String id = JSON.readTree(enc.body()).get("keys").get(0).get("key_ID").asText();

        HttpResponse<String> foreign = sae("sae-c").get(kmeB, "sae-a/dec_keys?key_ID=" + id);
        HttpResponse<String> unknown = sae("sae-c").get(kmeB, "sae-a/dec_keys?key_ID=" + UUID.randomUUID());
        HttpResponse<String> notYetReserved =
                sae("sae-c").get(kmeB, "sae-a/dec_keys?key_ID=" + KeyIds.derive("ab", 1, 63));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(notYetReserved.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).isEqualTo(unknown.body()).isEqualTo(notYetReserved.body());

        // the rightful slave still gets it
        assertThat(sae("sae-b").get(kmeB, "sae-a/dec_keys?key_ID=" + id).statusCode())
                .isEqualTo(200);
    }

    @Test
    void statusReportsThePairAndLimits() throws Exception {
        HttpResponse<String> status = sae("sae-e").get(kmeA, "sae-b/status");
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode json = JSON.readTree(status.body());
        assertThat(json.get("source_KME_ID").asText()).isEqualTo("kme-a");
        assertThat(json.get("target_KME_ID").asText()).isEqualTo("kme-b");
        assertThat(json.get("master_SAE_ID").asText()).isEqualTo("sae-e");
        assertThat(json.get("slave_SAE_ID").asText()).isEqualTo("sae-b");
        assertThat(json.get("key_size").asInt()).isEqualTo(256);
        assertThat(json.get("min_key_size").asInt()).isEqualTo(Etsi014Config.DEFAULT_MIN_KEY_SIZE);
        assertThat(json.get("max_key_size").asInt()).isEqualTo(Etsi014Config.DEFAULT_MAX_KEY_SIZE);
        assertThat(json.get("max_SAE_ID_count").asInt()).isEqualTo(Etsi014Config.DEFAULT_MAX_SAE_ID_COUNT);
        assertThat(json.get("max_key_per_request").asInt()).isEqualTo(Etsi014Config.DEFAULT_MAX_KEYS_PER_REQUEST);
        assertThat(json.has("stored_key_count")).isTrue();
    }

    @Test
    void exhaustionIs503AndConsumesNothing() throws Exception {
        long before = storeA.availableCount("eb");
        HttpResponse<String> tooMany = sae("sae-e").get(kmeA, "sae-b/enc_keys?number=" + (before + 1));
        assertThat(tooMany.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(tooMany.body()).get("message").asText()).isNotBlank();
        assertThat(storeA.availableCount("eb")).isEqualTo(before);
        assertThat(storeB.availableCount("eb")).isEqualTo(before);
    }

    @Test
    void badSizesAndNumbersAre400() throws Exception {
        Sae a = sae("sae-a");
        HttpResponse<String> size100 = a.get(kmeA, "sae-b/enc_keys?number=1&size=100");
        assertThat(size100.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(size100.body()).get("message").asText()).startsWith("size shall be");
        assertThat(a.get(kmeA, "sae-b/enc_keys?size=8192").body()).contains("size shall be between 64 and 4096");
        assertThat(a.get(kmeA, "sae-b/enc_keys?number=0").statusCode()).isEqualTo(400);
        assertThat(a.get(kmeA, "sae-b/enc_keys?number=abc").statusCode()).isEqualTo(400);
        assertThat(a.get(kmeA, "sae-b/enc_keys?number=99999999999").statusCode())
                .isEqualTo(400);
        assertThat(a.post(kmeA, "sae-b/enc_keys", "{\"number\":\"2\"}").statusCode())
                .isEqualTo(400);
        assertThat(a.post(kmeA, "sae-b/enc_keys", "{not json").statusCode()).isEqualTo(400);
        assertThat(a.post(kmeA, "sae-b/enc_keys", "{\"additional_slave_SAE_IDs\":[\"sae-b\"]}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> ext =
                a.post(kmeA, "sae-b/enc_keys", "{\"extension_mandatory\":[{\"route_type\":\"direct\"}]}");
        assertThat(ext.statusCode()).isEqualTo(400);
        assertThat(ext.body()).contains("extension_mandatory_unsupported").contains("route_type");
        assertThat(sae("sae-b").get(kmeB, "sae-a/dec_keys?key_ID=not-a-uuid").statusCode())
                .isEqualTo(400);
        assertThat(sae("sae-b").post(kmeB, "sae-a/dec_keys", "{\"key_IDs\":[]}").statusCode())
                .isEqualTo(400);
        assertThat(a.get(kmeA, "sae-b/nothing").statusCode()).isEqualTo(404);
        assertThat(a.post(kmeA, "sae-b/status", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void unknownSaesAndPairsOutsideTheAccessListAre401() throws Exception {
        assertThat(sae("sae-a").get(kmeA, "sae-e/enc_keys").statusCode()).isEqualTo(401);
        assertThat(sae("sae-a").get(kmeA, "nobody/status").statusCode()).isEqualTo(401);
        // sae-b is a known SAE but attached to kme-b, not kme-a
        assertThat(sae("sae-b")
                        .get(kmeA, "sae-a/dec_keys?key_ID=" + UUID.randomUUID())
                        .statusCode())
                .isEqualTo(401);
        // the master asking for its own key as a slave: no such pair
        assertThat(sae("sae-a")
                        .get(kmeA, "sae-a/dec_keys?key_ID=" + UUID.randomUUID())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aSlaveAtTheSameKmeCollectsFromTheSameStore() throws Exception {
        HttpResponse<String> enc = sae("sae-a").get(kmeA, "sae-d/enc_keys");
        assertThat(enc.statusCode()).isEqualTo(200);
        JsonNode key = JSON.readTree(enc.body()).get("keys").get(0);
        HttpResponse<String> dec = sae("sae-d")
                .get(kmeA, "sae-a/dec_keys?key_ID=" + key.get("key_ID").asText());
        assertThat(dec.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(dec.body()).get("keys").get(0).get("key").asText())
                .isEqualTo(key.get("key").asText());
    }

    @Test
    void noClientCertificateFailsTheHandshake() throws Exception {
        SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
        anonymous.init(null, TlsContexts.trustOnly(pki.caCertificate()).getTrustManagers(), null);
        assertRefusedInTls(() -> new Sae(anonymous).get(kmeA, "sae-b/status"));
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        PkiFiles rogue = Pki.create(dir.resolve("rogue"), List.of(), List.of("sae-a"));
        char[] password = rogue.readPkcs12Password();
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        // a rogue "sae-a" that trusts the real KME but was issued by another CA
        context.init(
                keyManagers(rogue.sae("sae-a"), password),
                TlsContexts.trustOnly(pki.caCertificate()).getTrustManagers(),
                null);
        assertRefusedInTls(() -> new Sae(context).get(kmeA, "sae-b/status"));
    }

    @Test
    void anExpiredCertificateFailsTheHandshake() throws Exception {
        Instant now = Instant.now();
        CredentialFiles expired =
                Pki.issueSae(pki, "sae-x", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        SSLContext context = TlsContexts.jdkClient(expired, pki.readPkcs12Password(), pki.caCertificate());
        assertRefusedInTls(() -> new Sae(context).get(kmeA, "sae-b/status"));
    }

    @Test
    void aBusyPortIsReportedByNumber() {
        int busy = kmeA.port();
        Etsi014Config config = kmeA.config().withPort(busy);
        assertThatThrownBy(() -> Etsi014Server.start(config, TlsContexts.kmeServer(pki, "kme-a"), storeA, r -> {}))
                .isInstanceOf(KeyManagerException.class)
                .hasMessageContaining("port " + busy);
    }

    private static javax.net.ssl.KeyManager[] keyManagers(CredentialFiles credential, char[] password)
            throws Exception {
        java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(credential.pkcs12())) {
            p12.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        factory.init(p12, password);
        return factory.getKeyManagers();
    }

    /**
     * The request fails in the TLS handshake and gets no answer. On the JDK's TLS the client always
     * learns why (a TLS alert, an SSLException); BoringSSL sometimes closes the connection after a
     * failed client certificate without flushing its alert (netty-tcnative issue 1018), so there
     * the client may see only the connection end before any HTTP answer.
     */
    static void assertRefusedInTls(ThrowingCallable request) {
        Throwable refused = catchThrowable(request);
        assertThat(refused).as("the request must be refused").isInstanceOf(IOException.class);
        if (!(refused instanceof SSLException)) {
            assertThat(TlsContexts.provider()).as(refused.toString()).isEqualTo(SslProvider.OPENSSL);
            assertThat(refused).hasMessageContaining("received no bytes");
        }
    }

    static byte[] random(long seed, int keys) {
        byte[] material = new byte[keys * KeyStore.KEY_BYTES];
        new Random(seed).nextBytes(material);
        return material;
    }

    private static final Map<String, Sae> SAES = new java.util.concurrent.ConcurrentHashMap<>();

    static Sae sae(String saeId) {
        return SAES.computeIfAbsent(
                saeId,
                id -> new Sae(
                        TlsContexts.jdkClient(credentials.apply(id), pki.readPkcs12Password(), pki.caCertificate())));
    }

    /** An SAE's HTTPS client. */
    record Sae(SSLContext tls) {
        HttpResponse<String> get(Etsi014Server kme, String path) throws Exception {
            return send(kme, HttpRequest.newBuilder(uri(kme, path)).GET());
        }

        HttpResponse<String> post(Etsi014Server kme, String path, String json) throws Exception {
            return send(
                    kme,
                    HttpRequest.newBuilder(uri(kme, path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private HttpResponse<String> send(Etsi014Server kme, HttpRequest.Builder request) throws Exception {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private static URI uri(Etsi014Server kme, String path) {
            return URI.create("https://localhost:" + kme.port() + "/api/v1/keys/" + path);
        }
    }
}
