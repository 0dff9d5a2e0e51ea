package io.hotaru.keys.distill.amplify;

import static io.hotaru.keys.distill.amplify.IntegerProductTest.fromBig;
import static io.hotaru.keys.distill.amplify.IntegerProductTest.toBig;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultiplyShiftHashTest {
    /** The definition with BigInteger: ((Σ a_i·x_i + b) mod 2^W) >> (W − ℓ), W = w + ℓ − 1. */
    static long[] naive(long[] x, int n, long[] seed, int l) {
        int k = MultiplyShiftHash.pieces(n, l);
        int w = MultiplyShiftHash.pieceBits(n, l);
        int width = (int) MultiplyShiftHash.width(n, l);
        int words = (width + 63) >>> 6;
        BigInteger input = toBig(x, n);
        BigInteger sum = toBig(Arrays.copyOfRange(seed, k * words, (k + 1) * words), width);
        for (int i = 0; i < k; i++) {
            BigInteger a = toBig(Arrays.copyOfRange(seed, i * words, (i + 1) * words), width);
            BigInteger piece = input.shiftRight(i * w).mod(BigInteger.ONE.shiftLeft(w));
            sum = sum.add(a.multiply(piece));
        }
        return fromBig(sum.mod(BigInteger.ONE.shiftLeft(width)).shiftRight(width - l), l);
    }

    @Test
    void cutsTheInputInTwoWith32BitDigitsAtTheBenchmarkSize() {
        // w = 5·10⁷, W = 5·10⁷ + 25·10⁶ − 1: 2 343 750 + 1 562 500 digits of 32 bits, a product
        // of 3 906 249 ≤ 2²² digits; 2 · 1 562 500 · (2³² − 1)² ≈ 5.8·10²⁵ < p₁p₂p₃ ≈ 3.5·10²⁶.
        MultiplyShiftHash.Layout layout = MultiplyShiftHash.layout(100_000_000, 25_000_000);
        assertThat(layout).isEqualTo(new MultiplyShiftHash.Layout(2, 50_000_000, 32));
        assertThat(MultiplyShiftHash.seedWords(100_000_000, 25_000_000))
                .isEqualTo(3 * ((50_000_000 + 25_000_000 - 1 + 63) / 64));
    }

    @Test
    void fallsBackToThe60BitTransformPastThreePrimeSizes() {
        // n = 10⁹, ℓ = n/4: every k needs more than 2²³ 32-bit digits.
        MultiplyShiftHash.Layout layout = MultiplyShiftHash.layout(1_000_000_000, 250_000_000);
        assertThat(layout.digitBits()).isBetween(IntegerProduct.MIN_DIGIT_BITS, IntegerProduct.MAX_DIGIT_BITS);
    }

    @Test
    void smallHandComputedVector() {
        // n = 3, ℓ = 2, W = 4: a = 0b1011 = 11, b = 0b0110 = 6, x = 5: 11·5 + 6 = 61 = 0b111101,
        // mod 16 = 0b1101, top 2 bits = 0b11.
        long[] seed = {0b1011L, 0b0110L};
        assertThat(MultiplyShiftHash.hash(new long[] {5}, 3, seed, 2)).containsExactly(0b11L);
        // x = 2: 22 + 6 = 28 = 0b11100, mod 16 = 0b1100 → 0b11; x = 1: 17 mod 16 = 1 → 0b00.
        assertThat(MultiplyShiftHash.hash(new long[] {2}, 3, seed, 2)).containsExactly(0b11L);
        assertThat(MultiplyShiftHash.hash(new long[] {1}, 3, seed, 2)).containsExactly(0b00L);
    }

    @Test
    void matchesTheDefinitionOnRandomInputs() {
        SeededRandom random = new SeededRandom(20261126);
        int[][] shapes = {
            {1, 1},
            {3, 2},
            {64, 64},
            {65, 63},
            {127, 1},
            {1000, 333},
            {2049, 1024},
            {4096, 2500},
            {100_000, 25_000},
            {262_145, 65_535},
            {1_000_003, 249_999},
            {1_000_000, 1000},
            {3_000_001, 750_000}
        };
        java.util.Set<Integer> pieceCounts = new java.util.TreeSet<>();
        java.util.Set<Integer> digitWidths = new java.util.TreeSet<>();
        for (int[] shape : shapes) {
            int n = shape[0];
            int l = shape[1];
            pieceCounts.add(MultiplyShiftHash.pieces(n, l));
            digitWidths.add(MultiplyShiftHash.layout(n, l).digitBits());
            long[] x = random.nextBits(n);
            long[] seed = random.nextBits(64 * MultiplyShiftHash.seedWords(n, l));
            assertThat(MultiplyShiftHash.hash(x, n, seed, l))
                    .as("n=%d ℓ=%d seed %d", n, l, random.seed())
                    .containsExactly(naive(x, n, seed, l));
        }
        assertThat(pieceCounts).as("every piece count is exercised").containsExactly(1, 2, 3, 4);
        // Blocks this small all take the three-prime product; the 60-bit one (n ≳ 3.5·10⁸) is
        // checked against BigInteger directly in IntegerProductTest.
        assertThat(digitWidths).containsExactly(ThreePrimeProduct.DIGIT_BITS);
    }

    @Test
    void ignoresBitsPastTheStatedLengths() {
        SeededRandom random = new SeededRandom(3);
        int n = 1000;
        int l = 300;
        long[] x = random.nextBits(n);
        long[] dirty = x.clone();
        dirty[dirty.length - 1] |= -1L << (n & 63);
        long[] seed = random.nextBits(64 * MultiplyShiftHash.seedWords(n, l));
        assertThat(MultiplyShiftHash.hash(dirty, n, seed, l)).containsExactly(MultiplyShiftHash.hash(x, n, seed, l));
    }

    @Test
    void bothEndsGetTheSameBitsAndTheInputIsLeftIntact() {
        SeededRandom random = new SeededRandom(11);
        int n = 200_000;
        int l = 50_000;
        long[] x = random.nextBits(n);
        long[] copy = x.clone();
        long[] seed = random.nextBits(64 * MultiplyShiftHash.seedWords(n, l));
        long[] seedCopy = seed.clone();
        long[] alice = MultiplyShiftHash.hash(x, n, seed, l);
        long[] bob = MultiplyShiftHash.hash(copy, n, seedCopy, l);
        assertThat(alice).containsExactly(bob);
        assertThat(x).containsExactly(copy);
        assertThat(seed).containsExactly(seedCopy);
        assertThat(alice.length).isEqualTo(PackedBits.words(l));
    }

    @Test
    void rejectsShortSeedsAndEmptyLengths() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MultiplyShiftHash.hash(new long[1], 10, new long[1], 5))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MultiplyShiftHash.hash(new long[1], 0, new long[2], 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
