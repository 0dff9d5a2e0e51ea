package io.hotaru.keys.distill.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GF(2⁶⁴) arithmetic and the polynomial hash against a slow reference on {@link BigInteger}
 * polynomials, and against vectors computed independently (a Python script doing schoolbook
 * GF(2)[x] multiplication and long division by x⁶⁴ + x⁴ + x³ + x + 1), frozen here.
 */
class Gf64Test {
    static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(64).or(BigInteger.valueOf(0x1B));

    /** Schoolbook product in GF(2)[x]. */
    static BigInteger polyMultiply(BigInteger a, BigInteger b) {
        BigInteger r = BigInteger.ZERO;
        for (int i = 0; i < b.bitLength(); i++) {
            if (b.testBit(i)) {
                r = r.xor(a.shiftLeft(i));
            }
        }
        return r;
    }

    /** Remainder of long division in GF(2)[x]. */
    static BigInteger polyMod(BigInteger a, BigInteger m) {
        int degree = m.bitLength() - 1;
        while (a.bitLength() - 1 >= degree) {
            a = a.xor(m.shiftLeft(a.bitLength() - 1 - degree));
        }
        return a;
    }

    static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    static long reference(long a, long b) {
        return polyMod(polyMultiply(unsigned(a), unsigned(b)), MODULUS).longValue();
    }

    @Test
    void modulusIsIrreducibleByRabinsTest() {
        // Degree 64 = 2⁶: irreducible iff x^(2^64) ≡ x (mod p) and gcd(x^(2^32) − x mod p, p) = 1.
        BigInteger x = BigInteger.TWO;
        BigInteger t = x;
        BigInteger t32 = null;
        for (int i = 1; i <= 64; i++) {
            t = polyMod(polyMultiply(t, t), MODULUS);
            if (i == 32) {
                t32 = t;
            }
        }
        assertThat(t).isEqualTo(x);
        BigInteger a = MODULUS;
        BigInteger b = t32.xor(x);
        while (b.signum() != 0) {
            BigInteger r = polyMod(a, b);
            a = b;
            b = r;
        }
        assertThat(a).isEqualTo(BigInteger.ONE);
    }

    @Test
    void knownProducts() {
        assertThat(Gf64.multiply(0x0123456789ABCDEFL, 0xFEDCBA9876543210L)).isEqualTo(0x48827ab55d976fa0L);
        assertThat(Gf64.multiply(0x8000000000000000L, 2)).isEqualTo(0x1bL);
        assertThat(Gf64.multiply(-1L, -1L)).isEqualTo(0x5555555555555513L);
        assertThat(Gf64.multiply(1, 0x1B)).isEqualTo(0x1bL);
        assertThat(Gf64.multiply(0x8000000000000000L, 0x8000000000000000L)).isEqualTo(0xc00000000000005aL);
    }

    @Test
    void productsMatchTheReferenceAndTheKeyTables() {
        long seed = 64;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            long a = random.nextLong();
            long b = i % 10 == 0 ? 1L << random.nextInt(64) : random.nextLong();
            long product = Gf64.multiply(a, b);
            assertThat(product).as("seed %d, %x·%x", seed, a, b).isEqualTo(reference(a, b));
            assertThat(Gf64.multiply(b, a)).isEqualTo(product);
            try (PolynomialHash hash = new PolynomialHash(b)) {
                assertThat(hash.timesKey(a)).as("seed %d", seed).isEqualTo(product);
            }
        }
    }

    @Test
    void knownHashes() {
        long key = 0x0F1E2D3C4B5A6978L;
        assertThat(hash(key, new byte[0])).isZero();
        assertThat(hash(key, ascii("a"))).isEqualTo(0x0a05e07445aa4fd9L);
        assertThat(hash(key, ascii("abc"))).isEqualTo(0x7082ce39fb2178a0L);
        assertThat(hash(key, ascii("Wegman-Carter"))).isEqualTo(0xfcc9835b838cf212L);
        assertThat(hash(key, counting(64))).isEqualTo(0xc868775708ec41e7L);
        assertThat(hash(key, counting(100))).isEqualTo(0x1fdf3e5cb1ab533bL);
    }

    @Test
    void hashIsTheDefiningPolynomialWhateverTheUpdateSplit() {
        long seed = 7;
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 300; trial++) {
            long key = random.nextLong();
            byte[] message = new byte[random.nextInt(80)];
            random.nextBytes(message);
            // Reference: Σ mᵢ·k^{L+2−i} with the bit length as the last block, by Horner on BigIntegers.
            int blocks = (message.length + 7) / 8;
            long acc = 0;
            for (int i = 0; i <= blocks; i++) {
                long block = 0;
                if (i < blocks) {
                    for (int j = 0; j < 8; j++) {
                        int at = 8 * i + j;
                        block = (block << 8) | (at < message.length ? message[at] & 0xFF : 0);
                    }
                } else {
                    block = 8L * message.length;
                }
                acc = reference(acc ^ block, key);
            }
            try (PolynomialHash hash = new PolynomialHash(key)) {
                int cut = random.nextInt(message.length + 1);
                int cut2 = cut + random.nextInt(message.length - cut + 1);
                hash.update(message, 0, cut);
                hash.update(message, cut, cut2 - cut);
                hash.update(message, cut2, message.length - cut2);
                assertThat(hash.doFinal()).as("seed %d trial %d", seed, trial).isEqualTo(acc);
                hash.update(message);
                assertThat(hash.doFinal()).as("reusable after doFinal").isEqualTo(acc);
            }
        }
    }

    @Test
    void epsilonGrowsWithTheBlockCount() {
        assertThat(PolynomialHash.epsilon(16 << 20)).isEqualTo(((16 << 20) / 8 + 1) / 0x1p64);
        assertThat(Math.log(PolynomialHash.epsilon(16 << 20)) / Math.log(2)).isBetween(-43.01, -42.99);
        assertThat(PolynomialHash.epsilon(100)).isEqualTo(14 / 0x1p64);
    }

    static long hash(long key, byte[] message) {
        try (PolynomialHash hash = new PolynomialHash(key)) {
            hash.update(message);
            return hash.doFinal();
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] counting(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) i;
        }
        return out;
    }
}
