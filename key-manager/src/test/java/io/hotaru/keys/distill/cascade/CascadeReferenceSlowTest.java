package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.keys.distill.reconcile.ReconcileBenchmark.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance figures of issue 5 (reconciliation-and-amplification.md §2.2): ≥ 1,000 runs per
 * point. Tagged slow: about a minute on two shared cores.
 */
@Tag("slow")
class CascadeReferenceSlowTest {
    private static final double[] QBER = {0.01, 0.02, 0.05, 0.08, 0.10};
    private static final double[] ORIGINAL_F = {1.143, 1.159, 1.185, 1.217, 1.209};
    private static final double[] ORIGINAL_MESSAGES = {45, 46, 41, 42, 37};

    @Test
    void originalAtTenThousandBitsMatchesThePublishedFigures() {
        for (int i = 0; i < QBER.length; i++) {
            long seed = 1000 + i;
            Result published =
                    CascadeVariantsTest.bench(CascadeParameters.original().asPublished(), 10_000, QBER[i], 1_000, seed);
            Result deduplicated = CascadeVariantsTest.bench(CascadeParameters.original(), 10_000, QBER[i], 1_000, seed);
            System.out.printf(
                    "original n=10^4 Q=%.2f: f=%.4f (published mode %.4f, reference %.3f), messages %.1f (reference %.0f), FER %.4f%n",
                    QBER[i],
                    deduplicated.efficiencyMean(),
                    published.efficiencyMean(),
                    ORIGINAL_F[i],
                    published.messagesMean(),
                    ORIGINAL_MESSAGES[i],
                    published.frameErrorRate());
            assertThat(published.efficiencyMean()).as("seed %d", seed).isCloseTo(ORIGINAL_F[i], within(0.005));
            assertThat(published.messagesMean())
                    .as("seed %d", seed)
                    .isCloseTo(ORIGINAL_MESSAGES[i], within(0.1 * ORIGINAL_MESSAGES[i]));
            assertThat(deduplicated.efficiencyMean())
                    .as("seed %d", seed)
                    .isBetween(ORIGINAL_F[i] - 0.007, ORIGINAL_F[i] + 0.001);
        }
    }

    @Test
    void yanetalAtTenThousandBitsMatchesThePublishedFigures() {
        double[] f = {1.095, 1.084, 1.077, 1.097, 1.093};
        for (int i = 0; i < QBER.length; i++) {
            Result r = CascadeVariantsTest.bench(
                    CascadeParameters.named("yanetal").asPublished(), 10_000, QBER[i], 1_000, 2000 + i);
            assertThat(r.efficiencyMean()).as("seed %d", 2000 + i).isCloseTo(f[i], within(0.01));
        }
    }

    @Test
    void bestVariantAtHundredThousandBitsReachesTheTarget() {
        for (double q : new double[] {0.01, 0.02}) {
            Result r = CascadeVariantsTest.bench(CascadeParameters.named("option7"), 100_000, q, 100, 77);
            System.out.printf("option7 n=10^5 Q=%.2f: f=%.4f messages %.1f%n", q, r.efficiencyMean(), r.messagesMean());
            assertThat(r.efficiencyMean()).as("seed 77, Q=%s", q).isLessThanOrEqualTo(1.06);
        }
    }
}
