package io.hotaru.keys.distill.amplify;

import java.math.BigInteger;

/**
 * Number-theoretic transform of length 2^log modulo the 60-bit prime p = 268435360·2³² + 1 (primitive
 * root 3), for exact cyclic convolutions of 64-bit words. The transform is the evaluation at the
 * N-th roots of unity in a permuted order; {@link #inverse} undoes {@link #forward} up to the
 * factor N, which {@link #multiplyScaled} removes, so forward, multiply and inverse give the
 * cyclic convolution of two arrays whose exact coefficients are below p.
 *
 * <p>Arithmetic: butterflies use Shoup's precomputed quotients (one high and two low 64-bit
 * products) with Harvey's lazy reduction, every value kept in [0, 2p) ⊂ [0, 2⁶¹); the pointwise
 * product and the twist use Montgomery reduction with R = 2⁶⁴. Memory: transforms longer than
 * 2¹⁵ points use the four-step layout N = R·S (columns of R points, gathered eight at a time into
 * a scratch array, then contiguous rows of S = 2¹⁵ points twisted by ω^(k·i) and transformed in
 * cache), so the whole array is read and written twice per transform and the twiddle tables stay
 * at 2·2¹⁵ longs however long the transform is.
 */
final class ModularNtt {
    static final long P = 1152921092289986561L;
    private static final long P2 = 2 * P;
    private static final long GENERATOR = 3;
    /** p⁻¹ mod 2⁶⁴. */
    private static final long P_INV = inverseMod64(P);
    /** 2¹²⁸ mod p: converts into Montgomery form. */
    private static final long R2 =
            BigInteger.ONE.shiftLeft(128).mod(BigInteger.valueOf(P)).longValueExact();

    static final int MAX_LOG = 30;
    private static final int ROW_LOG = 15;
    private static final int COLUMNS_PER_GATHER = 8;
    /** Levels with fewer butterflies per block than this run twiddle by twiddle (one twiddle load). */
    private static final int SHORT_LEVEL = 16;

    private final int log;
    private final int size;
    private final int rowLog;
    private final int rows;
    private final int rowSize;
    private final long[] twiddle;
    private final long[] twiddleQuotient;
    private final long[] inverseTwiddle;
    private final long[] inverseTwiddleQuotient;
    /** ω_N and ω_N⁻¹ in Montgomery form. */
    private final long rootMont;

    private final long inverseRootMont;
    /** R²/N mod p: {@code mont(mont(a, b), scale)} = a·b/N. */
    private final long scale;

    private static final ModularNtt[] SHARED = new ModularNtt[MAX_LOG + 1];

    /** The transform of length 2^log; instances hold only public constants and are shared. */
    static ModularNtt of(int log) {
        if (log < 1 || log > MAX_LOG) {
            throw new IllegalArgumentException("transform length 2^" + log + " outside 2^1..2^" + MAX_LOG);
        }
        synchronized (SHARED) {
            if (SHARED[log] == null) {
                SHARED[log] = new ModularNtt(log);
            }
            return SHARED[log];
        }
    }

    ModularNtt(int log) {
        if (log < 1 || log > MAX_LOG) {
            throw new IllegalArgumentException("transform length 2^" + log + " outside 2^1..2^" + MAX_LOG);
        }
        this.log = log;
        this.size = 1 << log;
        this.rowLog = Math.min(log, ROW_LOG);
        this.rowSize = 1 << rowLog;
        this.rows = size >>> rowLog;
        long root = pow(GENERATOR, (P - 1) >>> log);
        long inverseRoot = pow(root, P - 2);
        this.rootMont = toMont(root);
        this.inverseRootMont = toMont(inverseRoot);
        long inverseSize = pow(size, P - 2);
        this.scale = toMont(toMont(inverseSize));
        int tableSize = Math.max(rowSize, rows);
        twiddle = new long[tableSize];
        twiddleQuotient = new long[tableSize];
        inverseTwiddle = new long[tableSize];
        inverseTwiddleQuotient = new long[tableSize];
        // Level with half-length h uses entries [h, 2h): ω_{2h}^j, where ω_{2h} = ω_N^(N / 2h).
        for (int h = 1; h < tableSize; h <<= 1) {
            long step = pow(root, size / (2L * h));
            long inverseStep = pow(inverseRoot, size / (2L * h));
            long w = 1;
            long v = 1;
            for (int j = 0; j < h; j++) {
                twiddle[h + j] = w;
                twiddleQuotient[h + j] = shoupQuotient(w);
                inverseTwiddle[h + j] = v;
                inverseTwiddleQuotient[h + j] = shoupQuotient(v);
                w = mulModSlow(w, step);
                v = mulModSlow(v, inverseStep);
            }
        }
    }

    int size() {
        return size;
    }

    int log() {
        return log;
    }

    /** In place; values in [0, 2p) in, [0, 2p) out, in the transform's own order. */
    void forward(long[] a) {
        if (rows == 1) {
            difBlock(a, 0, size);
            return;
        }
        long[] scratch = new long[COLUMNS_PER_GATHER * rows];
        for (int i0 = 0; i0 < rowSize; i0 += COLUMNS_PER_GATHER) {
            gather(a, i0, scratch);
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                difBlock(scratch, c * rows, rows);
            }
            scatter(scratch, i0, a);
        }
        for (int r = 0; r < rows; r++) {
            int offset = r << rowLog;
            twist(a, offset, pow(rootMont, Integer.reverse(r) >>> (32 - (log - rowLog)), true));
            difBlock(a, offset, rowSize);
        }
    }

    /** The inverse of {@link #forward} times N; values in [0, 2p) in and out. */
    void inverse(long[] a) {
        if (rows == 1) {
            ditBlock(a, 0, size);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int offset = r << rowLog;
            ditBlock(a, offset, rowSize);
            twist(a, offset, pow(inverseRootMont, Integer.reverse(r) >>> (32 - (log - rowLog)), true));
        }
        long[] scratch = new long[COLUMNS_PER_GATHER * rows];
        for (int i0 = 0; i0 < rowSize; i0 += COLUMNS_PER_GATHER) {
            gather(a, i0, scratch);
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                ditBlock(scratch, c * rows, rows);
            }
            scatter(scratch, i0, a);
        }
    }

    /** out[k] = a[k]·b[k]/N mod p, in [0, p); {@code out} may be {@code a}. */
    void multiplyScaled(long[] a, long[] b, long[] out) {
        long s = scale;
        for (int k = 0; k < size; k++) {
            out[k] = mont(mont(a[k], b[k]), s);
        }
    }

    /**
     * out[k] = a[k]·b[k]/2⁶⁴ mod p, in [0, p): the first term of a sum of products finished by
     * {@link #multiplyAddScaled}; {@code out} may be {@code a}.
     */
    void multiplyUnscaled(long[] a, long[] b, long[] out) {
        for (int k = 0; k < size; k++) {
            out[k] = mont(a[k], b[k]);
        }
    }

    /** out[k] = out[k] + a[k]·b[k]/2⁶⁴ mod p, in [0, p), for out[k] in [0, p). */
    void multiplyAddUnscaled(long[] a, long[] b, long[] out) {
        for (int k = 0; k < size; k++) {
            long v = out[k] + mont(a[k], b[k]) - P;
            out[k] = v + ((v >> 63) & P);
        }
    }

    /**
     * The last term: out[k] = (out[k]·2⁶⁴ + a[k]·b[k])/N mod p, in [0, p), for out[k] in [0, p),
     * so that a sum started by {@link #multiplyUnscaled} ends as Σ a_i[k]·b_i[k]/N, ready for
     * {@link #inverse}, with one scaling per element instead of one per term.
     */
    void multiplyAddScaled(long[] a, long[] b, long[] out) {
        long s = scale;
        for (int k = 0; k < size; k++) {
            long v = out[k] + mont(a[k], b[k]) - P;
            out[k] = mont(v + ((v >> 63) & P), s);
        }
    }

    /** Reduces a value in [0, 2p) to [0, p). */
    static long reduce(long v) {
        long t = v - P;
        return t + ((t >> 63) & P);
    }

    private void gather(long[] a, int i0, long[] scratch) {
        for (int t = 0; t < rows; t++) {
            int from = (t << rowLog) + i0;
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                scratch[c * rows + t] = a[from + c];
            }
        }
    }

    private void scatter(long[] scratch, int i0, long[] a) {
        for (int t = 0; t < rows; t++) {
            int to = (t << rowLog) + i0;
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                a[to + c] = scratch[c * rows + t];
            }
        }
    }

    /**
     * a[offset + i] ·= g^i for i in [0, S), g given in Montgomery form: four interleaved chains of
     * powers, kept in Montgomery form in [0, 2p) and stepped by g⁴ with Shoup's product (g⁴ is a
     * constant of the row), each applied to its element with one Montgomery product.
     */
    private void twist(long[] a, int offset, long gMont) {
        long g2 = mont(gMont, gMont);
        long g3 = mont(g2, gMont);
        long g4 = mont(mont(g2, g2), 1); // plain form: multiplying by it keeps the chains in Montgomery form
        long g4Quotient = shoupQuotient(g4);
        long c0 = toMont(1);
        long c1 = gMont;
        long c2 = g2;
        long c3 = g3;
        for (int i = offset, end = offset + rowSize; i < end; i += 4) {
            a[i] = mont(a[i], c0);
            a[i + 1] = mont(a[i + 1], c1);
            a[i + 2] = mont(a[i + 2], c2);
            a[i + 3] = mont(a[i + 3], c3);
            c0 = shoup(c0, g4, g4Quotient);
            c1 = shoup(c1, g4, g4Quotient);
            c2 = shoup(c2, g4, g4Quotient);
            c3 = shoup(c3, g4, g4Quotient);
        }
    }

    /**
     * Decimation in frequency, natural order in, bit-reversed out (Gentleman–Sande). Levels go two
     * at a time (h and h/2 on four values held in registers), after one single level if their
     * count is odd, down to h = 8; the last three levels (h = 4, 2, 1) run on eight values at a
     * time ({@link #difLeaf}), where five of the twelve butterflies need a product.
     */
    private void difBlock(long[] a, int offset, int length) {
        if (length < 8) {
            difShortBlock(a, offset, length);
            return;
        }
        int h = length >>> 1;
        if (((Integer.numberOfTrailingZeros(length) - 3) & 1) != 0) {
            difLevel(a, offset, length, h);
            h >>>= 1;
        }
        for (; h >= 16; h >>>= 2) {
            difTwoLevels(a, offset, length, h);
        }
        difLeaf(a, offset, length);
    }

    /** Lengths 2 and 4. */
    private void difShortBlock(long[] a, int offset, int length) {
        if (length == 4) {
            difLevel(a, offset, length, 2);
        }
        for (int i = offset, end = offset + length; i < end; i += 2) {
            long x = a[i];
            long y = a[i + 1];
            a[i] = addMod(x, y);
            a[i + 1] = subMod(x, y);
        }
    }

    /** Levels h = 4, 2, 1 on each run of eight values: twiddles ω₈^j (h = 4) and ω₄ (h = 2). */
    private void difLeaf(long[] a, int offset, int length) {
        long w1 = twiddle[5];
        long q1 = twiddleQuotient[5];
        long w2 = twiddle[6];
        long q2 = twiddleQuotient[6];
        long w3 = twiddle[7];
        long q3 = twiddleQuotient[7];
        for (int i = offset, end = offset + length; i < end; i += 8) {
            long x0 = a[i];
            long x1 = a[i + 1];
            long x2 = a[i + 2];
            long x3 = a[i + 3];
            long x4 = a[i + 4];
            long x5 = a[i + 5];
            long x6 = a[i + 6];
            long x7 = a[i + 7];
            long y0 = addMod(x0, x4);
            long y4 = subMod(x0, x4);
            long y1 = addMod(x1, x5);
            long y5 = shoup(x1 - x5 + P2, w1, q1);
            long y2 = addMod(x2, x6);
            long y6 = shoup(x2 - x6 + P2, w2, q2);
            long y3 = addMod(x3, x7);
            long y7 = shoup(x3 - x7 + P2, w3, q3);
            long z0 = addMod(y0, y2);
            long z2 = subMod(y0, y2);
            long z1 = addMod(y1, y3);
            long z3 = shoup(y1 - y3 + P2, w2, q2); // ω₄ = ω₈²
            long z4 = addMod(y4, y6);
            long z6 = subMod(y4, y6);
            long z5 = addMod(y5, y7);
            long z7 = shoup(y5 - y7 + P2, w2, q2);
            a[i] = addMod(z0, z1);
            a[i + 1] = subMod(z0, z1);
            a[i + 2] = addMod(z2, z3);
            a[i + 3] = subMod(z2, z3);
            a[i + 4] = addMod(z4, z5);
            a[i + 5] = subMod(z4, z5);
            a[i + 6] = addMod(z6, z7);
            a[i + 7] = subMod(z6, z7);
        }
    }

    private void difLevel(long[] a, int offset, int length, int h) {
        long[] w = twiddle;
        long[] wq = twiddleQuotient;
        for (int block = offset, end = offset + length; block < end; block += 2 * h) {
            for (int j = 0; j < h; j++) {
                int i = block + j;
                long x = a[i];
                long y = a[i + h];
                a[i] = addMod(x, y);
                a[i + h] = shoup(x - y + P2, w[h + j], wq[h + j]);
            }
        }
    }

    private void difTwoLevels(long[] a, int offset, int length, int h) {
        long[] w = twiddle;
        long[] wq = twiddleQuotient;
        int q = h >>> 1;
        int end = offset + length;
        if (q >= SHORT_LEVEL) {
            for (int block = offset; block < end; block += 2 * h) {
                for (int j = 0; j < q; j++) {
                    difQuad(a, block + j, h, q, w[h + j], wq[h + j], w[h + q + j], wq[h + q + j], w[q + j], wq[q + j]);
                }
            }
        } else {
            for (int j = 0; j < q; j++) {
                long w0 = w[h + j];
                long q0 = wq[h + j];
                long w1 = w[h + q + j];
                long q1 = wq[h + q + j];
                long w2 = w[q + j];
                long q2 = wq[q + j];
                for (int i = offset + j; i < end; i += 2 * h) {
                    difQuad(a, i, h, q, w0, q0, w1, q1, w2, q2);
                }
            }
        }
    }

    private static void difQuad(long[] a, int i, int h, int q, long w0, long q0, long w1, long q1, long w2, long q2) {
        long x0 = a[i];
        long x1 = a[i + q];
        long x2 = a[i + h];
        long x3 = a[i + h + q];
        long y0 = addMod(x0, x2);
        long y2 = shoup(x0 - x2 + P2, w0, q0);
        long y1 = addMod(x1, x3);
        long y3 = shoup(x1 - x3 + P2, w1, q1);
        a[i] = addMod(y0, y1);
        a[i + q] = shoup(y0 - y1 + P2, w2, q2);
        a[i + h] = addMod(y2, y3);
        a[i + h + q] = shoup(y2 - y3 + P2, w2, q2);
    }

    /**
     * Decimation in time with inverse roots, bit-reversed in, natural order out (Cooley–Tukey): the
     * first three levels (h = 1, 2, 4) on eight values at a time ({@link #ditLeaf}), then two
     * levels per pass, then one more level if their count is odd.
     */
    private void ditBlock(long[] a, int offset, int length) {
        if (length < 8) {
            ditShortBlock(a, offset, length);
            return;
        }
        ditLeaf(a, offset, length);
        int h = 16;
        for (; h < length; h <<= 2) {
            ditTwoLevels(a, offset, length, h);
        }
        if (h >>> 1 < length) {
            ditLevel(a, offset, length, h >>> 1);
        }
    }

    /** Lengths 2 and 4. */
    private void ditShortBlock(long[] a, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i += 2) {
            long x = a[i];
            long y = a[i + 1];
            a[i] = addMod(x, y);
            a[i + 1] = subMod(x, y);
        }
        if (length == 4) {
            ditLevel(a, offset, length, 2);
        }
    }

    /** Levels h = 1, 2, 4 on each run of eight values, the inverse of {@link #difLeaf}. */
    private void ditLeaf(long[] a, int offset, int length) {
        long v1 = inverseTwiddle[5];
        long q1 = inverseTwiddleQuotient[5];
        long v2 = inverseTwiddle[6];
        long q2 = inverseTwiddleQuotient[6];
        long v3 = inverseTwiddle[7];
        long q3 = inverseTwiddleQuotient[7];
        for (int i = offset, end = offset + length; i < end; i += 8) {
            long x0 = a[i];
            long x1 = a[i + 1];
            long x2 = a[i + 2];
            long x3 = a[i + 3];
            long x4 = a[i + 4];
            long x5 = a[i + 5];
            long x6 = a[i + 6];
            long x7 = a[i + 7];
            long y0 = addMod(x0, x1);
            long y1 = subMod(x0, x1);
            long y2 = addMod(x2, x3);
            long y3 = subMod(x2, x3);
            long y4 = addMod(x4, x5);
            long y5 = subMod(x4, x5);
            long y6 = addMod(x6, x7);
            long y7 = subMod(x6, x7);
            long t3 = shoup(y3, v2, q2); // ω₄⁻¹ = ω₈⁻²
            long z0 = addMod(y0, y2);
            long z2 = subMod(y0, y2);
            long z1 = addMod(y1, t3);
            long z3 = subMod(y1, t3);
            long t7 = shoup(y7, v2, q2);
            long z4 = addMod(y4, y6);
            long z6 = subMod(y4, y6);
            long z5 = addMod(y5, t7);
            long z7 = subMod(y5, t7);
            long u5 = shoup(z5, v1, q1);
            long u6 = shoup(z6, v2, q2);
            long u7 = shoup(z7, v3, q3);
            a[i] = addMod(z0, z4);
            a[i + 4] = subMod(z0, z4);
            a[i + 1] = addMod(z1, u5);
            a[i + 5] = subMod(z1, u5);
            a[i + 2] = addMod(z2, u6);
            a[i + 6] = subMod(z2, u6);
            a[i + 3] = addMod(z3, u7);
            a[i + 7] = subMod(z3, u7);
        }
    }

    private void ditLevel(long[] a, int offset, int length, int h) {
        long[] w = inverseTwiddle;
        long[] wq = inverseTwiddleQuotient;
        for (int block = offset, end = offset + length; block < end; block += 2 * h) {
            for (int j = 0; j < h; j++) {
                int i = block + j;
                long x = a[i];
                long t = shoup(a[i + h], w[h + j], wq[h + j]);
                a[i] = addMod(x, t);
                a[i + h] = subMod(x, t);
            }
        }
    }

    /** Levels q = h/2 then h, the inverse of {@link #difTwoLevels}. */
    private void ditTwoLevels(long[] a, int offset, int length, int h) {
        long[] w = inverseTwiddle;
        long[] wq = inverseTwiddleQuotient;
        int q = h >>> 1;
        int end = offset + length;
        if (q >= SHORT_LEVEL) {
            for (int block = offset; block < end; block += 2 * h) {
                for (int j = 0; j < q; j++) {
                    ditQuad(a, block + j, h, q, w[q + j], wq[q + j], w[h + j], wq[h + j], w[h + q + j], wq[h + q + j]);
                }
            }
        } else {
            for (int j = 0; j < q; j++) {
                long w0 = w[q + j];
                long q0 = wq[q + j];
                long w1 = w[h + j];
                long q1 = wq[h + j];
                long w2 = w[h + q + j];
                long q2 = wq[h + q + j];
                for (int i = offset + j; i < end; i += 2 * h) {
                    ditQuad(a, i, h, q, w0, q0, w1, q1, w2, q2);
                }
            }
        }
    }

    private static void ditQuad(long[] a, int i, int h, int q, long w0, long q0, long w1, long q1, long w2, long q2) {
        long x0 = a[i];
        long t1 = shoup(a[i + q], w0, q0);
        long x2 = a[i + h];
        long t3 = shoup(a[i + h + q], w0, q0);
        long y0 = addMod(x0, t1);
        long y1 = subMod(x0, t1);
        long y2 = addMod(x2, t3);
        long y3 = subMod(x2, t3);
        long u2 = shoup(y2, w1, q1);
        long u3 = shoup(y3, w2, q2);
        a[i] = addMod(y0, u2);
        a[i + h] = subMod(y0, u2);
        a[i + q] = addMod(y1, u3);
        a[i + h + q] = subMod(y1, u3);
    }

    /** x + y for x, y in [0, 2p), in [0, 2p). */
    private static long addMod(long x, long y) {
        long s = x + y - P2;
        return s + ((s >> 63) & P2);
    }

    /** x − y for x, y in [0, 2p), in [0, 2p). */
    private static long subMod(long x, long y) {
        long d = x - y;
        return d + ((d >> 63) & P2);
    }

    /**
     * v·w mod p in [0, 2p) for v in [0, 2⁶²), w in [0, p), q = ⌊w·2⁶³/p⌋ (Shoup): the quotient
     * estimate ⌊2v·q/2⁶⁴⌋ is at most 1 below ⌊v·w/p⌋.
     */
    private static long shoup(long v, long w, long q) {
        return v * w - Math.multiplyHigh(v << 1, q) * P;
    }

    /** Montgomery product a·b/2⁶⁴ mod p in [0, p), for a·b < p·2⁶⁴. */
    static long mont(long a, long b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        long m = lo * P_INV;
        long t = hi - (Math.multiplyHigh(m, P) + ((m >> 63) & P));
        return t + ((t >> 63) & P);
    }

    static long toMont(long x) {
        return mont(x, R2);
    }

    /** base^e with base in Montgomery form if {@code montgomery}, else plain; result in the same form. */
    private static long pow(long base, long e, boolean montgomery) {
        long result = toMont(1);
        long b = montgomery ? base : toMont(base);
        while (e != 0) {
            if ((e & 1) != 0) {
                result = mont(result, b);
            }
            b = mont(b, b);
            e >>>= 1;
        }
        return montgomery ? result : mont(result, 1);
    }

    private static long pow(long base, long e) {
        return pow(base, e, false);
    }

    private static long mulModSlow(long a, long b) {
        return mont(toMont(a), b);
    }

    private static long shoupQuotient(long w) {
        return BigInteger.valueOf(w).shiftLeft(63).divide(BigInteger.valueOf(P)).longValueExact();
    }

    private static long inverseMod64(long odd) {
        long x = odd; // correct to 3 bits; each Newton step doubles the precision
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
