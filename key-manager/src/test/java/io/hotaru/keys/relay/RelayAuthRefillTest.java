package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay channel's authentication pool refilled from the link's own key (ADR 0011, "Refilled
 * from the link"): a channel keeps tagging frames long after its bootstrap secret is spent, both
 * ends' pools stay equal, and a refill that reached one end only is taken back there.
 */
class RelayAuthRefillTest {
    /** A bootstrap secret of 64 words per direction: spent within the first relays. */
    private static final int SMALL_BOOTSTRAP = 1024;

    @TempDir
    Path dir;

    private RelayNetwork net;

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    private RelayNetwork pair(long seed, int units) throws Exception {
        net = new RelayNetwork(dir, seed).withBootstrapBytes(SMALL_BOOTSTRAP);
        net.node("A").node("B");
        net.link("A", "B", units);
        net.converge();
        return net;
    }

    /** Relays both ways from {@code threads} threads; asserts each commits. */
    private void relays(int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RelayOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String from = i % 2 == 0 ? "A" : "B";
                String to = from.equals("A") ? "B" : "A";
                outcomes.add(pool.submit(() -> net.at(from).relay(to, 256, RoutePolicy.any())));
            }
            for (Future<RelayOutcome> o : outcomes) {
                assertThat(o.get(60, TimeUnit.SECONDS).status()).isEqualTo(RelayStatus.COMMITTED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertPoolsAgree() throws InterruptedException {
        AuthKeyPool a = net.authPool("A", "B");
        AuthKeyPool b = net.authPool("B", "A");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (a.depositedWords() != b.depositedWords() && System.nanoTime() < deadline) {
            Thread.sleep(5); // a refill's deposit at its sender follows the peer's answer
        }
        assertThat(a.depositedWords())
                .as("both ends' pools end at the same word")
                .isEqualTo(b.depositedWords());
        while (b.usableEnd() != b.depositedWords() && System.nanoTime() < deadline) {
            Thread.sleep(5); // A states its pool's end after each deposit
        }
        assertThat(b.usableEnd()).as("B holds back nothing A has").isEqualTo(b.depositedWords());
    }

    @Test
    void aChannelGoesOnTaggingFramesLongAfterItsBootstrapSecretIsSpent() throws Exception {
        pair(41, 12_000);
        long bootstrapWords = SMALL_BOOTSTRAP / 16;

        relays(2_000, 4);
        net.at("A").awaitLeases();
        net.at("B").awaitLeases();

        AuthKeyPool a = net.authPool("A", "B");
        for (Direction d : Direction.values()) {
            assertThat(a.position(d))
                    .as("words of %s used, against %d in the bootstrap secret", d, bootstrapWords)
                    .isGreaterThan(25 * bootstrapWords);
        }
        assertThat(a.depositedWords())
                .as("refilled while the relays ran, beyond the first fill to the reserve")
                .isGreaterThan(bootstrapWords + AuthKeyPool.RESERVE_WORDS + 1_000);
        assertPoolsAgree();
        assertThat(a.deficitWords(AuthKeyPool.RESERVE_WORDS))
                .as("topped up to the reserve, less what the last refill's threshold leaves")
                .isLessThan(AuthRefills.REFILL_WORDS + 64);
        assertThat(net.journals.get("A").events())
                .anyMatch(e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith(AuthRefills.AUTH_OUT));
        assertThat(net.journals.get("B").events())
                .as("only A, whose ID sorts first, refills")
                .noneMatch(
                        e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith(AuthRefills.AUTH_OUT));
        assertThat(net.storeOf("A").counts("A-B")).isEqualTo(net.storeOf("B").counts("A-B"));
    }

    /**
     * B deposits a refill, held, and its answer is lost with the channel: A never deposits it. On
     * the next channel A states its pool's end and B withdraws the deposit; the pools agree and the
     * channel goes on.
     */
    @Test
    void aRefillWhoseAnswerIsLostIsTakenBackAtTheEndThatDepositedIt() throws Exception {
        // 1,024 words per direction: A refills at its first frame, and B has words to answer with
        // while its refills stay held
        net = new RelayNetwork(dir, 43).withBootstrapBytes(16 * 1024);
        net.node("A").node("B");
        net.linkWithoutChannel("A", "B", 8_000);
        AtomicLong refill = new AtomicLong();
        InMemoryWire wire = new InMemoryWire();
        net.connect("A", "B", (self, peer) -> {
            if (self.equals("A")) {
                return new TappedWire(wire.endA()) {
                    @Override
                    public void send(byte[] frame) {
                        if (CuttableWire.decoded(frame) instanceof RelayMessage.Lease l && l.auth()) {
                            refill.compareAndSet(0, l.leaseId());
                        }
                        super.send(frame);
                    }
                };
            }
            CuttableWire atB = new CuttableWire(wire, wire.endB());
            atB.cutBefore(frame -> refill.get() != 0
                    && CuttableWire.decoded(frame) instanceof RelayMessage.Reply r
                    && r.relayId() == refill.get());
            return atB;
        });
        net.at("A").announce(); // the first frame: A's pool lacks its reserve, A refills it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!net.at("A").channelTo("B").map(RelayPeer::isClosed).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        AuthKeyPool a = net.authPool("A", "B");
        AuthKeyPool b = net.authPool("B", "A");
        assertThat(net.at("A").unansweredLeases()).isEqualTo(1);
        assertThat(b.depositedWords())
                .as("B deposited the refill before answering")
                .isGreaterThan(a.depositedWords());

        net.connect("A", "B");
        net.converge();
        relays(200, 4);

        assertPoolsAgree();
        assertThat(net.journals.get("B").events())
                .as("A resent the unanswered refill burn-only; B had taken its units already")
                .anyMatch(e -> e.relayId() == refill.get() && e.detail().equals("BURN/0"));
        assertThat(net.storeOf("A").counts("A-B")).isEqualTo(net.storeOf("B").counts("A-B"));
    }

    /**
     * A's refill leases units of a block B has not stored yet; the block reaches B while the refill
     * waits there. B takes the units and deposits them: nothing is burned, and the pools and the
     * link's key agree.
     */
    @Test
    void aRefillWaitsForUnitsWhoseBlockIsOnItsWay() throws Exception {
        net = new RelayNetwork(dir, 44).withBootstrapBytes(16 * 1024);
        net.node("A").node("B");
        net.linkWithoutChannel("A", "B", 0);
        Runnable lateAtB = net.addKeyAtFirst("A", "B", 600);
        Set<UUID> late = Set.copyOf(net.links.get("A-B").units());
        Thread distiller = net.whenALeaseWaits("B", lateAtB);
        net.connect("A", "B");
        net.converge(); // the first frame: A's pool lacks its reserve, A refills it from the late block
        distiller.join(60_000);
        net.converge(); // B announces the late block
        relays(20, 2);

        assertPoolsAgree();
        assertThat(net.journals.get("B").events())
                .as("B took A's refill of the late block's units")
                .anyMatch(e -> LeaseAheadOfThePeerTest.leaseOf(e, late, AuthRefills.AUTH_IN))
                .noneMatch(
                        e -> e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith("BURN/"));
        assertThat(net.storeOf("A").counts("A-B")).isEqualTo(net.storeOf("B").counts("A-B"));
    }
}
