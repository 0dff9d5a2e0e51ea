package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyComposition;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyState;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.PeerReservation;
import io.hotaru.keys.store.PeerReservations;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyDeliveryServiceTest {
    static final Etsi014Config CONFIG = Etsi014Config.of(
            "kme-a", 0, Map.of("sae-a", "kme-a", "sae-b", "kme-b"), Map.of(new SaePair("sae-a", "sae-b"), "ab"));

    @TempDir
    Path dir;

    KeyStore store;

    @BeforeEach
    void open() {
        byte[] master = new byte[32];
        store = KeyStore.open(dir.resolve("a.db"), MasterKey.of(master));
        store.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void thePeerIsToldBeforeKeysAreReturnedAndAFailedPeerConsumesNothing() {
        List<String> calls = new ArrayList<>();
        PeerReservations refusing = r -> {
            calls.add(r.linkId() + " " + r.masterSae() + " " + r.slaveSaes() + " "
                    + r.keys().size());
            throw new KeyManagerException(KeyManagerException.Code.PEER_SYNC_FAILED, "peer down");
        };
        KeyDeliveryService service = new KeyDeliveryService(CONFIG, store, refusing);

        assertThatThrownBy(() -> service.encKeys("sae-a", "sae-b", request(2)))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(calls).containsExactly("ab sae-a [sae-b] 2");
        assertThat(store.availableCount("ab")).isEqualTo(4);
    }

    @Test
    void theMasterGetsExactlyTheKeysThePeerWasToldAbout() {
        List<UUID> told = new ArrayList<>();
        KeyDeliveryService service =
                new KeyDeliveryService(CONFIG, store, r -> r.keys().forEach(k -> told.add(k.keyId())));

        ApiResponse response = service.encKeys("sae-a", "sae-b", request(3));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.secret()).isTrue();
        String body = new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(told).hasSize(3).allSatisfy(id -> assertThat(body).contains(id.toString()));
        assertThat(store.counts("ab").delivered()).isEqualTo(3);
    }

    @Test
    void mastersAtTheTwoEndsOfALinkPickFromTheirOwnHalvesSoNeitherAnnouncementIsRefused() {
        Map<String, String> kmeOfSae = Map.of("sae-a", "kme-a", "sae-b", "kme-b");
        Map<SaePair, String> pairs = Map.of(new SaePair("sae-a", "sae-b"), "ab", new SaePair("sae-b", "sae-a"), "ab");
        byte[] material = new byte[16 * KeyStore.KEY_BYTES];
        List<UUID> units = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            units.add(KeyIds.derive("ab", 2, i));
        }
        assertThat(units)
                .filteredOn(id -> (id.getLeastSignificantBits() & 1) == 0)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(units)
                .filteredOn(id -> (id.getLeastSignificantBits() & 1) == 1)
                .hasSizeGreaterThanOrEqualTo(3);
        try (KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]))) {
            b.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]); // as open() did here
            store.ingest("ab", 2, material);
            b.ingest("ab", 2, material);
            // Both masters ask before either KME hears of the other's reservation, as under load.
            List<PeerReservation> toB = new ArrayList<>();
            List<PeerReservation> toA = new ArrayList<>();
            KeyDeliveryService atA =
                    new KeyDeliveryService(Etsi014Config.of("kme-a", 0, kmeOfSae, pairs), store, toB::add);
            KeyDeliveryService atB = new KeyDeliveryService(Etsi014Config.of("kme-b", 0, kmeOfSae, pairs), b, toA::add);
            atA.encKeys("sae-a", "sae-b", request(3));
            atB.encKeys("sae-b", "sae-a", request(3));

            List<UUID> fromA = toB.stream()
                    .flatMap(r -> r.keys().stream())
                    .map(KeyComposition::keyId)
                    .toList();
            List<UUID> fromB = toA.stream()
                    .flatMap(r -> r.keys().stream())
                    .map(KeyComposition::keyId)
                    .toList();
            assertThat(fromA)
                    .hasSize(3)
                    .allMatch(id -> (id.getLeastSignificantBits() & 1) == 0, "even: kme-a sorts first");
            assertThat(fromB).hasSize(3).allMatch(id -> (id.getLeastSignificantBits() & 1) == 1, "odd");
            assertThat(fromA).doesNotContainAnyElementsOf(fromB);
            toB.forEach(b::markReservedByPeer);
            toA.forEach(store::markReservedByPeer);
            assertThat(store.counts("ab").reserved() + store.counts("ab").delivered())
                    .isEqualTo(6);
            assertThat(b.counts("ab").reserved() + b.counts("ab").delivered()).isEqualTo(6);
        }
    }

    @Test
    void keyContainerIsExactJson() throws Exception {
        KeyDeliveryService service = new KeyDeliveryService(CONFIG, store, r -> {});
        byte[] body = service.encKeys("sae-a", "sae-b", request(2)).body();
        var tree = Etsi014Json.MAPPER.readTree(body);
        assertThat(tree.get("keys")).hasSize(2);
        assertThat(tree.get("keys").get(1).get("key").asText()).isEqualTo("A".repeat(43) + "=");
        assertThat(Arrays.copyOfRange(body, 0, 20)).asString().startsWith("{\"keys\":[{\"key_ID\":\"");
    }

    @Test
    void withAStoreAndPeerThatAnswerThroughFuturesTheCallerNeverWaits() throws Exception {
        assertThat(new KeyDeliveryService(CONFIG, store, r -> {}).nonBlocking()).isFalse();
        try (KeyStore peer = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]))) {
            peer.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]);
            KeyDeliveryService service =
                    new KeyDeliveryService(CONFIG, store, new LocalPeerReservations(Map.of("ab", peer)));
            assertThat(service.nonBlocking()).isTrue();
            Executor mustNotBeUsed = task -> {
                throw new AssertionError("nothing here may block");
            };

            ApiResponse response = service.encKeysAsync("sae-a", "sae-b", request(2), mustNotBeUsed)
                    .get(10, TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(200);
            assertThat(peer.counts("ab").reserved()).isEqualTo(2);
            assertThat(store.counts("ab").delivered()).isEqualTo(2);
        }
    }

    @Test
    void aPeerFailingItsFutureConsumesNothing() {
        PeerReservations failingLater = new PeerReservations() {
            @Override
            public void reserved(PeerReservation r) {
                throw new AssertionError("the future form must be used");
            }

            @Override
            public CompletableFuture<Void> reservedAsync(PeerReservation r) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new KeyManagerException(KeyManagerException.Code.PEER_SYNC_FAILED, "peer down");
                });
            }

            @Override
            public boolean completesAsynchronously() {
                return true;
            }
        };
        KeyDeliveryService service = new KeyDeliveryService(CONFIG, store, failingLater);

        assertThat(service.nonBlocking()).isTrue();
        assertThatThrownBy(() -> service.encKeys("sae-a", "sae-b", request(2)))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(store.availableCount("ab")).isEqualTo(4);
    }

    @Test
    void unitsThePeerHasAlreadySpentAreErasedHereAndTheNextRequestGetsOthers() throws Exception {
        // kme-a's masters take the even half first (UnitHalf), then the odd
        List<UUID> order = new ArrayList<>();
        for (int bit = 0; bit <= 1; bit++) {
            for (int i = 0; i < 4; i++) {
                UUID id = KeyIds.derive("ab", 1, i);
                if ((id.getLeastSignificantBits() & 1) == bit) {
                    order.add(id);
                }
            }
        }
        UUID spent = order.get(0);
        try (KeyStore peer = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]))) {
            peer.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]);
            // the peer delivered unit 0 under a reservation this KME no longer has
            peer.markReservedByPeer(announcement(spent, "sae-b", 1));
            peer.deliver(List.of(spent), "sae-b", "sae-a").close();
            KeyDeliveryService service =
                    new KeyDeliveryService(CONFIG, store, new LocalPeerReservations(Map.of("ab", peer)));

            assertThatThrownBy(() -> service.encKeys("sae-a", "sae-b", request(1)))
                    .isInstanceOfSatisfying(
                            ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(store.stateOf(spent)).contains(KeyState.ERASED);
            assertThat(store.availableCount("ab")).isEqualTo(3);

            ApiResponse next = service.encKeys("sae-a", "sae-b", request(1));
            assertThat(next.status()).isEqualTo(200);
            assertThat(new String(next.body(), java.nio.charset.StandardCharsets.US_ASCII))
                    .contains(order.get(1).toString());
        }
    }

    @Test
    void aReservationThisKmeLostIsTakenBackAtThePeerByTheNextAnnouncement() throws Exception {
        UUID unit = KeyIds.derive("ab", 1, 0);
        try (KeyStore peer = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]))) {
            peer.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]);
            // announced by an earlier opening of this store whose reservation never became durable
            peer.markReservedByPeer(announcement(unit, "sae-c", 1));
            KeyDeliveryService service =
                    new KeyDeliveryService(CONFIG, store, new LocalPeerReservations(Map.of("ab", peer)));

            ApiResponse response = service.encKeys("sae-a", "sae-b", request(1));

            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII))
                    .contains(unit.toString());
            assertThatThrownBy(() -> peer.deliver(List.of(unit), "sae-c", "sae-a"))
                    .isInstanceOf(KeyManagerException.class);
            peer.deliver(List.of(unit), "sae-b", "sae-a").close();
        }
    }

    @Test
    void aPairOfTwoLocalSaesIsRefusedOnALinkSharedWithAPeer() throws Exception {
        Etsi014Config bothHere = Etsi014Config.of(
                "kme-a", 0, Map.of("sae-a", "kme-a", "sae-c", "kme-a"), Map.of(new SaePair("sae-a", "sae-c"), "ab"));
        try (KeyStore peer = KeyStore.open(dir.resolve("b.db"), MasterKey.of(new byte[32]))) {
            KeyDeliveryService shared =
                    new KeyDeliveryService(bothHere, store, new LocalPeerReservations(Map.of("ab", peer)));
            assertThatThrownBy(() -> shared.encKeys("sae-a", "sae-c", request(1)))
                    .isInstanceOfSatisfying(ApiError.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("serves SAEs at its two ends only");
                    });
            assertThat(store.availableCount("ab")).isEqualTo(4);
        }
        // a link this KME holds alone serves them
        KeyDeliveryService alone = new KeyDeliveryService(bothHere, store, new LocalPeerReservations(Map.of()));
        assertThat(alone.encKeys("sae-a", "sae-c", request(1)).status()).isEqualTo(200);
    }

    private static PeerReservation announcement(UUID unit, String slave, long sequence) {
        return new PeerReservation(
                "ab",
                "sae-a",
                List.of(slave),
                List.of(new KeyComposition(unit, 256, List.of(unit))),
                Instant.now().plusSeconds(60),
                sequence);
    }

    private static Etsi014Json.KeyRequest request(int number) {
        return new Etsi014Json.KeyRequest(number, null, null, null, null);
    }

    /**
     * At kme-b: sae-a (kme-a) pairs with sae-b and sae-e (both here) over "ab" and with sae-c (here
     * too) over "ac"; sae-d (kme-c) pairs with sae-b over "db". kme-a may reserve keys of "ab" for
     * sae-b and sae-e only.
     */
    @Test
    void aPeerKmeReservesOnlyForPairsTheAccessListServesOverTheLink() {
        Map<String, String> kmeOfSae =
                Map.of("sae-a", "kme-a", "sae-b", "kme-b", "sae-c", "kme-b", "sae-d", "kme-c", "sae-e", "kme-b");
        Map<SaePair, String> pairs = Map.of(
                new SaePair("sae-a", "sae-b"), "ab",
                new SaePair("sae-a", "sae-e"), "ab",
                new SaePair("sae-a", "sae-c"), "ac",
                new SaePair("sae-d", "sae-b"), "db");
        KeyDeliveryService atB = new KeyDeliveryService(Etsi014Config.of("kme-b", 0, kmeOfSae, pairs), null, r -> {});

        atB.requireReservable("kme-a", reservation("ab", "sae-a", List.of("sae-b", "sae-e")));
        assertRefused(atB, reservation("ab", "sae-a", List.of("sae-b", "sae-c")), "slave SAE sae-c");
        assertRefused(atB, reservation("ab", "sae-a", List.of("sae-a")), "slave SAE sae-a");
        assertRefused(atB, reservation("ab", "sae-a", List.of("sae-x")), "slave SAE sae-x");
        assertRefused(atB, reservation("ab", "sae-d", List.of("sae-b")), "master SAE sae-d");
    }

    /** An additional slave behind another KME than the slave's has no key path over the slave's link. */
    @Test
    void anAdditionalSlaveBehindAThirdKmeIsRefusedBeforeAnyKeyIsTaken() {
        Etsi014Config config = Etsi014Config.of(
                "kme-a",
                0,
                Map.of("sae-a", "kme-a", "sae-b", "kme-b", "sae-c", "kme-c"),
                Map.of(new SaePair("sae-a", "sae-b"), "ab", new SaePair("sae-a", "sae-c"), "ab"));
        List<PeerReservation> told = new ArrayList<>();
        KeyDeliveryService service = new KeyDeliveryService(config, store, told::add);

        assertThatThrownBy(() -> service.encKeys(
                        "sae-a", "sae-b", new Etsi014Json.KeyRequest(1, null, List.of("sae-c"), null, null)))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("no key path to additional slave sae-c");
        assertThat(told).isEmpty();
        assertThat(store.availableCount("ab")).isEqualTo(4);
    }

    private static PeerReservation reservation(String link, String master, List<String> slaves) {
        UUID unit = KeyIds.derive(link, 0, 0);
        return new PeerReservation(
                link,
                master,
                slaves,
                List.of(new KeyComposition(unit, 256, List.of(unit))),
                Instant.now().plusSeconds(60),
                1);
    }

    private static void assertRefused(KeyDeliveryService service, PeerReservation reservation, String naming) {
        assertThatThrownBy(() -> service.requireReservable("kme-a", reservation))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining(naming);
    }
}
