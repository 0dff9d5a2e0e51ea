package io.hotaru.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.Attack;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.ParameterSet;
import io.hotaru.sim.physics.PassGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class LinkSimulatorTest {

    private final LinkSimulator sim = new LinkSimulator(() -> 0L);

    static void assertWithin3Sigma(String what, double measured, double expected, double trials) {
        double sigma = Math.sqrt(expected * (1 - expected) / trials);
        assertThat(measured)
                .as("%s: expected %.6g ± %.3g", what, expected, sigma)
                .isCloseTo(expected, within(3 * sigma));
    }

    static void assertMatchesAnalytic(SimulationResult r, LinkParameters p) {
        assertWithin3Sigma(
                "signal gain", r.gain().signal(), r.analyticGain().signal(), r.pulses() * p.intensityProbability(0));
        assertWithin3Sigma(
                "decoy gain", r.gain().decoy(), r.analyticGain().decoy(), r.pulses() * p.intensityProbability(1));
        assertWithin3Sigma(
                "vacuum gain", r.gain().vacuum(), r.analyticGain().vacuum(), r.pulses() * p.intensityProbability(2));
        double siftedSignal =
                r.pulses() * p.intensityProbability(0) * r.analyticGain().signal() / 2;
        double siftedDecoy =
                r.pulses() * p.intensityProbability(1) * r.analyticGain().decoy() / 2;
        assertWithin3Sigma("signal QBER", r.qber().signal(), r.analyticQber().signal(), siftedSignal);
        assertWithin3Sigma("decoy QBER", r.qber().decoy(), r.analyticQber().decoy(), siftedDecoy);
    }

    @Test
    void gysAt50KmMatchesTheAnalyticModel() {
        LinkParameters p = LinkParameters.gys().withLengthKm(50);
        SimulationResult r = sim.run(LinkModel.of(p), 1_000_000_000L, 7);
        assertMatchesAnalytic(r, p);
        assertThat(r.linkSeconds()).isEqualTo(1.0);
        assertThat(r.siftedBits()).isBetween(r.detections() / 2 - 10_000, r.detections() / 2 + 10_000);
        assertThat(r.decoyRatePerPulse()).isPositive();
    }

    @Test
    void sameSeedSameResult() {
        LinkModel m = LinkModel.of(LinkParameters.gys());
        assertThat(sim.run(m, 100_000_000L, 3)).isEqualTo(sim.run(m, 100_000_000L, 3));
    }

    @Test
    void interceptResendOnEveryPulseGivesQber25Percent() {
        SimulationResult r = sim.run(
                LinkModel.of(LinkParameters.gys()).withAttack(Attack.parse("intercept-resend:1.0")), 2_000_000_000L, 7);
        assertThat(r.qber().signal()).isCloseTo(0.25, within(0.01));
        assertThat(r.attack()).isEqualTo("intercept-resend:1.0");
    }

    @Test
    void aMiciusLikePassGivesKilobitsPerSecondOfSiftedKey() {
        ParameterSet m = ParameterSets.load("micius");
        PassGeometry pass = PassGeometry.synthetic(m.altitudeKm(), 70, 15, 1);
        SimulationResult r = sim.runPass(m.passModel(pass, false), 1);
        assertThat(r.linkSeconds()).isCloseTo(pass.durationSeconds(), within(1e-3));
        assertMatchesAnalytic(r, m.link());
        assertThat(r.siftedBits() / r.linkSeconds()).isBetween(1e3, 1e6);
    }

    /** Acceptance: ≥ 10^10 pulses at 50 km, each intensity within 3 binomial standard deviations. */
    @Test
    @Tag("slow")
    void tenToTheTenPulsesAt50KmMatchTheAnalyticModel() {
        LinkParameters p = LinkParameters.gys().withLengthKm(50);
        SimulationResult r = LinkSimulator.withSystemClock().run(LinkModel.of(p), 10_000_000_000L, 7);
        System.out.println("slow acceptance run: " + r);
        assertMatchesAnalytic(r, p);
    }
}
