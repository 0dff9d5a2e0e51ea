package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PermutationTest {
    @Test
    void isABijectionDerivedOnlyFromSeedAndPass() {
        int n = 10_007;
        Permutation p = Permutation.forPass(42, 2, n);
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int o = p.toOriginal(i);
            assertThat(seen[o]).isFalse();
            seen[o] = true;
            assertThat(p.toShuffled(o)).isEqualTo(i);
        }
        Permutation again = Permutation.forPass(42, 2, n);
        Permutation otherPass = Permutation.forPass(42, 3, n);
        int same = 0;
        for (int i = 0; i < n; i++) {
            assertThat(again.toOriginal(i)).isEqualTo(p.toOriginal(i));
            same += otherPass.toOriginal(i) == p.toOriginal(i) ? 1 : 0;
        }
        assertThat(same).isLessThan(10);
    }

    /** Frozen output, so a change to the derivation (which both ends must share) is noticed. */
    @Test
    void derivationIsFrozen() {
        Permutation p = Permutation.forPass(1, 0, 8);
        int[] order = new int[8];
        for (int i = 0; i < 8; i++) {
            order[i] = p.toOriginal(i);
        }
        assertThat(order).containsExactly(5, 4, 0, 1, 7, 3, 6, 2);
    }

    /** All 24 orders of four positions come up about equally often (χ², 23 degrees of freedom). */
    @Test
    void everyOrderIsAboutEquallyLikely() {
        int[] counts = new int[256];
        int draws = 24_000;
        for (int seed = 0; seed < draws; seed++) {
            Permutation p = Permutation.forPass(seed, 0, 4);
            counts[p.toOriginal(0) | p.toOriginal(1) << 2 | p.toOriginal(2) << 4 | p.toOriginal(3) << 6]++;
        }
        double chi2 = 0;
        int orders = 0;
        for (int c : counts) {
            if (c > 0) {
                orders++;
                chi2 += (c - 1000.0) * (c - 1000.0) / 1000.0;
            }
        }
        assertThat(orders).isEqualTo(24);
        assertThat(chi2).isLessThan(49.7); // p = 0.001
    }
}
