package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A unit of a distilled link burned at an end that has not stored it yet (a relay's rollback, a
 * refused lease: the other end erased it already) is erased there when its block arrives, so the two
 * ends of the link hold the same units.
 */
class BurnedAheadTest {
    private static final String LINK = SpentPurgeTest.LINK;
    private static final Duration RETENTION = Duration.ofHours(2);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final List<KeyStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(KeyStore::close);
    }

    private KeyStore open(String file) {
        KeyStore store = KeyStore.open(
                dir.resolve(file),
                MasterKey.of(MasterKeyTest.filled((byte) 1)),
                StoreOptions.defaults().withClock(clock).withSpentRetention(RETENTION));
        open.add(store);
        return store;
    }

    private static List<UUID> ids(long block, int from, int to) {
        return SpentPurgeTest.ids(block, from, to);
    }

    @Test
    void unitsBurnedBeforeTheirBlockArrivedAreStoredErased() {
        KeyStore a = open("a.db");
        KeyStore b = open("b.db");
        byte[] block2 = KeyStoreTest.block(2, 8);
        a.ingest(LINK, 1, KeyStoreTest.block(1, 8));
        b.ingest(LINK, 1, KeyStoreTest.block(1, 8));
        a.ingest(LINK, 2, block2); // b has not stored block 2 yet

        List<UUID> burned = new ArrayList<>(ids(1, 6, 8));
        burned.addAll(ids(2, 0, 3));
        assertThat(a.burn(LINK, burned)).isEqualTo(5);
        assertThat(b.burn(LINK, burned))
                .as("only the units b holds are burned now")
                .isEqualTo(2);

        assertThat(b.ingest(LINK, 2, block2)).isEqualTo(8);
        for (UUID id : burned) {
            assertThat(b.stateOf(id)).as(id.toString()).contains(KeyState.ERASED);
            assertThat(a.stateOf(id)).as(id.toString()).contains(KeyState.ERASED);
        }
        assertThat(b.counts(LINK)).isEqualTo(a.counts(LINK));
        assertThat(b.availableCount(LINK)).isEqualTo(11);
        assertThat(b.burnedAheadCount())
                .as("each remembered burn served once, then forgotten")
                .isZero();
    }

    @Test
    void theMemoryOfABurnSurvivesAReopeningAndServesOnce() {
        KeyStore b = open("b.db");
        b.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        assertThat(b.burn(LINK, ids(2, 1, 2))).isZero();
        b.close();
        open.clear();

        KeyStore reopened = open("b.db");
        assertThat(reopened.burnedAheadCount()).isEqualTo(1);
        reopened.ingest(LINK, 2, KeyStoreTest.block(2, 4));
        assertThat(reopened.stateOf(ids(2, 1, 2).get(0))).contains(KeyState.ERASED);
        assertThat(reopened.availableCount(LINK)).isEqualTo(7);
        assertThat(reopened.burnedAheadCount()).isZero();
        // the block of the same link numbered 3 has units of other IDs: nothing more is erased
        reopened.ingest(LINK, 3, KeyStoreTest.block(3, 4));
        assertThat(reopened.availableCount(LINK)).isEqualTo(11);
    }

    @Test
    void spentUnitsAndRelayedKeysAreNotRemembered() {
        KeyStore b = open("b.db");
        b.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        assertThat(b.burn(LINK, ids(1, 0, 1))).isEqualTo(1);
        assertThat(b.burn(LINK, ids(1, 0, 1)))
                .as("burned again: already erased")
                .isZero();
        String e2e = "A~C";
        assertThat(b.burn(e2e, List.of(KeyIds.deriveRelayed(e2e, KeyIds.relayedBlock(1_000, 0, 0), 7, 0))))
                .isZero();
        assertThat(b.burnedAheadCount()).isZero();
    }

    /** A unit whose block never comes (withdrawn at the other end, say) is forgotten after the retention. */
    @Test
    void aBurnWhoseBlockNeverArrivesIsForgottenAfterTheRetention() {
        KeyStore b = open("b.db");
        b.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        b.burn(LINK, ids(5, 0, 3));
        clock.advance(Duration.ofHours(1));
        b.burn(LINK, ids(6, 0, 1));
        assertThat(b.burnedAheadCount()).isEqualTo(4);

        clock.advance(RETENTION.minusMinutes(30)); // the first three were burned 2 h 30 min ago
        b.purgeSpent();
        assertThat(b.burnedAheadCount()).isEqualTo(1);
        b.ingest(LINK, 5, KeyStoreTest.block(5, 4));
        assertThat(b.availableCount(LINK))
                .as("block 5's units, forgotten, stay available")
                .isEqualTo(8);
        b.ingest(LINK, 6, KeyStoreTest.block(6, 4));
        assertThat(b.availableCount(LINK)).isEqualTo(11);
    }

    @Test
    void aLinkRemembersABoundedNumberOfBurns() {
        KeyStore b = open("b.db");
        List<UUID> many = ids(9, 0, KeyTable.MAX_BURNED_AHEAD + 10);
        assertThat(b.burn(LINK, many)).isZero();
        assertThat(b.burnedAheadCount()).isEqualTo(KeyTable.MAX_BURNED_AHEAD);
        assertThat(b.burn(LINK, ids(10, 0, 1))).isZero();
        assertThat(b.burnedAheadCount()).isEqualTo(KeyTable.MAX_BURNED_AHEAD);
        assertThat(b.burn("link-other", List.of(KeyIds.derive("link-other", 1, 0))))
                .isZero();
        assertThat(b.burnedAheadCount()).isEqualTo(KeyTable.MAX_BURNED_AHEAD + 1);
        b.ingest(LINK, 10, KeyStoreTest.block(10, 2));
        assertThat(b.stateOf(ids(10, 0, 1).get(0)))
                .as("a burn over the bound was not remembered: its unit arrives available")
                .contains(KeyState.AVAILABLE);
    }

    /** A block whose units were stored erased on arrival is withdrawn like any other (a link resumption). */
    @Test
    void aBlockWithUnitsErasedOnArrivalCanBeWithdrawn() {
        KeyStore b = open("b.db");
        b.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        b.burn(LINK, ids(2, 0, 2));
        b.ingest(LINK, 2, KeyStoreTest.block(2, 4));

        BlockWithdrawal.Result withdrawn = b.withdrawBlocksAfter(LINK, 1);

        assertThat(withdrawn).isEqualTo(new BlockWithdrawal.Result(1, 2, 0));
        assertThat(b.availableCount(LINK)).isEqualTo(4);
    }

    /** A block refused because the link is full keeps the burns of its units for when it comes again. */
    @Test
    void aBlockRefusedForAFullLinkKeepsItsBurnsRemembered() {
        KeyStore b = KeyStore.open(
                dir.resolve("full.db"),
                MasterKey.of(MasterKeyTest.filled((byte) 1)),
                StoreOptions.defaults().withClock(clock).withCapacity(LINK, 6));
        open.add(b);
        b.ingest(LINK, 1, KeyStoreTest.block(1, 4));
        b.burn(LINK, ids(2, 0, 1));
        assertThat(b.ingest(LINK, 2, KeyStoreTest.block(2, 4)))
                .as("over the capacity")
                .isZero();
        assertThat(b.burnedAheadCount()).isEqualTo(1);
        b.burn(LINK, ids(1, 0, 2));
        assertThat(b.ingest(LINK, 2, KeyStoreTest.block(2, 4))).isEqualTo(4);
        assertThat(b.stateOf(ids(2, 0, 1).get(0))).contains(KeyState.ERASED);
        assertThat(b.availableCount(LINK)).isEqualTo(5);
    }
}
