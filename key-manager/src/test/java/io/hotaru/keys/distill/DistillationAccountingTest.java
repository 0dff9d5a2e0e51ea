package io.hotaru.keys.distill;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.AuthenticatedDistillationTest.Ends;
import io.hotaru.keys.distill.AuthenticatedDistillationTest.Outcomes;
import io.hotaru.keys.distill.BlockOutcome.Aborted;
import io.hotaru.keys.distill.BlockOutcome.Distilled;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The key accounting of {@link BlockReport} over an authenticated link: every detection lands in
 * exactly one term, each term agrees with what the test measures independently (the key handed
 * out, the transport's authentication meter), both ends report the same figures, and every
 * authentication bit a link spends is charged to exactly one block, aborted blocks included.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DistillationAccountingTest {
    private static final ExecutorService ALICE_THREAD = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stopAliceThread() {
        ALICE_THREAD.shutdownNow();
    }

    private record Case(double misalignment, int detections, AbortReason expected) {}

    @Test
    void everyBlockBalancesAtBothEndsAndChargesAllAuthenticationBits() throws Exception {
        Ends ends = AuthenticatedDistillationTest.link(31, 2, -1, null);
        long aliceStart = ends.alice().account().consumedBits();
        long bobStart = ends.bob().account().consumedBits();
        long aliceCharged = 0;
        long bobCharged = 0;
        Case[] cases = {
            new Case(0.02, 300_000, null),
            new Case(0.15, 20_000, AbortReason.QBER_TOO_HIGH),
            new Case(0.02, 40_000, AbortReason.NO_SECRET_KEY),
            new Case(0.02, 300_000, null),
            new Case(0.03, 400_000, null)
        };
        long seed = 40;
        for (Case c : cases) {
            seed++;
            long aliceBefore = ends.alice().account().consumedBits();
            long bobBefore = ends.bob().account().consumedBits();
            SyntheticLink.Block block = DistillationPipelineTest.block(c.misalignment(), c.detections(), seed);
            Outcomes o = AuthenticatedDistillationTest.run(ends, block, seed, ALICE_THREAD);
            long aliceSpent = ends.alice().account().consumedBits() - aliceBefore;
            long bobSpent = ends.bob().account().consumedBits() - bobBefore;

            BlockReport alice = o.alice().report();
            BlockReport bob = o.bob().report();
            assertThat(alice).as("seed %d", seed).isEqualTo(bob);
            assertThat(alice.authBitsConsumed())
                    .as("seed %d", seed)
                    .isEqualTo(aliceSpent)
                    .isPositive();
            assertThat(bob.authBitsConsumed()).isEqualTo(bobSpent);
            assertThat(alice.detections()).isEqualTo(block.bob().detections());
            assertBalances(alice);
            if (c.expected() == null) {
                assertThat(o.alice()).as("seed %d", seed).isInstanceOf(Distilled.class);
                assertThat(((Distilled) o.alice()).key()).hasSize(alice.finalLength() / 8);
                assertThat(((Distilled) o.bob()).key()).hasSize(bob.finalLength() / 8);
                assertDistilledTermsNonNegative(alice);
            } else {
                assertThat(((Aborted) o.alice()).reason()).as("seed %d", seed).isEqualTo(c.expected());
                assertThat(((Aborted) o.bob()).reason()).isEqualTo(c.expected());
                assertThat(alice.finalLength()).isZero();
                assertThat(alice.netKeyBits()).isEqualTo(-alice.authBitsConsumed());
            }
            aliceCharged += alice.authBitsConsumed();
            bobCharged += bob.authBitsConsumed();
        }
        assertThat(aliceCharged).isEqualTo(ends.alice().account().consumedBits() - aliceStart);
        assertThat(bobCharged).isEqualTo(ends.bob().account().consumedBits() - bobStart);
        assertThat(aliceCharged).isEqualTo(bobCharged);
    }

    /** A forged message: each end still charges exactly what it spent, and its equation holds. */
    @Test
    void anAuthenticationFailureIsChargedAtEachEnd() throws Exception {
        for (int target = 0; target < 4; target++) {
            Ends ends = AuthenticatedDistillationTest.link(
                    60 + target, 1, target, e -> new Authenticated(e.blockId(), e.sequence(), e.frame(), 7));
            long aliceBefore = ends.alice().account().consumedBits();
            long bobBefore = ends.bob().account().consumedBits();
            Outcomes o = AuthenticatedDistillationTest.run(
                    ends, DistillationPipelineTest.block(0.02, 300_000, 70 + target), 70 + target, ALICE_THREAD);
            assertThat(((Aborted) o.bob()).reason()).isEqualTo(AbortReason.AUTHENTICATION_FAILED);
            assertThat(o.alice().report().authBitsConsumed())
                    .as("forged message %d", target)
                    .isEqualTo(ends.alice().account().consumedBits() - aliceBefore)
                    .isPositive();
            assertThat(o.bob().report().authBitsConsumed())
                    .isEqualTo(ends.bob().account().consumedBits() - bobBefore)
                    .isPositive();
            assertBalances(o.alice().report());
            assertBalances(o.bob().report());
            assertThat(o.bob().report().netKeyBits()).isNegative();
        }
    }

    /** The two equations of {@link BlockReport}, term by term from the recorded fields. */
    static void assertBalances(BlockReport r) {
        assertThat((long) r.siftedBits()).isEqualTo((long) r.disclosedBits() + r.keyInputBits());
        long terms = (long) r.unsiftedBits()
                + r.disclosedBits()
                + r.leakedEcBits()
                + r.verificationBits()
                + r.removedByAmplificationBits()
                + r.finalLength();
        assertThat(terms).as("block %d", r.blockId()).isEqualTo(r.detections());
        assertThat((long) r.finalLength()).isEqualTo(r.netKeyBits() + r.authBitsConsumed());
    }

    private static void assertDistilledTermsNonNegative(BlockReport r) {
        assertThat(r.unsiftedBits()).isNotNegative();
        assertThat(r.disclosedBits()).isPositive();
        assertThat(r.leakedEcBits()).isPositive();
        assertThat(r.verificationBits()).isPositive();
        assertThat(r.removedByAmplificationBits()).isGreaterThanOrEqualTo(r.safetyMarginBits());
        assertThat(r.finalLength()).isPositive();
        assertThat((double) r.finalLength()).isLessThanOrEqualTo(Math.floor(r.secretBound()) - r.safetyMarginBits());
        assertThat(r.netKeyBits()).isLessThan(r.finalLength());
    }
}
