package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyState;
import io.hotaru.keys.store.MutableClock;
import io.hotaru.keys.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links cut in the middle of a relay on the line A–B–C–D–E: every hop rolls back, or all commit. */
class RelayRollbackTest {
    @TempDir
    Path dir;

    private RelayNetwork net;
    /** What the history checker must find (a relay a test leaves in doubt on purpose). */
    private final List<String> expectedViolations = new ArrayList<>();

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net, expectedViolations);
    }

    private void line(long seed) throws Exception {
        net = new RelayNetwork(dir, seed, Duration.ofSeconds(5));
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            net.node(n);
        }
        net.link("A", "B", 32).link("B", "C", 32).link("C", "D", 32).link("D", "E", 32);
        net.converge();
    }

    /** Replaces the relay channel of a–b by one whose end at {@code cutter} cuts before {@code frame}. */
    private CuttableWire rewire(String a, String b, String cutter) {
        InMemoryWire wire = new InMemoryWire();
        CuttableWire[] ends = new CuttableWire[2];
        net.connect(a, b, (self, peer) -> {
            int i = self.equals(a) ? 0 : 1;
            ends[i] = new CuttableWire(wire, i == 0 ? wire.endA() : wire.endB());
            return ends[i];
        });
        return ends[cutter.equals(a) ? 0 : 1];
    }

    @Test
    void aLinkCutBeforeTheThirdHopRollsBackEveryHopOnceItIsBack() throws Exception {
        line(11);
        rewire("C", "D", "C").cutBefore(CuttableWire.FORWARD);
        net.converge();

        RelayOutcome outcome = net.at("A").relay("E", 256, RoutePolicy.any());

        assertThat(outcome.status()).isEqualTo(RelayStatus.IN_DOUBT);
        assertThat(net.at("A").resolveInDoubt())
                .as("D unreachable: still in doubt")
                .isEqualTo(1);
        assertThat(RelayHistoryChecker.check(net)).anyMatch(v -> v.contains("unsettled"));

        net.connect("C", "D");
        assertThat(net.at("A").resolveInDoubt()).isZero();
        assertThat(net.journals.get("A").events())
                .anyMatch(e -> e.kind() == RelayJournal.Kind.ABORT && e.relayId() == outcome.relayId());
        for (String link : List.of("A-B", "B-C", "C-D")) {
            String[] ends = link.split("-");
            assertThat(net.storeOf(ends[0]).counts(link).erased())
                    .as("pad of %s burned at %s", link, ends[0])
                    .isEqualTo(1);
            assertThat(net.storeOf(ends[1]).counts(link).erased())
                    .as("pad of %s burned at %s", link, ends[1])
                    .isEqualTo(1);
        }
        assertThat(net.storeOf("D").counts("D-E").erased()).isZero();
        String e2e = RelayNode.endToEndLink("A", "E");
        UUID keyAtA = net.journals.get("A").events().stream()
                .filter(e -> e.kind() == RelayJournal.Kind.KEY && e.relayId() == outcome.relayId())
                .map(e -> e.units().get(0))
                .findFirst()
                .orElseThrow();
        assertThat(net.storeOf("A").stateOf(keyAtA)).contains(KeyState.ERASED);
        assertThat(net.storeOf("E").counts(e2e).total()).isZero();
    }

    @Test
    void aLostCompletionIsFoundCommittedAtTheDestination() throws Exception {
        line(12);
        rewire("D", "E", "E").cutBefore(CuttableWire.COMMITTED_REPLY);
        net.converge();

        RelayOutcome outcome = net.at("A").relay("E", 256, RoutePolicy.any());

        assertThat(outcome.status()).isEqualTo(RelayStatus.IN_DOUBT);
        net.connect("D", "E");
        assertThat(net.at("A").resolveInDoubt()).isZero();
        assertThat(net.journals.get("A").events())
                .anyMatch(e -> e.kind() == RelayJournal.Kind.COMMIT && e.relayId() == outcome.relayId());
        String e2e = RelayNode.endToEndLink("A", "E");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(1);
        assertThat(net.storeOf("E").availableCount(e2e)).isEqualTo(1);
    }

    /**
     * The completion is lost between B and A, and by the time A asks, B, C and D have settled so many
     * relays since that they no longer remember this one: each passes the abort on, and E, which holds
     * the key, answers COMMITTED. (Taken for a relay never seen, the abort would have been rolled back
     * at B: A would burn its copy of K, E would keep its own.)
     */
    @Test
    void nodesThatForgotACommittedRelayPassTheAbortOnAndTheDestinationDecides() throws Exception {
        net = new RelayNetwork(dir, 14, Duration.ofSeconds(5)).remembering(1);
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            net.node(n);
        }
        net.link("A", "B", 32).link("B", "C", 32).link("C", "D", 32).link("D", "E", 32);
        net.converge();
        rewire("A", "B", "B").cutBefore(CuttableWire.COMMITTED_REPLY);
        net.converge();

        RelayOutcome lost = net.at("A").relay("E", 256, RoutePolicy.any());
        assertThat(lost.status()).isEqualTo(RelayStatus.IN_DOUBT);
        for (int i = 0; i < 2; i++) {
            assertThat(net.at("B").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        }
        for (String n : List.of("B", "C", "D", "E")) {
            assertThat(net.at(n).rememberedOutcomes())
                    .as("outcomes remembered at %s", n)
                    .isEqualTo(1);
        }

        net.connect("A", "B");
        assertThat(net.at("A").resolveInDoubt()).isZero();

        assertThat(net.journals.get("A").events())
                .anyMatch(e -> e.kind() == RelayJournal.Kind.COMMIT && e.relayId() == lost.relayId());
        String e2e = RelayNode.endToEndLink("A", "E");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(1);
        assertThat(net.storeOf("E").availableCount(e2e)).isEqualTo(1);
    }

    /**
     * The completion of A's relay to C is lost; C (which remembers one outcome only) then spends its
     * copy of the key and, its clock two days on, deletes the row. Asked to abort, C cannot tell
     * whether the relay committed: it answers IN_DOUBT and changes nothing, so A neither burns its copy
     * nor takes the relay for committed.
     */
    @Test
    void aDestinationThatDeletedTheSpentKeyOfARelayLeavesItInDoubt() throws Exception {
        // C's clock five days behind: what it forgets is told by block numbers, not by clocks
        MutableClock clockC = new MutableClock(Instant.now().minus(Duration.ofDays(5)));
        net = new RelayNetwork(dir, 15, Duration.ofSeconds(5)).remembering(1);
        net.node("A").node("B").node("C", StoreOptions.defaults().withClock(clockC));
        net.link("A", "B", 32).link("B", "C", 32);
        net.converge();
        rewire("A", "B", "B").cutBefore(CuttableWire.COMMITTED_REPLY);
        net.converge();

        RelayOutcome lost = net.at("A").relay("C", 256, RoutePolicy.any());
        assertThat(lost.status()).isEqualTo(RelayStatus.IN_DOUBT);
        for (int i = 0; i < 2; i++) {
            assertThat(net.at("B").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        }
        String e2e = RelayNode.endToEndLink("A", "C");
        List<UUID> key = net.storeOf("C").heldKeyIds(e2e);
        assertThat(key).hasSize(1);
        assertThat(net.storeOf("C").burn(e2e, key)).isEqualTo(1);
        clockC.advance(Duration.ofDays(2));
        assertThat(net.storeOf("C").purgeSpent()).isPositive();
        assertThat(net.storeOf("C").stateOf(key.get(0))).isEmpty();

        net.connect("A", "B");
        assertThat(net.at("A").resolveInDoubt()).isEqualTo(1);

        assertThat(net.at("A").inDoubt()).isEqualTo(1);
        assertThat(net.journals.get("C").events())
                .noneMatch(e -> e.kind() == RelayJournal.Kind.ABORT && e.relayId() == lost.relayId());
        assertThat(net.storeOf("A").availableCount(e2e))
                .as("A's copy is not burned")
                .isEqualTo(1);
        expectedViolations.add(RelayHistoryChecker.unsettled(lost.relayId(), "A"));
    }

    @Test
    void aHopWithoutKeyRollsBackAtOnce() throws Exception {
        line(13);
        // C–D is drained behind the routing table's back (by another user of the link)
        var cd = net.links.get("C-D").units();
        for (String end : List.of("C", "D")) {
            net.storeOf(end).burn("C-D", cd);
            net.journals.get(end).append(RelayJournal.Kind.BURN, 0, "C-D", cd, "drained");
        }
        Map<String, Long> before = Map.of(
                "A-B",
                net.storeOf("A").counts("A-B").erased(),
                "B-C",
                net.storeOf("B").counts("B-C").erased());

        RelayOutcome outcome = net.at("A").relay("E", 256, RoutePolicy.any());

        assertThat(outcome.status()).isIn(RelayStatus.ABORTED, RelayStatus.NO_ROUTE);
        assertThat(net.at("A").inDoubt()).isZero();
        assertThat(net.storeOf("A").counts("A-B").erased()).isGreaterThan(before.get("A-B"));
        assertThat(net.storeOf("E").counts(RelayNode.endToEndLink("A", "E")).total())
                .isZero();
        net.converge();
        assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.NO_ROUTE);
    }

    @Test
    void aRelayIntoAFullEndToEndLinkIsRolledBackOnEveryHop() throws Exception {
        net = new RelayNetwork(dir, 13, Duration.ofSeconds(5));
        net.node("A").node("B").node("C", StoreOptions.defaults().withCapacity("A~C", 1));
        net.link("A", "B", 32).link("B", "C", 32);
        net.converge();

        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        RelayOutcome full = net.at("A").relay("C", 256, RoutePolicy.any());

        assertThat(full.status()).isEqualTo(RelayStatus.ABORTED);
        assertThat(net.at("A").inDoubt()).isZero();
        assertThat(net.storeOf("A").availableCount("A~C"))
                .as("only the first relay's key")
                .isEqualTo(1);
        assertThat(net.storeOf("C").availableCount("A~C")).isEqualTo(1);
    }

    /**
     * A's lease of A–B pads is lost with the link: A erased the units, B still holds them. Once the
     * link is back A resends the lease burn-only, B burns them, and both ends have lost the same units.
     */
    @Test
    void aLeaseLostWithTheLinkIsBurnedAtThePeerOnceTheLinkIsBack() throws Exception {
        line(18);
        rewire("A", "B", "A").cutBefore(CuttableWire.LEASE);
        net.converge();

        RelayOutcome outcome = net.at("A").relay("E", 256, RoutePolicy.any());

        assertThat(outcome.status()).isNotEqualTo(RelayStatus.COMMITTED);
        assertThat(net.at("A").unansweredLeases()).isEqualTo(1);
        assertThat(net.storeOf("A").counts("A-B").erased()).isEqualTo(1);
        assertThat(net.storeOf("B").counts("A-B").erased())
                .as("the lease never came")
                .isZero();

        net.connect("A", "B");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (net.at("A").unansweredLeases() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(net.at("A").unansweredLeases()).isZero();
        assertThat(net.storeOf("B").counts("A-B")).isEqualTo(net.storeOf("A").counts("A-B"));
        assertThat(net.journals.get("B").events())
                .anyMatch(e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().equals("BURN/1"));
        net.converge();
        assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
    }

    /** Units leased and unused when a channel is replaced are dropped at both ends: key lost, never agreement. */
    @Test
    void aReplacedChannelDropsTheLeasedBlocksAtBothEnds() throws Exception {
        line(19);
        assertThat(net.at("A").leaseNow("B", 8)).isEqualTo(8);
        assertThat(net.storeOf("B").counts("A-B").erased()).isEqualTo(8);

        net.connect("A", "B");
        net.converge();

        assertThat(net.at("A").leasedUnits("B")).isZero();
        assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        net.at("A").awaitLeases();
        long erased = net.storeOf("A").counts("A-B").erased();
        assertThat(erased)
                .as("the dropped block, the relay's pad, and what is leased now")
                .isEqualTo(8 + 1 + net.at("A").leasedUnits("B"));
        assertThat(net.storeOf("B").counts("A-B")).isEqualTo(net.storeOf("A").counts("A-B"));
    }

    @Test
    void aSourceWhoseEndToEndLinkIsFullSendsNothing() throws Exception {
        net = new RelayNetwork(dir, 17, Duration.ofSeconds(5));
        net.node("A", StoreOptions.defaults().withCapacity("A~C", 1)).node("B").node("C");
        net.link("A", "B", 32).link("B", "C", 32);
        net.converge();
        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        net.at("A").awaitLeases();
        long padsBefore = net.storeOf("A").availableCount("A-B") + net.at("A").leasedUnits("B");

        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.ABORTED);

        // A pad may have been leased (erased at both ends, kept for the next relays), none was spent.
        net.at("A").awaitLeases();
        long leased = net.at("A").leasedUnits("B");
        assertThat(net.storeOf("A").availableCount("A-B") + leased)
                .as("no pad spent")
                .isEqualTo(padsBefore);
        assertThat(net.storeOf("B").availableCount("A-B") + leased).isEqualTo(padsBefore);
    }
}
