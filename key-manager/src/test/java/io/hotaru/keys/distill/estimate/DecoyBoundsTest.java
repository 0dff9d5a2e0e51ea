package io.hotaru.keys.distill.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Checks the key-rate formulas against the GYS reference values of decoy-bb84-and-limits.md §2
 * (infinite-decoy channel model, f = 1.22, q = 1/2) and the vacuum + weak decoy bound's
 * convergence to them as ν → 0.
 */
class DecoyBoundsTest {
    private static final double Y0 = 1.7e-6;
    private static final double ED = 0.033;
    private static final double ETA_BOB = 0.045;
    private static final double ALPHA = 0.21;
    private static final double F = 1.22;

    /** The GYS channel model at distance L: gain and QBER of intensity x. */
    private record Channel(double eta) {
        static Channel atKm(double km) {
            return new Channel(ETA_BOB * Math.pow(10, -ALPHA * km / 10));
        }

        double gain(double x) {
            return Y0 + 1 - Math.exp(-eta * x);
        }

        double error(double x) {
            return (DecoyBounds.E0 * Y0 + ED * (1 - Math.exp(-eta * x))) / gain(x);
        }

        double y1() {
            return Y0 + eta - Y0 * eta;
        }

        double e1() {
            return (DecoyBounds.E0 * Y0 + ED * eta) / y1();
        }

        double infiniteDecoyRate(double mu) {
            double q1 = y1() * mu * Math.exp(-mu);
            return DecoyKeyRate.perPulse(0.5, gain(mu), error(mu), F, q1, e1());
        }

        double decoyRate(double mu, double nu) {
            DecoyBounds b = DecoyBounds.estimate(mu, nu, gain(mu), gain(nu), gain(0), error(nu));
            return DecoyKeyRate.perPulse(0.5, gain(mu), error(mu), F, b.q1Lower(), b.e1Upper());
        }
    }

    @Test
    void infiniteDecoyRateMatchesGysReference() {
        assertThat(Channel.atKm(0).infiniteDecoyRate(0.486)).isCloseTo(2.555e-3, within(2.555e-3 * 0.005));
        assertThat(Channel.atKm(50).infiniteDecoyRate(0.479)).isCloseTo(2.226e-4, within(2.226e-4 * 0.005));
        assertThat(Channel.atKm(100).infiniteDecoyRate(0.475)).isCloseTo(1.719e-5, within(1.719e-5 * 0.005));
    }

    @Test
    void weakDecoyBoundApproachesInfiniteDecoyFromBelow() {
        Channel c = Channel.atKm(50);
        double reference = c.infiniteDecoyRate(0.479);
        double previous = 0;
        for (double nu : new double[] {0.2, 0.1, 0.05, 0.01, 0.001}) {
            double r = c.decoyRate(0.479, nu);
            assertThat(r).as("nu=%s", nu).isLessThanOrEqualTo(reference).isGreaterThan(previous);
            previous = r;
        }
        assertThat(previous).isCloseTo(reference, within(reference * 0.005));
    }

    @Test
    void boundsRecoverTheSinglePhotonYieldAndErrorAsNuVanishes() {
        Channel c = Channel.atKm(50);
        DecoyBounds b = DecoyBounds.estimate(0.479, 1e-4, c.gain(0.479), c.gain(1e-4), c.gain(0), c.error(1e-4));
        assertThat(b.y1Lower()).isCloseTo(c.y1(), within(c.y1() * 1e-3)).isLessThanOrEqualTo(c.y1());
        assertThat(b.e1Upper()).isCloseTo(c.e1(), within(c.e1() * 1e-2)).isGreaterThanOrEqualTo(c.e1());
        assertThat(b.q1Lower()).isCloseTo(b.y1Lower() * 0.479 * Math.exp(-0.479), within(1e-15));
        assertThat(b.usable()).isTrue();
    }

    @Test
    void noSinglePhotonsWhenTheDecoyShowsNone() {
        DecoyBounds b = DecoyBounds.estimate(0.5, 0.1, 0.1, 0.001, 0.0, 0.02);
        assertThat(b.usable()).isFalse();
        assertThat(b.q1Lower()).isZero();
    }
}
