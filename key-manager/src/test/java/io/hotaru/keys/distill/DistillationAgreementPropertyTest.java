package io.hotaru.keys.distill;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.BlockOutcome.Aborted;
import io.hotaru.keys.distill.BlockOutcome.Distilled;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the channel, both ends end a block the same way: the same key, or the same abort
 * reason; and a key never exceeds what is left after disclosure.
 */
class DistillationAgreementPropertyTest {
    @Property(tries = 25)
    void bothEndsAlwaysAgree(
            @ForAll @IntRange(min = 2_000, max = 400_000) int detections,
            @ForAll @Scale(4) @DoubleRange(min = 0.0, max = 0.13) double misalignment,
            @ForAll @Scale(3) @DoubleRange(min = 0.05, max = 0.5) double eta,
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        SourceSettings source = DistillationPipelineTest.SOURCE;
        SyntheticLink.Block block =
                new SyntheticLink(source, eta, 1e-4, misalignment).block(seed, 0, detections, new SeededRandom(seed));
        InMemoryTransport.Pair link = InMemoryTransport.pair();
        DistillConfig config = DistillConfig.defaults();
        AliceSession alice =
                new AliceSession(config, source, CascadeReconciler.original(), new SeededRandom(~seed), link.alice());
        BobSession bob = new BobSession(config, source, CascadeReconciler.original(), link.bob());
        CompletableFuture<BlockOutcome> aliceOutcome =
                CompletableFuture.supplyAsync(() -> alice.distill(seed, block.lookup()));
        BlockOutcome b = bob.distill(block.bob());
        BlockOutcome a = aliceOutcome.get(60, TimeUnit.SECONDS); // a hang guard, not a timing assert
        Statistics.collect(b instanceof Aborted ab ? ab.reason().name() : "key");

        assertThat(a.report()).as("seed %d", seed).isEqualTo(b.report());
        if (b instanceof Distilled bd) {
            assertThat(a).as("seed %d", seed).isInstanceOf(Distilled.class);
            assertThat(((Distilled) a).key()).as("seed %d", seed).isEqualTo(bd.key());
            BlockReport r = b.report();
            assertThat((long) r.finalLength())
                    .isPositive()
                    .isLessThanOrEqualTo(
                            r.keyInputBits() - r.leakedEcBits() - r.verificationBits() - r.safetyMarginBits())
                    .isLessThanOrEqualTo((long) Math.floor(r.secretBound()));
            assertThat(r.qberEstimate()).isLessThanOrEqualTo(config.qberThreshold());
        } else {
            assertThat(a).as("seed %d", seed).isInstanceOf(Aborted.class);
            assertThat(((Aborted) a).reason()).as("seed %d", seed).isEqualTo(((Aborted) b).reason());
            assertThat(b.report().finalLength()).isZero();
        }
        assertThat(link.alice().pending()).isZero();
        assertThat(link.bob().pending()).isZero();
    }
}
