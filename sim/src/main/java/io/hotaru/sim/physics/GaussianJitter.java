package io.hotaru.sim.physics;

/**
 * A click's timing jitter in whole picoseconds: round(shift + σ·√(−2 ln u₁)·cos(2π u₂)) (Box–Muller)
 * with u₁ and u₂ the two halves of one random word, exactly as {@link #exact} computes it with
 * {@code Math.log} and {@code Math.cos}, but mostly without them.
 *
 * <p>The result is an integer, so an estimate with a bound on its error decides it whenever no
 * rounding boundary lies within the bound. The top 14 bits of each half pick a cell of u₁ and of
 * u₂: √(−2 ln u₁) lies within its cell's half-width of the cell's centre value (it is monotonic
 * across the cell, whose edges are tabled), and cos(2π u₂) within 2π·2⁻¹⁵ of the value at the
 * angle's cell centre (cos is 1-Lipschitz). The tables hold floats (128 kB in all, small enough to
 * stay in a core's cache while the receiver streams its batches), and the bounds add the floats'
 * rounding. The product's error is bounded by R_w·(|C_m| + C_w) + R_m·C_w, widened by {@link
 * #MARGIN}, far more than the rounding of the double computation. Only when a boundary lies within the bound (about 2 % of words at σ = 30 ps) does the
 * exact expression decide, so the result is the exact one's, bit for bit, with no branch on the
 * word but that one.
 */
final class GaussianJitter {
    /** Widening of the error bound, in picoseconds; rounding errors are below 10⁻¹². */
    static final double MARGIN = 1e-9;

    private static final int CELL_BITS = 14;
    private static final int CELLS = 1 << CELL_BITS;
    /**
     * √(−2 ln u₁) at the edges of the cells of u₁, as floats: edge k at u₁ = (k·2¹⁸ + 1)·2⁻³², the
     * smallest u₁ of cell k (its largest radius); edge k + 1, a little past cell k's largest u₁,
     * bounds its radius from below; edge {@code CELLS} is 0 (u₁ = 1).
     */
    private static final float[] RADIUS_EDGE = new float[CELLS + 1];
    /** cos(2π u₂) at the centre of each cell of u₂, as a float. */
    private static final float[] COS_CENTRE = new float[CELLS];
    /**
     * The most a float edge differs from √(−2 ln u₁): half a float ulp below 8 (the largest radius is
     * √(−2 ln 2⁻³²) < 6.7), plus the double computation's error.
     */
    private static final double EDGE_ERROR = 0x1.0p-22 + 1e-13;
    /**
     * The most cos(2π u₂) can differ from its cell's float centre value: half a cell's angle (cos is
     * 1-Lipschitz), plus half a float ulp below 1 and the double computation's error.
     */
    private static final double COS_HALF_WIDTH = Math.PI / CELLS + 0x1.0p-25 + 1e-15;

    static {
        for (int k = 0; k < CELLS; k++) {
            RADIUS_EDGE[k] = (float) Math.sqrt(-2 * Math.log(((long) k << (32 - CELL_BITS)) * 0x1.0p-32 + 0x1.0p-32));
            COS_CENTRE[k] = (float) Math.cos(2 * Math.PI * (k + 0.5) / CELLS);
        }
        RADIUS_EDGE[CELLS] = 0;
    }

    private final double sigmaPs;

    /** @param sigmaPs the standard deviation, in picoseconds (> 0) */
    GaussianJitter(double sigmaPs) {
        this.sigmaPs = sigmaPs;
    }

    /** The jitter of random word {@code word}, plus {@code shiftPs}, rounded to whole picoseconds. */
    int delayPs(long word, double shiftPs) {
        int r = (int) (word >>> (64 - CELL_BITS)); // u₁'s cell
        int a = (int) (word >>> (32 - CELL_BITS)) & (CELLS - 1); // u₂'s cell
        double largest = RADIUS_EDGE[r];
        double smallest = RADIUS_EDGE[r + 1];
        // Sums and differences of two floats are exact in double.
        double radius = (largest + smallest) * 0.5;
        double radiusWidth = (largest - smallest) * 0.5 + EDGE_ERROR;
        double cos = COS_CENTRE[a];
        double v = shiftPs + sigmaPs * radius * cos + 0.5;
        double bound = sigmaPs * (radiusWidth * (Math.abs(cos) + COS_HALF_WIDTH) + radius * COS_HALF_WIDTH) + MARGIN;
        double below = Math.floor(v - bound);
        return below == Math.floor(v + bound) ? (int) below : exact(word, shiftPs);
    }
    /** The defining expression: round(shift + σ·√(−2 ln u₁)·cos(2π u₂)). */
    int exact(long word, double shiftPs) {
        double u1 = ((word >>> 32) + 1) * 0x1.0p-32;
        double u2 = (word & 0xFFFFFFFFL) * 0x1.0p-32;
        return (int) Math.round(shiftPs + sigmaPs * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
}
