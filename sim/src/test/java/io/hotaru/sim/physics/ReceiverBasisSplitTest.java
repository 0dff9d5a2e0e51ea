package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Bob's passive basis split follows the parameters: with p_Z = 0.3 at both ends (the metro source),
 * 70 % of his clicks are in X and 0.3² + 0.7² = 58 % of them sift; a receiver split 50/50 instead
 * sifts half. Both within 3 binomial standard deviations.
 */
class ReceiverBasisSplitTest {

    private static final LinkParameters METRO = new LinkParameters(
            1e8, new double[] {0.4, 0.15, 0}, new double[] {0.4, 0.3, 0.3}, 0.3, 0.21, 25, 0, 0.045, 1.7e-6, 0.033);

    @Test
    void aMatchedReceiverFollowsTheSourcesBasisProbability() {
        assertThat(METRO.receiverZBasisProbability()).isEqualTo(0.3);
        check(METRO, 0.7, 0.58);
    }

    @Test
    void aFiftyFiftyReceiverSiftsHalf() {
        check(METRO.withReceiverZBasisProbability(0.5), 0.5, 0.5);
    }

    private static void check(LinkParameters p, double xShare, double siftedShare) {
        long key = CounterRandom.linkKey(5, "split");
        DetectionStream bob = new DetectionStream(p, key);
        int cap = 1 << 16;
        long[] slots = new long[cap];
        byte[] channels = new byte[cap];
        int[] states = new int[cap];
        long total = 0;
        long x = 0;
        long sifted = 0;
        long end = 400_000_000L;
        while (bob.position() < end) {
            int n = bob.next(end, slots, channels, states, null, 0, cap);
            for (int i = 0; i < n; i++) {
                int bobBasis = channels[i] >> 1;
                x += bobBasis;
                sifted += bobBasis == PulseState.basis(states[i]) ? 1 : 0;
            }
            total += n;
        }
        assertWithin3Sigma("X-basis clicks", x, total, xShare);
        assertWithin3Sigma("sifted clicks", sifted, total, siftedShare);
    }

    private static void assertWithin3Sigma(String what, long count, long trials, double p) {
        double expected = trials * p;
        double sigma = Math.sqrt(trials * p * (1 - p));
        assertThat((double) count)
                .as("%s: %d of %d, expected %.1f ± %.1f", what, count, trials, expected, sigma)
                .isBetween(expected - 3 * sigma, expected + 3 * sigma);
    }
}
