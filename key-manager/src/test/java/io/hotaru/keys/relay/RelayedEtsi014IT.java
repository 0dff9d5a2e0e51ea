package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.KeySupply;
import io.hotaru.keys.etsi014.ReservationSync;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.LocalPeerReservations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ETSI GS QKD 014 between SAEs at non-adjacent nodes of the Tokyo-shaped mesh and of the satellite
 * network: keys relayed into the end-to-end link are served by the unchanged ETSI 014 server
 * (reservation sync straight to the far KME), and the master and slave SAEs get identical bytes.
 */
class RelayedEtsi014IT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void saesAtKoganeiAndHongoGetTheSameRelayedKeys() throws Exception {
        String k = RelayMeshTest.K;
        String ho = RelayMeshTest.HO;
        try (RelayNetwork net = new RelayNetwork(dir, 71)) {
            net.node(k).node(RelayMeshTest.O).node(RelayMeshTest.HA).node(ho);
            net.link(k, RelayMeshTest.O, 200)
                    .link(RelayMeshTest.O, RelayMeshTest.HA, 40)
                    .link(RelayMeshTest.HA, ho, 60)
                    .link(RelayMeshTest.O, ho, 20);
            net.converge();
            for (int i = 0; i < 4; i++) {
                assertThat(net.at(k).relay(ho, 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
            }
            assertSaesAgree(net, k, ho, "sae-k", "sae-ho", 3);
            assertThat(RelayHistoryChecker.check(net)).isEmpty();
        }
    }

    @Test
    void groundStationSaesGetTheSameKeyAfterTheSecondPass() throws Exception {
        try (RelayNetwork net = new RelayNetwork(dir, 72)) {
            net.node("G1").node("SAT").node("G2");
            net.link("G1", "SAT", 8).link("SAT", "G2", 0);
            net.converge();
            assertThat(net.at("G1").relay("G2", 512, RoutePolicy.any()).status())
                    .isEqualTo(RelayStatus.NO_ROUTE);
            net.addKey("SAT", "G2", 8);
            net.converge();
            assertThat(net.at("G1").relay("G2", 512, RoutePolicy.any()).status())
                    .isEqualTo(RelayStatus.COMMITTED);
            assertSaesAgree(net, "G1", "G2", "sae-g1", "sae-g2", 1);
            assertThat(RelayHistoryChecker.check(net)).isEmpty();
        }
    }

    @Test
    void aShortPoolIsToppedUpByRelayingBeforeTheAnswer() throws Exception {
        String k = RelayMeshTest.K;
        String ho = RelayMeshTest.HO;
        try (RelayNetwork net = new RelayNetwork(dir, 73)) {
            net.node(k).node(RelayMeshTest.O).node(RelayMeshTest.HA).node(ho);
            net.link(k, RelayMeshTest.O, 200)
                    .link(RelayMeshTest.O, RelayMeshTest.HA, 40)
                    .link(RelayMeshTest.HA, ho, 60)
                    .link(RelayMeshTest.O, ho, 20);
            net.converge();
            KeySupply supply =
                    RelayKeySupply.towards(net.at(k), List.of(ho), RoutePolicy.any(), Duration.ofSeconds(10));
            assertThat(net.storeOf(k).availableCount(RelayNode.endToEndLink(k, ho)))
                    .isZero();
            assertSaesAgree(net, k, ho, "sae-k", "sae-ho", 3, supply);
            KeySupply blocked = RelayKeySupply.towards(
                    net.at(k), List.of(ho), RoutePolicy.any().avoiding(RelayMeshTest.O), Duration.ofMillis(100));
            assertThat(blocked.topUp(RelayNode.endToEndLink(k, ho), 1)).isFalse();
            assertThat(RelayHistoryChecker.check(net)).isEmpty();
        }
    }

    /** Master at {@code a}, slave at {@code b}: enc_keys at a, dec_keys at b, same bytes. */
    private void assertSaesAgree(RelayNetwork net, String a, String b, String saeA, String saeB, int number)
            throws Exception {
        assertSaesAgree(net, a, b, saeA, saeB, number, KeySupply.none());
    }

    private void assertSaesAgree(
            RelayNetwork net, String a, String b, String saeA, String saeB, int number, KeySupply supply)
            throws Exception {
        PkiFiles pki = Pki.create(dir.resolve("pki-" + a), List.of(a, b), List.of(saeA, saeB));
        String link = RelayNode.endToEndLink(a, b);
        Map<String, String> kmeOfSae = Map.of(saeA, a, saeB, b);
        Map<SaePair, String> acl = Map.of(new SaePair(saeA, saeB), link, new SaePair(saeB, saeA), link);
        try (Etsi014Server kmeA = Etsi014Server.start(
                        Etsi014Config.of(a, 0, kmeOfSae, acl),
                        TlsContexts.kmeServer(pki, a),
                        net.storeOf(a),
                        new LocalPeerReservations(Map.of(link, net.storeOf(b))),
                        ReservationSync.disabled(),
                        supply);
                Etsi014Server kmeB = Etsi014Server.start(
                        Etsi014Config.of(b, 0, kmeOfSae, acl),
                        TlsContexts.kmeServer(pki, b),
                        net.storeOf(b),
                        new LocalPeerReservations(Map.of(link, net.storeOf(a))))) {
            SSLContext tlsA = TlsContexts.jdkClient(pki.sae(saeA), pki.readPkcs12Password(), pki.caCertificate());
            SSLContext tlsB = TlsContexts.jdkClient(pki.sae(saeB), pki.readPkcs12Password(), pki.caCertificate());
            HttpResponse<String> enc = get(tlsA, kmeA, saeB + "/enc_keys?number=" + number + "&size=256");
            assertThat(enc.statusCode()).as(enc.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (JsonNode key : JSON.readTree(enc.body()).get("keys")) {
                ids.add(key.get("key_ID").asText());
                keys.add(key.get("key").asText());
            }
            StringBuilder body = new StringBuilder("{\"key_IDs\":[");
            for (int i = 0; i < ids.size(); i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"key_ID\":\"")
                        .append(ids.get(i))
                        .append("\"}");
            }
            HttpResponse<String> dec =
                    post(tlsB, kmeB, saeA + "/dec_keys", body.append("]}").toString());
            assertThat(dec.statusCode()).as(dec.body()).isEqualTo(200);
            JsonNode decKeys = JSON.readTree(dec.body()).get("keys");
            assertThat(decKeys).hasSize(number);
            for (int i = 0; i < number; i++) {
                assertThat(decKeys.get(i).get("key_ID").asText()).isEqualTo(ids.get(i));
                assertThat(Base64.getDecoder().decode(decKeys.get(i).get("key").asText()))
                        .isEqualTo(Base64.getDecoder().decode(keys.get(i)));
            }
            if (supply == KeySupply.none()) {
                HttpResponse<String> more = get(tlsA, kmeA, saeB + "/enc_keys?number=8&size=256");
                assertThat(more.statusCode()).as("more keys than were relayed").isEqualTo(503);
            }
        }
    }

    private static HttpResponse<String> get(SSLContext tls, Etsi014Server kme, String path) throws Exception {
        return send(tls, HttpRequest.newBuilder(uri(kme, path)).GET());
    }

    private static HttpResponse<String> post(SSLContext tls, Etsi014Server kme, String path, String json)
            throws Exception {
        return send(
                tls,
                HttpRequest.newBuilder(uri(kme, path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> send(SSLContext tls, HttpRequest.Builder request) throws Exception {
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
