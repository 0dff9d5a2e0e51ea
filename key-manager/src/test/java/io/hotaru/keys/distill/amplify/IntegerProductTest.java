package io.hotaru.keys.distill.amplify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class IntegerProductTest {
    static BigInteger toBig(long[] packed, int bits) {
        int words = PackedBits.words(bits);
        byte[] bigEndian = new byte[8 * words];
        for (int w = 0; w < words; w++) {
            long word = packed[w];
            if (w == words - 1 && (bits & 63) != 0) {
                word &= -1L >>> (64 - (bits & 63));
            }
            for (int k = 0; k < 8; k++) {
                bigEndian[bigEndian.length - 1 - (8 * w + k)] = (byte) (word >>> (8 * k));
            }
        }
        return new BigInteger(1, bigEndian);
    }

    static long[] fromBig(BigInteger value, int bits) {
        long[] out = new long[PackedBits.words(bits)];
        byte[] bigEndian = value.toByteArray();
        for (int i = 0; i < bigEndian.length && i / 8 < out.length; i++) {
            long octet = bigEndian[bigEndian.length - 1 - i] & 0xFFL;
            out[i / 8] |= octet << (8 * (i % 8));
        }
        PackedBits.clearTail(out, bits);
        return out;
    }

    private static long[] ones(int bits) {
        long[] out = new long[PackedBits.words(bits)];
        java.util.Arrays.fill(out, -1L);
        PackedBits.clearTail(out, bits);
        return out;
    }

    private static void check(long[] a, int aBits, long[] x, int xBits, long[] b, int resultBits, long seed) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(resultBits);
        BigInteger expected = toBig(a, aBits)
                .multiply(toBig(x, xBits))
                .add(toBig(b, resultBits))
                .mod(modulus);
        for (int d = IntegerProduct.MIN_DIGIT_BITS; d <= IntegerProduct.MAX_DIGIT_BITS; d++) {
            assertThat(IntegerProduct.multiplyAddLow(a, aBits, x, xBits, b, resultBits, d))
                    .as(
                            "a %d bits, x %d bits, result %d bits, %d-bit digits, seed %d",
                            aBits, xBits, resultBits, d, seed)
                    .containsExactly(fromBig(expected, resultBits));
        }
    }

    @Test
    void matchesBigIntegerOnRandomFactorsOfOddAndEdgeLengths() {
        SeededRandom random = new SeededRandom(20261125);
        int[][] shapes = {
            {1, 1, 1},
            {1, 1, 2},
            {15, 17, 32},
            {16, 16, 32},
            {63, 65, 128},
            {64, 64, 64},
            {65, 1, 66},
            {1000, 333, 1332},
            {999, 1001, 1500},
            {4096, 4096, 8192},
            {1 << 15, 1 << 14, 40000},
            {(1 << 18) + 3, (1 << 17) - 5, (1 << 18) + (1 << 17)},
            {300_001, 100_003, 400_003}
        };
        for (int[] shape : shapes) {
            long[] a = random.nextBits(shape[0]);
            long[] x = random.nextBits(shape[1]);
            long[] b = random.nextBits(shape[2]);
            check(a, shape[0], x, shape[1], b, shape[2], random.seed());
        }
    }

    @Test
    void allOnesFactorsCarryThroughEveryDigit() {
        // The largest coefficients and the longest carry chains: (2^n − 1)(2^m − 1) + 2^r − 1.
        int[][] shapes = {{64, 64, 128}, {1000, 777, 1777}, {70_000, 70_000, 140_000}, {1 << 18, 1 << 18, 1 << 19}};
        for (int[] shape : shapes) {
            check(ones(shape[0]), shape[0], ones(shape[1]), shape[1], ones(shape[2]), shape[2], 0);
        }
    }

    @Test
    void readsNoBitsPastTheFactorLengths() {
        // Dirty bits above each stated length (including inside a digit that straddles a word)
        // must not reach the product.
        SeededRandom random = new SeededRandom(5);
        for (int[] shape : new int[][] {{100, 37, 150}, {127, 129, 256}, {1000, 999, 1500}}) {
            long[] a = random.nextBits(shape[0]);
            long[] x = random.nextBits(shape[1]);
            long[] b = random.nextBits(shape[2]);
            long[] dirtyA = java.util.Arrays.copyOf(a, a.length + 1);
            long[] dirtyX = java.util.Arrays.copyOf(x, x.length + 1);
            dirtyA[a.length - 1] |= -1L << (shape[0] & 63);
            dirtyA[a.length] = -1L;
            dirtyX[x.length - 1] |= -1L << (shape[1] & 63);
            dirtyX[x.length] = -1L;
            for (int d = IntegerProduct.MIN_DIGIT_BITS; d <= IntegerProduct.MAX_DIGIT_BITS; d++) {
                assertThat(IntegerProduct.multiplyAddLow(dirtyA, shape[0], dirtyX, shape[1], b, shape[2], d))
                        .as("shape %s, %d-bit digits", java.util.Arrays.toString(shape), d)
                        .containsExactly(IntegerProduct.multiplyAddLow(a, shape[0], x, shape[1], b, shape[2], d));
            }
        }
    }

    @Test
    void exactnessBoundIsTheLargestCoefficientBelowThePrime() {
        BigInteger p = BigInteger.valueOf(ModularNtt.P);
        for (int d = IntegerProduct.MIN_DIGIT_BITS; d <= IntegerProduct.MAX_DIGIT_BITS; d++) {
            BigInteger square =
                    BigInteger.ONE.shiftLeft(d).subtract(BigInteger.ONE).pow(2);
            int limit = p.subtract(BigInteger.ONE).divide(square).intValueExact();
            // One product of `limit` digit pairs: the largest coefficient (all digits at 2^d − 1).
            assertThat(IntegerProduct.fitsExactly(1, limit, limit, d)).isTrue();
            assertThat(square.multiply(BigInteger.valueOf(limit))).isLessThan(p);
            assertThat(IntegerProduct.fitsExactly(1, limit + 1, limit + 5, d)).isFalse();
            assertThat(square.multiply(BigInteger.valueOf(limit + 1L))).isGreaterThanOrEqualTo(p);
            // Four products share the bound.
            assertThat(IntegerProduct.fitsExactly(4, limit / 4, Integer.MAX_VALUE, d))
                    .isTrue();
            assertThat(IntegerProduct.fitsExactly(4, limit / 4 + 1, Integer.MAX_VALUE, d))
                    .isFalse();
        }
    }

    @Test
    void transformRoundTripsThroughTheFourStepLayout() {
        SeededRandom random = new SeededRandom(7);
        for (int log : new int[] {1, 2, 3, 4, 5, 7, 15, 16, 18}) {
            ModularNtt ntt = new ModularNtt(log);
            long[] data = new long[ntt.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = Long.remainderUnsigned(random.nextLong(), ModularNtt.P);
            }
            long[] copy = data.clone();
            long[] one = new long[ntt.size()];
            one[0] = 1;
            ntt.forward(data);
            ntt.forward(one);
            ntt.multiplyScaled(data, one, data);
            ntt.inverse(data);
            for (int i = 0; i < data.length; i++) {
                data[i] = ModularNtt.reduce(data[i]);
            }
            assertThat(data).as("log %d", log).isEqualTo(copy);
        }
    }
}
