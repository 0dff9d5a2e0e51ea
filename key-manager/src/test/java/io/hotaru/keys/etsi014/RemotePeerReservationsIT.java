package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyComposition;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyState;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.MutableClock;
import io.hotaru.keys.store.PeerReservation;
import io.hotaru.keys.store.StoreOptions;
import io.hotaru.keys.store.UnitHalf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two KMEs as if in two processes: A announces reservations to B only over HTTPS with mutual TLS
 * ({@link RemotePeerReservations} → {@link ReservationSync}), nothing shared in memory.
 */
class RemotePeerReservationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINK = "A-B";

    @TempDir
    Path dir;

    PkiFiles pki;
    KeyStore storeA;
    KeyStore storeB;
    Etsi014Server kmeA;
    Etsi014Server kmeB;
    final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void startTwoKmes() {
        pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
        Map<String, String> kmeOfSae = Map.of("sae-a", "kme-a", "sae-b", "kme-b");
        Map<SaePair, String> acl = Map.of(new SaePair("sae-a", "sae-b"), LINK);
        StoreOptions options = StoreOptions.defaults().withClock(clock);
        storeA = KeyStore.open(dir.resolve("a.db"), MasterKey.loadOrCreate(dir.resolve("a.key")), options);
        storeB = KeyStore.open(dir.resolve("b.db"), MasterKey.loadOrCreate(dir.resolve("b.key")), options);
        byte[] key = new byte[16 * KeyStore.KEY_BYTES];
        new Random(5).nextBytes(key);
        storeA.ingest(LINK, 0, key);
        storeB.ingest(LINK, 0, key);

        kmeB = Etsi014Server.start(
                Etsi014Config.of("kme-b", 0, kmeOfSae, acl),
                TlsContexts.kmeServer(pki, "kme-b"),
                storeB,
                remote(0),
                new ReservationSync(Map.of(LINK, "kme-a"), storeB::markReservedByPeer));
        kmeA = Etsi014Server.start(
                Etsi014Config.of("kme-a", 0, kmeOfSae, acl),
                TlsContexts.kmeServer(pki, "kme-a"),
                storeA,
                remote(kmeB.port()),
                new ReservationSync(Map.of(LINK, "kme-b"), storeA::markReservedByPeer));
    }

    private RemotePeerReservations remote(int peerPort) {
        return new RemotePeerReservations(
                Map.of(LINK, URI.create("https://127.0.0.1:" + peerPort)), tls("kme-a"), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {kmeA, kmeB, storeA, storeB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void theSlaveGetsTheKeyTheMasterGotAfterTheReservationCrossedTheNetwork() throws Exception {
        HttpResponse<String> enc = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=2&size=512", null);
        assertThat(enc.statusCode()).isEqualTo(200);
        JsonNode keys = JSON.readTree(enc.body()).get("keys");
        assertThat(keys).hasSize(2);
        for (JsonNode k : keys) {
            String id = k.get("key_ID").asText();
            HttpResponse<String> dec = send("sae-b", kmeB, "/api/v1/keys/sae-a/dec_keys?key_ID=" + id, null);
            assertThat(dec.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(dec.body()).get("keys").get(0).get("key").asText())
                    .isEqualTo(k.get("key").asText());
        }
        assertThat(available(storeA)).isEqualTo(12);
        assertThat(available(storeB)).isEqualTo(12);
    }

    @Test
    void unitsThePeerHasSpentAreNamedOverTheNetworkAndErasedAtTheMaster() throws Exception {
        // the oldest unit of kme-a's half of the link (UnitHalf): the next one A picks
        UUID spent = java.util.stream.IntStream.range(0, 16)
                .mapToObj(i -> KeyIds.derive(LINK, 0, i))
                .filter(UnitHalf.ofEnd("kme-a", "kme-b")::holds)
                .findFirst()
                .orElseThrow();
        PeerReservation earlier = new PeerReservation(
                LINK,
                "sae-a",
                List.of("sae-b"),
                List.of(new KeyComposition(spent, 256, List.of(spent))),
                Instant.now().plusSeconds(60),
                1);
        storeB.markReservedByPeer(earlier);
        storeB.deliver(List.of(spent), "sae-b", "sae-a").close();

        assertThatThrownBy(() -> remote(kmeB.port()).reserved(withSequence(earlier, earlier.sequence() + 1)))
                .isInstanceOfSatisfying(KeyManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(KeyManagerException.Code.UNITS_SPENT);
                    assertThat(e.units()).containsExactly(spent);
                });

        HttpResponse<String> enc = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=1", null);
        assertThat(enc.statusCode()).isEqualTo(503);
        assertThat(storeA.stateOf(spent)).contains(KeyState.ERASED);
        HttpResponse<String> next = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=1", null);
        assertThat(next.statusCode()).isEqualTo(200);
    }

    /**
     * kme-b burned the unit kme-a picks next (the ends disagree on it) and, two days on, deleted its
     * row: kme-b names it unknown, with the time before which it forgot spent units, and kme-a, which
     * stored it long before then, erases it.
     */
    @Test
    void unitsThePeerHasForgottenAreNamedOverTheNetworkAndErasedAtTheMaster() throws Exception {
        UUID forgotten = java.util.stream.IntStream.range(0, 16)
                .mapToObj(i -> KeyIds.derive(LINK, 0, i))
                .filter(UnitHalf.ofEnd("kme-a", "kme-b")::holds)
                .findFirst()
                .orElseThrow();
        assertThat(storeB.burn(LINK, List.of(forgotten))).isEqualTo(1);
        clock.advance(Duration.ofDays(2));
        assertThat(storeB.purgeSpent()).isEqualTo(1);

        PeerReservation announced = new PeerReservation(
                LINK,
                "sae-a",
                List.of("sae-b"),
                List.of(new KeyComposition(forgotten, 256, List.of(forgotten))),
                clock.instant().plusSeconds(60),
                1);
        assertThatThrownBy(() -> remote(kmeB.port()).reserved(announced))
                .isInstanceOfSatisfying(KeyManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(KeyManagerException.Code.UNITS_UNKNOWN);
                    assertThat(e.units()).containsExactly(forgotten);
                    assertThat(e.forgottenBefore()).isEqualTo(storeB.forgottenBefore());
                });

        HttpResponse<String> enc = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=1", null);
        assertThat(enc.statusCode()).isEqualTo(503);
        assertThat(storeA.stateOf(forgotten)).contains(KeyState.ERASED);
        HttpResponse<String> next = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=1", null);
        assertThat(next.statusCode()).isEqualTo(200);
    }

    private static PeerReservation withSequence(PeerReservation r, long sequence) {
        return new PeerReservation(r.linkId(), r.masterSae(), r.slaveSaes(), r.keys(), r.expiresAt(), sequence);
    }

    @Test
    void anSaeCertificateIsRefusedOnTheInternalEndpoint() throws Exception {
        String body = new String(ReservationJson.write(anyReservation()), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> asSae = send("sae-a", kmeB, ReservationSync.PATH, body);
        assertThat(asSae.statusCode()).isEqualTo(403);
        assertThat(available(storeB)).isEqualTo(16);
    }

    @Test
    void aKmeIsRefusedOnALinkItIsNotThePeerOfOrForASlaveNotAttachedHere() throws Exception {
        // kme-b calling itself: a KME certificate, but not the peer configured for the link
        String body = new String(ReservationJson.write(anyReservation()), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> wrongKme = send("kme-b", kmeB, ReservationSync.PATH, body);
        assertThat(wrongKme.statusCode()).isEqualTo(403);
        PeerReservation forAnSaeOfKmeA = anyReservation();
        forAnSaeOfKmeA = new PeerReservation(
                LINK,
                "sae-a",
                List.of("sae-a"),
                forAnSaeOfKmeA.keys(),
                forAnSaeOfKmeA.expiresAt(),
                forAnSaeOfKmeA.sequence());
        HttpResponse<String> notPaired = send(
                "kme-a",
                kmeB,
                ReservationSync.PATH,
                new String(ReservationJson.write(forAnSaeOfKmeA), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(notPaired.statusCode())
                .as("a slave the access list does not pair here")
                .isEqualTo(403);
        HttpResponse<String> malformed = send("kme-a", kmeB, ReservationSync.PATH, "{\"link_ID\": 3}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(available(storeB)).isEqualTo(16);
    }

    @Test
    void anUnreachablePeerFailsClosedAndReleasesTheKeys() throws Exception {
        kmeB.close();
        kmeB = null;
        HttpResponse<String> enc = send("sae-a", kmeA, "/api/v1/keys/sae-b/enc_keys?number=1", null);
        assertThat(enc.statusCode()).isEqualTo(503);
        assertThat(enc.body()).doesNotContain("\"key\"");
        assertThat(available(storeA)).isEqualTo(16);
    }

    private PeerReservation anyReservation() {
        UUID unit = storeB.heldKeyIds(LINK).get(0);
        return new PeerReservation(
                LINK,
                "sae-a",
                List.of("sae-b"),
                List.of(new KeyComposition(unit, 256, List.of(unit))),
                Instant.now().plusSeconds(60),
                1);
    }

    private static long available(KeyStore store) {
        return store.availableCount(LINK);
    }

    private SSLContext tls(String id) {
        var credential = id.startsWith("kme") ? pki.kme(id) : pki.sae(id);
        return TlsContexts.jdkClient(credential, pki.readPkcs12Password(), pki.caCertificate());
    }

    private HttpResponse<String> send(String client, Etsi014Server kme, String path, String postJson) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(tls(client))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + kme.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (postJson != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postJson));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
