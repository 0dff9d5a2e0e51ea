package io.hotaru.keys.distill.amplify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import org.junit.jupiter.api.Test;

class SmallPrimeNttTest {
    private static long[][] random(SeededRandom random, int rows, int columns, long p) {
        long[][] out = new long[rows][columns];
        for (long[] row : out) {
            for (int c = 0; c < columns; c++) {
                row[c] = Long.remainderUnsigned(random.nextLong(), p);
            }
        }
        return out;
    }

    /** Forward, a pointwise product with the transform of 1 (δ₀), inverse: the input comes back. */
    @Test
    void roundTripsThroughEveryShapeAndEveryPrime() {
        SeededRandom random = new SeededRandom(23);
        // 21 and 22 split the lanes into several cache chunks; 23 is the longest transform.
        for (int log : new int[] {1, 2, 3, 5, 8, 13, 14, 21, 22, 23}) {
            for (int prime = 0; prime < SmallPrimeNtt.PRIMES.length; prime++) {
                if (log > 14 && prime > 0 && log != 22) {
                    continue; // keep the suite fast: every prime at the benchmark's 2²²
                }
                SmallPrimeNtt ntt = SmallPrimeNtt.of(prime, log);
                long p = ntt.p;
                long[][] data = random(random, ntt.rows(), ntt.columns(), p);
                long[][] copy = new long[data.length][];
                for (int i = 0; i < data.length; i++) {
                    copy[i] = data[i].clone();
                }
                long[][] delta = new long[ntt.rows()][ntt.columns()];
                delta[0][0] = 1;
                long[][] left = new long[ntt.columns()][ntt.rows()];
                long[][] right = new long[ntt.columns()][ntt.rows()];
                long[][] product = new long[ntt.columns()][ntt.rows()];
                ntt.forward(data, left);
                ntt.forward(delta, right);
                ntt.multiply(left, right, product);
                long[][] back = new long[ntt.rows()][ntt.columns()];
                ntt.inverse(product, back);
                for (long[] row : back) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = ntt.reduce(row[c]);
                    }
                }
                assertThat(back).as("log %d, p %d", log, p).isDeepEqualTo(copy);
            }
        }
    }

    /** Cyclic convolution of two random sequences, summed with a second pair, against the definition. */
    @Test
    void sumsOfProductsAreCyclicConvolutions() {
        SeededRandom random = new SeededRandom(29);
        for (int log : new int[] {1, 4, 7, 10}) {
            for (int prime = 0; prime < SmallPrimeNtt.PRIMES.length; prime++) {
                SmallPrimeNtt ntt = SmallPrimeNtt.of(prime, log);
                long p = ntt.p;
                int n = 1 << log;
                int columns = ntt.columns();
                long[][][] inputs = new long[4][][];
                for (int i = 0; i < 4; i++) {
                    inputs[i] = random(random, ntt.rows(), columns, p);
                }
                long[] expected = new long[n];
                for (int pair = 0; pair < 2; pair++) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            long x = inputs[2 * pair][i / columns][i % columns];
                            long y = inputs[2 * pair + 1][j / columns][j % columns];
                            int k = (i + j) % n;
                            expected[k] = (expected[k] + x * y % p) % p;
                        }
                    }
                }
                long[][] sum = new long[columns][ntt.rows()];
                for (int pair = 0; pair < 2; pair++) {
                    long[][] a = new long[columns][ntt.rows()];
                    long[][] b = new long[columns][ntt.rows()];
                    ntt.forward(inputs[2 * pair], a);
                    ntt.forward(inputs[2 * pair + 1], b);
                    if (pair == 0) {
                        ntt.multiply(a, b, sum);
                    } else {
                        ntt.multiplyAdd(a, b, sum);
                    }
                }
                long[][] result = new long[ntt.rows()][columns];
                ntt.inverse(sum, result);
                long[] flat = new long[n];
                for (int k = 0; k < n; k++) {
                    flat[k] = ntt.reduce(result[k / columns][k % columns]);
                }
                assertThat(flat).as("log %d, p %d", log, p).containsExactly(expected);
            }
        }
    }
}
