package io.hotaru.keys.distill.amplify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import org.junit.jupiter.api.Test;

class ToeplitzHashTest {
    /** The definition, bit by bit: y_i = Σ_j s[j − i + m − 1]·x_j mod 2. */
    static long[] naive(long[] x, int n, long[] s, int m) {
        long[] y = new long[PackedBits.words(m)];
        for (int i = 0; i < m; i++) {
            int bit = 0;
            for (int j = 0; j < n; j++) {
                bit ^= PackedBits.get(s, j - i + m - 1) & PackedBits.get(x, j);
            }
            if (bit != 0) {
                PackedBits.set(y, i);
            }
        }
        return y;
    }

    @Test
    void smallHandComputedVector() {
        // n = 3, m = 2, seed s0..s3 = 1,0,1,1: T = [[s1 s2 s3], [s0 s1 s2]] = [[0 1 1], [1 0 1]].
        long[] seed = {0b1101L};
        assertThat(ToeplitzHash.hash(new long[] {0b001L}, 3, seed, 2)).containsExactly(0b10L);
        assertThat(ToeplitzHash.hash(new long[] {0b010L}, 3, seed, 2)).containsExactly(0b01L);
        assertThat(ToeplitzHash.hash(new long[] {0b100L}, 3, seed, 2)).containsExactly(0b11L);
    }

    @Test
    void matchesTheNaiveDefinitionOnRandomInputs() {
        SeededRandom random = new SeededRandom(20260101);
        int[][] shapes = {{1, 1}, {64, 64}, {65, 63}, {127, 1}, {1000, 333}, {2049, 1024}, {3000, 64}, {4096, 2500}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int m = shape[1];
            long[] x = random.nextBits(n);
            long[] s = random.nextBits(ToeplitzHash.seedBits(n, m));
            assertThat(ToeplitzHash.hash(x, n, s, m))
                    .as("seed %d, n=%d, m=%d", random.seed(), n, m)
                    .isEqualTo(naive(x, n, s, m));
        }
    }

    @Test
    void ignoresBitsPastTheInputLength() {
        SeededRandom random = new SeededRandom(5);
        long[] x = random.nextBits(100);
        long[] dirty = x.clone();
        dirty[1] |= -1L << 40;
        long[] s = random.nextBits(ToeplitzHash.seedBits(100, 50));
        assertThat(ToeplitzHash.hash(dirty, 100, s, 50)).isEqualTo(ToeplitzHash.hash(x, 100, s, 50));
    }

    @Test
    void isLinearOverGf2() {
        SeededRandom random = new SeededRandom(9);
        int n = 5000;
        int m = 1200;
        long[] a = random.nextBits(n);
        long[] b = random.nextBits(n);
        long[] s = random.nextBits(ToeplitzHash.seedBits(n, m));
        long[] sum = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] ^ b[i];
        }
        long[] ha = ToeplitzHash.hash(a, n, s, m);
        long[] hb = ToeplitzHash.hash(b, n, s, m);
        long[] hsum = ToeplitzHash.hash(sum, n, s, m);
        for (int i = 0; i < ha.length; i++) {
            assertThat(hsum[i]).as("seed %d", random.seed()).isEqualTo(ha[i] ^ hb[i]);
        }
    }
}
