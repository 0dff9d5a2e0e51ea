package io.hotaru.keys.distill.amplify;

/**
 * Exact cyclic convolution of 0/1 sequences by a number-theoretic transform over the prime p =
 * 15·2²⁷ + 1 = 2013265921 (primitive root 31), which has roots of unity of every order up to 2²⁷.
 * A coefficient of the product of two 0/1 sequences is a count no larger than the shorter
 * sequence, so it is exact whenever that length is below p. Arithmetic is Montgomery (R = 2³²) on
 * {@code int}s; forward transforms are decimation in frequency (natural order in, bit-reversed
 * out) and the inverse decimation in time, so no bit-reversal pass is needed.
 */
final class NttConvolution {
    static final int P = 2013265921;
    static final int MAX_LOG = 27;
    private static final int G = 31;
    /** −p⁻¹ mod 2³². */
    private static final int P_NEG_INV = negInverse();

    private final int log;
    private final int size;
    /** Montgomery form of a primitive 2^(k+1)-th root of unity (forward) and its inverse, by k. */
    private final int[] forwardRoot;

    private final int[] inverseRoot;
    /** The twiddles of one large level at a time, generated in order so they are read in order. */
    private int[] scratch;

    /** Contiguous twiddles of the levels with half-length 2^k < {@link #LOCAL}, indexed by k. */
    private final int[][] forwardLocal;

    private final int[][] inverseLocal;

    /** Levels whose butterflies span fewer points than this run chunk by chunk (2·LOCAL ints = 128 KiB). */
    private static final int LOCAL = 1 << 14;

    NttConvolution(int log) {
        if (log < 1 || log > MAX_LOG) {
            throw new IllegalArgumentException("transform size 2^" + log + " not supported");
        }
        this.log = log;
        this.size = 1 << log;
        forwardRoot = new int[log];
        inverseRoot = new int[log];
        long r = (1L << 32) % P;
        for (int k = 0; k < log; k++) {
            int root = pow(G, (P - 1L) >>> (k + 1));
            forwardRoot[k] = (int) (root * r % P);
            inverseRoot[k] = (int) (pow(root, P - 2L) * r % P);
        }
        forwardLocal = local(forwardRoot);
        inverseLocal = local(inverseRoot);
    }

    private int[][] local(int[] roots) {
        int[][] out = new int[Math.min(log, Integer.numberOfTrailingZeros(LOCAL))][];
        for (int k = 0; k < out.length; k++) {
            out[k] = powers(roots[k], 1 << k, new int[1 << k]);
        }
        return out;
    }

    /** root^j in Montgomery form for j < count, into {@code out}. */
    private static int[] powers(int rootMont, int count, int[] out) {
        int value = (int) ((1L << 32) % P);
        for (int j = 0; j < count; j++) {
            out[j] = value;
            value = mul(value, rootMont);
        }
        return out;
    }

    private int[] levelTwiddles(int[] roots, int half) {
        if (scratch == null) {
            scratch = new int[size / 2];
        }
        return powers(roots[Integer.numberOfTrailingZeros(half)], half, scratch);
    }

    int size() {
        return size;
    }

    /** In place: natural order in, bit-reversed order out. Values in [0, p). */
    void forward(int[] a) {
        int half = size >>> 1;
        // Large levels two at a time (radix 4): one pass over memory instead of two.
        for (; half >= 2 * LOCAL; half >>>= 2) {
            int[] twiddles = levelTwiddles(forwardRoot, half);
            for (int start = 0; start < size; start += 2 * half) {
                forwardRadix4(a, start, half, twiddles);
            }
        }
        for (; half >= LOCAL; half >>>= 1) {
            int[] twiddles = levelTwiddles(forwardRoot, half);
            for (int start = 0; start < size; start += 2 * half) {
                forwardButterflies(a, start, half, twiddles, 1);
            }
        }
        // The remaining levels stay inside aligned chunks of 2·LOCAL points: finish one chunk at a
        // time while it is in cache. Half-lengths 2 and 1 have twiddles {1, ω₄} and {1}.
        int chunk = Math.min(size, 2 * LOCAL);
        for (int base = 0; base < size; base += chunk) {
            int top = base + chunk;
            for (int h = Math.min(half, chunk >>> 1); h >= 4; h >>>= 1) {
                int[] twiddles = forwardLocal[Integer.numberOfTrailingZeros(h)];
                for (int start = base; start < top; start += 2 * h) {
                    forwardButterflies(a, start, h, twiddles, 1);
                }
            }
            if (size >= 4) {
                int w4 = forwardLocal[1][1];
                for (int j = base; j < top; j += 4) {
                    int u0 = a[j];
                    int u1 = a[j + 1];
                    int v0 = a[j + 2];
                    int v1 = a[j + 3];
                    int s0 = u0 + v0 - P;
                    s0 = s0 < 0 ? s0 + P : s0;
                    int s1 = u1 + v1 - P;
                    s1 = s1 < 0 ? s1 + P : s1;
                    int d0 = u0 - v0;
                    d0 = d0 < 0 ? d0 + P : d0;
                    int d1 = u1 - v1;
                    d1 = mul(d1 < 0 ? d1 + P : d1, w4);
                    // half-length 1 on (s0, s1) and (d0, d1)
                    int e = s0 + s1 - P;
                    a[j] = e < 0 ? e + P : e;
                    int f = s0 - s1;
                    a[j + 1] = f < 0 ? f + P : f;
                    e = d0 + d1 - P;
                    a[j + 2] = e < 0 ? e + P : e;
                    f = d0 - d1;
                    a[j + 3] = f < 0 ? f + P : f;
                }
            } else {
                int e = a[0] + a[1] - P;
                int f = a[0] - a[1];
                a[0] = e < 0 ? e + P : e;
                a[1] = f < 0 ? f + P : f;
            }
        }
    }

    /** Levels {@code half} and {@code half/2} of one block of 2·half points; tw[k] = ω_{2·half}^k. */
    private static void forwardRadix4(int[] a, int start, int half, int[] tw) {
        int q = half >>> 1;
        for (int k = 0; k < q; k++) {
            int i0 = start + k;
            int i1 = i0 + q;
            int i2 = i0 + half;
            int i3 = i2 + q;
            int a0 = a[i0];
            int a1 = a[i1];
            int a2 = a[i2];
            int a3 = a[i3];
            int b0 = a0 + a2 - P;
            b0 = b0 < 0 ? b0 + P : b0;
            int b2 = a0 - a2;
            b2 = mul(b2 < 0 ? b2 + P : b2, tw[k]);
            int b1 = a1 + a3 - P;
            b1 = b1 < 0 ? b1 + P : b1;
            int b3 = a1 - a3;
            b3 = mul(b3 < 0 ? b3 + P : b3, tw[k + q]);
            int w = tw[2 * k];
            int e = b0 + b1 - P;
            a[i0] = e < 0 ? e + P : e;
            int f = b0 - b1;
            a[i1] = mul(f < 0 ? f + P : f, w);
            e = b2 + b3 - P;
            a[i2] = e < 0 ? e + P : e;
            f = b2 - b3;
            a[i3] = mul(f < 0 ? f + P : f, w);
        }
    }

    /** Inverse levels {@code h} and {@code 2h} of one block of 4h points; tw[k] = ω_{4h}^{−k}. */
    private static void inverseRadix4(int[] a, int start, int h, int[] tw) {
        for (int k = 0; k < h; k++) {
            int i0 = start + k;
            int i1 = i0 + h;
            int i2 = i1 + h;
            int i3 = i2 + h;
            int t = tw[2 * k];
            int v = mul(a[i1], t);
            int x0 = a[i0];
            int y0 = x0 + v - P;
            y0 = y0 < 0 ? y0 + P : y0;
            int y1 = x0 - v;
            y1 = y1 < 0 ? y1 + P : y1;
            v = mul(a[i3], t);
            int x2 = a[i2];
            int y2 = x2 + v - P;
            y2 = y2 < 0 ? y2 + P : y2;
            int y3 = x2 - v;
            y3 = y3 < 0 ? y3 + P : y3;
            v = mul(y2, tw[k]);
            int e = y0 + v - P;
            a[i0] = e < 0 ? e + P : e;
            e = y0 - v;
            a[i2] = e < 0 ? e + P : e;
            v = mul(y3, tw[k + h]);
            e = y1 + v - P;
            a[i1] = e < 0 ? e + P : e;
            e = y1 - v;
            a[i3] = e < 0 ? e + P : e;
        }
    }

    private static void forwardButterflies(int[] a, int start, int half, int[] twiddles, int stride) {
        int end = start + half;
        for (int j = start, t = 0; j < end; j++, t += stride) {
            int u = a[j];
            int v = a[j + half];
            int sum = u + v - P; // fits an int although u + v may not (p > 2³⁰)
            a[j] = sum < 0 ? sum + P : sum;
            int diff = u - v;
            a[j + half] = mul(diff < 0 ? diff + P : diff, twiddles[t]);
        }
    }

    /** In place: bit-reversed order in, natural order out, without the 1/size factor. */
    void inverse(int[] a) {
        int chunk = Math.min(size, 2 * LOCAL);
        int localTop = Math.min(size, LOCAL);
        for (int base = 0; base < size; base += chunk) {
            int top = base + chunk;
            if (size >= 4) {
                int w4 = inverseLocal[1][1];
                for (int j = base; j < top; j += 4) {
                    int x0 = a[j];
                    int x1 = a[j + 1];
                    int x2 = a[j + 2];
                    int x3 = a[j + 3];
                    // half-length 1 on (x0, x1) and (x2, x3)
                    int s0 = x0 + x1 - P;
                    s0 = s0 < 0 ? s0 + P : s0;
                    int d0 = x0 - x1;
                    d0 = d0 < 0 ? d0 + P : d0;
                    int s1 = x2 + x3 - P;
                    s1 = s1 < 0 ? s1 + P : s1;
                    int d1 = x2 - x3;
                    d1 = d1 < 0 ? d1 + P : d1;
                    // half-length 2: twiddles 1 and ω₄⁻¹
                    int t1 = mul(d1, w4);
                    int e = s0 + s1 - P;
                    a[j] = e < 0 ? e + P : e;
                    e = d0 + t1 - P;
                    a[j + 1] = e < 0 ? e + P : e;
                    int f = s0 - s1;
                    a[j + 2] = f < 0 ? f + P : f;
                    f = d0 - t1;
                    a[j + 3] = f < 0 ? f + P : f;
                }
            } else {
                int e = a[0] + a[1] - P;
                int f = a[0] - a[1];
                a[0] = e < 0 ? e + P : e;
                a[1] = f < 0 ? f + P : f;
            }
            for (int h = 4; h < localTop; h <<= 1) {
                int[] twiddles = inverseLocal[Integer.numberOfTrailingZeros(h)];
                for (int start = base; start < top; start += 2 * h) {
                    inverseButterflies(a, start, h, twiddles, 1);
                }
            }
        }
        int half = localTop;
        for (; 4 * half <= size; half <<= 2) {
            int[] twiddles = levelTwiddles(inverseRoot, 2 * half);
            for (int start = 0; start < size; start += 4 * half) {
                inverseRadix4(a, start, half, twiddles);
            }
        }
        for (; half < size; half <<= 1) {
            int[] twiddles = levelTwiddles(inverseRoot, half);
            for (int start = 0; start < size; start += 2 * half) {
                inverseButterflies(a, start, half, twiddles, 1);
            }
        }
    }

    private static void inverseButterflies(int[] a, int start, int half, int[] twiddles, int stride) {
        int end = start + half;
        for (int j = start, t = 0; j < end; j++, t += stride) {
            int u = a[j];
            int v = mul(a[j + half], twiddles[t]);
            int sum = u + v - P;
            a[j] = sum < 0 ? sum + P : sum;
            int diff = u - v;
            a[j + half] = diff < 0 ? diff + P : diff;
        }
    }

    /** a[i] ← a[i]·b[i]·R⁻¹ (Montgomery product). */
    void multiply(int[] a, int[] b) {
        for (int i = 0; i < size; i++) {
            a[i] = mul(a[i], b[i]);
        }
    }

    /**
     * The factor that turns an entry of inverse(multiply(forward a, forward b)) into the plain
     * convolution value: size⁻¹·R², applied with {@link #mul}.
     */
    int unscale() {
        long r = (1L << 32) % P;
        long r2 = r * r % P;
        long sizeInv = pow(size, P - 2L);
        return (int) (r2 * sizeInv % P);
    }

    /** Montgomery product a·b·2⁻³² mod p for a, b in [0, p). */
    static int mul(int a, int b) {
        long t = (long) a * b;
        long m = ((int) t * P_NEG_INV) & 0xFFFF_FFFFL;
        long u = (t + m * P) >>> 32;
        return (int) (u >= P ? u - P : u);
    }

    static int pow(long base, long exponent) {
        long result = 1;
        long b = base % P;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = result * b % P;
            }
            b = b * b % P;
            e >>>= 1;
        }
        return (int) result;
    }

    private static int negInverse() {
        int inv = P; // Newton: inv = inv·(2 − p·inv), doubling correct bits from 3 (p odd)
        for (int i = 0; i < 5; i++) {
            inv *= 2 - P * inv;
        }
        return -inv;
    }

    int log() {
        return log;
    }
}
