package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    void reserveTakesTheOldestKeysWithDerivedIdsAndDeliversToTheMasterOnce() {
        byte[] first = block(1, 2);
        store.ingest(LINK, 10, first);
        store.ingest(LINK, 11, block(2, 2));

        List<UUID> ids = store.reserve(LINK, 3, "sae-a", List.of());
        assertThat(ids)
                .containsExactly(KeyIds.derive(LINK, 10, 0), KeyIds.derive(LINK, 10, 1), KeyIds.derive(LINK, 11, 0));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 3, 0, 0));

        try (KeyBatch batch = store.deliverToMaster(ids, "sae-a")) {
            assertThat(batch.keys().get(0).material()).isEqualTo(keyOf(first, 0));
            assertThat(batch.keys().get(1).material()).isEqualTo(keyOf(first, 1));
            assertThat(batch.toString()).isEqualTo("KeyBatch[3 keys]");
        }
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 0, 3, 0));
        assertThatThrownBy(() -> store.deliverToMaster(ids, "sae-a"))
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEY_NOT_AVAILABLE);
    }

    @Test
    void closingABatchZeroesTheKeys() {
        store.ingest(LINK, 1, block(1, 1));
        List<UUID> ids = store.reserve(LINK, 1, "sae-a", List.of());
        KeyBatch batch = store.deliverToMaster(ids, "sae-a");
        byte[] material = batch.keys().get(0).material();
        batch.close();
        assertThat(material).containsOnly((byte) 0);
    }

    @Test
    void exhaustionConsumesNothing() {
        store.ingest(LINK, 1, block(1, 2));
        assertThatThrownBy(() -> store.reserve(LINK, 3, "sae-a", List.of()))
                .isInstanceOf(KeyManagerException.class)
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEYS_EXHAUSTED);
        assertThat(store.availableCount(LINK)).isEqualTo(2);
    }

    @Test
    void slaveSideDeliversOnlyToTheNamedSlaveForTheNamedMasterOnceAndAllOrNothing() {
        byte[] material = block(3, 3);
        store.ingest(LINK, 1, material);
        List<UUID> ids = List.of(KeyIds.derive(LINK, 1, 0), KeyIds.derive(LINK, 1, 1));
        store.markReservedByPeer(LINK, ids, "sae-a", "sae-b");

        assertNotAvailable(() -> store.deliver(ids, "sae-c", "sae-a"));
        assertNotAvailable(() -> store.deliver(ids, "sae-b", "sae-c"));
        assertNotAvailable(() -> store.deliverToMaster(ids, "sae-a"));
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
    void peerReservationOfKeysNotAvailableHereChangesNothing() {
        store.ingest(LINK, 1, block(3, 2));
        List<UUID> taken = store.reserve(LINK, 1, "sae-x", List.of());
        List<UUID> ids = List.of(KeyIds.derive(LINK, 1, 1), taken.get(0));
        assertNotAvailable(() -> store.markReservedByPeer(LINK, ids, "sae-a", "sae-b"));
        assertNotAvailable(() -> store.markReservedByPeer("other-link", List.of(ids.get(0)), "sae-a", "sae-b"));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(1, 1, 0, 0));
    }

    @Test
    void aLocalSlaveCollectsAfterTheMasterAndThenTheCiphertextIsGone() {
        store.ingest(LINK, 1, block(4, 1));
        List<UUID> ids = store.reserve(LINK, 1, "sae-a", List.of("sae-b"));
        store.deliverToMaster(ids, "sae-a").close();
        assertThat(store.counts(LINK).reserved()).isEqualTo(1);
        assertThatThrownBy(() -> store.release(ids, "sae-a")).isInstanceOf(KeyManagerException.class);
        store.deliver(ids, "sae-b", "sae-a").close();
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(0, 0, 1, 0));
    }

    @Test
    void releaseMakesAnUncollectedReservationAvailableAgain() {
        store.ingest(LINK, 1, block(5, 2));
        List<UUID> ids = store.reserve(LINK, 2, "sae-a", List.of());
        store.release(ids, "sae-a");
        assertThat(store.availableCount(LINK)).isEqualTo(2);
        assertThat(store.reserve(LINK, 2, "sae-a", List.of())).isEqualTo(ids);
    }

    @Test
    void keysSurviveReopening() {
        byte[] material = block(6, 1);
        store.ingest(LINK, 1, material);
        store.close();
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 1)));
        List<UUID> ids = store.reserve(LINK, 1, "sae-a", List.of());
        try (KeyBatch batch = store.deliverToMaster(ids, "sae-a")) {
            assertThat(batch.keys().get(0).material()).isEqualTo(keyOf(material, 0));
        }
    }

    @Test
    void aWrongMasterKeyIsDetectedAsCorruptionNotReturnedAsGarbage() {
        store.ingest(LINK, 1, block(7, 1));
        store.close();
        store = KeyStore.open(dir.resolve("kme-a.db"), MasterKey.of(MasterKeyTest.filled((byte) 2)));
        List<UUID> ids = store.reserve(LINK, 1, "sae-a", List.of());
        assertThatThrownBy(() -> store.deliverToMaster(ids, "sae-a"))
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.CORRUPT_KEY);
        assertThat(store.counts(LINK).reserved()).isEqualTo(1);
    }

    @Test
    void sixtyFourConcurrentClaimersOfOneKeyHaveExactlyOneWinner() throws Exception {
        store.ingest(LINK, 1, block(8, 1));
        UUID id = KeyIds.derive(LINK, 1, 0);
        store.markReservedByPeer(LINK, List.of(id), "sae-a", "sae-b");

        int winners = race(64, () -> store.deliver(List.of(id), "sae-b", "sae-a"));

        assertThat(winners).isEqualTo(1);
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(0, 0, 1, 0));
    }

    @Test
    void sixtyFourConcurrentReservationsOfTheLastKeyHaveExactlyOneWinner() throws Exception {
        store.ingest(LINK, 1, block(9, 1));

        int winners = race(64, () -> {
            store.reserve(LINK, 1, "sae-a", List.of());
            return new KeyBatch(List.of());
        });

        assertThat(winners).isEqualTo(1);
    }

    private static int race(int threads, java.util.concurrent.Callable<KeyBatch> claim) throws Exception {
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
