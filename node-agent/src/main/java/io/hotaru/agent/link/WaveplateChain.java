package io.hotaru.agent.link;

/**
 * The rotation of the Poincaré sphere made by a quarter-wave, a half-wave and a quarter-wave plate
 * (in the order the light meets them) at angles a₁, a₂, a₃ from horizontal, and back: the angles
 * that make a given rotation. Rotations are 3 × 3 matrices on Stokes vectors, row-major.
 *
 * <p>A waveplate at θ with retardance φ is R_z(2θ)·R_x(φ)·R_z(−2θ), so the chain is
 *
 * <pre>
 * C = R_z(2a₃)·R_y(2a₁ + 2a₃ − 4a₂)·R_z(−2a₁)
 * </pre>
 *
 * a z-y-z Euler decomposition. Its folds (2a₂ = a₁ + a₃ mod 90°) are the Euler angles' gimbal lock;
 * a search over the rotation itself, mapped to angles here, never meets them. Every rotation has two
 * Euler solutions, and each angle repeats (a₁, a₃ every 180°, a₂ every 90°): {@link #anglesFor}
 * picks the solution nearest to the angles the controller holds.
 */
public final class WaveplateChain {

    private WaveplateChain() {}

    /** The rotation the chain makes at {@code anglesDeg} (a₁, a₂, a₃). */
    public static double[] rotationOf(double[] anglesDeg) {
        check(anglesDeg);
        double a1 = Math.toRadians(anglesDeg[0]);
        double a2 = Math.toRadians(anglesDeg[1]);
        double a3 = Math.toRadians(anglesDeg[2]);
        return times(times(rz(2 * a3), ry(2 * a1 + 2 * a3 - 4 * a2)), rz(-2 * a1));
    }

    /**
     * Angles (degrees) at which the chain makes {@code rotation}, the solution nearest to {@code
     * nearDeg} (largest single-angle difference, each angle taken modulo its period).
     */
    public static double[] anglesFor(double[] rotation, double[] nearDeg) {
        check(nearDeg);
        double beta = Math.acos(Math.max(-1, Math.min(1, rotation[8])));
        double sinBeta = Math.sin(beta);
        double alpha;
        double eps;
        if (sinBeta > 1e-9) {
            alpha = Math.atan2(rotation[5], rotation[2]);
            eps = Math.atan2(rotation[7], -rotation[6]);
        } else {
            // Gimbal lock: only α + ε (β = 0) or α − ε (β = π) is defined; keep α where it is.
            alpha = 2 * Math.toRadians(nearDeg[2]);
            double sum = Math.atan2(rotation[3], rotation[0]);
            eps = rotation[8] > 0 ? sum - alpha : alpha - sum + Math.PI;
        }
        double[] first = fromEuler(alpha, beta, eps, nearDeg);
        double[] second = fromEuler(alpha + Math.PI, -beta, eps + Math.PI, nearDeg);
        return distance(first, nearDeg) <= distance(second, nearDeg) ? first : second;
    }

    /** A rotation by {@code |v|} radians about the axis v (Stokes coordinates). */
    public static double[] exp(double x, double y, double z) {
        double angle = Math.sqrt(x * x + y * y + z * z);
        if (angle == 0) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        x /= angle;
        y /= angle;
        z /= angle;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[] {
            t * x * x + c,
            t * x * y - s * z,
            t * x * z + s * y,
            t * x * y + s * z,
            t * y * y + c,
            t * y * z - s * x,
            t * x * z - s * y,
            t * y * z + s * x,
            t * z * z + c
        };
    }

    /** The product a·b (b acts first). */
    public static double[] times(double[] a, double[] b) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
            }
        }
        return m;
    }

    /** The nearest rotation (Gram–Schmidt on the rows), against rounding drift over many products. */
    public static double[] orthonormalised(double[] m) {
        double[] x = normalised(m[0], m[1], m[2]);
        double dot = x[0] * m[3] + x[1] * m[4] + x[2] * m[5];
        double[] y = normalised(m[3] - dot * x[0], m[4] - dot * x[1], m[5] - dot * x[2]);
        return new double[] {
            x[0],
            x[1],
            x[2],
            y[0],
            y[1],
            y[2],
            x[1] * y[2] - x[2] * y[1],
            x[2] * y[0] - x[0] * y[2],
            x[0] * y[1] - x[1] * y[0]
        };
    }

    private static double[] fromEuler(double alpha, double beta, double eps, double[] nearDeg) {
        double a1 = -eps / 2;
        double a3 = alpha / 2;
        double a2 = (2 * a1 + 2 * a3 - beta) / 4;
        return new double[] {
            nearest(Math.toDegrees(a1), 180, nearDeg[0]),
            nearest(Math.toDegrees(a2), 90, nearDeg[1]),
            nearest(Math.toDegrees(a3), 180, nearDeg[2])
        };
    }

    /** {@code deg} plus the multiple of {@code period} that brings it nearest to {@code near}. */
    private static double nearest(double deg, double period, double near) {
        return deg + period * Math.rint((near - deg) / period);
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < 3; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double[] normalised(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    private static double[] rz(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    private static double[] ry(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
    }

    private static void check(double[] anglesDeg) {
        if (anglesDeg.length != 3) {
            throw new IllegalArgumentException("a QWP-HWP-QWP chain has 3 angles, got " + anglesDeg.length);
        }
    }
}
