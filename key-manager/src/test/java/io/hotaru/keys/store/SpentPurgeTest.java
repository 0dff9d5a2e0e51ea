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
    private static final String LINK = "link-ab";
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

    private static List<UUID> ids(long block, int from, int to) {
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
        assertThat(reopened.mayHaveForgotten(before - 1)).isTrue();
        assertThat(reopened.mayHaveForgotten(before + KeyStore.FORGOTTEN_MARGIN.toMillis()))
                .isFalse();
    }

    @Test
    void aStoreThatNeverPurgedHasForgottenNothing() {
        KeyStore store = open("a.db", 1);
        assertThat(store.forgottenBefore()).isZero();
        assertThat(store.mayHaveForgotten(0)).isFalse();
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
