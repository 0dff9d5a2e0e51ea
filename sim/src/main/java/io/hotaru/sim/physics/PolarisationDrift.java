package io.hotaru.sim.physics;

/**
 * Slow drift of a fibre's birefringence: the channel's rotation of the Poincaré sphere turns at a
 * constant angular speed about an axis that itself wanders at random, so the rotation from Alice's
 * frame to Bob's walks away from where it started and never settles.
 *
 * <p>Time is cut into steps of {@link #STEP_SECONDS}; step k turns the channel by ω·Δt about the
 * axis u_k, where u_k = normalise(u_{k−1} + σ·g_k) with g_k a standard normal vector drawn from a
 * {@link CounterRandom} stream keyed by k, and σ = √(Δt/τ) for an axis correlation time τ of
 * {@link #AXIS_CORRELATION_SECONDS}. The rotation at any step is a pure function of (link key,
 * speed, step). {@link #rotationAt} walks forward from the last step asked for, so asking in
 * increasing order costs one 3 × 3 product per step.
 *
 * <p>Not thread-safe.
 */
public final class PolarisationDrift {

    /** Length of one drift step, link seconds. */
    public static final double STEP_SECONDS = 1e-3;

    /** Correlation time of the rotation axis, link seconds. */
    public static final double AXIS_CORRELATION_SECONDS = 10;

    private static final long STREAM = 0x504F_4C44L; // "POLD"
    private static final int ORTHONORMALISE_EVERY = 1024;

    private final double stepAngleRad;
    private final double sigma;
    private final CounterRandom random;
    private long step;
    private double ux;
    private double uy;
    private double uz;
    private StokesRotation rotation = StokesRotation.IDENTITY;

    /**
     * @param linkKey the link's key
     * @param speedDegPerSecond angular speed of the drift on the Poincaré sphere, ≥ 0
     */
    public PolarisationDrift(long linkKey, double speedDegPerSecond) {
        if (!(speedDegPerSecond >= 0) || !Double.isFinite(speedDegPerSecond)) {
            throw new IllegalArgumentException("drift speed must be finite and >= 0, got " + speedDegPerSecond);
        }
        this.stepAngleRad = Math.toRadians(speedDegPerSecond) * STEP_SECONDS;
        this.sigma = Math.sqrt(STEP_SECONDS / AXIS_CORRELATION_SECONDS);
        this.random = CounterRandom.of(linkKey, STREAM);
        double[] g = gaussians(0);
        double n = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        ux = g[0] / n;
        uy = g[1] / n;
        uz = g[2] / n;
    }

    /** The step that link time {@code seconds} falls in. */
    public static long stepAt(double seconds) {
        return (long) Math.floor(seconds / STEP_SECONDS);
    }

    /**
     * The channel's rotation during step {@code k} (the identity at step 0).
     *
     * @throws IllegalArgumentException if {@code k} is before the last step asked for
     */
    public StokesRotation rotationAt(long k) {
        if (k < step) {
            throw new IllegalArgumentException("drift steps must be asked in order: " + k + " after " + step);
        }
        while (step < k) {
            step++;
            double[] g = gaussians(step);
            double x = ux + sigma * g[0];
            double y = uy + sigma * g[1];
            double z = uz + sigma * g[2];
            double n = Math.sqrt(x * x + y * y + z * z);
            ux = x / n;
            uy = y / n;
            uz = z / n;
            rotation = StokesRotation.about(ux, uy, uz, stepAngleRad).after(rotation);
            if (step % ORTHONORMALISE_EVERY == 0) {
                rotation = rotation.orthonormalised();
            }
        }
        return rotation;
    }

    /** Three standard normal numbers for step {@code k} (Box–Muller on two counter draws). */
    private double[] gaussians(long k) {
        long a = random.at(2 * k);
        long b = random.at(2 * k + 1);
        double u1 = ((a >>> 32) + 1) * 0x1.0p-32;
        double u2 = (a & 0xFFFFFFFFL) * 0x1.0p-32;
        double u3 = ((b >>> 32) + 1) * 0x1.0p-32;
        double u4 = (b & 0xFFFFFFFFL) * 0x1.0p-32;
        double r1 = Math.sqrt(-2 * Math.log(u1));
        double r2 = Math.sqrt(-2 * Math.log(u3));
        return new double[] {
            r1 * Math.cos(2 * Math.PI * u2), r1 * Math.sin(2 * Math.PI * u2), r2 * Math.cos(2 * Math.PI * u4)
        };
    }
}
