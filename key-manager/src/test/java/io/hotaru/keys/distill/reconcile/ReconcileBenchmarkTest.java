package io.hotaru.keys.distill.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReconcileBenchmarkTest {
    @Test
    void noiseFlipsExactlyTheRequestedNumberOfDistinctBits() {
        ReconcileBenchmark.Mix random = new ReconcileBenchmark.Mix(3);
        for (int errors : new int[] {0, 1, 200, 9_999, 10_000}) {
            long[] key = new long[PackedBits.words(10_000)];
            ReconcileBenchmark.flipDistinct(key, 10_000, errors, random);
            assertThat(PackedBits.hammingDistance(key, new long[key.length], 10_000))
                    .isEqualTo(errors);
        }
    }

    @Test
    void timesOnlyTheReconciliationWithTheInjectedClock() {
        AtomicLong ticks = new AtomicLong();
        // Each call advances 1 µs: one frame = two reads = 1 µs of timed work.
        ReconcileBenchmark.Result r =
                ReconcileBenchmark.run(CascadeReconciler.original(), 10_000, 0.02, 20, 1, () -> ticks.getAndAdd(1_000));
        assertThat(ticks.get()).isEqualTo(2 * 20 * 1_000);
        assertThat(r.mbitPerS()).isCloseTo(10_000, within(1e-9));
        assertThat(r.algorithm()).isEqualTo("original");
        assertThat(r.bits()).isEqualTo(10_000);
        assertThat(r.runs()).isEqualTo(20);
        assertThat(r.frameErrorRate()).isZero();
        assertThat(r.efficiencyMean()).isBetween(1.1, 1.25);
        assertThat(r.efficiencySd()).isPositive();
        assertThat(r.messagesMean()).isBetween(35.0, 60.0);
    }

    @Test
    void sameSeedGivesTheSameFigures() {
        ReconcileBenchmark.Result a =
                ReconcileBenchmark.run(CascadeReconciler.named("yanetal"), 4_000, 0.05, 10, 9, () -> 0);
        ReconcileBenchmark.Result b =
                ReconcileBenchmark.run(CascadeReconciler.named("yanetal"), 4_000, 0.05, 10, 9, () -> 0);
        assertThat(a).isEqualTo(b);
        assertThat(ReconcileBenchmark.jsonKeys())
                .containsExactly(
                        "algorithm",
                        "bits",
                        "qber",
                        "runs",
                        "efficiency_mean",
                        "efficiency_sd",
                        "messages_mean",
                        "frame_error_rate",
                        "mbit_per_s");
    }
}
