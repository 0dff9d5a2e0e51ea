package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampled link against the analytic model: per intensity level, the number of clicks and the
 * error rate where Alice's and Bob's bases match, within 3 binomial standard deviations. Thinning
 * makes 10^9 and more slots cheap: only candidate slots are visited.
 */
class DetectionStatisticsTest {

    @ParameterizedTest(name = "{0} at {1} km, {2} slots, seed {3}")
    @CsvSource({
        "demo, 25, 1000000000, 42",
        "gys, 50, 2000000000, 7",
        // Far enough that dark counts make a visible share of the errors.
        "gys, 130, 100000000000, 11",
    })
    void gainsAndErrorRatesMatchTheAnalyticModel(String set, double km, long slots, long seed) {
        LinkParameters p = LinkParameters.named(set).orElseThrow().withLengthKm(km);
        long key = CounterRandom.linkKey(seed, "stats");
        DetectionStream bob = new DetectionStream(p, key);
        WeakCoherentSource alice = new WeakCoherentSource(p, key);

        int levels = p.levelCount();
        long[] clicks = new long[levels];
        long[] sifted = new long[levels];
        long[] errors = new long[levels];
        long xClicks = 0;
        long[] buf = new long[1 << 16];
        byte[] ch = new byte[buf.length];
        int n;
        while ((n = bob.next(slots, buf, ch, 0, buf.length)) > 0 || bob.position() < slots) {
            for (int i = 0; i < n; i++) {
                int state = alice.state(buf[i]);
                int k = PulseState.intensityLevel(state);
                clicks[k]++;
                int bobBasis = ch[i] >> 1;
                xClicks += bobBasis;
                if (bobBasis == PulseState.basis(state)) {
                    sifted[k]++;
                    errors[k] += (ch[i] & 1) ^ PulseState.bit(state);
                }
            }
        }

        AnalyticModel model = AnalyticModel.of(p);
        String context = String.format("%s at %s km, %d slots, seed %d", set, km, slots, seed);
        long total = 0;
        for (int k = 0; k < levels; k++) {
            total += clicks[k];
            double pk = p.intensityProbability(k) * model.gain(k);
            assertWithin3Sigma(context + ": clicks of level " + k, clicks[k], slots, pk);
            double expectedQber = model.qber(k);
            double sigma = Math.sqrt(expectedQber * (1 - expectedQber) / sifted[k]);
            double qber = (double) errors[k] / sifted[k];
            assertThat(qber)
                    .as(
                            "%s: QBER of level %d = %d/%d, expected %.6f ± %.6f",
                            context, k, errors[k], sifted[k], expectedQber, sigma)
                    .isBetween(expectedQber - 3 * sigma, expectedQber + 3 * sigma);
        }
        assertWithin3Sigma(context + ": X-basis clicks", xClicks, total, 0.5);
    }

    private static void assertWithin3Sigma(String what, long count, long trials, double p) {
        double expected = trials * p;
        double sigma = Math.sqrt(trials * p * (1 - p));
        assertThat((double) count)
                .as("%s: %d, expected %.1f ± %.1f", what, count, expected, sigma)
                .isBetween(expected - 3 * sigma, expected + 3 * sigma);
    }
}
