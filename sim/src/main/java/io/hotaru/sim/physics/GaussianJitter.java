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
 * angle's cell centre (cos is 1-Lipschitz). Their product's error is bounded by
 * R_w·(|C_m| + C_w) + R_m·C_w, widened by {@link #MARGIN}, far more than the rounding of either
 * computation. Only when a boundary lies within the bound (about 2 % of words at σ = 30 ps) does the
 * exact expression decide, so the result is the exact one's, bit for bit, with no branch on the
 * word but that one.
 */
final class GaussianJitter {
    /** Widening of the error bound, in picoseconds; rounding errors are below 10⁻¹². */
    static final double MARGIN = 1e-9;

    private static final int CELL_BITS = 14;
    private static final int CELLS = 1 << CELL_BITS;
    /** Per cell k of u₁ (u₁ from (k·2¹⁸ + 1)·2⁻³² to (k + 1)·2¹⁸·2⁻³²): centre and half-width of √(−2 ln u₁). */
    private static final double[] RADIUS = new double[2 * CELLS];
    /** cos(2π u₂) at the centre of each cell of u₂. */
    private static final double[] COS_CENTRE = new double[CELLS];
    /** The most cos(2π u₂) can differ from its cell's centre value: half a cell's angle. */
    private static final double COS_HALF_WIDTH = Math.PI / CELLS;

    static {
        double[] edge = new double[CELLS + 1];
        for (int k = 0; k < CELLS; k++) {
            edge[k] = Math.sqrt(-2 * Math.log(((long) k << (32 - CELL_BITS)) * 0x1.0p-32 + 0x1.0p-32));
        }
        // u₁ = 1 ends the last cell; the next cell's first u₁ bounds the others from below
        edge[CELLS] = 0;
        for (int k = 0; k < CELLS; k++) {
            RADIUS[2 * k] = (edge[k] + edge[k + 1]) / 2;
            RADIUS[2 * k + 1] = (edge[k] - edge[k + 1]) / 2 * (1 + 1e-12) + 1e-15;
            COS_CENTRE[k] = Math.cos(2 * Math.PI * (k + 0.5) / CELLS);
        }
    }

    private final double sigmaPs;

    /** @param sigmaPs the standard deviation, in picoseconds (> 0) */
    GaussianJitter(double sigmaPs) {
        this.sigmaPs = sigmaPs;
    }

    /** The jitter of random word {@code word}, plus {@code shiftPs}, rounded to whole picoseconds. */
    int delayPs(long word, double shiftPs) {
        int r = (int) (word >>> (64 - CELL_BITS)) << 1; // u₁'s cell
        int a = (int) (word >>> (32 - CELL_BITS)) & (CELLS - 1); // u₂'s cell
        double radius = RADIUS[r];
        double radiusWidth = RADIUS[r + 1];
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
