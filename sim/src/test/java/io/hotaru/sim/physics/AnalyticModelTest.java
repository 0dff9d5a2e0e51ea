package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalyticModelTest {

    private static AnalyticModel gys(double km, double mu) {
        LinkParameters g = LinkParameters.gys().withLengthKm(km);
        return AnalyticModel.of(new LinkParameters(
                g.repetitionRateHz(),
                new double[] {mu, 0.1, 0},
                g.intensityProbabilities(),
                g.zBasisProbability(),
                g.attenuationDbPerKm(),
                km,
                0,
                g.detectorEfficiency(),
                g.darkCountProbability(),
                g.misalignmentError()));
    }

    /** decoy-bb84-and-limits.md §2: GYS, infinite decoy, f = 1.22, q = 1/2, at μ_opt; ±0.5 %. */
    @ParameterizedTest
    @CsvSource({"0, 0.486, 2.555e-3", "50, 0.479, 2.226e-4", "100, 0.475, 1.719e-5"})
    void keyRateMatchesTheGysReferenceTable(double km, double muOpt, double expected) {
        assertThat(gys(km, muOpt).keyRatePerPulse(1.22, 0.5)).isCloseTo(expected, within(expected * 0.005));
    }

    /** decoy-bb84-and-limits.md §2: the rate reaches zero at 142.2 km (±0.5 km). */
    @Test
    void gysMaximumDistanceIs142Km() {
        double lo = 100;
        double hi = 200;
        while (hi - lo > 1e-3) {
            double mid = (lo + hi) / 2;
            if (bestRate(mid) > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assertThat(lo).isCloseTo(142.2, within(0.5));
    }

    private static double bestRate(double km) {
        double best = 0;
        for (double mu = 0.05; mu < 0.9; mu += 0.001) {
            best = Math.max(best, gys(km, mu).keyRatePerPulse(1.22, 0.5));
        }
        return best;
    }

    @Test
    void gainAndQberFollowTheChannelModel() {
        AnalyticModel m = AnalyticModel.of(LinkParameters.demo());
        double eta = 0.045 * Math.pow(10, -0.21 * 25 / 10);
        assertThat(m.transmittance()).isCloseTo(eta, within(1e-15));
        double q = 1.7e-6 + 1 - Math.exp(-eta * 0.5);
        assertThat(m.gain(0)).isCloseTo(q, within(1e-15));
        assertThat(m.qber(0)).isCloseTo((0.5 * 1.7e-6 + 0.033 * (1 - Math.exp(-eta * 0.5))) / q, within(1e-15));
        assertThat(m.gain(2)).isEqualTo(1.7e-6);
        assertThat(m.qber(2)).isEqualTo(0.5);
    }

    /** Frozen values: any change in these numbers must be looked at. */
    @Test
    void demoFiguresAreFrozen() {
        AnalyticModel m = AnalyticModel.of(LinkParameters.demo());
        assertThat(m.transmittance()).isCloseTo(1.3434221785e-2, within(1e-12));
        assertThat(m.detectionsPerSecond()).isCloseTo(549_163.32, within(0.01));
        assertThat(m.gain(0)).isCloseTo(6.6963015e-3, within(1e-10));
        assertThat(m.qber(0)).isCloseTo(3.3118558e-2, within(1e-9));
        assertThat(m.qber(1)).isCloseTo(3.3590603e-2, within(1e-9));
        assertThat(m.levels()).hasSize(3);
        assertThat(m.levels().get(0).pulsesPerSecond()).isEqualTo(8e7);
        assertThat(m.levels().get(0).detectionsPerSecond()).isCloseTo(8e7 * m.gain(0), within(1e-6));
    }

    @Test
    void singlePhotonFiguresFollowTheChannelModel() {
        AnalyticModel m = gys(50, 0.48);
        double eta = m.transmittance();
        double y1 = 1.7e-6 + eta - 1.7e-6 * eta;
        assertThat(m.singlePhotonYield()).isCloseTo(y1, within(1e-18));
        assertThat(m.singlePhotonGain(0)).isCloseTo(y1 * 0.48 * Math.exp(-0.48), within(1e-18));
        assertThat(m.singlePhotonErrorRate()).isCloseTo((0.5 * 1.7e-6 + 0.033 * eta) / y1, within(1e-15));
    }

    @Test
    void binaryEntropyKnownValues() {
        assertThat(AnalyticModel.binaryEntropy(0.5)).isEqualTo(1.0);
        assertThat(AnalyticModel.binaryEntropy(0.110)).isCloseTo(0.49992, within(1e-5));
        assertThat(AnalyticModel.binaryEntropy(0)).isZero();
    }
}
