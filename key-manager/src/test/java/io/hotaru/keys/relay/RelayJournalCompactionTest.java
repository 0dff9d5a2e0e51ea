package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's journal loses the rows of the relays it settled, once they are older than the previous
 * compaction, and keeps those of a relay still open, so that the relay is still settled right after
 * a restart. (The history checker needs whole journals: these tests check the outcomes instead.)
 */
class RelayJournalCompactionTest {
    @TempDir
    Path dir;

    private RelayNetwork net;

    @AfterEach
    void close() {
        if (net != null) {
            net.close();
        }
    }

    private void line() throws InterruptedException {
        net = new RelayNetwork(dir, 31, Duration.ofSeconds(5));
        net.node("A").node("B").node("C");
        net.link("A", "B", 64).link("B", "C", 64);
        net.converge();
    }

    private Set<Long> relaysIn(String node) {
        return net.journals.get(node).events().stream()
                .map(RelayJournal.Event::relayId)
                .collect(Collectors.toSet());
    }

    @Test
    void rowsOfSettledRelaysGoAtTheSecondCompactionAndNewerRowsStay() throws Exception {
        line();
        List<Long> old = List.of(relay(), relay(), relay());

        assertThat(compact("A")).as("the first only marks where to stop").isZero();
        long newer = relay();
        long deleted = compact("A");

        assertThat(deleted).isPositive();
        assertThat(relaysIn("A")).doesNotContainAnyElementsOf(old).contains(newer);
        assertThat(compact("B")).isZero();
        assertThat(relaysIn("B")).containsAll(old);
        assertThat(compact("A")).as("the newer relay's rows, once marked").isPositive();
        assertThat(relaysIn("A")).doesNotContain(newer);
    }

    @Test
    void theRowsOfARelayInDoubtStayAndSettleItAfterARestart() throws Exception {
        line();
        List<Long> settled = List.of(relay(), relay());
        CuttableWire cut = rewire();
        cut.cutBefore(CuttableWire.COMMITTED_REPLY);
        net.converge();
        RelayOutcome inDoubt = net.at("A").relay("C", 256, RoutePolicy.any());
        assertThat(inDoubt.status()).isEqualTo(RelayStatus.IN_DOUBT);

        compact("A");
        assertThat(compact("A")).isPositive();
        assertThat(relaysIn("A")).doesNotContainAnyElementsOf(settled).contains(inDoubt.relayId());

        net.restart("A");
        assertThat(net.at("A").inDoubt()).as("replayed from the rows kept").isEqualTo(1);
        net.connect("A", "B");
        assertThat(net.at("A").resolveInDoubt()).isZero();
        String e2e = RelayNode.endToEndLink("A", "C");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(3);
        assertThat(net.storeOf("C").availableCount(e2e)).isEqualTo(3);
    }

    /** Compacts the node's journal once the rows it appends lazily (a source's COMMIT) are written. */
    private long compact(String node) {
        net.journals.get(node).sync();
        return net.at(node).compactJournal();
    }

    private long relay() {
        RelayOutcome outcome = net.at("A").relay("C", 256, RoutePolicy.any());
        assertThat(outcome.status()).isEqualTo(RelayStatus.COMMITTED);
        return outcome.relayId();
    }

    /** A–B's channel replaced by one whose end at B cuts before a frame. */
    private CuttableWire rewire() {
        InMemoryWire wire = new InMemoryWire();
        CuttableWire[] atB = new CuttableWire[1];
        net.connect("A", "B", (self, peer) -> {
            CuttableWire end = new CuttableWire(wire, self.equals("A") ? wire.endA() : wire.endB());
            if (self.equals("B")) {
                atB[0] = end;
            }
            return end;
        });
        return atB[0];
    }
}
