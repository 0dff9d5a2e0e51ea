package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.etsi014.KeySupply;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several relays per frame and per store step: relays queued for the same neighbour while a batch
 * is on its way leave together, and a receiver takes a whole batch in one step, each relay with its
 * own outcome. The first relay's frame is held on the wire so that the others queue behind it.
 */
class RelayBatchTest {
    @TempDir
    Path dir;

    private RelayNetwork net;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    /** A wire end that holds the first forward it sends until released, and keeps every frame. */
    private static final class HeldWire implements RelayWire {
        final List<byte[]> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        private final RelayWire inner;
        private volatile boolean held;

        HeldWire(RelayWire inner) {
            this.inner = inner;
        }

        @Override
        public void start(Consumer<byte[]> onFrame, Runnable onClosed) {
            inner.start(onFrame, onClosed);
        }

        @Override
        public void send(byte[] frame) {
            sent.add(frame.clone());
            if (!held && CuttableWire.FORWARD.test(frame)) {
                held = true;
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inner.send(frame);
        }

        @Override
        public void close() {
            inner.close();
        }

        /** The sizes of the forward batches sent, in order. */
        List<Integer> batchSizes() {
            List<Integer> sizes = new ArrayList<>();
            for (byte[] f : sent) {
                if (CuttableWire.decoded(f) instanceof ForwardBatch b) {
                    sizes.add(b.forwards().size());
                }
            }
            return sizes;
        }
    }

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        pool.shutdownNow();
        RelayHistoryChecker.checkAndClose(net);
    }

    /** A–B–C with taps on A→B and B→C. */
    private HeldWire[] line(long seed) throws Exception {
        return line(seed, 64);
    }

    /** A–B–C with {@code units} on each link. */
    private HeldWire[] line(long seed, int units) throws Exception {
        return line(seed, units, units);
    }

    /** A–B–C with {@code unitsAb} units on A–B and {@code unitsBc} on B–C. */
    private HeldWire[] line(long seed, int unitsAb, int unitsBc) throws Exception {
        net = new RelayNetwork(dir, seed);
        net.node("A").node("B").node("C");
        net.linkWithoutChannel("A", "B", unitsAb).linkWithoutChannel("B", "C", unitsBc);
        HeldWire[] taps = new HeldWire[2];
        InMemoryWire ab = new InMemoryWire();
        net.connect("A", "B", (self, peer) -> self.equals("A") ? (taps[0] = new HeldWire(ab.endA())) : ab.endB());
        InMemoryWire bc = new InMemoryWire();
        net.connect("B", "C", (self, peer) -> self.equals("B") ? (taps[1] = new HeldWire(bc.endA())) : bc.endB());
        taps[1].held = true; // B→C never holds
        net.converge();
        return taps;
    }

    /** Burns (at both ends, journalled) all but {@code left} of the units B sends with on B–C. */
    private void leaveBUnitsToSendOn(int left) throws Exception {
        leaveUnitsToSendOn("B", "C", left);
    }

    /** Burns (at both ends, journalled) all but {@code left} of the units {@code from} sends with to {@code to}, which sorts after it. */
    private void leaveUnitsToSendOn(String from, String to, int left) throws Exception {
        // The end that sorts first sends with the units whose ID ends in an even digit.
        String link = from + "-" + to;
        List<UUID> half = net.links.get(link).units().stream()
                .filter(u -> "02468ace".indexOf(u.toString().charAt(35)) >= 0)
                .toList();
        List<UUID> drained = half.subList(0, half.size() - left);
        for (String end : List.of(from, to)) {
            net.storeOf(end).burn(link, drained);
            net.journals.get(end).append(RelayJournal.Kind.BURN, 0, link, drained, "drained");
        }
        net.converge();
    }

    /** B had pad for four: four committed, held alike at both ends; the others rolled back, none in doubt. */
    private void assertFourOfSixCommittedAndTheRestRolledBack(List<RelayOutcome> outcomes) {
        List<RelayOutcome> committed = outcomes.stream()
                .filter(o -> o.status() == RelayStatus.COMMITTED)
                .toList();
        assertThat(committed)
                .as("four of the six: as many as B has units to pad with")
                .hasSize(4);
        assertThat(outcomes.stream().filter(o -> o.status() != RelayStatus.COMMITTED))
                .allMatch(o -> o.keyIds().isEmpty())
                .allMatch(o -> o.status() == RelayStatus.ABORTED || o.status() == RelayStatus.NO_ROUTE);
        assertBothEndsHold(committed, 4);
        assertThat(net.at("A").inDoubt()).isZero();
    }

    /** A and C each hold {@code count} keys of A~C, and the same bytes under each outcome's key IDs. */
    private void assertBothEndsHold(List<RelayOutcome> outcomes, int count) {
        String e2e = RelayNode.endToEndLink("A", "C");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(count);
        assertThat(net.storeOf("C").availableCount(e2e)).isEqualTo(count);
        for (RelayOutcome o : outcomes) {
            assertThat(net.storeOf("A").digest(o.keyIds()))
                    .isEqualTo(net.storeOf("C").digest(o.keyIds()));
        }
    }

    /** Starts one relay A→C, then {@code queued} more once the first is held on the wire, then releases it. */
    private List<RelayOutcome> relayBehindAHeldOne(HeldWire ab, int queued) throws Exception {
        // Pads for all of them leased first: a lease sent behind the held frame would wait for it.
        assertThat(net.at("A").leaseNow("B", queued + 1)).isEqualTo(queued + 1);
        List<Future<RelayOutcome>> outcomes = new ArrayList<>();
        outcomes.add(pool.submit(() -> net.at("A").relay("C", 256, RoutePolicy.any())));
        assertThat(ab.holding.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < queued; i++) {
            outcomes.add(pool.submit(() -> net.at("A").relay("C", 256, RoutePolicy.any())));
        }
        // The relays queued behind the held one have had their first steps and wait for the channel.
        RelayPeer toB = net.at("A").channelTo("B").orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (toB.queuedForwards() < queued && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(toB.queuedForwards())
                .as("relays queued behind the held frame")
                .isEqualTo(queued);
        ab.release.countDown();
        List<RelayOutcome> done = new ArrayList<>();
        for (Future<RelayOutcome> o : outcomes) {
            done.add(o.get(60, TimeUnit.SECONDS));
        }
        return done;
    }

    @Test
    void relaysQueuedBehindABatchLeaveInOneFrameAndCrossTheNextHopTogether() throws Exception {
        HeldWire[] taps = line(21);

        List<RelayOutcome> outcomes = relayBehindAHeldOne(taps[0], 5);

        assertThat(outcomes).allMatch(o -> o.status() == RelayStatus.COMMITTED);
        assertThat(taps[0].batchSizes())
                .as("A→B: the held relay, then the five queued behind it")
                .containsExactly(1, 5);
        // B steps the two frames' relays apart or (if the second came during the first's step) together
        assertThat(taps[1].batchSizes())
                .as("B→C: B passes batches on whole")
                .isIn(List.of(1, 5), List.of(5, 1), List.of(6));
        RelayPeer toB = net.at("A").channelTo("B").orElseThrow();
        assertThat(toB.batchesAndForwardsSent()).containsExactly(2, 6);
        assertBothEndsHold(outcomes, 6);
    }

    @Test
    void aRelayWhoseUnitsAreGoneAbortsAloneInItsBatch() throws Exception {
        HeldWire[] taps = line(22);
        leaveBUnitsToSendOn(4);

        List<RelayOutcome> outcomes = relayBehindAHeldOne(taps[0], 5);

        assertFourOfSixCommittedAndTheRestRolledBack(outcomes);
        assertThat(taps[0].batchSizes().subList(0, 2)).containsExactly(1, 5);
        // B handles the held relay and the batch concurrently, each in one step, in either order:
        // the batch passes on the relays it could pad (three or four) as one batch.
        assertThat(taps[1].batchSizes()).as("B→C").isIn(List.of(1, 3), List.of(3, 1), List.of(4));
    }

    @Test
    void relaysStartedTogetherLeaveInOneFrameAndEachCommitsAsItsOwnRelay() throws Exception {
        HeldWire[] taps = line(23);
        taps[0].held = true; // nothing held: the relays leave as the source sends them
        assertThat(net.at("A").leaseNow("B", 6)).isEqualTo(6);

        List<RelayOutcome> outcomes = net.at("A").relayMany("C", 256, 6, RoutePolicy.any());

        assertThat(outcomes).hasSize(6).allMatch(o -> o.status() == RelayStatus.COMMITTED);
        assertThat(outcomes.stream().map(RelayOutcome::relayId).distinct()).hasSize(6);
        assertThat(outcomes.stream().flatMap(o -> o.keyIds().stream()).distinct())
                .hasSize(6);
        assertThat(taps[0].batchSizes()).as("A→B: one frame").containsExactly(6);
        assertThat(taps[1].batchSizes()).as("B→C: passed on whole").containsExactly(6);
        assertBothEndsHold(outcomes, 6);
    }

    @Test
    void anIntermediateNodeWithItsPadsInMemoryPassesTheBatchOnFromTheThreadThatReceivedIt() throws Exception {
        HeldWire[] taps = line(28);
        taps[0].held = true;
        assertThat(net.at("A").leaseNow("B", 6)).isEqualTo(6);
        assertThat(net.at("B").leaseNow("C", 6)).isEqualTo(6);

        List<RelayOutcome> outcomes = net.at("A").relayMany("C", 256, 6, RoutePolicy.any());

        assertThat(outcomes).hasSize(6).allMatch(o -> o.status() == RelayStatus.COMMITTED);
        assertThat(net.at("B").forwardBatchesInline())
                .as("B: the batch, on its wire's thread")
                .isEqualTo(1);
        assertThat(taps[1].batchSizes()).as("B→C: passed on whole").containsExactly(6);
        assertBothEndsHold(outcomes, 6);
    }

    @Test
    void anIntermediateNodeWithoutItsPadsInMemoryHandsTheBatchToItsExecutorToLease() throws Exception {
        HeldWire[] taps = line(29);
        taps[0].held = true;
        assertThat(net.at("A").leaseNow("B", 6)).isEqualTo(6);

        List<RelayOutcome> outcomes = net.at("A").relayMany("C", 256, 6, RoutePolicy.any());

        assertThat(outcomes).hasSize(6).allMatch(o -> o.status() == RelayStatus.COMMITTED);
        assertThat(net.at("B").forwardBatchesInline())
                .as("B: no pad in memory for B→C")
                .isZero();
        assertBothEndsHold(outcomes, 6);
    }

    @Test
    void relaysRolledBackAfterAnIntermediateNodePassedThemOnFromItsWireThreadAreRecordedAndAnswered() throws Exception {
        net = new RelayNetwork(dir, 30);
        net.node("A").node("B").node("C").node("D");
        net.link("A", "B", 64).link("B", "C", 64).link("C", "D", 64);
        leaveUnitsToSendOn("C", "D", 4);
        assertThat(net.at("A").leaseNow("B", 6)).isEqualTo(6);
        assertThat(net.at("B").leaseNow("C", 6)).isEqualTo(6);

        List<RelayOutcome> outcomes = net.at("A").relayMany("D", 256, 6, RoutePolicy.any());

        // B passes the batch (and the retries of the relays rolled back) on from its wire's thread
        assertThat(net.at("B").forwardBatchesInline()).isPositive();
        assertThat(net.at("C").forwardBatchesInline())
                .as("C had too few units on C–D in memory")
                .isZero();
        List<RelayOutcome> committed = outcomes.stream()
                .filter(o -> o.status() == RelayStatus.COMMITTED)
                .toList();
        assertThat(committed).as("as many as C has units to pad with").hasSize(4);
        assertThat(outcomes.stream().filter(o -> o.status() != RelayStatus.COMMITTED))
                .hasSize(2)
                .allMatch(o -> o.status() == RelayStatus.ABORTED && o.keyIds().isEmpty());
        assertThat(net.at("A").inDoubt()).isZero();
        String e2e = RelayNode.endToEndLink("A", "D");
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(4);
        assertThat(net.storeOf("D").availableCount(e2e)).isEqualTo(4);
        for (RelayOutcome o : committed) {
            assertThat(net.storeOf("A").digest(o.keyIds()))
                    .isEqualTo(net.storeOf("D").digest(o.keyIds()));
        }
        // Every relay C rolled back was recorded rolled back at B (which answered it) and at A
        java.util.Set<Long> abortedAtA = abortedIn("A");
        java.util.Set<Long> abortedAtB = abortedIn("B");
        assertThat(abortedIn("C")).isNotEmpty().isSubsetOf(abortedAtB);
        assertThat(abortedAtB).isSubsetOf(abortedAtA);
        assertThat(outcomes.stream().filter(o -> o.status() == RelayStatus.ABORTED))
                .allMatch(o -> abortedAtB.contains(o.relayId()));
    }

    private java.util.Set<Long> abortedIn(String node) {
        return net.journals.get(node).events().stream()
                .filter(e -> e.kind() == RelayJournal.Kind.ABORT)
                .map(RelayJournal.Event::relayId)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void relaysStartedTogetherThatRunOutOfPadEachReportTheirOwnOutcome() throws Exception {
        HeldWire[] taps = line(24);
        taps[0].held = true;
        leaveBUnitsToSendOn(4);

        List<RelayOutcome> outcomes = net.at("A").relayMany("C", 256, 6, RoutePolicy.any());

        assertThat(outcomes).hasSize(6);
        assertFourOfSixCommittedAndTheRestRolledBack(outcomes);
    }

    @Test
    void aTopUpOfSeveralRelaysStartsThemTogether() throws Exception {
        HeldWire[] taps = line(26, 512);
        taps[0].held = true;
        KeySupply supply =
                RelayKeySupply.towards(net.at("A"), List.of("C"), RoutePolicy.any(), java.time.Duration.ofSeconds(10));
        String e2e = RelayNode.endToEndLink("A", "C");

        assertThat(supply.topUp(e2e, 100)).isTrue();

        assertThat(taps[0].batchSizes())
                .as("A→B: three relays of 32 units in one frame, then one of 4")
                .containsExactly(3, 1);
        assertThat(net.storeOf("A").availableCount(e2e)).isEqualTo(100);
        assertThat(net.storeOf("C").availableCount(e2e)).isEqualTo(100);
    }

    @Test
    void noMoreRelaysStartTogetherThanTheRouteAnnouncesKeyFor() throws Exception {
        HeldWire[] taps = line(27, 64, 16); // B–C announced as 8 units per end
        taps[0].held = true;

        List<RelayOutcome> outcomes = net.at("A").relayMany("C", 256, 12, RoutePolicy.any());

        assertThat(outcomes).hasSize(12);
        assertThat(taps[0].batchSizes()).as("A→B: the first frame").startsWith(6);
        assertThat(outcomes.stream().filter(o -> o.status() == RelayStatus.NO_ROUTE))
                .as("the six the route had no key for: never started")
                .hasSize(6)
                .allMatch(o -> o.relayId() == 0 && o.keyIds().isEmpty());
        assertThat(net.at("A").inDoubt()).isZero();
    }

    @Test
    void relaysStartedTogetherAreOneToABatch() throws Exception {
        line(25);
        for (int count : new int[] {0, io.hotaru.keys.relay.codec.RelayCodec.MAX_BATCH + 1}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> net.at("A").relayMany("C", 256, count, RoutePolicy.any()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 64, not " + count);
        }
    }
}
