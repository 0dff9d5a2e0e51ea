package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeakCoherentSourceTest {

    private static final long SEED = 42;

    @Test
    void levelsBasesAndBitsHaveTheConfiguredFrequencies() {
        LinkParameters p = LinkParameters.demo();
        WeakCoherentSource source = new WeakCoherentSource(p, CounterRandom.linkKey(SEED, "ab"));
        int n = 2_000_000;
        long[] levels = new long[3];
        long z = 0;
        long ones = 0;
        for (long slot = 0; slot < n; slot++) {
            int s = source.state(slot);
            levels[PulseState.intensityLevel(s)]++;
            z += PulseState.basis(s) == 0 ? 1 : 0;
            ones += PulseState.bit(s);
        }
        for (int k = 0; k < 3; k++) {
            assertWithin3Sigma("level " + k, levels[k], n, p.intensityProbability(k));
        }
        assertWithin3Sigma("Z basis", z, n, 0.5);
        assertWithin3Sigma("bit 1", ones, n, 0.5);
    }

    @Test
    void levelsWithProbabilityZeroAreNeverSent() {
        LinkParameters d = LinkParameters.demo();
        LinkParameters p = new LinkParameters(
                1e8, new double[] {0.5, 0.1, 0}, new double[] {0, 1, 0}, 0.9, 0.21, 25, 0, 0.045, 1.7e-6, 0.033);
        WeakCoherentSource source = new WeakCoherentSource(p, 1);
        long z = 0;
        for (long slot = 0; slot < 100_000; slot++) {
            int s = source.state(slot);
            assertThat(PulseState.intensityLevel(s)).isEqualTo(1);
            z += 1 - PulseState.basis(s);
        }
        assertWithin3Sigma("Z basis", z, 100_000, 0.9);
        assertThat(d.levelCount()).isEqualTo(3);
    }

    @Test
    void packingRoundTrips() {
        int s = PulseState.pack(2, 1, 0);
        assertThat(PulseState.intensityLevel(s)).isEqualTo(2);
        assertThat(PulseState.basis(s)).isEqualTo(1);
        assertThat(PulseState.bit(s)).isZero();
    }

    static void assertWithin3Sigma(String what, long count, long trials, double p) {
        double expected = trials * p;
        double sigma = Math.sqrt(trials * p * (1 - p));
        assertThat((double) count)
                .as("%s: %d of %d, expected %.1f ± %.1f (seed %d)", what, count, trials, expected, sigma, SEED)
                .isBetween(expected - 3 * sigma, expected + 3 * sigma);
    }
}
