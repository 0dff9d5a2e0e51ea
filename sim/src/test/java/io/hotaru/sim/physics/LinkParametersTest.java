package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LinkParametersTest {

    private static LinkParameters with(
            double rate,
            double[] mu,
            double[] p,
            double pZ,
            double alpha,
            double km,
            double extra,
            double etaBob,
            double y0,
            double ed) {
        return new LinkParameters(rate, mu, p, pZ, alpha, km, extra, etaBob, y0, ed);
    }

    private static final double[] MU = {0.5, 0.1, 0};
    private static final double[] P = {0.8, 0.1, 0.1};

    @Test
    void gysSetHasThePublishedChannelAndDetector() {
        LinkParameters gys = LinkParameters.gys();
        assertThat(gys.attenuationDbPerKm()).isEqualTo(0.21);
        assertThat(gys.misalignmentError()).isEqualTo(0.033);
        assertThat(gys.darkCountProbability()).isEqualTo(1.7e-6);
        assertThat(gys.detectorEfficiency()).isEqualTo(0.045);
    }

    @Test
    void demoSetIsA100MHzThreeLevelSource() {
        LinkParameters demo = LinkParameters.demo();
        assertThat(demo.repetitionRateHz()).isEqualTo(1e8);
        assertThat(demo.intensities()).containsExactly(0.5, 0.1, 0);
        assertThat(demo.intensityProbabilities()).containsExactly(0.8, 0.1, 0.1);
        assertThat(demo.zBasisProbability()).isEqualTo(0.5);
        assertThat(demo.lengthKm()).isEqualTo(25);
        assertThat(demo.slotPeriodPs()).isEqualTo(10_000);
    }

    @Test
    void namedKnowsEveryListedSetAndNothingElse() {
        for (String name : LinkParameters.NAMES) {
            assertThat(LinkParameters.named(name)).as(name).isPresent();
        }
        assertThat(LinkParameters.named("nope")).isEmpty();
    }

    @Test
    void transmittanceFoldsDetectorEfficiencyIntoTheFibreLoss() {
        LinkParameters p = LinkParameters.gys().withLengthKm(50).withExtraLossDb(1.5);
        assertThat(p.channel().lossDb()).isCloseTo(12.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p.transmittance()).isCloseTo(0.045 * Math.pow(10, -1.2), org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void rejectionsNameTheField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(0, MU, P, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("repetitionRateHz");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, new double[] {0.5, -0.1, 0}, P, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("intensities[1]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, new double[] {1.2, -0.1, -0.1}, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("intensityProbabilities[0]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, new double[] {0.8, 0.1, 0.2}, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("intensityProbabilities must sum to 1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, new double[] {0.8, 0.2}, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("intensityProbabilities");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 1.0, 0.21, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("zBasisProbability");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, -0.2, 25, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("attenuationDbPerKm");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, 0.21, -1, 0, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("lengthKm");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, 0.21, 25, -3, 0.045, 1.7e-6, 0.033))
                .withMessageContaining("extraLossDb");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, 0.21, 25, 0, 1.5, 1.7e-6, 0.033))
                .withMessageContaining("efficiency");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, 0.21, 25, 0, 0.045, Double.NaN, 0.033))
                .withMessageContaining("darkCountProbability");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(1e8, MU, P, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, -0.01))
                .withMessageContaining("misalignmentError");
    }

    @Test
    void isImmutable() {
        double[] mu = MU.clone();
        LinkParameters p = with(1e8, mu, P, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033);
        mu[0] = 9;
        p.intensities()[0] = 9;
        assertThat(p.intensity(0)).isEqualTo(0.5);
        assertThat(p).isEqualTo(LinkParameters.demo()).hasSameHashCodeAs(LinkParameters.demo());
    }
}
