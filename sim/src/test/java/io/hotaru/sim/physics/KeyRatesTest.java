package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRatesTest {

    private static final OptionalDouble OPT = OptionalDouble.empty();

    /** decoy-bb84-and-limits.md §2: GYS, infinite decoy, f = 1.22, q = 1/2, μ optimised; ±0.5 %. */
    @ParameterizedTest
    @CsvSource({"0, 0.486, 2.555e-3", "50, 0.479, 2.226e-4", "100, 0.475, 1.719e-5"})
    void reproducesTheGysReference(double km, double muOpt, double rate) {
        KeyRates.Point p = KeyRates.at(LinkParameters.gys(), km, OPT, 1.22, 0.5);
        assertThat(p.ratePerPulse()).isCloseTo(rate, within(rate * 0.005));
        assertThat(p.mu()).isCloseTo(muOpt, within(0.01));
    }

    @org.junit.jupiter.api.Test
    void gysMaximumDistanceIs142Point2Km() {
        assertThat(KeyRates.maxDistanceKm(LinkParameters.gys(), OPT, 1.22, 0.5)).isCloseTo(142.2, within(0.5));
    }

    /** No analytic rate beats the repeaterless bound of its channel (decoy-bb84-and-limits.md §3). */
    @Property(tries = 300)
    void analyticRatesNeverExceedPlob(
            @ForAll @DoubleRange(min = 0, max = 300) double km,
            @ForAll @DoubleRange(min = 0.01, max = 1) double etaBob,
            @ForAll @DoubleRange(min = 0, max = 1e-3) @net.jqwik.api.constraints.Scale(8) double y0,
            @ForAll @DoubleRange(min = 0, max = 0.1) double ed,
            @ForAll @DoubleRange(min = 0.01, max = 1.5) double mu,
            @ForAll @DoubleRange(min = 1.0, max = 1.5) double f) {
        LinkParameters p = new LinkParameters(
                1e9, new double[] {mu, mu / 5, 0}, new double[] {0.8, 0.1, 0.1}, 0.5, 0.2, km, 0, etaBob, y0, ed);
        AnalyticModel a = AnalyticModel.of(p);
        double plob = KeyRates.plob(a.transmittance());
        assertThat(a.keyRatePerPulse(f, 0.5)).isLessThanOrEqualTo(plob);
        assertThat(KeyRates.at(p, km, OPT, f, 0.5).ratePerPulse()).isLessThanOrEqualTo(plob);
    }

    /** A level without one sifted bit (QBER undefined) gives no key, not NaN: PNS at 150 km, seed −10412. */
    @Example
    void anUndefinedDecoyQberCountsAsTheWorstCase() {
        DecoyEstimate e = DecoyEstimate.of(0.48, 0.1, 2e-5, 0.04, 1e-6, Double.NaN, 1.7e-6, 1.22, 0.5);
        assertThat(e.e1Upper()).isEqualTo(0.5);
        assertThat(e.ratePerPulse()).isZero();
    }

    /** Nor does the rate a receiver estimates from a short simulated run. */
    @Property(tries = 12)
    void simulatedRatesNeverExceedPlob(
            @ForAll @DoubleRange(min = 0, max = 150) double km, @ForAll long seed, @ForAll boolean pns) {
        LinkParameters p = LinkParameters.gys().withLengthKm(km);
        LinkModel m = LinkModel.of(p).withAttack(pns ? Attack.parse("pns") : Attack.NONE);
        DetectionStream d = new DetectionStream(m, seed);
        LinkCounts c = new LinkCounts(3);
        long slots = 20_000_000;
        long[] s = new long[1 << 14];
        byte[] ch = new byte[s.length];
        int[] st = new int[s.length];
        while (d.position() < slots) {
            int n = d.next(slots, s, ch, st, null, 0, s.length);
            c.addAll(st, ch, n);
        }
        double rate = DecoyEstimate.of(
                        0.48,
                        0.1,
                        c.clicks(0) / (slots * 0.8),
                        c.qber(0),
                        c.clicks(1) / (slots * 0.1),
                        c.qber(1),
                        c.clicks(2) / (slots * 0.1),
                        1.22,
                        0.5)
                .ratePerPulse();
        assertThat(rate).isLessThanOrEqualTo(KeyRates.plob(p.transmittance()));
    }
}
