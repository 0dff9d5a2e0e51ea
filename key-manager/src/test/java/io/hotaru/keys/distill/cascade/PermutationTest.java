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
        assertThat(order).containsExactly(6, 5, 4, 7, 0, 1, 3, 2);
    }
}
