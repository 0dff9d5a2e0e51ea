package io.hotaru.keys.distill.amplify;

import java.util.Arrays;

/**
 * Number-theoretic transform of length N = 2^log modulo one of three primes below 2³⁰, shaped so
 * that HotSpot's C2 compiler vectorises its butterflies (AVX-512 on x86-64: eight 64-bit lanes).
 *
 * <p>Values are held in {@code long} lanes below 2p (Harvey's lazy reduction); every product by a
 * constant is a Shoup product (quotient ⌊w·2³²/p⌋, three low 64-bit products, no high product)
 * and every product of two variables a Montgomery product with R = 2³² (also low products only).
 * C2 in JDK 17 vectorises a loop only when every array access uses the same index expression, so
 * the transform is the four-step algorithm N = R·C on arrays of arrays: the input is R rows of C
 * values (row r holds elements r·C … r·C + C − 1); R-point transforms run across the rows, each
 * butterfly a loop over one lane range of two row arrays with a constant twiddle; every row is
 * twisted by ω_N^(c·k₁) (two Montgomery products, from two small tables); the matrix is transposed into C arrays of R;
 * and C-point transforms run across those arrays the same way. The output, C arrays of R values
 * holding X[br(i) + R·br(j)] at [j][i] (br reverses bits), is a fixed permutation of the DFT,
 * which is all a convolution needs; {@link #inverse} undoes {@link #forward} up to the factor 2³².
 * Levels are processed in groups whose arrays fit in the L2 cache (lane chunks of 1024), so the
 * data is read from memory a few times per transform, not once per level.
 */
final class SmallPrimeNtt {
    /** The three primes c·2^e + 1 below 2³⁰, with a primitive root each; their product is ≈ 2⁸⁸·². */
    static final long[] PRIMES = {998244353L, 754974721L, 469762049L};

    private static final long[] GENERATORS = {3, 11, 3};
    /** The smallest 2-adic order of p − 1 among the primes: 998244353 = 119·2²³ + 1. */
    static final int MAX_LOG = 23;

    private static final int LANE_CHUNK = 1024;
    private static final int GROUP_ARRAYS = 64;
    private static final long LOW32 = 0xFFFFFFFFL;

    private static final SmallPrimeNtt[][] SHARED = new SmallPrimeNtt[PRIMES.length][MAX_LOG + 1];

    final long p;
    private final long p2;
    /** −p⁻¹ mod 2³². */
    private final long pNeg;

    final int rowLog;
    final int colLog;
    private final TwiddleTable rowTwiddles;
    private final TwiddleTable colTwiddles;
    /**
     * Row i of the twist, ω_N^(c·br(i)), is the product of two Montgomery rows,
     * twistLow[i mod S][c]·twistHigh[i / S][c] (br(i) = br(i mod S) + br(i − i mod S) as bit
     * fields), so the tables hold (S + R/S)·C values instead of N. The untwist uses ω_N⁻¹ and
     * the factor 2³²/N, which removes the factor N of the inverse and the 2⁻³² of the pointwise
     * products.
     */
    private final int splitLog;

    private final long[][] twistLow;
    private final long[][] twistHigh;
    private final long[][] untwistLow;
    private final long[][] untwistHigh;

    /** The transform of length 2^log modulo {@code PRIMES[prime]}; instances hold only public constants. */
    static SmallPrimeNtt of(int prime, int log) {
        if (log < 1 || log > MAX_LOG) {
            throw new IllegalArgumentException("transform length 2^" + log + " outside 2^1..2^" + MAX_LOG);
        }
        synchronized (SHARED) {
            if (SHARED[prime][log] == null) {
                SHARED[prime][log] = new SmallPrimeNtt(prime, log);
            }
            return SHARED[prime][log];
        }
    }

    private SmallPrimeNtt(int prime, int log) {
        this.p = PRIMES[prime];
        this.p2 = 2 * p;
        long inverse = p; // Newton's iteration for p⁻¹ mod 2³²
        for (int i = 0; i < 5; i++) {
            inverse *= 2 - p * inverse;
        }
        this.pNeg = -inverse & LOW32;
        this.rowLog = log / 2;
        this.colLog = log - rowLog;
        long root = pow(GENERATORS[prime], (p - 1) >>> log);
        if (pow(root, 1L << (log - 1)) != p - 1) {
            throw new IllegalStateException("no root of unity of order 2^" + log + " mod " + p);
        }
        long inverseRoot = pow(root, p - 2);
        this.rowTwiddles = new TwiddleTable(p, pow(root, 1L << colLog), 1 << rowLog);
        this.colTwiddles = new TwiddleTable(p, pow(root, 1L << rowLog), 1 << colLog);
        this.splitLog = (rowLog + 1) / 2;
        this.twistLow = twistRows(root, 1, true);
        this.twistHigh = twistRows(root, 1, false);
        // 2³²/N: the inverse ends with Σ a·b/N after the pointwise Montgomery products (÷2³²).
        this.untwistLow = twistRows(inverseRoot, 1, true);
        this.untwistHigh = twistRows(inverseRoot, pow(2, 32 - log), false);
    }

    int rows() {
        return 1 << rowLog;
    }

    int columns() {
        return 1 << colLog;
    }

    /**
     * {@code rows} (R arrays of C values below 2p, natural order) is transformed into {@code out}
     * (C arrays of R values below 2p, permuted order); {@code rows} is left as scratch.
     */
    void forward(long[][] rows, long[][] out) {
        transform(rows, out, null);
    }

    /**
     * {@link #forward} of {@code rows} into {@code out}, and acc = other·out/2³² ({@code add}: acc +=)
     * lane by lane as each block of {@code out} is final, while it is in cache.
     */
    void forwardMultiply(long[][] rows, long[][] out, long[][] other, long[][] acc, boolean add) {
        transform(rows, out, (from, to, c0, c1) -> {
            for (int j = from; j < to; j++) {
                if (add) {
                    montgomeryProductAdd(other[j], out[j], acc[j], c0, c1);
                } else {
                    montgomeryProduct(other[j], out[j], acc[j], c0, c1);
                }
            }
        });
    }

    private void transform(long[][] rows, long[][] out, BlockStep whenFinal) {
        // The twist and the transposition run on each block of rows the last levels leave in cache.
        difAcross(rows, columns(), rowTwiddles, (from, to, c0, c1) -> {
            for (int i = from; i < to; i++) {
                montgomeryRange(rows[i], twistLow[i & ((1 << splitLog) - 1)], c0, c1);
                montgomeryRange(rows[i], twistHigh[i >>> splitLog], c0, c1);
            }
            transpose(rows, out, from, to, c0, c1);
        });
        difAcross(out, rows(), colTwiddles, whenFinal);
    }

    /**
     * The inverse of {@link #forward} times 2³² (the untwist table's factor 2³²/N cancels N): after
     * {@link #multiply} and {@link #multiplyAdd}, {@code in} (C × R) becomes Σ a·b in {@code rows}
     * (R × C, below 2p); {@code in} is left as scratch.
     */
    void inverse(long[][] in, long[][] rows) {
        ditAcross(in, rows(), colTwiddles, null);
        // Each block of rows is transposed back and untwisted just before its first levels.
        ditAcross(rows, columns(), rowTwiddles, (from, to, c0, c1) -> {
            transposeBack(in, rows, from, to, c0, c1);
            for (int i = from; i < to; i++) {
                montgomeryRange(rows[i], untwistLow[i & ((1 << splitLog) - 1)], c0, c1);
                montgomeryRange(rows[i], untwistHigh[i >>> splitLog], c0, c1);
            }
        });
    }

    /** Work on rows [from, to) × lanes [c0, c1) while they are in cache. */
    @FunctionalInterface
    private interface BlockStep {
        void run(int from, int to, int c0, int c1);
    }

    /** acc = a·b/2³² mod p (below 2p), lane by lane; the first term of a sum. */
    void multiply(long[][] a, long[][] b, long[][] acc) {
        for (int j = 0; j < a.length; j++) {
            montgomeryProduct(a[j], b[j], acc[j], 0, acc[j].length);
        }
    }

    /** acc += a·b/2³² mod p (below 2p), lane by lane. */
    void multiplyAdd(long[][] a, long[][] b, long[][] acc) {
        for (int j = 0; j < a.length; j++) {
            montgomeryProductAdd(a[j], b[j], acc[j], 0, acc[j].length);
        }
    }

    /** Reduces a value below 2p to [0, p). */
    long reduce(long v) {
        long t = v - p;
        return t + ((t >> 63) & p);
    }

    // ---- passes across arrays: each butterfly is a loop over a lane range with one twiddle ----

    /** Decimation in frequency across the arrays (natural order in, bit-reversed out). */
    private void difAcross(long[][] a, int lanes, TwiddleTable t, BlockStep after) {
        if (a.length == 1 && after != null) {
            after.run(0, 1, 0, lanes);
        }
        int d = a.length;
        int hHi = d >>> 1;
        while (hHi >= 1) {
            int hLo = Math.max(1, 2 * hHi / GROUP_ARRAYS);
            for (int base = 0; base < d; base += 2 * hHi) {
                for (int j0 = 0; j0 < hLo; j0++) {
                    for (int c0 = 0; c0 < lanes; c0 += LANE_CHUNK) {
                        int c1 = Math.min(lanes, c0 + LANE_CHUNK);
                        for (int h = hHi; h >= hLo; h >>>= 1) {
                            for (int x = base + j0; x < base + 2 * hHi; x += hLo) {
                                int j = (x - base) & (2 * h - 1);
                                if (j >= h) {
                                    continue;
                                }
                                if (j == 0) {
                                    addSubtract(a[x], a[x + h], c0, c1, p2);
                                } else {
                                    sumAndLazyDifference(a[x], a[x + h], c0, c1, p2);
                                    shoupRange(a[x + h], c0, c1, t.w[h + j], t.q[h + j], p);
                                }
                            }
                        }
                        if (hLo == 1 && after != null) { // the last group: these rows are final
                            after.run(base, base + 2 * hHi, c0, c1);
                        }
                    }
                }
            }
            hHi = hLo >>> 1;
        }
    }

    /** Decimation in time with inverse twiddles (bit-reversed in, natural out), times the length. */
    private void ditAcross(long[][] a, int lanes, TwiddleTable t, BlockStep before) {
        if (a.length == 1 && before != null) {
            before.run(0, 1, 0, lanes);
        }
        int d = a.length;
        int hLo = 1;
        while (hLo < d) {
            int hHi = Math.min(d >>> 1, hLo * GROUP_ARRAYS / 2);
            for (int base = 0; base < d; base += 2 * hHi) {
                for (int j0 = 0; j0 < hLo; j0++) {
                    for (int c0 = 0; c0 < lanes; c0 += LANE_CHUNK) {
                        int c1 = Math.min(lanes, c0 + LANE_CHUNK);
                        if (hLo == 1 && before != null) { // the first group: fetch these rows
                            before.run(base, base + 2 * hHi, c0, c1);
                        }
                        for (int h = hLo; h <= hHi; h <<= 1) {
                            for (int x = base + j0; x < base + 2 * hHi; x += hLo) {
                                int j = (x - base) & (2 * h - 1);
                                if (j >= h) {
                                    continue;
                                }
                                if (j != 0) {
                                    shoupRange(a[x + h], c0, c1, t.inverseW[h + j], t.inverseQ[h + j], p);
                                }
                                addSubtract(a[x], a[x + h], c0, c1, p2);
                            }
                        }
                    }
                }
            }
            hLo = hHi << 1;
        }
    }

    /** lo, hi = lo + hi, lo − hi (mod p, below 2p). */
    private static void addSubtract(long[] lo, long[] hi, int from, int to, long p2) {
        for (int c = from; c < to; c++) {
            long x = lo[c];
            long y = hi[c];
            long s = x + y - p2;
            long d = x - y;
            lo[c] = s + ((s >> 63) & p2);
            hi[c] = d + ((d >> 63) & p2);
        }
    }

    /** lo, hi = lo + hi (below 2p), lo − hi + 2p (below 4p, for a Shoup product next). */
    private static void sumAndLazyDifference(long[] lo, long[] hi, int from, int to, long p2) {
        for (int c = from; c < to; c++) {
            long x = lo[c];
            long y = hi[c];
            long s = x + y - p2;
            lo[c] = s + ((s >> 63) & p2);
            hi[c] = x - y + p2;
        }
    }

    /** v = v·w mod p, below 2p, for v below 2³² (Shoup: the quotient estimate is at most 1 short). */
    private static void shoupRange(long[] v, int from, int to, long w, long q, long p) {
        for (int c = from; c < to; c++) {
            long y = v[c];
            v[c] = y * w - ((y * q) >>> 32) * p;
        }
    }

    /** v = v·t/2³² mod p, below 2p, for v and t below 2p. */
    private void montgomeryRange(long[] v, long[] t, int from, int to) {
        long pn = pNeg;
        long pp = p;
        for (int c = from; c < to; c++) {
            long x = v[c] * t[c];
            long m = (x * pn) & LOW32;
            v[c] = (x + m * pp) >>> 32;
        }
    }

    private void montgomeryConstant(long[] v, long t) {
        long pn = pNeg;
        long pp = p;
        for (int c = 0; c < v.length; c++) {
            long x = v[c] * t;
            long m = (x * pn) & LOW32;
            v[c] = (x + m * pp) >>> 32;
        }
    }

    private void montgomeryProduct(long[] a, long[] b, long[] out, int from, int to) {
        long pn = pNeg;
        long pp = p;
        for (int c = from; c < to; c++) {
            long x = a[c] * b[c];
            long m = (x * pn) & LOW32;
            out[c] = (x + m * pp) >>> 32;
        }
    }

    private void montgomeryProductAdd(long[] a, long[] b, long[] acc, int from, int to) {
        long pn = pNeg;
        long pp = p;
        long twoP = p2;
        for (int c = from; c < to; c++) {
            long x = a[c] * b[c];
            long m = (x * pn) & LOW32;
            long s = acc[c] + ((x + m * pp) >>> 32) - twoP;
            acc[c] = s + ((s >> 63) & twoP);
        }
    }

    /**
     * out[c][i] = in[i][c] for rows [from, to) and columns [c0, c1), eight rows at a time: the
     * eight row references stay in registers and each output array receives eight consecutive values.
     */
    private static void transpose(long[][] in, long[][] out, int from, int to, int c0, int c1) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long[] r0 = in[i];
            long[] r1 = in[i + 1];
            long[] r2 = in[i + 2];
            long[] r3 = in[i + 3];
            long[] r4 = in[i + 4];
            long[] r5 = in[i + 5];
            long[] r6 = in[i + 6];
            long[] r7 = in[i + 7];
            for (int c = c0; c < c1; c++) {
                long[] column = out[c];
                column[i] = r0[c];
                column[i + 1] = r1[c];
                column[i + 2] = r2[c];
                column[i + 3] = r3[c];
                column[i + 4] = r4[c];
                column[i + 5] = r5[c];
                column[i + 6] = r6[c];
                column[i + 7] = r7[c];
            }
        }
        for (; i < to; i++) {
            long[] row = in[i];
            for (int c = c0; c < c1; c++) {
                out[c][i] = row[c];
            }
        }
    }

    /** rows[i][c] = in[c][i] for rows [from, to) and columns [c0, c1), eight rows at a time. */
    private static void transposeBack(long[][] in, long[][] rows, int from, int to, int c0, int c1) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long[] r0 = rows[i];
            long[] r1 = rows[i + 1];
            long[] r2 = rows[i + 2];
            long[] r3 = rows[i + 3];
            long[] r4 = rows[i + 4];
            long[] r5 = rows[i + 5];
            long[] r6 = rows[i + 6];
            long[] r7 = rows[i + 7];
            for (int c = c0; c < c1; c++) {
                long[] column = in[c];
                r0[c] = column[i];
                r1[c] = column[i + 1];
                r2[c] = column[i + 2];
                r3[c] = column[i + 3];
                r4[c] = column[i + 4];
                r5[c] = column[i + 5];
                r6[c] = column[i + 6];
                r7[c] = column[i + 7];
            }
        }
        for (; i < to; i++) {
            long[] row = rows[i];
            for (int c = c0; c < c1; c++) {
                row[c] = in[c][i];
            }
        }
    }

    // ---- tables ----

    /**
     * The low (rows i below S: exponents br(i) = br_S(i)·R/S) or high (rows i·S: exponents
     * br_(R/S)(i)) half of the twist, root^(c·k)·factor for c in [0, C), in Montgomery form (times
     * 2³²): row k of the exponents is row k − 1 times root^(c·step), one vectorised Montgomery
     * product per element; the powers root^(c·step) are built once by doubling.
     */
    private long[][] twistRows(long root, long factor, boolean low) {
        int count = low ? 1 << splitLog : 1 << (rowLog - splitLog);
        int countLog = low ? splitLog : rowLog - splitLog;
        int columns = columns();
        long one = (1L << 32) % p;
        long[] powers = new long[columns]; // root^(c·step), Montgomery form
        long step = mulMod(pow(root, low ? 1L << (rowLog - splitLog) : 1), one);
        powers[0] = one;
        for (int m = 1; m < columns; m <<= 1) {
            for (int j = 0; j < m; j++) {
                powers[m + j] = mont(powers[j], step);
            }
            step = mont(step, step);
        }
        long[][] byExponent = new long[count][];
        byExponent[0] = new long[columns];
        Arrays.fill(byExponent[0], mulMod(factor, one));
        for (int k = 1; k < count; k++) {
            byExponent[k] = byExponent[k - 1].clone();
            montgomeryRange(byExponent[k], powers, 0, columns);
        }
        long[][] table = new long[count][];
        for (int i = 0; i < count; i++) {
            table[i] = byExponent[countLog == 0 ? 0 : Integer.reverse(i) >>> (32 - countLog)];
        }
        return table;
    }

    private long mont(long a, long b) {
        long x = a * b;
        long m = (x * pNeg) & LOW32;
        return (x + m * p) >>> 32;
    }

    private long mulMod(long a, long b) {
        return (a % p) * (b % p) % p;
    }

    private long pow(long base, long e) {
        long result = 1;
        long b = base % p;
        while (e != 0) {
            if ((e & 1) != 0) {
                result = result * b % p;
            }
            b = b * b % p;
            e >>>= 1;
        }
        return result;
    }

    /** Twiddles of the D-point transforms: entries [h, 2h) hold ω_{2h}^j and ω_{2h}^−j with Shoup quotients. */
    private static final class TwiddleTable {
        final long[] w;
        final long[] q;
        final long[] inverseW;
        final long[] inverseQ;

        TwiddleTable(long p, long rootOfD, int d) {
            w = new long[Math.max(1, d)];
            q = new long[w.length];
            inverseW = new long[w.length];
            inverseQ = new long[w.length];
            long inverseRoot = 1;
            for (long b = rootOfD, e = p - 2; e != 0; e >>>= 1, b = b * b % p) {
                if ((e & 1) != 0) {
                    inverseRoot = inverseRoot * b % p;
                }
            }
            for (int h = 1; h < d; h <<= 1) {
                long step = rootOfD;
                long inverseStep = inverseRoot;
                for (int s = h; s < d / 2; s <<= 1) { // ω_{2h} = ω_D^(D/2h)
                    step = step * step % p;
                    inverseStep = inverseStep * inverseStep % p;
                }
                long x = 1;
                long y = 1;
                for (int j = 0; j < h; j++) {
                    w[h + j] = x;
                    q[h + j] = (x << 32) / p;
                    inverseW[h + j] = y;
                    inverseQ[h + j] = (y << 32) / p;
                    x = x * step % p;
                    y = y * inverseStep % p;
                }
            }
        }
    }
}
