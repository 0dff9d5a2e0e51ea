package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
     * The block reaches B while A's lease of its units waits there: the lease takes them once they
     * are stored, and every relay commits.
     */
    @Test
    void aLeaseWaitsForUnitsWhoseBlockIsOnItsWay() throws Exception {
        Runnable lateAtB = lineWithABlockAtAFirst(22);
        List<RelayStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        int[] doneWhenStored = {-1};
        Thread distiller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            doneWhenStored[0] = statuses.size();
            lateAtB.run();
        });
        distiller.start();

        for (int i = 0; i < 10; i++) {
            statuses.add(net.at("A").relay("C", 256, RoutePolicy.any()).status());
        }
        distiller.join();

        assertThat(statuses).containsOnly(RelayStatus.COMMITTED);
        assertThat(doneWhenStored[0])
                .as("relays were waiting for the block when it was stored")
                .isBetween(0, 9);
        net.at("A").awaitLeases();
        assertThat(net.storeOf("B").counts("A-B")).isEqualTo(net.storeOf("A").counts("A-B"));
        assertThat(net.journals.get("B").events())
                .noneMatch(
                        e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith("BURN/"));
    }
}
