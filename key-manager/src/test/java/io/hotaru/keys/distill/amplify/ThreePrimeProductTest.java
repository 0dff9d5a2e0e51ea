package io.hotaru.keys.distill.amplify;

import static io.hotaru.keys.distill.amplify.IntegerProductTest.fromBig;
import static io.hotaru.keys.distill.amplify.IntegerProductTest.toBig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThreePrimeProductTest {
    private static void check(long[][] a, int aBits, long[] x, int xBits, int pieceBits, long[] b, int resultBits) {
        BigInteger sum = toBig(b, resultBits);
        BigInteger input = toBig(x, xBits);
        for (int i = 0; i < a.length; i++) {
            BigInteger piece = input.shiftRight(i * pieceBits).mod(BigInteger.ONE.shiftLeft(pieceBits));
            sum = sum.add(toBig(a[i], aBits).multiply(piece));
        }
        long[] expected = fromBig(sum.mod(BigInteger.ONE.shiftLeft(resultBits)), resultBits);
        assertThat(ThreePrimeProduct.dotProductAddLow(a, aBits, x, xBits, pieceBits, b, resultBits))
                .as("k %d, a %d bits, x %d bits, result %d bits", a.length, aBits, xBits, resultBits)
                .containsExactly(expected);
    }

    private static long[] ones(int bits) {
        long[] out = new long[PackedBits.words(bits)];
        Arrays.fill(out, -1L);
        PackedBits.clearTail(out, bits);
        return out;
    }

    @Test
    void matchesBigIntegerOnRandomFactorsOfOddAndEdgeLengths() {
        SeededRandom random = new SeededRandom(20261126);
        int[][] shapes = {
            {1, 1, 1},
            {1, 1, 2},
            {15, 17, 32},
            {32, 32, 64},
            {33, 31, 64},
            {63, 65, 128},
            {65, 1, 66},
            {1000, 333, 1332},
            {999, 1001, 1500},
            {4096, 4096, 8192},
            {1 << 15, 1 << 14, 40000},
            {(1 << 18) + 3, (1 << 17) - 5, (1 << 18) + (1 << 17)},
            {1_000_003, 700_001, 1_600_000}
        };
        for (int[] shape : shapes) {
            long[] a = random.nextBits(shape[0]);
            long[] x = random.nextBits(shape[1]);
            long[] b = random.nextBits(shape[2]);
            check(new long[][] {a}, shape[0], x, shape[1], shape[1], b, shape[2]);
        }
    }

    @Test
    void sumsUpToFourPiecesExactly() {
        SeededRandom random = new SeededRandom(11);
        int[][] shapes = {{2, 64, 100, 120}, {3, 640, 1900, 2000}, {4, 64_000, 255_999, 300_000}};
        for (int[] shape : shapes) {
            int k = shape[0];
            long[][] a = new long[k][];
            for (int i = 0; i < k; i++) {
                a[i] = random.nextBits(shape[3]);
            }
            long[] x = random.nextBits(shape[2]);
            check(a, shape[3], x, shape[2], shape[1], random.nextBits(shape[3]), shape[3]);
        }
    }

    @Test
    void allOnesFactorsCarryThroughEveryDigit() {
        // The largest coefficients and the longest carry chains: four products of all-ones digits.
        int[][] shapes = {{64, 64, 128}, {1000, 777, 1777}, {1 << 18, 1 << 18, 1 << 19}};
        for (int[] shape : shapes) {
            check(
                    new long[][] {ones(shape[0])},
                    shape[0],
                    ones(shape[1]),
                    shape[1],
                    shape[1],
                    ones(shape[2]),
                    shape[2]);
        }
        int piece = 1 << 17;
        long[] a = ones(3 * piece);
        check(new long[][] {a, a, a, a}, 3 * piece, ones(4 * piece), 4 * piece, piece, ones(3 * piece), 3 * piece);
    }

    @Test
    void exactnessBoundIsBelowTheProductOfThePrimes() {
        BigInteger modulus = BigInteger.ONE;
        for (long p : SmallPrimeNtt.PRIMES) {
            assertThat(BigInteger.valueOf(p).isProbablePrime(50)).isTrue();
            assertThat(p).isLessThan(1L << 30);
            assertThat((p - 1) % (1L << SmallPrimeNtt.MAX_LOG)).isZero();
            modulus = modulus.multiply(BigInteger.valueOf(p));
        }
        BigInteger square =
                BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE).pow(2);
        int limit = modulus.subtract(BigInteger.ONE).divide(square).intValueExact();
        assertThat(ThreePrimeProduct.fitsExactly(1, 1000, 1000)).isTrue();
        // Past 2²³ points the transform does not exist, whatever the bound says.
        assertThat(ThreePrimeProduct.fitsExactly(1, limit, limit)).isFalse();
        // Eight products of limit/8 digits each: the bound is met with a transform of 2²³ points.
        int terms = limit / 8;
        assertThat(ThreePrimeProduct.fitsExactly(8, terms, terms)).isTrue();
        assertThat(square.multiply(BigInteger.valueOf(8L * terms))).isLessThan(modulus);
        assertThat(ThreePrimeProduct.fitsExactly(8, terms + 1, terms + 1)).isFalse();
        assertThat(square.multiply(BigInteger.valueOf(8L * (terms + 1)))).isGreaterThanOrEqualTo(modulus);
        assertThat(square.multiply(BigInteger.valueOf(limit + 1L))).isGreaterThanOrEqualTo(modulus);
    }

    @Test
    void readsNoBitsPastTheFactorLengths() {
        SeededRandom random = new SeededRandom(5);
        for (int[] shape : new int[][] {{100, 37, 150}, {127, 129, 256}, {1000, 999, 1500}}) {
            long[] a = random.nextBits(shape[0]);
            long[] x = random.nextBits(shape[1]);
            long[] b = random.nextBits(shape[2]);
            long[] dirtyA = Arrays.copyOf(a, a.length + 1);
            long[] dirtyX = Arrays.copyOf(x, x.length + 1);
            dirtyA[a.length - 1] |= -1L << (shape[0] & 63);
            dirtyA[a.length] = -1L;
            dirtyX[x.length - 1] |= -1L << (shape[1] & 63);
            dirtyX[x.length] = -1L;
            assertThat(ThreePrimeProduct.dotProductAddLow(
                            new long[][] {dirtyA}, shape[0], dirtyX, shape[1], shape[1], b, shape[2]))
                    .containsExactly(ThreePrimeProduct.dotProductAddLow(
                            new long[][] {a}, shape[0], x, shape[1], shape[1], b, shape[2]));
        }
    }

    @Test
    void refusesFactorsPastTheBound() {
        int bits = 32 * ((1 << 22) + 1);
        long[] a = new long[PackedBits.words(bits)];
        assertThatThrownBy(() -> ThreePrimeProduct.dotProductAddLow(new long[][] {a}, bits, a, bits, bits, a, 2 * bits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("three-prime");
    }
}
