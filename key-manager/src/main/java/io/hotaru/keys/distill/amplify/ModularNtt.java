package io.hotaru.keys.distill.amplify;

import java.math.BigInteger;

/**
 * Number-theoretic transform of length 2^log modulo the 60-bit prime p = 268435360·2³² + 1 (primitive
 * root 3), for exact cyclic convolutions of 64-bit words. The transform is the evaluation at the
 * N-th roots of unity in a permuted order; {@link #inverse} undoes {@link #forward} up to the
 * factor N, which {@link #multiplyScaled} removes, so forward, multiply and inverse give the
 * cyclic convolution of two arrays whose exact coefficients are below p.
 *
 * <p>Arithmetic: butterflies ({@link NttBlocks}) use Shoup's precomputed quotients (one high and
 * two low 64-bit products) with Harvey's lazy reduction, every value kept in [0, 2p) ⊂ [0, 2⁶¹); the pointwise
 * product and the twist use Montgomery reduction with R = 2⁶⁴. Memory: transforms longer than
 * 2¹⁵ points use the four-step layout N = R·S (columns of R points, gathered eight at a time into
 * a scratch array, then contiguous rows of S = 2¹⁵ points twisted by ω^(k·i) and transformed in
 * cache), so the whole array is read and written twice per transform and the twiddle tables stay
 * at 2·2¹⁵ longs however long the transform is.
 */
final class ModularNtt {
    static final long P = 1152921092289986561L;
    private static final long GENERATOR = 3;
    /** p⁻¹ mod 2⁶⁴. */
    private static final long P_INV = inverseMod64(P);
    /** 2¹²⁸ mod p: converts into Montgomery form. */
    private static final long R2 =
            BigInteger.ONE.shiftLeft(128).mod(BigInteger.valueOf(P)).longValueExact();

    static final int MAX_LOG = 30;
    private static final int ROW_LOG = 15;
    private static final int COLUMNS_PER_GATHER = 8;

    private final int log;
    private final int size;
    private final int rowLog;
    private final int rows;
    private final int rowSize;
    /** The butterfly passes, with the twiddle tables of blocks up to max(S, R) points. */
    private final NttBlocks blocks;
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
        long[] twiddle = new long[tableSize];
        long[] twiddleQuotient = new long[tableSize];
        long[] inverseTwiddle = new long[tableSize];
        long[] inverseTwiddleQuotient = new long[tableSize];
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
        blocks = new NttBlocks(twiddle, twiddleQuotient, inverseTwiddle, inverseTwiddleQuotient);
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
            blocks.difBlock(a, 0, size);
            return;
        }
        long[] scratch = new long[COLUMNS_PER_GATHER * rows];
        for (int i0 = 0; i0 < rowSize; i0 += COLUMNS_PER_GATHER) {
            gather(a, i0, scratch);
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                blocks.difBlock(scratch, c * rows, rows);
            }
            scatter(scratch, i0, a);
        }
        for (int r = 0; r < rows; r++) {
            int offset = r << rowLog;
            twist(a, offset, pow(rootMont, Integer.reverse(r) >>> (32 - (log - rowLog)), true));
            blocks.difBlock(a, offset, rowSize);
        }
    }

    /** The inverse of {@link #forward} times N; values in [0, 2p) in and out. */
    void inverse(long[] a) {
        if (rows == 1) {
            blocks.ditBlock(a, 0, size);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int offset = r << rowLog;
            blocks.ditBlock(a, offset, rowSize);
            twist(a, offset, pow(inverseRootMont, Integer.reverse(r) >>> (32 - (log - rowLog)), true));
        }
        long[] scratch = new long[COLUMNS_PER_GATHER * rows];
        for (int i0 = 0; i0 < rowSize; i0 += COLUMNS_PER_GATHER) {
            gather(a, i0, scratch);
            for (int c = 0; c < COLUMNS_PER_GATHER; c++) {
                blocks.ditBlock(scratch, c * rows, rows);
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
            c0 = NttBlocks.shoup(c0, g4, g4Quotient);
            c1 = NttBlocks.shoup(c1, g4, g4Quotient);
            c2 = NttBlocks.shoup(c2, g4, g4Quotient);
            c3 = NttBlocks.shoup(c3, g4, g4Quotient);
        }
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
