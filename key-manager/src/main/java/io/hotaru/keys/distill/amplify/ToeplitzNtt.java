package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;
import java.util.Arrays;

/**
 * Toeplitz hashing through an exact convolution: with Y_t = Σ_j s[t + j]·x_j, the hash bit y_i is
 * Y_{m−1−i} mod 2, and Y is a window of the product of the seed with the reversed input, computed
 * by {@link NttConvolution}. Large products are cut into blocks of output rows and input columns
 * (each a smaller Toeplitz product over a window of the seed) whose results add mod 2, so the
 * transform never exceeds 2²⁷ points: memory stays near 1.3 GiB at most (two 512 MiB transforms
 * and a 256 MiB twiddle table), whatever the input length. Bit-exact with the direct product.
 */
final class ToeplitzNtt {
    private ToeplitzNtt() {}

    static long[] hash(long[] input, int n, long[] seed, int m) {
        return hash(input, n, seed, m, NttConvolution.MAX_LOG);
    }

    /** As {@link #hash(long[], int, long[], int)} with transforms of at most 2^maxLog points. */
    static long[] hash(long[] input, int n, long[] seed, int m, int maxLog) {
        long total = (long) n + m - 1;
        int log;
        int rowsPerBlock;
        int columnsPerBlock;
        if (total <= 1L << maxLog) {
            log = Math.max(1, 64 - Long.numberOfLeadingZeros(total - 1));
            rowsPerBlock = m;
            columnsPerBlock = n;
        } else {
            log = maxLog;
            rowsPerBlock = Math.min(m, 1 << (maxLog - 2));
            columnsPerBlock = (1 << log) - rowsPerBlock + 1;
        }
        NttConvolution ntt = new NttConvolution(log);
        int size = ntt.size();
        int unscale = ntt.unscale();
        int[] window = new int[size];
        int[] column = new int[size];
        long[] out = new long[PackedBits.words(m)];
        try {
            for (int t0 = 0; t0 < m; t0 += rowsPerBlock) {
                int rows = Math.min(rowsPerBlock, m - t0);
                for (int j0 = 0; j0 < n; j0 += columnsPerBlock) {
                    int columns = Math.min(columnsPerBlock, n - j0);
                    Arrays.fill(window, 0);
                    Arrays.fill(column, 0);
                    spread(seed, t0 + j0, rows + columns - 1, window, 0, false);
                    spread(input, j0, columns, column, 0, true);
                    ntt.forward(window);
                    ntt.forward(column);
                    ntt.multiply(column, window);
                    ntt.inverse(column);
                    for (int t = 0; t < rows; t++) {
                        int count = NttConvolution.mul(column[t + columns - 1], unscale);
                        if ((count & 1) != 0) {
                            PackedBits.flip(out, m - 1 - (t0 + t));
                        }
                    }
                }
            }
        } finally {
            Arrays.fill(column, 0);
            Arrays.fill(window, 0);
        }
        return out;
    }

    /**
     * Writes bits {@code [from, from + count)} of {@code bits} as 0/1 ints into {@code out},
     * in order or, if {@code reversed}, from {@code out[count − 1]} down to {@code out[0]}.
     */
    private static void spread(long[] bits, int from, int count, int[] out, int offset, boolean reversed) {
        for (int i = 0; i < count; ) {
            int bit = from + i;
            long word = bits[bit >>> 6] >>> (bit & 63);
            int take = Math.min(64 - (bit & 63), count - i);
            for (int k = 0; k < take; k++, i++) {
                int value = (int) (word >>> k) & 1;
                out[offset + (reversed ? count - 1 - i : i)] = value;
            }
        }
    }
}
