package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node leases units of a block its peer has not stored yet (a distilled block reaches one end of a
 * link first): the peer refuses the lease and burns the units it holds, and erases the others when
 * their block arrives, so both ends of the link end with the same units.
 */
class LeaseAheadOfThePeerTest {
    @TempDir
    Path dir;

    private RelayNetwork net;

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    /**
     * The line A–B–C: A–B with 4 units at both ends and then 24 stored at A only, B–C with 64.
     *
     * @return stores the 24 units at B
     */
    private Runnable lineWithABlockAtAFirst(long seed) throws InterruptedException {
        net = new RelayNetwork(dir, seed, Duration.ofSeconds(5));
        net.node("A").node("B").node("C");
        net.link("A", "B", 4).link("B", "C", 64);
        Runnable lateAtB = net.addKeyAtFirst("A", "B", 24);
        net.converge();
        return lateAtB;
    }

    @Test
    void unitsLeasedBeforeThePeerStoredThemAreErasedThereWhenTheyArrive() throws Exception {
        Runnable lateAtB = lineWithABlockAtAFirst(21);

        List<RelayStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 12 && !statuses.contains(RelayStatus.ABORTED); i++) {
            statuses.add(net.at("A").relay("C", 256, RoutePolicy.any()).status());
        }
        assertThat(statuses)
                .as("a lease of units B has not stored is refused")
                .contains(RelayStatus.ABORTED)
                .doesNotContain(RelayStatus.IN_DOUBT);
        net.at("A").awaitLeases();
        KeyCounts atA = net.storeOf("A").counts("A-B");
        assertThat(net.storeOf("B").counts("A-B").available())
                .as("B has not stored the late block yet")
                .isLessThan(atA.available());

        lateAtB.run();

        assertThat(net.storeOf("B").counts("A-B").available()).isEqualTo(atA.available());
    }

    /**
     * The block reaches B once A's lease of units of it waits there: B's lease takes them once they
     * are stored, and every relay commits.
     */
    @Test
    void aLeaseWaitsForUnitsWhoseBlockIsOnItsWay() throws Exception {
        Runnable lateAtB = lineWithABlockAtAFirst(22);
        Set<UUID> late = Set.copyOf(net.links.get("A-B").units().subList(4, 28));
        Thread distiller = net.whenALeaseWaits("B", lateAtB);

        List<RelayStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(net.at("A").relay("C", 256, RoutePolicy.any()).status());
        }
        distiller.join(60_000);

        assertThat(statuses).containsOnly(RelayStatus.COMMITTED);
        assertThat(net.journals.get("B").events())
                .as("B took a lease of the late block's units")
                .anyMatch(e -> leaseOf(e, late, "IN/"))
                .noneMatch(
                        e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith("BURN/"));
        net.at("A").awaitLeases();
        assertThat(net.storeOf("B").counts("A-B")).isEqualTo(net.storeOf("A").counts("A-B"));
    }

    static boolean leaseOf(RelayJournal.Event e, Set<UUID> units, String detail) {
        return e.kind() == RelayJournal.Kind.LEASE
                && e.detail().startsWith(detail)
                && e.units().stream().anyMatch(units::contains);
    }
}
