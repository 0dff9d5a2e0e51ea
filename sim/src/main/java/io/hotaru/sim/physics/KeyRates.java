package io.hotaru.sim.physics;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Asymptotic decoy-state key rate of a fibre link against distance (decoy-bb84-and-limits.md §1,
 * infinite decoys): the signal intensity μ optimised per distance by golden-section search, or
 * fixed, and the maximum distance by bisection on where the best rate reaches zero.
 */
public final class KeyRates {

    /** Range of μ the optimiser searches. */
    public static final double MU_MIN = 1e-4;

    public static final double MU_MAX = 2.0;

    private static final double PHI = (Math.sqrt(5) - 1) / 2;

    private KeyRates() {}

    /**
     * One point of the curve.
     *
     * @param distanceKm fibre length
     * @param eta total transmittance η (fibre × η_Bob)
     * @param mu signal intensity used
     * @param gain Q_μ
     * @param qber E_μ
     * @param ratePerPulse secret bits per pulse, ≥ 0
     */
    public record Point(double distanceKm, double eta, double mu, double gain, double qber, double ratePerPulse) {}

    /** The rate at {@code km} with μ fixed, or optimised when {@code mu} is empty. */
    public static Point at(LinkParameters p, double km, OptionalDouble mu, double f, double q) {
        double m = mu.isPresent() ? mu.getAsDouble() : optimalMu(p, km, f, q);
        AnalyticModel model = AnalyticModel.of(withSignal(p.withLengthKm(km), m));
        return new Point(km, model.transmittance(), m, model.gain(0), model.qber(0), model.keyRatePerPulse(f, q));
    }

    public static List<Point> curve(LinkParameters p, double[] distancesKm, OptionalDouble mu, double f, double q) {
        List<Point> out = new ArrayList<>(distancesKm.length);
        for (double km : distancesKm) {
            out.add(at(p, km, mu, f, q));
        }
        return List.copyOf(out);
    }

    /** μ in [{@link #MU_MIN}, {@link #MU_MAX}] that maximises the (unclamped) rate at {@code km}. */
    public static double optimalMu(LinkParameters p, double km, double f, double q) {
        LinkParameters at = p.withLengthKm(km);
        double a = MU_MIN;
        double b = MU_MAX;
        double c = b - PHI * (b - a);
        double d = a + PHI * (b - a);
        double fc = rawRate(at, c, f, q);
        double fd = rawRate(at, d, f, q);
        while (b - a > 1e-7) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - PHI * (b - a);
                fc = rawRate(at, c, f, q);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + PHI * (b - a);
                fd = rawRate(at, d, f, q);
            }
        }
        return (a + b) / 2;
    }

    /**
     * The longest fibre with a positive rate (μ fixed or optimised), to 1 m; 0 if there is none at
     * 0 km.
     */
    public static double maxDistanceKm(LinkParameters p, OptionalDouble mu, double f, double q) {
        if (!positive(p, 0, mu, f, q)) {
            return 0;
        }
        double lo = 0;
        double hi = 50;
        while (positive(p, hi, mu, f, q)) {
            lo = hi;
            hi *= 2;
            if (hi > 1e5) {
                return Double.POSITIVE_INFINITY;
            }
        }
        while (hi - lo > 1e-3) {
            double mid = (lo + hi) / 2;
            if (positive(p, mid, mu, f, q)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** PLOB bound (Pirandola et al. 2017): −log2(1 − η) secret bits per use of a pure-loss channel. */
    public static double plob(double eta) {
        return -Math.log1p(-eta) / Math.log(2);
    }

    private static boolean positive(LinkParameters p, double km, OptionalDouble mu, double f, double q) {
        double m = mu.isPresent() ? mu.getAsDouble() : optimalMu(p, km, f, q);
        return rawRate(p.withLengthKm(km), m, f, q) > 0;
    }

    private static double rawRate(LinkParameters p, double mu, double f, double q) {
        return AnalyticModel.of(withSignal(p, mu)).keyRateUnclamped(f, q);
    }

    /** The parameters with signal intensity {@code mu} (level 0). */
    public static LinkParameters withSignal(LinkParameters p, double mu) {
        double[] intensities = p.intensities();
        intensities[0] = mu;
        return new LinkParameters(
                p.repetitionRateHz(),
                intensities,
                p.intensityProbabilities(),
                p.zBasisProbability(),
                p.attenuationDbPerKm(),
                p.lengthKm(),
                p.extraLossDb(),
                p.detectorEfficiency(),
                p.darkCountProbability(),
                p.misalignmentError());
    }
}
