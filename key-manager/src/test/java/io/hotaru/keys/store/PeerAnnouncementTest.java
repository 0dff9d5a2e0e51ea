package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbered announcements at the slave's KME: a later announcement takes back units an earlier one
 * reserved and nobody collected (the master released or lost that reservation), never units a
 * slave collected, a later announcement reserved or this KME reserved as master; units spent here
 * are named so that the master erases them too.
 */
class PeerAnnouncementTest {
    private static final String LINK = "link-ab";
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(1));

    @TempDir
    Path dir;

    private KeyStore store;

    @BeforeEach
    void open() {
        store = open("kme-b.db");
        store.ingest(LINK, 1, KeyStoreTest.block(21, 4));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private KeyStore open(String file) {
        return KeyStore.open(dir.resolve(file), MasterKey.of(MasterKeyTest.filled((byte) 3)));
    }

    private static UUID unit(int index) {
        return KeyIds.derive(LINK, 1, index);
    }

    private static PeerReservation announce(long sequence, List<String> slaves, UUID... units) {
        List<KeyComposition> keys = new ArrayList<>();
        for (UUID u : units) {
            keys.add(new KeyComposition(u, 256, List.of(u)));
        }
        return new PeerReservation(LINK, "sae-a", slaves, keys, LATER, sequence);
    }

    /** One key of two units, headed by the first. */
    private static PeerReservation announcePair(long sequence, String slave, UUID first, UUID second) {
        return new PeerReservation(
                LINK,
                "sae-a",
                List.of(slave),
                List.of(new KeyComposition(first, 512, List.of(first, second))),
                LATER,
                sequence);
    }

    @Test
    void aLaterAnnouncementTakesBackAKeyAnEarlierOneReservedAndNobodyCollected() {
        store.markReservedByPeer(announcePair(5, "sae-b", unit(0), unit(1)));
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(2, 2, 0, 0));

        // the master lost the first reservation and now composes unit 0 alone, for another slave
        store.markReservedByPeer(announce(7, List.of("sae-c"), unit(0)));

        assertNotAvailable(() -> store.deliver(List.of(unit(0)), "sae-b", "sae-a"));
        // the rest of the stale key is available again, as it is at the master
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(3, 1, 0, 0));
        try (KeyBatch batch = store.deliver(List.of(unit(0)), "sae-c", "sae-a")) {
            assertThat(batch.size()).isEqualTo(1);
        }
    }

    @Test
    void anEarlierAnnouncementArrivingLateTakesNothingFromALaterOne() {
        store.markReservedByPeer(announce(9, List.of("sae-b"), unit(0)));
        assertNotAvailable(() -> store.markReservedByPeer(announce(8, List.of("sae-x"), unit(0))));
        assertNotAvailable(() -> store.markReservedByPeer(announce(9, List.of("sae-x"), unit(0))));
        assertNotAvailable(() -> store.deliver(List.of(unit(0)), "sae-x", "sae-a"));
        store.deliver(List.of(unit(0)), "sae-b", "sae-a").close();
    }

    @Test
    void anAnnouncementWithoutANumberNeverTakesBack() {
        store.markReservedByPeer(announce(0, List.of("sae-b"), unit(0)));
        assertNotAvailable(() -> store.markReservedByPeer(announce(0, List.of("sae-x"), unit(0))));
        // nor can a numbered one take back what an unnumbered one reserved: its age is unknown
        assertNotAvailable(() -> store.markReservedByPeer(announce(Long.MAX_VALUE, List.of("sae-x"), unit(0))));
        store.deliver(List.of(unit(0)), "sae-b", "sae-a").close();
    }

    @Test
    void aMulticastKeyOneSlaveCollectedIsNeverTakenBack() {
        store.markReservedByPeer(announce(3, List.of("sae-b", "sae-c"), unit(0)));
        store.deliver(List.of(unit(0)), "sae-b", "sae-a").close();

        assertNotAvailable(() -> store.markReservedByPeer(announce(4, List.of("sae-x"), unit(0))));
        store.deliver(List.of(unit(0)), "sae-c", "sae-a").close();
        assertThat(store.stateOf(unit(0))).contains(KeyState.DELIVERED);
    }

    @Test
    void thisKmesOwnReservationsAreNeverTakenBack() {
        try (Reservation mine = store.reserve(LINK, 1, 256, "sae-b", List.of(), List.of("sae-a"))) {
            UUID held = mine.keyIds().get(0);
            assertNotAvailable(() -> store.markReservedByPeer(announce(Long.MAX_VALUE, List.of("sae-b"), held)));
            assertThat(store.stateOf(held)).contains(KeyState.RESERVED);
        }
    }

    @Test
    void unitsDeliveredOrErasedHereAreNamedAsSpentAndNothingChanges() {
        store.markReservedByPeer(announce(1, List.of("sae-b"), unit(0)));
        store.deliver(List.of(unit(0)), "sae-b", "sae-a").close();

        assertThatThrownBy(() -> store.markReservedByPeer(announce(2, List.of("sae-c"), unit(1), unit(0))))
                .isInstanceOfSatisfying(KeyManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.UNITS_SPENT);
                    assertThat(e.units()).containsExactly(unit(0));
                });
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(3, 0, 1, 0));
    }

    @Test
    void theMasterErasesTheUnitsThePeerNamedSpentAndReleasesTheOthers() {
        try (Reservation r = store.reserve(LINK, 2, 256, "sae-b", List.of(), List.of("sae-a"))) {
            List<UUID> ids = r.keyIds();
            // a unit the reservation does not hold is not the peer's to name
            store.releaseAsync(r, PeerRefusal.spent(List.of(ids.get(1), unit(3))))
                    .join();
            assertThat(store.stateOf(ids.get(0))).contains(KeyState.AVAILABLE);
            assertThat(store.stateOf(ids.get(1))).contains(KeyState.ERASED);
        }
        assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(3, 0, 0, 1));
        assertThat(store.stateOf(unit(3))).contains(KeyState.AVAILABLE);
    }

    @Test
    void announcementNumbersGrowWithinAndAcrossOpenings() {
        long first;
        long second;
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-b", List.of(), List.of("sae-a"))) {
            first = r.announcement().sequence();
        }
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-b", List.of(), List.of("sae-a"))) {
            second = r.announcement().sequence();
        }
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);

        store.close();
        store = open("kme-b.db");
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-b", List.of(), List.of("sae-a"))) {
            assertThat(r.announcement().sequence()).isGreaterThan(second);
        }
    }

    @Test
    void theAnnouncementLeavesBeforeTheReservationIsDurableAndIsTheOneReturned() throws Exception {
        CompletableFuture<PeerReservation> announced = new CompletableFuture<>();
        CompletableFuture<Reservation> reserved = store.reserveAsync(
                LINK, 1, 256, "sae-b", List.of(), List.of("sae-a"), UnitHalf.ANY, announced::complete);
        try (Reservation r = reserved.get(10, TimeUnit.SECONDS)) {
            assertThat(announced.get(10, TimeUnit.SECONDS)).isEqualTo(r.announcement());
        }
    }

    private static void assertNotAvailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(KeyManagerException.class)
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(Code.KEY_NOT_AVAILABLE);
    }
}
