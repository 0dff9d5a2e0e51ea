package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * The six matrices one {@link ThreePrimeProduct} needs at one transform length: the spread rows
 * (R × C), the two factors' transforms and their sum (C × R) and two primes' residues (R × C).
 * They are made of thousands of small row arrays, which the garbage collector copies while they
 * are young; so the last workspace is kept (one slot) and handed to the next product of the same
 * length instead of allocating some 200 MB per hash at n = 10⁸. Every matrix is zeroed before the
 * workspace is returned: it held transforms of key material.
 */
final class ProductWorkspace {
    private static ProductWorkspace cached;

    final int log;
    final long[][] spread;
    final long[][] left;
    final long[][] right;
    final long[][] sum;
    final long[][][] residues;

    private ProductWorkspace(int log, int rows, int columns) {
        this.log = log;
        spread = new long[rows][columns];
        left = new long[columns][rows];
        right = new long[columns][rows];
        sum = new long[columns][rows];
        residues = new long[][][] {new long[rows][columns], new long[rows][columns]};
    }

    /** A zeroed workspace for 2^log points: the cached one if it has that length, else a new one. */
    static ProductWorkspace take(int log, int rows, int columns) {
        synchronized (ProductWorkspace.class) {
            if (cached != null && cached.log == log) {
                ProductWorkspace w = cached;
                cached = null;
                return w;
            }
        }
        return new ProductWorkspace(log, rows, columns);
    }

    /** Zeroes every matrix and keeps this workspace for the next product. */
    void release() {
        PackedBits.zero(spread);
        PackedBits.zero(left);
        PackedBits.zero(right);
        PackedBits.zero(sum);
        PackedBits.zero(residues[0]);
        PackedBits.zero(residues[1]);
        synchronized (ProductWorkspace.class) {
            cached = this;
        }
    }
}
