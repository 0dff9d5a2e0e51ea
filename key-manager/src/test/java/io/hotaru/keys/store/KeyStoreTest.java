package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
    private static final String LINK = "link-ab";

    @TempDir
    Path dir;

    private KeyStore store;

    @BeforeEach
    void open() {
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 1)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] block(long seed, int keys) {
        byte[] material = new byte[keys * KeyStore.KEY_BYTES];
        new Random(seed).nextBytes(material);
        return material;
    }

    static byte[] keyOf(byte[] block, int index) {
        return Arrays.copyOfRange(block, index * KeyStore.KEY_BYTES, (index + 1) * KeyStore.KEY_BYTES);
    }

    @Test
    void ingestSplitsIntoWholeKeysAndIsIdempotentPerBlock() throws Exception {
        byte[] material = Arrays.copyOf(block(1, 3), 3 * KeyStore.KEY_BYTES + 5);

        assertThat(store.ingest(LINK, 1, material)).isEqualTo(3);
        assertThat(store.ingest(LINK, 1, material)).isZero();
        assertThat(store.ingest(LINK, 2, block(2, 2))).isEqualTo(2);

        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(5, 0, 0, 0));
        assertThat(store.counts("other")).isEqualTo(new KeyCounts(0, 0, 0, 0));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("kme-a.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aReservationTakesTheOldestUnitsOfItsHalfAndTheOtherHalfOnlyWhenItsOwnRunsShort() throws Exception {
        store.ingest(LINK, 1, block(1, 12));
        store.ingest(LINK, 2, block(2, 12));
        List<UUID> inOrder = new ArrayList<>();
        for (long blockId = 1; blockId <= 2; blockId++) {
            for (int i = 0; i < 12; i++) {
                inOrder.add(KeyIds.derive(LINK, blockId, i));
            }
        }
        List<UUID> even = inOrder.stream().filter(UnitHalf.EVEN::holds).toList();
        List<UUID> odd = inOrder.stream().filter(UnitHalf.ODD::holds).toList();
        assertThat(even.size()).isGreaterThan(3);

        List<UUID> first = reserveOf(UnitHalf.EVEN, 3);
        assertThat(first).isEqualTo(even.subList(0, 3));
        List<UUID> rest = reserveOf(UnitHalf.EVEN, even.size() - 3 + 2);
        assertThat(rest.subList(0, even.size() - 3)).isEqualTo(even.subList(3, even.size()));
        assertThat(rest.subList(even.size() - 3, rest.size())).isEqualTo(odd.subList(0, 2));
        assertThat(reserveOf(UnitHalf.ANY, 1)).isEqualTo(odd.subList(2, 3));
        assertThat(store.availableCount(LINK)).isEqualTo(odd.size() - 3);
    }

    private List<UUID> reserveOf(UnitHalf half, int number) throws Exception {
        try (Reservation r = store.reserveAsync(LINK, number, 256, "sae-a", List.of(), List.of("sae-b"), half, null)
                .get(10, java.util.concurrent.TimeUnit.SECONDS)) {
            return r.keyIds();
        }
    }

    @Test
    void theEndWhoseIdSortsFirstTakesTheEvenHalf() {
        assertThat(UnitHalf.ofEnd("kme-a", "kme-b")).isEqualTo(UnitHalf.EVEN);
        assertThat(UnitHalf.ofEnd("kme-b", "kme-a")).isEqualTo(UnitHalf.ODD);
        assertThat(UnitHalf.EVEN.other()).isEqualTo(UnitHalf.ODD);
        assertThat(UnitHalf.ANY.other()).isEqualTo(UnitHalf.ANY);
        assertThatThrownBy(() -> UnitHalf.ofEnd("kme-a", "kme-a")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Reserves 256-bit keys and returns their IDs, leaving them reserved for the master to collect. */
    private List<UUID> reserveIds(int number, String master, List<String> localSlaves) {
        try (Reservation r = store.reserve(LINK, number, 256, master, localSlaves, List.of())) {
            return r.keyIds();
        }
    }

    private static PeerReservation announce(List<UUID> ids, String master, String slave, Instant expiresAt) {
        return new PeerReservation(
                LINK,
                master,
                List.of(slave),
                ids.stream().map(id -> new KeyComposition(id, 256, List.of(id))).toList(),
                expiresAt,
                1);
    }

    private static final Instant LATER = Instant.now().plus(Duration.ofDays(1));

    @Test
    void reserveTakesTheOldestKeysWithDerivedIdsAndReturnsTheirMaterialOnce() {
        byte[] first = block(1, 2);
        store.ingest(LINK, 10, first);
        store.ingest(LINK, 11, block(2, 2));

        try (Reservation r = store.reserve(LINK, 3, 256, "sae-a", List.of(), List.of("sae-b"))) {
            assertThat(r.keyIds())
                    .containsExactly(
                            KeyIds.derive(LINK, 10, 0), KeyIds.derive(LINK, 10, 1), KeyIds.derive(LINK, 11, 0));
            assertThat(r.keys().keys().get(0).material()).isEqualTo(keyOf(first, 0));
            assertThat(r.keys().keys().get(1).material()).isEqualTo(keyOf(first, 1));
            assertThat(r.keys().toString()).isEqualTo("KeyBatch[3 keys]");
            assertThat(r.announcement().slaveSaes()).containsExactly("sae-b");
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 3, 0, 0));
            store.confirmMasterDelivery(r);
        }
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 0, 3, 0));
    }

    @Test
    void closingAReservationZeroesTheKeys() {
        store.ingest(LINK, 1, block(1, 1));
        Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of(), List.of());
        byte[] material = r.keys().keys().get(0).material();
        r.close();
        assertThat(material).containsOnly((byte) 0);
    }

    @Test
    void keysOfOtherSizesAreComposedOfUnitsTheSameWayAtBothEnds() {
        byte[] material = block(11, 6);
        store.ingest(LINK, 1, material);
        try (KeyStore slave = KeyStore.open(dir.resolve("kme-b.db"), MasterKey.of(MasterKeyTest.filled((byte) 9)))) {
            slave.ingest(LINK, 1, material);
            PeerReservation announced;
            try (Reservation r = store.reserve(LINK, 2, 520, "sae-a", List.of(), List.of("sae-b"))) {
                announced = r.announcement();
                KeyComposition second = announced.keys().get(1);
                assertThat(second.units())
                        .containsExactly(
                                KeyIds.derive(LINK, 1, 3), KeyIds.derive(LINK, 1, 4), KeyIds.derive(LINK, 1, 5));
                assertThat(second.keyId()).isEqualTo(KeyIds.derive(LINK, 1, 3));
                byte[] expected = Arrays.copyOfRange(material, 3 * KeyStore.KEY_BYTES, 3 * KeyStore.KEY_BYTES + 65);
                assertThat(r.keys().keys().get(1).material()).hasSize(65).isEqualTo(expected);
                slave.markReservedByPeer(announced);
                store.confirmMasterDelivery(r);
            }
            try (KeyBatch atSlave =
                    slave.deliver(List.of(announced.keys().get(1).keyId()), "sae-b", "sae-a")) {
                assertThat(atSlave.keys().get(0).material())
                        .isEqualTo(Arrays.copyOfRange(material, 3 * KeyStore.KEY_BYTES, 3 * KeyStore.KEY_BYTES + 65));
            }
            assertThat(slave.counts(LINK)).isEqualTo(new KeyCounts(0, 3, 3, 0));
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(0, 0, 6, 0));
            // a unit that is not a key's head is no key ID
            assertNotAvailable(() -> slave.deliver(List.of(KeyIds.derive(LINK, 1, 1)), "sae-b", "sae-a"));
        }
    }

    @Test
    void aSmallKeyTakesAWholeUnit() {
        byte[] material = block(12, 2);
        store.ingest(LINK, 1, material);
        try (Reservation r = store.reserve(LINK, 2, 64, "sae-a", List.of(), List.of())) {
            assertThat(r.keys().keys().get(1).material()).isEqualTo(Arrays.copyOfRange(material, 32, 40));
        }
        assertThat(store.availableCount(LINK)).isZero();
    }

    @Test
    void exhaustionConsumesNothing() {
        store.ingest(LINK, 1, block(1, 2));
        assertThatThrownBy(() -> store.reserve(LINK, 3, 256, "sae-a", List.of(), List.of()))
                .isInstanceOf(KeyManagerException.class)
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEYS_EXHAUSTED);
        assertThatThrownBy(() -> store.reserve(LINK, 1, 768, "sae-a", List.of(), List.of()))
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEYS_EXHAUSTED);
        assertThat(store.availableCount(LINK)).isEqualTo(2);
    }

    @Test
    void slaveSideDeliversOnlyToTheNamedSlaveForTheNamedMasterOnceAndAllOrNothing() {
        byte[] material = block(3, 3);
        store.ingest(LINK, 1, material);
        List<UUID> ids = List.of(KeyIds.derive(LINK, 1, 0), KeyIds.derive(LINK, 1, 1));
        store.markReservedByPeer(announce(ids, "sae-a", "sae-b", LATER));

        assertNotAvailable(() -> store.deliver(ids, "sae-c", "sae-a"));
        assertNotAvailable(() -> store.deliver(ids, "sae-b", "sae-c"));
        assertNotAvailable(() -> store.deliver(ids, "sae-a", "sae-a"));
        assertNotAvailable(() -> store.deliver(List.of(ids.get(0), KeyIds.derive(LINK, 1, 2)), "sae-b", "sae-a"));
        assertNotAvailable(() -> store.deliver(List.of(ids.get(0), UUID.randomUUID()), "sae-b", "sae-a"));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 2, 0, 0));

        try (KeyBatch batch = store.deliver(List.of(ids.get(1), ids.get(0)), "sae-b", "sae-a")) {
            assertThat(batch.keys().get(0).keyId()).isEqualTo(ids.get(1));
            assertThat(batch.keys().get(0).material()).isEqualTo(keyOf(material, 1));
            assertThat(batch.keys().get(1).material()).isEqualTo(keyOf(material, 0));
        }
        assertNotAvailable(() -> store.deliver(ids, "sae-b", "sae-a"));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 0, 2, 0));
    }

    @Test
    void multicastReservationsLetEachNamedSlaveCollectOnce() {
        store.ingest(LINK, 1, block(13, 1));
        UUID id = KeyIds.derive(LINK, 1, 0);
        store.markReservedByPeer(new PeerReservation(
                LINK, "sae-a", List.of("sae-b", "sae-c"), List.of(new KeyComposition(id, 256, List.of(id))), LATER, 1));
        store.deliver(List.of(id), "sae-b", "sae-a").close();
        assertNotAvailable(() -> store.deliver(List.of(id), "sae-b", "sae-a"));
        assertThat(store.stateOf(id)).contains(KeyState.RESERVED);
        store.deliver(List.of(id), "sae-c", "sae-a").close();
        assertThat(store.stateOf(id)).contains(KeyState.DELIVERED);
    }

    @Test
    void peerReservationOfKeysNotAvailableHereChangesNothing() {
        store.ingest(LINK, 1, block(3, 2));
        List<UUID> taken = reserveIds(1, "sae-x", List.of());
        List<UUID> ids = List.of(KeyIds.derive(LINK, 1, 1), taken.get(0));
        assertNotAvailable(() -> store.markReservedByPeer(announce(ids, "sae-a", "sae-b", LATER)));
        assertNotAvailable(() -> store.markReservedByPeer(new PeerReservation(
                "other-link",
                "sae-a",
                List.of("sae-b"),
                List.of(new KeyComposition(ids.get(0), 256, List.of(ids.get(0)))),
                LATER,
                1)));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 1, 0, 0));
    }

    @Test
    void aLocalSlaveCollectsAfterTheMasterAndThenTheCiphertextIsGone() {
        store.ingest(LINK, 1, block(4, 1));
        List<UUID> ids;
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-b"), List.of())) {
            ids = r.keyIds();
            store.confirmMasterDelivery(r);
        }
        assertThat(store.counts(LINK).reserved()).isEqualTo(1);
        store.deliver(ids, "sae-b", "sae-a").close();
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(0, 0, 1, 0));
    }

    @Test
    void releaseMakesAnUnconfirmedReservationAvailableAgain() {
        store.ingest(LINK, 1, block(5, 2));
        List<UUID> ids;
        try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of("sae-b"))) {
            ids = r.keyIds();
            store.release(r);
        }
        assertThat(store.availableCount(LINK)).isEqualTo(2);
        assertThat(reserveIds(2, "sae-a", List.of())).isEqualTo(ids);
    }

    @Test
    void reservationsExpireIntoErasedAtTheAnnouncedInstant() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        store.close();
        StoreOptions options = StoreOptions.defaults().withClock(clock).withReservationTtl(Duration.ofSeconds(30));
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 1)), options);
        store.ingest(LINK, 1, block(14, 3));
        PeerReservation announced;
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-d"), List.of())) {
            announced = r.announcement();
        }
        assertThat(announced.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
        UUID peerReserved = KeyIds.derive(LINK, 1, 1);
        store.markReservedByPeer(announce(
                List.of(peerReserved), "sae-b", "sae-a", clock.instant().plusSeconds(10)));

        clock.advance(Duration.ofSeconds(10));
        assertNotAvailable(() -> store.deliver(List.of(peerReserved), "sae-a", "sae-b"));
        assertThat(store.eraseExpired()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(20));
        assertNotAvailable(() -> store.deliver(List.of(announced.keys().get(0).keyId()), "sae-d", "sae-a"));
        assertThat(store.eraseExpired()).isEqualTo(1);
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 0, 0, 2));
        assertThat(store.heldKeyIds(LINK)).containsExactly(KeyIds.derive(LINK, 1, 2));
    }

    @Test
    void aFullLinkStoresNoFurtherBlockAndSaysSo() {
        store.close();
        store = KeyStore.open(
                dir.resolve("kme-a.db"),
                MasterKey.of(MasterKeyTest.filled((byte) 1)),
                StoreOptions.defaults().withCapacity(LINK, 5));
        assertThat(store.ingest(LINK, 1, block(15, 4))).isEqualTo(4);
        assertThat(store.linkStatus(LINK).full()).isFalse();
        assertThat(store.ingest(LINK, 2, block(16, 2))).isZero();
        assertThat(store.linkStatus(LINK)).satisfies(s -> {
            assertThat(s.held()).isEqualTo(4);
            assertThat(s.capacity()).isEqualTo(5);
        });
        assertThat(store.ingest(LINK, 3, block(17, 1))).isEqualTo(1);
        assertThat(store.linkStatus(LINK).full()).isTrue();
        // consumed keys free room; the refused block was not marked as seen
        try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of())) {
            store.confirmMasterDelivery(r);
        }
        assertThat(store.ingest(LINK, 2, block(16, 2))).isEqualTo(2);
    }

    @Test
    void keysSurviveReopening() {
        byte[] material = block(6, 1);
        store.ingest(LINK, 1, material);
        store.close();
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 1)));
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of(), List.of())) {
            assertThat(r.keys().keys().get(0).material()).isEqualTo(keyOf(material, 0));
        }
    }

    @Test
    void aWrongMasterKeyIsDetectedAsCorruptionNotReturnedAsGarbage() {
        store.ingest(LINK, 1, block(7, 1));
        store.close();
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 2)));
        assertThatThrownBy(() -> store.reserve(LINK, 1, 256, "sae-a", List.of(), List.of()))
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.CORRUPT_KEY);
        assertThat(store.counts(LINK).available()).isEqualTo(1);
    }

    @Test
    void aFailedOperationRollsBackAloneInsideAGroupCommit() throws Exception {
        store.ingest(LINK, 1, block(18, 40));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            int n = i % 2 == 0 ? 1 : 1000; // every other request asks for too many
            results.add(pool.submit(() -> {
                try (Reservation r = store.reserve(LINK, n, 256, "sae-a", List.of(), List.of())) {
                    return true;
                } catch (KeyManagerException e) {
                    return false;
                }
            }));
        }
        int ok = 0;
        for (Future<Boolean> f : results) {
            ok += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(16);
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(24, 16, 0, 0));
    }

    @Test
    void sixtyFourConcurrentClaimersOfOneKeyHaveExactlyOneWinner() throws Exception {
        store.ingest(LINK, 1, block(8, 1));
        UUID id = KeyIds.derive(LINK, 1, 0);
        store.markReservedByPeer(announce(List.of(id), "sae-a", "sae-b", LATER));

        int winners = race(64, () -> store.deliver(List.of(id), "sae-b", "sae-a"));

        assertThat(winners).isEqualTo(1);
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(0, 0, 1, 0));
    }

    @Test
    void sixtyFourConcurrentReservationsOfTheLastKeyHaveExactlyOneWinner() throws Exception {
        store.ingest(LINK, 1, block(9, 1));

        int winners = race(64, () -> store.reserve(LINK, 1, 256, "sae-a", List.of(), List.of()));

        assertThat(winners).isEqualTo(1);
    }

    private static int race(int threads, java.util.concurrent.Callable<? extends AutoCloseable> claim)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try {
                    claim.call().close();
                    return true;
                } catch (KeyManagerException lost) {
                    assertThat(lost.code()).isIn(Code.KEY_NOT_AVAILABLE, Code.KEYS_EXHAUSTED);
                    return false;
                }
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        return winners;
    }

    private static void assertNotAvailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(KeyManagerException.class)
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEY_NOT_AVAILABLE);
    }
}
