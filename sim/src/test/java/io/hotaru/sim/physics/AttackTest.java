package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each attack leaves its signature in what Bob measures, and only the one it should. */
class AttackTest {

    private static final long SEED = 7;

    private static LinkCounts run(LinkModel m, long slots) {
        DetectionStream d = new DetectionStream(m, CounterRandom.linkKey(SEED, "eve"));
        LinkCounts c = new LinkCounts(m.parameters().levelCount());
        long[] s = new long[8192];
        byte[] ch = new byte[8192];
        int[] st = new int[8192];
        while (d.position() < slots) {
            int n = d.next(slots, s, ch, st, null, 0, s.length);
            c.addAll(st, ch, n);
        }
        return c;
    }

    /** The gys set's intensity probabilities, to turn clicks into gains. */
    private static final double[] P = LinkParameters.gys().intensityProbabilities();

    private static LinkModel gys50(Attack a) {
        return LinkModel.of(LinkParameters.gys().withLengthKm(50)).withAttack(a);
    }

    @Test
    void interceptResendOnEveryPulseGivesAQuarterErrors() {
        LinkCounts c = run(gys50(Attack.parse("intercept-resend:1.0")), 2_000_000_000L);
        double qber = (double) (c.errors(0) + c.errors(1)) / (c.sifted(0) + c.sifted(1));
        assertThat(qber).as("QBER under full intercept-resend, seed %d", SEED).isCloseTo(0.25, within(0.01));
        // The gains do not move: Eve resends with the honest click probability.
        AnalyticModel a = AnalyticModel.of(LinkParameters.gys().withLengthKm(50));
        assertThat(c.clicks(0) / (2e9 * P[0])).isCloseTo(a.gain(0), within(a.gain(0) * 0.01));
    }

    @Test
    void partialInterceptResendScalesTheExtraErrors() {
        LinkCounts c = run(gys50(Attack.parse("intercept-resend:0.4")), 1_000_000_000L);
        double honest = AnalyticModel.of(LinkParameters.gys().withLengthKm(50)).qber(0);
        assertThat(c.qber(0)).isCloseTo(0.6 * honest + 0.4 * 0.25, within(0.01));
    }

    @Test
    void photonNumberSplittingKeepsTheSignalGainButStarvesTheDecoy() {
        long slots = 2_000_000_000L;
        LinkCounts c = run(gys50(Attack.parse("pns")), slots);
        AnalyticModel a = AnalyticModel.of(LinkParameters.gys().withLengthKm(50));
        double signal = c.clicks(0) / (slots * P[0]);
        double decoy = c.clicks(1) / (slots * P[1]);
        assertThat(signal).isCloseTo(a.gain(0), within(a.gain(0) * 0.02));
        assertThat(decoy).isLessThan(0.5 * a.gain(1));
        assertThat(c.qber(0)).isCloseTo(a.qber(0), within(0.005));
        double estimate = DecoyEstimate.of(
                        0.48, 0.1, signal, c.qber(0), decoy, c.qber(1), c.clicks(2) / (slots * P[2]), 1.22, 0.5)
                .ratePerPulse();
        assertThat(estimate).as("the decoy estimate sees no secret key").isZero();
    }

    @Test
    void blindingRemovesDarkCountsAndErrors() {
        long slots = 2_000_000_000L;
        LinkCounts c = run(gys50(Attack.parse("blinding")), slots);
        AnalyticModel a = AnalyticModel.of(LinkParameters.gys().withLengthKm(50));
        assertThat(c.clicks(0) / (slots * P[0])).isCloseTo(a.gain(0), within(a.gain(0) * 0.02));
        assertThat(c.clicks(2)).as("vacuum clicks of blinded detectors").isZero();
        assertThat(c.errors(0)).isZero();
    }

    @Test
    void timeShiftMovesEachDetectorsArrivalTimes() {
        LinkModel m = gys50(Attack.parse("time-shift:200"));
        DetectionStream d = new DetectionStream(m, 3);
        long[] s = new long[1 << 16];
        byte[] ch = new byte[s.length];
        int[] delay = new int[s.length];
        double[] sum = new double[4];
        long[] n = new long[4];
        while (d.position() < 200_000_000L) {
            int k = d.next(200_000_000L, s, ch, null, delay, 0, s.length);
            for (int i = 0; i < k; i++) {
                sum[ch[i]] += delay[i];
                n[ch[i]]++;
            }
        }
        // Late pulses reach the bit-0 detectors' gate edge: bit-1 detectors see them, and early ones bit 0.
        assertThat(sum[0] / n[0]).isLessThan(-100);
        assertThat(sum[1] / n[1]).isGreaterThan(100);
    }

    @Test
    void trojanHorseLeavesBobAlone() {
        LinkCounts honest = run(gys50(Attack.NONE), 100_000_000L);
        LinkCounts trojan = run(gys50(Attack.parse("trojan")), 100_000_000L);
        assertThat(trojan.totalClicks()).isEqualTo(honest.totalClicks());
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> Attack.parse("mitm")).hasMessageContaining("unknown attack 'mitm'");
        assertThatThrownBy(() -> Attack.parse("intercept-resend:1.5")).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Attack.parse("pns:3")).hasMessageContaining("takes no argument");
        assertThat(Attack.parse("intercept-resend")).isEqualTo(new Attack.InterceptResend(1.0));
    }
}
