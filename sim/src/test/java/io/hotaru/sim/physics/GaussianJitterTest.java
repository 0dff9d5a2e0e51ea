package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GaussianJitterTest {

    /** The table path must give the defining expression's integer for every word, shifted or not. */
    @Test
    void equalsTheExactExpressionWordForWord() {
        long seed = 20261126L;
        CounterRandom words = CounterRandom.of(seed, 1);
        double[] sigmas = {30, 1, 250};
        double[] shifts = {0, 37.5, -37.5, 0.5};
        for (double sigma : sigmas) {
            GaussianJitter jitter = new GaussianJitter(sigma);
            for (int i = 0; i < 1_000_000; i++) {
                long w = words.at(i);
                double shift = shifts[i & 3];
                int fast = jitter.delayPs(w, shift);
                int exact = jitter.exact(w, shift);
                if (fast != exact) {
                    assertThat(fast)
                            .as("sigma %s, shift %s, word %016x (seed %d)", sigma, shift, w, seed)
                            .isEqualTo(exact);
                }
            }
        }
    }

    /** u₁ at its smallest (the largest radius) and at 1 (radius 0), u₂ at the cells' edges. */
    @Test
    void equalsTheExactExpressionAtTheEdges() {
        GaussianJitter jitter = new GaussianJitter(30);
        long[] highs = {0, 1, 0x3FFFF, 0x40000, 0x7FFFFFFFL, 0x80000000L, 0xFFFBFFFFL, 0xFFFC0000L, 0xFFFFFFFFL};
        long[] lows = {0, 1, 0x3FFFF, 0x40000, 0x40000000L, 0x7FFFFFFFL, 0x80000000L, 0xC0000000L, 0xFFFFFFFFL};
        for (long hi : highs) {
            for (long lo : lows) {
                long w = hi << 32 | lo;
                assertThat(jitter.delayPs(w, 0)).as("word %016x", w).isEqualTo(jitter.exact(w, 0));
            }
        }
    }

    /** The jitter is a standard normal times σ: mean 0 and standard deviation σ within 3 standard errors. */
    @Test
    void hasTheGaussiansMeanAndSpread() {
        GaussianJitter jitter = new GaussianJitter(30);
        CounterRandom words = CounterRandom.of(7, 2);
        int n = 1_000_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = jitter.delayPs(words.at(i), 0);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(Math.abs(mean)).isLessThan(3 * 30 / Math.sqrt(n));
        // rounding to whole ps adds a variance of 1/12
        assertThat(Math.abs(sd - Math.sqrt(900 + 1.0 / 12))).isLessThan(3 * 30 / Math.sqrt(2.0 * n));
    }
}
