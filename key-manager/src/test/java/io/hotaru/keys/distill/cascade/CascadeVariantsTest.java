package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.keys.distill.reconcile.ReconcileBenchmark;
import io.hotaru.keys.distill.reconcile.ReconcileBenchmark.Result;
import org.junit.jupiter.api.Test;

/**
 * The published parameter sets (reconciliation-and-amplification.md §2.1) and a short statistical
 * check of each; the 1,000-run acceptance figures are in {@link CascadeReferenceSlowTest}.
 */
class CascadeVariantsTest {
    private static final long NO_CLOCK = 0;

    static Result bench(CascadeParameters parameters, int bits, double qber, int runs, long seed) {
        return ReconcileBenchmark.run(new CascadeReconciler(parameters), bits, qber, runs, seed, () -> NO_CLOCK);
    }

    @Test
    void blockSizesFollowTheTable() {
        int n = 10_000;
        double q = 0.02;
        assertThat(sizes(CascadeParameters.named("original"), q, n)).containsExactly(37, 74, 148, 296);
        assertThat(sizes(CascadeParameters.named("biconf"), q, n)).containsExactly(46, 138);
        assertThat(sizes(CascadeParameters.named("yanetal"), q, n))
                .containsExactly(40, 200, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000);
        assertThat(sizes(CascadeParameters.named("option7"), q, n))
                .startsWith(64, 256, 5000)
                .hasSize(14);
        // α = log₂(50) − 0.5 = 5.14: k₁ = 2⁶, k₂ = 2^⌈8.57⌉ = 512, k₃ = 4096, then n/2.
        assertThat(sizes(CascadeParameters.named("option8"), q, n))
                .startsWith(64, 512, 4096, 5000)
                .hasSize(14);
        assertThat(CascadeVariant.BICONF.biconfStreak()).isEqualTo(10);
        assertThat(CascadeVariant.ORIGINAL.biconfStreak()).isZero();
    }

    private static int[] sizes(CascadeParameters p, double q, int n) {
        int[] out = new int[p.passes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.blockSize(i, q, n);
        }
        return out;
    }

    @Test
    void variantsAreSelectedByName() {
        for (String name : new String[] {"original", "biconf", "yanetal", "option7", "option8"}) {
            assertThat(CascadeReconciler.named(name).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> CascadeReconciler.named("option9")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * 300 runs at n = 10⁴, Q = 2 %: asking repeated questions as cascade-cpp does reproduces the
     * published f = 1.159 (standard error ≈ 0.0005) and ≈ 46 messages; the default, which asks
     * each question once, leaks a little less.
     */
    @Test
    void originalReproducesThePublishedEfficiency() {
        Result published = bench(CascadeParameters.original().asPublished(), 10_000, 0.02, 300, 11);
        Result deduplicated = bench(CascadeParameters.original(), 10_000, 0.02, 300, 11);
        assertThat(published.efficiencyMean()).as("seed 11").isCloseTo(1.159, within(0.005));
        assertThat(published.messagesMean()).as("seed 11").isCloseTo(46, within(4.6));
        assertThat(published.frameErrorRate()).isZero();
        assertThat(deduplicated.efficiencyMean())
                .isLessThan(published.efficiencyMean())
                .isGreaterThan(published.efficiencyMean() - 0.01);
        assertThat(deduplicated.messagesMean()).isEqualTo(published.messagesMean());
    }

    /**
     * 40 runs of each variant at n = 10⁴, Q = 5 %: f within a few standard deviations of the
     * table. Messages are looser: BICONF here takes ≈ 136 round trips where the table says 114.
     */
    @Test
    void everyVariantCorrectsAndLeaksAboutWhatThePaperSays() {
        String[] names = {"biconf", "yanetal", "option7", "option8"};
        double[] f = {1.093, 1.077, 1.114, 1.110};
        double[] messages = {114, 121, 344, 352};
        for (int i = 0; i < names.length; i++) {
            Result r = bench(CascadeParameters.named(names[i]).asPublished(), 10_000, 0.05, 40, 5);
            assertThat(r.efficiencyMean()).as("%s, seed 5", names[i]).isCloseTo(f[i], within(0.04));
            assertThat(r.messagesMean()).as("%s, seed 5", names[i]).isCloseTo(messages[i], within(0.4 * messages[i]));
            assertThat(r.frameErrorRate()).as("%s, seed 5", names[i]).isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void biconfRunsUntilTenCleanRounds() {
        Result original = bench(CascadeParameters.original(), 2_000, 0.02, 20, 3);
        Result biconf = bench(CascadeParameters.named("biconf"), 2_000, 0.02, 20, 3);
        // Two normal passes plus at least ten BICONF rounds, each at least one message.
        assertThat(biconf.messagesMean()).isGreaterThan(original.messagesMean());
        assertThat(biconf.frameErrorRate()).isLessThanOrEqualTo(0.1);
    }
}
