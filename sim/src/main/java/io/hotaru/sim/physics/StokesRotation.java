package io.hotaru.sim.physics;

/**
 * A rotation of the Poincaré sphere: what a lossless polarisation element (fibre birefringence, a
 * waveplate) does to a Stokes vector (s1 = H/V, s2 = D/A, s3 = R/L). Immutable, row-major 3 × 3.
 *
 * <p>For BB84 with Z = H/V and X = D/A, a state of basis b sent through the rotation is measured in
 * the same basis with an extra error probability (1 − R_bb)/2: {@link #errorProbability(int)}.
 */
public final class StokesRotation {

    /** The identity: no change of polarisation. */
    public static final StokesRotation IDENTITY = new StokesRotation(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] m;

    private StokesRotation(double[] m) {
        this.m = m;
    }

    /**
     * A rotation by {@code angleRad} about {@code (x, y, z)} (normalised here), right-handed.
     *
     * @throws IllegalArgumentException if the axis is zero or not finite
     */
    public static StokesRotation about(double x, double y, double z, double angleRad) {
        double norm = Math.sqrt(x * x + y * y + z * z);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("rotation axis must be finite and non-zero");
        }
        x /= norm;
        y /= norm;
        z /= norm;
        double c = Math.cos(angleRad);
        double s = Math.sin(angleRad);
        double t = 1 - c;
        return new StokesRotation(new double[] {
            t * x * x + c,
            t * x * y - s * z,
            t * x * z + s * y,
            t * x * y + s * z,
            t * y * y + c,
            t * y * z - s * x,
            t * x * z - s * y,
            t * y * z + s * x,
            t * z * z + c
        });
    }

    /**
     * A linear retarder (waveplate) with its fast axis at {@code orientationRad} to horizontal and
     * retardance {@code retardanceRad} (π/2 for a quarter-wave plate, π for a half-wave plate): a
     * rotation by the retardance about the Stokes axis (cos 2θ, sin 2θ, 0).
     */
    public static StokesRotation waveplate(double orientationRad, double retardanceRad) {
        return about(Math.cos(2 * orientationRad), Math.sin(2 * orientationRad), 0, retardanceRad);
    }

    /** This rotation after {@code first}: {@code this · first}. */
    public StokesRotation after(StokesRotation first) {
        double[] a = m;
        double[] b = first.m;
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return new StokesRotation(r);
    }

    /** The same rotation with its rows made orthonormal again (undoes rounding after many products). */
    public StokesRotation orthonormalised() {
        double[] r = m.clone();
        normalise(r, 0);
        double d = r[0] * r[3] + r[1] * r[4] + r[2] * r[5];
        r[3] -= d * r[0];
        r[4] -= d * r[1];
        r[5] -= d * r[2];
        normalise(r, 3);
        r[6] = r[1] * r[5] - r[2] * r[4];
        r[7] = r[2] * r[3] - r[0] * r[5];
        r[8] = r[0] * r[4] - r[1] * r[3];
        return new StokesRotation(r);
    }

    private static void normalise(double[] r, int row) {
        double n = Math.sqrt(r[row] * r[row] + r[row + 1] * r[row + 1] + r[row + 2] * r[row + 2]);
        r[row] /= n;
        r[row + 1] /= n;
        r[row + 2] /= n;
    }

    /** Element (row, column), both 0..2. */
    public double element(int row, int column) {
        return m[3 * row + column];
    }

    /** The angle of the rotation, radians in [0, π]. */
    public double angleRad() {
        double c = (m[0] + m[4] + m[8] - 1) / 2;
        return Math.acos(Math.max(-1, Math.min(1, c)));
    }

    /**
     * The probability that a state of {@code basis} (0 = Z, H/V; 1 = X, D/A) comes out flipped when
     * measured in the same basis: (1 − R_bb)/2.
     */
    public double errorProbability(int basis) {
        return (1 - m[4 * basis]) / 2;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "StokesRotation[angle=%.3f deg]", Math.toDegrees(angleRad()));
    }
}
