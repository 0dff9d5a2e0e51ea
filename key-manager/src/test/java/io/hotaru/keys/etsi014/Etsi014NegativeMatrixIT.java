package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.etsi014.Etsi014ServerIT.Sae;
import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyBatch;
import io.hotaru.keys.store.KeyPool;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LinkStatus;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.PeerReservation;
import io.hotaru.keys.store.Reservation;
import io.hotaru.keys.store.UnitHalf;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mutual-TLS negative matrix, multicast, key sizes and oversized bodies against real servers.
 * Each KME's store sits behind a spy that counts every call the server makes, and the store counts
 * the units it decrypts: a refusal is proven to come before any key is read.
 */
class Etsi014NegativeMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static PkiFiles pki;
    static KeyStore storeA;
    static KeyStore storeB;
    static CountingPool spyA;
    static CountingPool spyB;
    static Etsi014Server kmeA;
    static Etsi014Server kmeB;

    /** Counts every call of the server into the store. */
    static final class CountingPool implements KeyPool {
        final KeyPool store;
        final AtomicInteger calls = new AtomicInteger();

        CountingPool(KeyPool store) {
            this.store = store;
        }

        @Override
        public Reservation reserve(String l, int n, int s, String m, List<String> local, List<String> remote) {
            calls.incrementAndGet();
            return store.reserve(l, n, s, m, local, remote);
        }

        @Override
        public CompletableFuture<Reservation> reserveAsync(
                String l,
                int n,
                int s,
                String m,
                List<String> local,
                List<String> remote,
                UnitHalf half,
                Consumer<PeerReservation> announce) {
            calls.incrementAndGet();
            return store.reserveAsync(l, n, s, m, local, remote, half, announce);
        }

        @Override
        public void confirmMasterDelivery(Reservation r) {
            calls.incrementAndGet();
            store.confirmMasterDelivery(r);
        }

        @Override
        public void release(Reservation r) {
            calls.incrementAndGet();
            store.release(r);
        }

        @Override
        public KeyBatch deliver(List<UUID> ids, String requester, String master) {
            calls.incrementAndGet();
            return store.deliver(ids, requester, master);
        }

        @Override
        public LinkStatus linkStatus(String linkId) {
            calls.incrementAndGet();
            return store.linkStatus(linkId);
        }
    }

    @BeforeAll
    static void start() {
        pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b", "sae-c", "sae-d"));
        Map<String, String> kmeOfSae = Map.of("sae-a", "kme-a", "sae-d", "kme-a", "sae-b", "kme-b", "sae-c", "kme-b");
        Map<SaePair, String> acl = Map.of(
                new SaePair("sae-a", "sae-b"), "ab",
                new SaePair("sae-a", "sae-c"), "ab",
                new SaePair("sae-a", "sae-d"), "ad");
        storeA = KeyStore.open(dir.resolve("a.db"), MasterKey.of(new byte[32]));
        storeB = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]));
        byte[] material = Etsi014ServerIT.random(7, 64);
        storeA.ingest("ab", 1, material);
        storeB.ingest("ab", 1, material);
        spyA = new CountingPool(storeA);
        spyB = new CountingPool(storeB);
        kmeA = Etsi014Server.start(
                Etsi014Config.of("kme-a", 0, kmeOfSae, acl),
                TlsContexts.kmeServer(pki, "kme-a"),
                spyA,
                new LocalPeerReservations(Map.of("ab", storeB)));
        kmeB = Etsi014Server.start(
                Etsi014Config.of("kme-b", 0, kmeOfSae, acl),
                TlsContexts.kmeServer(pki, "kme-b"),
                spyB,
                new LocalPeerReservations(Map.of("ab", storeA)));
    }

    @AfterAll
    static void stop() {
        kmeA.close();
        kmeB.close();
        storeA.close();
        storeB.close();
    }

    private static Sae sae(String id) {
        return new Sae(TlsContexts.jdkClient(pki.sae(id), pki.readPkcs12Password(), pki.caCertificate()));
    }

    @Test
    void theServersRunOnTheTlsProviderAskedFor() {
        // the failsafe run "mtls-on-jdk-tls" repeats this class with hotaru.tls.provider=jdk; the
        // default run ships BoringSSL for linux-x86_64, so there it must be OpenSSL
        String asked = System.getProperty(TlsContexts.PROVIDER_PROPERTY, "");
        SslContext server = TlsContexts.kmeServer(pki, "kme-a");
        if (asked.equals("jdk")) {
            assertThat(server).isInstanceOf(JdkSslContext.class);
        } else if (System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64")) {
            assertThat(server).isInstanceOf(OpenSslContext.class);
        }
        assertThat(server.isServer()).isTrue();
    }

    @Test
    void theServersRunOnTheSocketsAskedFor() {
        // "mtls-on-jdk-tls" also asks for Java NIO; the default run ships epoll for linux-x86_64
        String asked = System.getProperty(NettyTransport.PROPERTY, "");
        if (!asked.isEmpty()) {
            assertThat(NettyTransport.get().name()).isEqualTo(asked);
        } else if (System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64")) {
            assertThat(NettyTransport.get().name()).isEqualTo("epoll");
        }
    }

    @Test
    void everyRejectionComesBeforeAnyKeyIsRead() throws Exception {
        // a key that sae-b may collect, to aim the wrong callers at
        JsonNode issued = JSON.readTree(sae("sae-a").get(kmeA, "sae-b/enc_keys").body())
                .get("keys")
                .get(0);
        String id = issued.get("key_ID").asText();
        int callsA = spyA.calls.get();
        int callsB = spyB.calls.get();
        long openedB = storeB.unitsOpened();

        // no client certificate
        SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
        anonymous.init(null, TlsContexts.trustOnly(pki.caCertificate()).getTrustManagers(), null);
        Etsi014ServerIT.assertRefusedInTls(() -> new Sae(anonymous).get(kmeB, "sae-a/dec_keys?key_ID=" + id));
        // a certificate from another CA, with the rightful slave's name
        PkiFiles rogue = Pki.create(dir.resolve("rogue"), List.of(), List.of("sae-b"));
        Etsi014ServerIT.assertRefusedInTls(() -> new Sae(
                        TlsContexts.jdkClient(rogue.sae("sae-b"), rogue.readPkcs12Password(), pki.caCertificate()))
                .get(kmeB, "sae-a/dec_keys?key_ID=" + id));
        // an expired certificate of the rightful slave
        Instant now = Instant.now();
        CredentialFiles expired =
                Pki.issueSae(pki, "sae-b-old", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        Etsi014ServerIT.assertRefusedInTls(
                () -> new Sae(TlsContexts.jdkClient(expired, pki.readPkcs12Password(), pki.caCertificate()))
                        .get(kmeB, "sae-a/dec_keys?key_ID=" + id));
        assertThat(spyB.calls.get()).isEqualTo(callsB);

        // valid certificates asking for keys that are not theirs: an SAE of another KME, the master
        assertThat(sae("sae-d").get(kmeB, "sae-a/dec_keys?key_ID=" + id).statusCode())
                .isEqualTo(401);
        assertThat(sae("sae-a").get(kmeA, "sae-a/dec_keys?key_ID=" + id).statusCode())
                .isEqualTo(401);
        assertThat(spyB.calls.get()).isEqualTo(callsB);
        // a permitted SAE asking for someone else's key reaches the store but reads no key
        HttpResponse<String> foreign = sae("sae-c").get(kmeB, "sae-a/dec_keys?key_ID=" + id);
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(storeB.unitsOpened()).isEqualTo(openedB);

        // the rightful slave, once; the repeat reads nothing
        assertThat(sae("sae-b").get(kmeB, "sae-a/dec_keys?key_ID=" + id).statusCode())
                .isEqualTo(200);
        long afterFirst = storeB.unitsOpened();
        HttpResponse<String> repeat = sae("sae-b").get(kmeB, "sae-a/dec_keys?key_ID=" + id);
        assertThat(repeat.statusCode()).isEqualTo(400);
        assertThat(repeat.body()).isEqualTo(foreign.body());
        assertThat(storeB.unitsOpened()).isEqualTo(afterFirst);
        assertThat(spyA.calls.get()).isEqualTo(callsA);
    }

    @Test
    void multicastHandsTheSameKeyToEachNamedSlaveOnce() throws Exception {
        HttpResponse<String> enc = sae("sae-a")
                .post(
                        kmeA,
                        "sae-b/enc_keys",
                        "{\"number\":1,\"size\":512,\"additional_slave_SAE_IDs\":[\"sae-c\"],"
                                + "\"extension_optional\":[{\"anything\":1}]}");
        assertThat(enc.statusCode()).as(enc.body()).isEqualTo(200);
        JsonNode key = JSON.readTree(enc.body()).get("keys").get(0);
        assertThat(Base64.getDecoder().decode(key.get("key").asText())).hasSize(64);
        String body = "{\"key_IDs\":[{\"key_ID\":\"" + key.get("key_ID").asText() + "\"}]}";
        for (String slave : List.of("sae-b", "sae-c")) {
            HttpResponse<String> dec = sae(slave).post(kmeB, "sae-a/dec_keys", body);
            assertThat(dec.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(dec.body()).get("keys").get(0).get("key").asText())
                    .isEqualTo(key.get("key").asText());
            assertThat(sae(slave).post(kmeB, "sae-a/dec_keys", body).statusCode())
                    .isEqualTo(400);
        }
        // a slave without a key path over this link: the whole request fails, nothing consumed
        long before = storeA.availableCount("ab");
        assertThat(sae("sae-a")
                        .post(kmeA, "sae-b/enc_keys", "{\"additional_slave_SAE_IDs\":[\"sae-d\",\"nobody\"]}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(storeA.availableCount("ab")).isEqualTo(before);
    }

    @Test
    void anOversizedBodyIsAJson413() throws Exception {
        HttpResponse<String> big =
                sae("sae-a").post(kmeA, "sae-b/enc_keys", "{\"number\":1,\"pad\":\"" + "x".repeat(100_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(big.body()).get("message").asText()).contains("exceeds");
    }
}
