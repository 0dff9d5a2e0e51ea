package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyCounts;
import io.hotaru.keys.store.MutableClock;
import io.hotaru.keys.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relays over a 5-node line A–B–C–D–E, in memory, real stores and journals. */
class RelayLineTest {
    @TempDir
    Path dir;

    private RelayNetwork net;

    private RelayNetwork line(long seed) throws Exception {
        net = new RelayNetwork(dir, seed);
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            net.node(n);
        }
        net.link("A", "B", 64).link("B", "C", 64).link("C", "D", 64).link("D", "E", 64);
        net.converge();
        return net;
    }

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    /**
     * Every node deletes its spent rows (its store's clock two days on) between two runs of relays:
     * the pads leased at every hop and the keys spent at both ends go, the relays after go on
     * committing (their blocks are above every forgotten one), and the history checker still accounts
     * for every unit of every link.
     */
    @Test
    void relaysGoOnAfterEveryNodeDeletesItsSpentRows() throws Exception {
        Map<String, MutableClock> clocks = new HashMap<>();
        net = new RelayNetwork(dir, 5);
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            clocks.put(n, new MutableClock(Instant.now()));
            net.node(n, StoreOptions.defaults().withClock(clocks.get(n)));
        }
        net.link("A", "B", 64).link("B", "C", 64).link("C", "D", 64).link("D", "E", 64);
        net.converge();
        for (int i = 0; i < 10; i++) {
            assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        }
        String e2e = RelayNode.endToEndLink("A", "E");
        List<UUID> spent = net.storeOf("E").heldKeyIds(e2e).subList(0, 5);
        assertThat(net.storeOf("A").burn(e2e, spent)).isEqualTo(5);
        assertThat(net.storeOf("E").burn(e2e, spent)).isEqualTo(5);
        for (RelayNode node : net.nodes.values()) {
            node.awaitLeases();
        }

        Map<String, Long> deleted = new HashMap<>();
        for (String n : clocks.keySet()) {
            clocks.get(n).advance(Duration.ofDays(2));
            deleted.put(n, net.storeOf(n).purgeSpent());
        }

        assertThat(deleted.get("C")).as("C's pads of B-C and C-D").isGreaterThanOrEqualTo(2 * 10);
        assertThat(deleted.get("E")).as("E's pads and its spent keys").isGreaterThanOrEqualTo(10 + 5);
        for (UUID unit : spent) {
            assertThat(net.storeOf("E").stateOf(unit)).isEmpty();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        }
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(15);
        assertThat(net.storeOf("E").availableCount(e2e)).isEqualTo(15);
    }

    @Test
    void aNodeKeepsNothingInMemoryOfARelayOnceItIsSettled() throws Exception {
        line(3);
        for (int i = 0; i < 20; i++) {
            assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
        }
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            assertThat(net.at(n).unsettledKept())
                    .as("relays kept in memory at %s", n)
                    .isZero();
        }
        assertThat(net.journals.get("C").events())
                .as("the journal is read back from the store: per relay its two pads and its commit")
                .hasSizeGreaterThanOrEqualTo(20 * 3);
    }

    /**
     * The block numbers of a source's keys (ADR 0003, "Relayed keys") go up on its side of the
     * end-to-end link whatever the clock says, across a restart too, and the far end numbers its own
     * side apart.
     */
    @Test
    void keyBlocksGoUpOnTheSourcesSideWhateverItsClock() throws Exception {
        line(4);
        List<Long> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long r = net.at("A").relay("E", 256, RoutePolicy.any()).relayId();
            blocks.add(net.journals.get("A").events().stream()
                    .filter(e -> e.kind() == RelayJournal.Kind.BEGIN && e.relayId() == r)
                    .map(e -> RelayLedger.parseBegin(e.detail()).keyBlock())
                    .findFirst()
                    .orElseThrow());
        }
        assertThat(blocks).isSorted().doesNotHaveDuplicates().allMatch(b -> (b & 1) == 0, "on A's side");
        long last = blocks.get(2);
        long setBack = net.at("A").nextKeyBlock("E", 1_000); // a clock set back to 1970
        assertThat(setBack).isGreaterThan(last).matches(b -> (b & 1) == 0, "on A's side");

        net.restart("A");
        long afterRestart = net.at("A").nextKeyBlock("E", 1_000);
        assertThat(afterRestart).isGreaterThan(last).matches(b -> (b & 1) == 0, "on A's side");
        long now = System.currentTimeMillis();
        assertThat(net.at("A").nextKeyBlock("E", now + 60_000) >>> 16).isEqualTo(now + 60_000);
        assertThat(net.at("E").nextKeyBlock("A", 1_000)).matches(b -> (b & 1) == 1, "on E's side");
        net.connect("A", "B");
        net.converge();
        assertThat(net.at("A").relay("E", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
    }

    @Test
    void aKeyRelayedOverFourHopsIsTheSameAtBothEnds() throws Exception {
        line(1);
        RelayOutcome outcome = net.at("A").relay("E", 512, RoutePolicy.any());

        assertThat(outcome.status()).isEqualTo(RelayStatus.COMMITTED);
        assertThat(outcome.paths()).containsExactly(java.util.List.of("A", "B", "C", "D", "E"));
        assertThat(outcome.keyIds()).hasSize(2);
        String e2e = RelayNode.endToEndLink("A", "E");
        assertThat(net.storeOf("A").digest(outcome.keyIds()))
                .isEqualTo(net.storeOf("E").digest(outcome.keyIds()));
        for (String link : new String[] {"A-B", "B-C", "C-D", "D-E"}) {
            String[] ends = link.split("-");
            KeyCounts a = net.storeOf(ends[0]).counts(link);
            KeyCounts b = net.storeOf(ends[1]).counts(link);
            assertThat(a.erased()).as("pad units of %s", link).isEqualTo(2);
            assertThat(b).isEqualTo(a);
        }
        assertThat(net.storeOf("C").counts(e2e).total())
                .as("no key at an intermediate node")
                .isZero();
    }

    @Test
    void manyRelaysInBothDirectionsConsumeExactlyHopsTimesUnits() throws Exception {
        line(2);
        int committed = 0;
        for (int i = 0; i < 10; i++) {
            String from = i % 2 == 0 ? "A" : "E";
            RelayOutcome o = net.at(from).relay(from.equals("A") ? "E" : "A", 256, RoutePolicy.any());
            assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
            committed++;
        }
        for (String n : new String[] {"A", "B", "C", "D", "E"}) {
            net.at(n).awaitLeases(); // a lease for the next relays may still be under way
        }
        assertThat(net.storeOf("A").availableCount(RelayNode.endToEndLink("A", "E")))
                .isEqualTo(committed);
        assertThat(net.storeOf("E").availableCount(RelayNode.endToEndLink("A", "E")))
                .isEqualTo(committed);
        assertThat(net.storeOf("C").counts("B-C").erased())
                .as("one unit per relay, and those leased for the next relays (erased at both ends)")
                .isEqualTo(
                        committed + net.at("B").leasedUnits("C") + net.at("C").leasedUnits("B"));
        assertThat(net.storeOf("B").counts("B-C")).isEqualTo(net.storeOf("C").counts("B-C"));
    }

    @Test
    void relaysCrossingInBothDirectionsAtOnceAllCommit() throws Exception {
        line(6);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<RelayOutcome>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String from = i % 2 == 0 ? "A" : "E";
                String to = from.equals("A") ? "E" : "A";
                outcomes.add(pool.submit(() -> net.at(from).relay(to, 256, RoutePolicy.any())));
            }
            for (var o : outcomes) {
                assertThat(o.get(60, java.util.concurrent.TimeUnit.SECONDS).status())
                        .isEqualTo(RelayStatus.COMMITTED);
            }
        } finally {
            pool.shutdownNow();
        }
        String e2e = RelayNode.endToEndLink("A", "E");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(24);
        assertThat(net.storeOf("E").availableCount(e2e)).isEqualTo(24);
    }

    @Test
    void aRouteLongerThanTheHopLimitIsNotTried() throws Exception {
        line(3);
        RelayOutcome o = net.at("A").relay("E", 256, RoutePolicy.any().withMaxHops(3));
        assertThat(o.status()).isEqualTo(RelayStatus.NO_ROUTE);
        assertThat(net.storeOf("A").counts("A-B").erased()).isZero();
    }

    @Test
    void avoidingANodeOnTheOnlyRouteFindsNoRoute() throws Exception {
        line(4);
        assertThat(net.at("A").relay("E", 256, RoutePolicy.any().avoiding("C")).status())
                .isEqualTo(RelayStatus.NO_ROUTE);
    }

    @Test
    void aKeyLargerThanALinksPoolFindsNoRoute() throws Exception {
        net = new RelayNetwork(dir, 5);
        net.node("A").node("B").node("C");
        net.link("A", "B", 64).link("B", "C", 4); // each end sends from its half: about 2 units
        net.converge();
        assertThat(net.at("A").relay("C", 768, RoutePolicy.any()).status()).isEqualTo(RelayStatus.NO_ROUTE);
        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
    }
}
