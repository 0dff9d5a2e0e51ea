package io.hotaru.keys.distill.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static int[] entries(Permutation p) {
        int[] out = new int[p.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.toOriginal(i);
        }
        return out;
    }

    @Test
    void aDroppedBlocksTablesServeTheNextBlockWithTheSamePermutations() {
        PermutationCache cache = new PermutationCache(1);
        Permutation first = cache.forPass(1, 0, 1000);
        first.toShuffled(0);
        int[][] firstTables = first.tables();
        Permutation next = cache.forPass(2, 0, 990);
        assertThat(next.tables()[0]).isIn((Object[]) firstTables).hasSizeGreaterThan(990);
        assertThat(entries(next)).isEqualTo(entries(Permutation.forPass(2, 0, 990)));
        for (int i = 0; i < 990; i++) {
            assertThat(next.toShuffled(next.toOriginal(i))).isEqualTo(i);
        }
        // A longer key than any spare table: a new table, 1/16 longer than asked.
        assertThat(cache.forPass(3, 0, 5000).tables()[0]).hasSize(5000 + 5000 / 16);
    }

    @Test
    void aHeldPermutationKeepsItsTablesUntilReleased() {
        PermutationCache cache = new PermutationCache(1);
        Permutation held = cache.acquire(1, 0, 1000);
        int[] before = entries(held);
        int[] heldTable = held.tables()[0];
        cache.forPass(2, 0, 1000);
        Permutation third = cache.forPass(3, 0, 1000); // takes seed 2's table, never the held one
        assertThat(third.tables()[0]).isNotSameAs(heldTable);
        assertThat(entries(held)).isEqualTo(before);
        assertThat(cache.spareTables()).isZero();
        cache.release(held);
        assertThat(cache.spareTables()).isEqualTo(1);
        // The next block takes a table from the released one or from seed 3's, both free now.
        assertThat(cache.forPass(4, 0, 1000).tables()[0]).isIn(heldTable, third.tables()[0]);
        assertThatThrownBy(() -> cache.release(held)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsAtMostTheSpareTablesItNeeds() {
        PermutationCache cache = new PermutationCache(1);
        for (long seed = 1; seed <= 5; seed++) {
            for (int pass = 0; pass < 10; pass++) {
                cache.forPass(seed, pass, 100 * (int) seed).toShuffled(0);
            }
        }
        assertThat(cache.spareTables()).isEqualTo(PermutationCache.MAX_SPARE_TABLES);
    }
}
