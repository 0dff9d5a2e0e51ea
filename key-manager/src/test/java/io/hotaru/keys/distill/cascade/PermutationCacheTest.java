package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PermutationCacheTest {

    @Test
    void bothEndsOfABlockShareItsPermutations() {
        PermutationCache cache = new PermutationCache(2);
        Permutation first = cache.forPass(42, 1, 1000);
        assertThat(cache.forPass(42, 1, 1000)).isSameAs(first);
        assertThat(cache.forPass(42, 2, 1000)).isNotSameAs(first);
        assertThat(cache.blocksHeld()).isEqualTo(1);
    }

    @Test
    void keepsOnlyTheMostRecentBlocksWhateverTheirPassCount() {
        PermutationCache cache = new PermutationCache(2);
        for (long seed = 1; seed <= 50; seed++) {
            for (int pass = 1; pass < 10; pass++) {
                cache.forPass(seed, pass, 100);
            }
        }
        assertThat(cache.blocksHeld()).isEqualTo(2);
        Permutation recent = cache.forPass(50, 3, 100);
        assertThat(cache.forPass(50, 3, 100)).isSameAs(recent);
        // Seed 1 was dropped: drawn again, a new object.
        Permutation old = cache.forPass(1, 3, 100);
        assertThat(cache.blocksHeld()).isEqualTo(2);
        cache.forPass(49, 3, 100);
        cache.forPass(48, 3, 100);
        assertThat(cache.blocksHeld()).isEqualTo(2);
        assertThat(cache.forPass(1, 3, 100)).isNotSameAs(old);
    }
}
