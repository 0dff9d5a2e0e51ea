package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import io.hotaru.keys.distill.reconcile.ReconcileContext;
import io.hotaru.keys.distill.reconcile.ReconcileEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CascadePrepareTest {

    @Test
    void prepareDrawsTheBlocksPermutationsAhead() {
        CascadeReconciler reconciler = CascadeReconciler.original();
        assertThat(reconciler.blocksCached()).isZero();
        reconciler.prepare(42, 5000);
        assertThat(reconciler.blocksCached()).isEqualTo(1);
        reconciler.prepare(43, 5000);
        reconciler.prepare(44, 5000);
        assertThat(reconciler.blocksCached())
                .as("only the block in progress is kept")
                .isEqualTo(1);
    }

    @Test
    void aPreparedBlockReconcilesAsAnUnpreparedOne() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 5; trial++) {
            int n = 2000 + random.nextInt(20_000);
            long seed = random.nextLong();
            long[] alice = new long[(n + 63) / 64];
            for (int w = 0; w < alice.length; w++) {
                alice[w] = random.nextLong();
            }
            alice[alice.length - 1] &= n % 64 == 0 ? -1L : (1L << (n % 64)) - 1;
            long[] bob = alice.clone();
            for (int e = 0; e < n / 100; e++) {
                int i = random.nextInt(n);
                bob[i >>> 6] ^= 1L << i;
            }
            CascadeReconciler prepared = CascadeReconciler.original();
            prepared.prepare(seed, n);
            long[] bobPrepared = bob.clone();
            long[] bobPlain = bob.clone();
            long leakPrepared = reconcile(prepared, alice, bobPrepared, n, seed);
            long leakPlain = reconcile(CascadeReconciler.original(), alice, bobPlain, n, seed);
            assertThat(bobPrepared).isEqualTo(bobPlain);
            assertThat(leakPrepared).isEqualTo(leakPlain);
        }
    }

    /** Runs both ends in memory; returns the bits leaked. */
    private static long reconcile(CascadeReconciler reconciler, long[] alice, long[] bob, int n, long seed) {
        ReconcileContext context = new ReconcileContext(1, 0.01, seed);
        ReconcileEndpoint a = reconciler.reference(alice, n, context);
        ReconcileEndpoint b = reconciler.corrector(bob, n, context);
        try {
            List<ReconcileMessage> toAlice = new ArrayList<>(b.start());
            a.start();
            while (!toAlice.isEmpty()) {
                List<ReconcileMessage> toBob = new ArrayList<>();
                for (ReconcileMessage m : toAlice) {
                    toBob.addAll(a.onMessage(m));
                }
                toAlice.clear();
                for (ReconcileMessage m : toBob) {
                    toAlice.addAll(b.onMessage(m));
                }
            }
            assertThat(b.finished()).isTrue();
            return b.leakedBits();
        } finally {
            a.close();
            b.close();
        }
    }
}
