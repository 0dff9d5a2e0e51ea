package io.hotaru.keys.distill.amplify;

/**
 * The in-place butterfly passes of {@link ModularNtt} on one contiguous block (a row or a gathered
 * column of the four-step layout), modulo p = {@link ModularNtt#P}: decimation in frequency for the
 * forward transform and decimation in time with inverse roots for the inverse, every value kept in
 * [0, 2p) (Harvey's lazy reduction) and every product by a twiddle a Shoup product with its
 * precomputed quotient. The level with half-length h reads its twiddles at [h, 2h) of the tables:
 * ω_{2h}^j and its quotient ⌊ω_{2h}^j·2⁶³/p⌋.
 */
final class NttBlocks {
    private static final long P = ModularNtt.P;
    private static final long P2 = 2 * P;
    /** Levels with fewer butterflies per block than this run twiddle by twiddle (one twiddle load). */
    private static final int SHORT_LEVEL = 16;

    private final long[] twiddle;
    private final long[] twiddleQuotient;
    private final long[] inverseTwiddle;
    private final long[] inverseTwiddleQuotient;

    NttBlocks(long[] twiddle, long[] twiddleQuotient, long[] inverseTwiddle, long[] inverseTwiddleQuotient) {
        this.twiddle = twiddle;
        this.twiddleQuotient = twiddleQuotient;
        this.inverseTwiddle = inverseTwiddle;
        this.inverseTwiddleQuotient = inverseTwiddleQuotient;
    }

    /**
     * Decimation in frequency, natural order in, bit-reversed out (Gentleman–Sande). Levels go two
     * at a time (h and h/2 on four values held in registers), after one single level if their
     * count is odd, down to h = 8; the last three levels (h = 4, 2, 1) run on eight values at a
     * time ({@link #difLeaf}), where five of the twelve butterflies need a product.
     */
    void difBlock(long[] a, int offset, int length) {
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
    void ditBlock(long[] a, int offset, int length) {
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
    static long addMod(long x, long y) {
        long s = x + y - P2;
        return s + ((s >> 63) & P2);
    }

    /** x − y for x, y in [0, 2p), in [0, 2p). */
    static long subMod(long x, long y) {
        long d = x - y;
        return d + ((d >> 63) & P2);
    }

    /**
     * v·w mod p in [0, 2p) for v in [0, 2⁶²), w in [0, p), q = ⌊w·2⁶³/p⌋ (Shoup): the quotient
     * estimate ⌊2v·q/2⁶⁴⌋ is at most 1 below ⌊v·w/p⌋.
     */
    static long shoup(long v, long w, long q) {
        return v * w - Math.multiplyHigh(v << 1, q) * P;
    }
}
