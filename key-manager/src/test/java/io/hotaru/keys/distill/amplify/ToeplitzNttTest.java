package io.hotaru.keys.distill.amplify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The transform path against the direct product and the bit-by-bit definition: bit-exact. */
class ToeplitzNttTest {
    @Test
    void convolutionIsExactOnASmallVector() {
        NttConvolution ntt = new NttConvolution(3);
        int[] x = {1, 1, 0, 1, 0, 0, 0, 0};
        int[] y = {1, 0, 1, 1, 0, 0, 0, 0};
        ntt.forward(x);
        ntt.forward(y);
        ntt.multiply(x, y);
        ntt.inverse(x);
        int[] plain = new int[8];
        for (int i = 0; i < 8; i++) {
            plain[i] = NttConvolution.mul(x[i], ntt.unscale());
        }
        // (1 + z + z³)(1 + z² + z³) = 1 + z + z² + 3z³ + z⁴ + z⁵ + z⁶
        assertThat(plain).containsExactly(1, 1, 1, 3, 1, 1, 1, 0);
    }

    @Test
    void countsNearThePrimeStayExact() {
        // All-ones inputs make the largest counts a length can give.
        int log = 16;
        NttConvolution ntt = new NttConvolution(log);
        int n = 1 << (log - 1);
        int[] x = new int[1 << log];
        int[] y = new int[1 << log];
        for (int i = 0; i < n; i++) {
            x[i] = 1;
            y[i] = 1;
        }
        ntt.forward(x);
        ntt.forward(y);
        ntt.multiply(x, y);
        ntt.inverse(x);
        for (int k = 0; k < 2 * n - 1; k++) {
            int expected = Math.min(k + 1, 2 * n - 1 - k);
            assertThat(NttConvolution.mul(x[k], ntt.unscale())).as("k=%d", k).isEqualTo(expected);
        }
    }

    @Test
    void matchesTheDefinitionOnSmallShapes() {
        SeededRandom random = new SeededRandom(31337);
        int[][] shapes = {{1, 1}, {2, 1}, {64, 64}, {65, 63}, {300, 257}, {1000, 999}, {4097, 1500}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int m = shape[1];
            long[] x = random.nextBits(n);
            long[] s = random.nextBits(ToeplitzHash.seedBits(n, m));
            assertThat(ToeplitzNtt.hash(x, n, s, m))
                    .as("seed %d, n=%d, m=%d", random.seed(), n, m)
                    .isEqualTo(ToeplitzHashTest.naive(x, n, s, m));
        }
    }

    /** Small transform limits force the row and column blocks that very long inputs use. */
    @Property(tries = 60)
    void blockedTransformsMatchTheDirectProduct(
            @ForAll @IntRange(min = 1, max = 6_000) int n,
            @ForAll @IntRange(min = 1, max = 3_000) int m,
            @ForAll @IntRange(min = 6, max = 13) int maxLog,
            @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        SeededRandom random = new SeededRandom(seed);
        long[] x = random.nextBits(n);
        long[] s = random.nextBits(ToeplitzHash.seedBits(n, m));
        assertThat(ToeplitzNtt.hash(x, n, s, m, maxLog))
                .as("seed %d, n=%d, m=%d, maxLog=%d", seed, n, m, maxLog)
                .isEqualTo(ToeplitzHash.direct(x, n, s, m));
    }

    /** Known answer at a size where {@link ToeplitzHash#hash} takes the transform path. */
    @Test
    void largeInputTakesTheTransformAndAgreesWithTheDirectProduct() {
        SeededRandom random = new SeededRandom(77);
        int n = 200_000;
        int m = 50_000;
        assertThat((long) n * m).isGreaterThanOrEqualTo(ToeplitzHash.TRANSFORM_THRESHOLD);
        long[] x = random.nextBits(n);
        long[] s = random.nextBits(ToeplitzHash.seedBits(n, m));
        long[] fast = ToeplitzHash.hash(x, n, s, m);
        assertThat(fast).as("seed %d", random.seed()).isEqualTo(ToeplitzHash.direct(x, n, s, m));
        // Frozen: the first word of this seed's hash.
        assertThat(fast[0]).isEqualTo(3825009676350553608L);
    }
}
