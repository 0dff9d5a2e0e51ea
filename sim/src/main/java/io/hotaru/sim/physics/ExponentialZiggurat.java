package io.hotaru.sim.physics;

/**
 * Exponential variates (rate 1) by the ziggurat method of Marsaglia and Tsang (J. Stat. Softw. 5,
 * 2000), 256 layers: about 99 % of the draws cost one table look-up and one multiplication instead
 * of a logarithm, and the distribution is exact (to the 2^−53 resolution of the uniform).
 *
 * <p>The density e^−x is covered by 256 horizontal layers of equal area v: the base layer is the
 * rectangle [0, r] × [0, e^−r] plus the tail beyond r, and layer i ≥ 1 is [0, x_i] × [e^−x_i,
 * e^−x_(i+1)] with x_1 = r, x_256 = 0. A draw picks a layer with 8 bits and a point in it with 53
 * other bits of the same word; a point left of x_(i+1) lies under the curve and is returned at once.
 * Otherwise the point is tested against the curve (or, in the base layer, a tail variate r + E is
 * returned by memorylessness), drawing further words from a counter-based retry stream so that the
 * result stays a pure function of the first word and the counter.
 */
final class ExponentialZiggurat {

    static final int LAYERS = 256;
    /** Where the tail starts (Marsaglia and Tsang's constant for 256 layers). */
    static final double R = 7.69711747013104972;
    /** Area of each layer: the base layer's, (r + 1)·e^−r; the top layer then closes to 10^−13. */
    static final double V = (R + 1) * Math.exp(-R);

    private static final double TWO_53 = 0x1.0p53;
    /** x_i: right edge of layer i; x_0 = v / e^−r is the base layer's width with its tail folded in. */
    private static final double[] X = new double[LAYERS + 1];
    /** e^−x_i. */
    private static final double[] F = new double[LAYERS + 1];
    /** x_i · 2^−53: the layer's width per unit of a 53-bit uniform integer. */
    private static final double[] WIDTH = new double[LAYERS];
    /** ⌊x_(i+1) / x_i · 2^53⌋: a uniform integer below this lands under the curve for sure. */
    private static final long[] INSIDE = new long[LAYERS];

    /** (e^−x_(i+1) − e^−x_i) / (x_i − x_(i+1)): the slope of layer i's chord, for the squeeze. */
    private static final double[] CHORD_SLOPE = new double[LAYERS];

    /** Margins of the squeeze, far wider than the rounding of the bounds and of Math.exp. */
    private static final double SQUEEZE_BELOW = 1 - 1e-9;

    private static final double SQUEEZE_ABOVE = 1 + 1e-9;

    static {
        X[0] = V / Math.exp(-R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = -Math.log(Math.exp(-X[i]) + V / X[i]);
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = Math.exp(-X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            WIDTH[i] = X[i] / TWO_53;
            INSIDE[i] = (long) (X[i + 1] / X[i] * TWO_53);
            CHORD_SLOPE[i] = (F[i + 1] - F[i]) / (X[i] - X[i + 1]);
        }
    }

    private final CounterRandom retry;

    /** @param retry the stream the rare slow path draws from, keyed by 64 × counter + attempt */
    ExponentialZiggurat(CounterRandom retry) {
        this.retry = retry;
    }

    /**
     * An exponential variate from the random word {@code bits} (fast path), or from further words of
     * the retry stream keyed by {@code counter} (slow path).
     */
    double sample(long bits, long counter) {
        int layer = (int) bits & (LAYERS - 1);
        long j = bits >>> 11;
        if (j < INSIDE[layer]) {
            return j * WIDTH[layer];
        }
        return slow(layer, j, counter);
    }

    private double slow(int layer, long j, long counter) {
        long base = counter << 6;
        for (int attempt = 0; ; attempt += 2) {
            if (j < INSIDE[layer]) {
                return j * WIDTH[layer];
            }
            long u = retry.at(base + (attempt & 63));
            if (layer == 0) {
                return R - Math.log(unitOpenZero(u));
            }
            double x = j * WIDTH[layer];
            double y = F[layer] + unit(u) * (F[layer + 1] - F[layer]);
            // e^−x is convex: above its tangent at x_i and below the layer's chord. A point clear of
            // either bound by far more than rounding is decided without an exponential, the same way.
            if (y < F[layer] * (1 + X[layer] - x) * SQUEEZE_BELOW
                    || (y < (F[layer] + (X[layer] - x) * CHORD_SLOPE[layer]) * SQUEEZE_ABOVE && y < Math.exp(-x))) {
                return x;
            }
            long next = retry.at(base + ((attempt + 1) & 63));
            layer = (int) next & (LAYERS - 1);
            j = next >>> 11;
        }
    }

    /** Area of layer {@code i} as the tables have it (v for every layer, up to rounding). */
    static double layerArea(int i) {
        if (i == 0) {
            return X[1] * F[1] + F[1]; // rectangle [0, r] × [0, e^−r] plus the tail ∫_r^∞ e^−x dx
        }
        return X[i] * (F[i + 1] - F[i]);
    }

    /** x_i, the right edge of layer i (x_256 = 0). */
    static double edge(int i) {
        return X[i];
    }

    private static double unit(long bits) {
        return (bits >>> 11) / TWO_53;
    }

    private static double unitOpenZero(long bits) {
        return ((bits >>> 11) + 1) / TWO_53;
    }
}
