package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows of spent units are deleted once they are older than the retention; what those rows
 * answered (a block stored once, a unit spent at the slave's end) is still answered.
 */
class SpentPurgeTest {
    static final String LINK = "link-ab";
    private static final Duration RETENTION = Duration.ofHours(2);
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final List<KeyStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(KeyStore::close);
    }

    private KeyStore open(String file, int masterByte) {
        KeyStore store = KeyStore.open(
                dir.resolve(file),
                MasterKey.of(MasterKeyTest.filled((byte) masterByte)),
                StoreOptions.defaults().withClock(clock).withSpentRetention(RETENTION));
        open.add(store);
        return store;
    }

    /** The IDs of units {@code from} to {@code to} (exclusive) of block {@code block} of {@link #LINK}. */
    static List<UUID> ids(long block, int from, int to) {
        List<UUID> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(KeyIds.derive(LINK, block, i));
        }
        return ids;
    }

    @Test
    void spentRowsOlderThanTheRetentionGoAndTheRestStay() {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 10));
        assertThat(store.burn(LINK, ids(1, 0, 4))).isEqualTo(4);
        clock.advance(Duration.ofHours(1));
        assertThat(store.burn(LINK, ids(1, 4, 6))).isEqualTo(2);

        clock.advance(Duration.ofMinutes(70)); // the first four were spent 2 h 10 min ago, the next two 70 min ago
        assertThat(store.purgeSpent()).isEqualTo(4);

        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(4, 0, 0, 2));
        assertThat(store.stateOf(ids(1, 0, 1).get(0))).isEmpty();
        assertThat(store.stateOf(ids(1, 4, 5).get(0))).contains(KeyState.ERASED);
        assertThat(store.forgottenBefore())
                .isEqualTo(START.plus(Duration.ofMinutes(10)).toEpochMilli());
        assertThat(store.ingest(LINK, 1, KeyStoreTest.block(1, 10)))
                .as("the block row stays: a block is still stored once")
                .isZero();
        assertThat(store.availableCount(LINK)).isEqualTo(4);
    }

    @Test
    void theForgottenBeforeTimeSurvivesAReopening() {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        store.burn(LINK, ids(1, 0, 1));
        clock.advance(RETENTION.plusMinutes(1));
        assertThat(store.purgeSpent()).isEqualTo(1);
        long before = store.forgottenBefore();
        store.close();
        open.clear();

        KeyStore reopened = open("a.db", 1);
        assertThat(reopened.forgottenBefore()).isEqualTo(before).isPositive();
    }

    /** A pass that deletes nothing still records its cutoff: the time says what a pass could have deleted. */
    @Test
    void everyPassRecordsItsCutoffEvenOneThatDeletesNothing() {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        clock.advance(RETENTION.plusMinutes(5));
        assertThat(store.purgeSpent()).isZero();
        long cutoff = clock.millis() - RETENTION.toMillis();
        assertThat(store.forgottenBefore()).isEqualTo(cutoff);
        store.close();
        open.clear();
        assertThat(open("a.db", 1).forgottenBefore()).isEqualTo(cutoff);
    }

    @Test
    void aStoreThatNeverPurgedHasForgottenNothing() {
        KeyStore store = open("a.db", 1);
        assertThat(store.forgottenBefore()).isZero();
        assertThat(store.mayHaveForgottenRelayed("A~C", 0)).isFalse();
    }

    /**
     * A relay's destination deleted the rows of a relayed key it spent: it will not store that key
     * again, nor any of a block at or below it on that side of the link, even after a reopening;
     * keys above it, and the other side's, it stores.
     */
    @Test
    void aRelayedKeyWhoseRowsWereDeletedIsNeverStoredAgain() throws Exception {
        KeyStore store = open("a.db", 1);
        String link = "A~C";
        long millis = START.toEpochMilli();
        long b1 = KeyIds.relayedBlock(millis, 0, 0);
        long b2 = KeyIds.relayedBlock(millis, 1, 0);
        long b3 = KeyIds.relayedBlock(millis + 1, 0, 0);
        assertThat(ingestRelayed(store, link, b1, 11)).isEqualTo(1);
        assertThat(ingestRelayed(store, link, b3, 13)).isEqualTo(1);
        assertThat(store.burn(link, List.of(KeyIds.deriveRelayed(link, b1, 11, 0))))
                .isEqualTo(1);
        clock.advance(RETENTION.plusMinutes(1));
        assertThat(store.purgeSpent()).isEqualTo(1);
        store.close();
        open.clear();
        store = open("a.db", 1);

        assertThat(store.mayHaveForgottenRelayed(link, b1)).isTrue();
        assertThat(store.mayHaveForgottenRelayed(link, b1 - 2)).isTrue();
        assertThat(store.mayHaveForgottenRelayed(link, b2)).isFalse();
        assertThat(store.mayHaveForgottenRelayed(link, b1 | 1))
                .as("the other side")
                .isFalse();
        assertThat(store.mayHaveForgottenRelayed("A~D", b1)).isFalse();
        KeyStore reopened = store;
        assertThatThrownBy(() -> ingestRelayed(reopened, link, b1, 11))
                .isInstanceOfSatisfying(
                        KeyManagerException.class, e -> assertThat(e.code()).isEqualTo(Code.KEY_NOT_AVAILABLE))
                .hasMessageContaining("at or below a block whose spent rows this store deleted");
        assertThat(ingestRelayed(store, link, b2, 12)).isEqualTo(1);
        assertThat(store.availableCount(link)).isEqualTo(2);
    }

    private static int ingestRelayed(KeyStore store, String link, long block, long relayId) {
        int[] stored = new int[1];
        new RelayStore(store).step(tx -> {
            stored[0] = tx.ingest(link, block, relayId, KeyStoreTest.block(relayId, 1));
            return () -> {};
        });
        return stored[0];
    }

    /**
     * A link resumption withdraws the blocks only this end stored: one whose erased units' rows were
     * deleted still goes, one of which a delivered unit's row was deleted stays (the key may be in an
     * application's hands).
     */
    @Test
    void aWithdrawalCountsADeletedErasedUnitAsErasedAndADeletedDeliveredOneAsInUse() {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 2));
        store.ingest(LINK, 2, KeyStoreTest.block(2, 2));
        store.ingest(LINK, 3, KeyStoreTest.block(3, 2));
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of(), List.of("sae-b"))) {
            assertThat(r.keyIds()).containsExactly(ids(1, 0, 1).get(0));
            store.confirmMasterDelivery(r);
        }
        store.burn(LINK, ids(2, 0, 2));
        clock.advance(RETENTION.plusMinutes(1));
        assertThat(store.purgeSpent()).isEqualTo(3);

        assertThat(store.withdrawBlocksAfter(LINK, 1)).isEqualTo(new BlockWithdrawal.Result(2, 2, 0));
        assertThat(store.withdrawBlocksAfter(LINK, 0)).isEqualTo(new BlockWithdrawal.Result(1, 0, 1));
        assertThat(store.lastStoredBlock(LINK)).isEqualTo(1);
    }

    /**
     * After the first pass, a pass looks only at rows stored before an earlier pass began: a unit
     * stored and spent after that waits for a later pass, and goes within a retention and two
     * periods of being spent.
     */
    @Test
    void rowsStoredAfterAPassBeganWaitForALaterPass() {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        store.burn(LINK, ids(1, 0, 4));
        clock.advance(RETENTION.plusMinutes(1));
        assertThat(store.purgeSpent()).as("the first pass reads every row").isEqualTo(4);

        store.ingest(LINK, 2, KeyStoreTest.block(2, 4));
        store.burn(LINK, ids(2, 0, 4));
        long deleted = 0;
        Duration waited = Duration.ZERO;
        Duration period = SpentPurge.period(RETENTION);
        while (deleted == 0 && waited.compareTo(Duration.ofDays(1)) < 0) {
            clock.advance(period);
            waited = waited.plus(period);
            deleted = store.purgeSpent();
        }
        assertThat(deleted).isEqualTo(4);
        assertThat(waited).isGreaterThan(RETENTION).isLessThanOrEqualTo(RETENTION.plus(period.multipliedBy(2)));
    }

    /** A pass's statements search the rows it looks at (by row number) and the blocks by key: no scan. */
    @Test
    void aPassReadsTheRowsItLooksAtNotTheStore() throws Exception {
        KeyStore store = open("a.db", 1);
        store.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        store.burn(LINK, ids(1, 0, 4));
        clock.advance(RETENTION.plusMinutes(1));
        assertThat(store.purgeSpent()).isEqualTo(4);
        List<String> sql = store.runOnWriter(() -> store.table().preparedSql());
        List<String> purge = sql.stream()
                .filter(q -> q.contains("updated_at < +?") || q.contains("count(*), max(seq)"))
                .toList();
        assertThat(purge).hasSize(5);
        for (String q : purge) {
            assertThat(KeyTableStatementsTest.plan(dir.resolve("a.db"), q))
                    .as("plan of %s", q)
                    .isNotEmpty()
                    .noneMatch(step -> step.matches("^SCAN (stored_key|block)\\b.*"));
        }
    }

    /** Ingested and erased over and over, with purges between: the file stops growing. */
    @Test
    void aStoreFileStopsGrowingWhenSpentRowsAreDeleted() throws Exception {
        KeyStore store = open("a.db", 1);
        long[] sizes = new long[8];
        for (int round = 0; round < sizes.length; round++) {
            store.ingest(LINK, round, KeyStoreTest.block(round, 2048));
            store.burn(LINK, ids(round, 0, 2048));
            clock.advance(RETENTION.plusMinutes(1));
            assertThat(store.purgeSpent()).isEqualTo(2048);
            store.close();
            open.clear();
            store = open("a.db", 1);
            sizes[round] = Files.size(dir.resolve("a.db"));
        }
        assertThat(sizes[sizes.length - 1])
                .as("file sizes by round: %s", java.util.Arrays.toString(sizes))
                .isLessThanOrEqualTo(sizes[1] + 16 * 4096);
    }

    /**
     * The slave's KME has no row of a unit it spent longer ago than the retention: it names the unit
     * unknown, with the time before which it forgot, and the master erases it since it stored the
     * unit well before then; the next reservation takes other units and is recorded.
     */
    @Test
    void aUnitTheSlaveSpentAndForgotIsErasedAtTheMaster() {
        KeyStore master = open("a.db", 1);
        KeyStore slave = open("b.db", 2);
        master.ingest(LINK, 1, KeyStoreTest.block(7, 4));
        slave.ingest(LINK, 1, KeyStoreTest.block(7, 4));
        // a lease burned at the slave's end only: the ends disagree on unit 0 (an ETSI master picks even units)
        UUID diverged = ids(1, 0, 1).get(0);
        slave.burn(LINK, List.of(diverged));
        clock.advance(Duration.ofHours(3));
        assertThat(slave.purgeSpent()).isEqualTo(1);

        Reservation first = master.reserve(LINK, 1, 256, "sae-a", List.of(), List.of("sae-b"));
        assertThat(first.announcement().keys().get(0).units()).containsExactly(diverged);
        KeyManagerException refused = catchRefusal(() -> slave.markReservedByPeer(first.announcement()));
        assertThat(refused.code()).isEqualTo(Code.UNITS_UNKNOWN);
        assertThat(refused.units()).containsExactly(diverged);
        assertThat(refused.forgottenBefore()).isEqualTo(slave.forgottenBefore());
        master.releaseAsync(first, PeerRefusal.of(refused)).join();
        first.close();
        assertThat(master.stateOf(diverged)).contains(KeyState.ERASED);

        try (Reservation second = master.reserve(LINK, 1, 256, "sae-a", List.of(), List.of("sae-b"))) {
            assertThat(second.announcement().keys().get(0).units()).doesNotContain(diverged);
            slave.markReservedByPeer(second.announcement());
        }
    }

    /** A unit the slave has no row of because it has not stored it yet is not erased at the master. */
    @Test
    void aUnitTheSlaveHasNotStoredYetStaysAtTheMaster() {
        KeyStore master = open("a.db", 1);
        KeyStore slave = open("b.db", 2);
        slave.ingest(LINK, 1, KeyStoreTest.block(7, 4));
        slave.burn(LINK, ids(1, 0, 4));
        clock.advance(Duration.ofHours(3));
        assertThat(slave.purgeSpent()).isEqualTo(4);
        master.ingest(LINK, 2, KeyStoreTest.block(8, 4)); // block 2: the slave has not stored it yet

        Reservation r = master.reserve(LINK, 1, 256, "sae-a", List.of(), List.of("sae-b"));
        UUID unit = r.announcement().keys().get(0).units().get(0);
        KeyManagerException refused = catchRefusal(() -> slave.markReservedByPeer(r.announcement()));
        assertThat(refused.code()).isEqualTo(Code.UNITS_UNKNOWN);
        master.releaseAsync(r, PeerRefusal.of(refused)).join();
        r.close();

        assertThat(master.stateOf(unit)).contains(KeyState.AVAILABLE);
        assertThat(master.availableCount(LINK)).isEqualTo(4);
    }

    @Test
    void aRetentionShorterThanAnHourIsRefused() {
        assertThatThrownBy(() -> StoreOptions.defaults().withSpentRetention(Duration.ofMinutes(59)))
                .isInstanceOfSatisfying(
                        KeyManagerException.class, e -> assertThat(e.code()).isEqualTo(Code.CONFIG))
                .hasMessage("spent-unit retention must be at least PT1H, was PT59M");
    }

    @Test
    void aPassRunsEveryTwentyFourthOfTheRetentionFromAMinuteToAnHour() {
        assertThat(SpentPurge.period(Duration.ofHours(1)))
                .isEqualTo(Duration.ofMinutes(2).plusSeconds(30));
        assertThat(SpentPurge.period(Duration.ofDays(1))).isEqualTo(Duration.ofHours(1));
        assertThat(SpentPurge.period(Duration.ofDays(30))).isEqualTo(Duration.ofHours(1));
    }

    private static KeyManagerException catchRefusal(Runnable r) {
        try {
            r.run();
        } catch (KeyManagerException e) {
            return e;
        }
        throw new AssertionError("the slave's KME recorded the reservation");
    }
}
