package io.hotaru.agent.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.sim.physics.AnalyticModel;
import io.hotaru.sim.physics.LinkParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each monitor raises its alarm on its attack's signature and stays quiet on ordinary changes of
 * rate or loss. Blocks come from the analytic model of the demo link.
 */
class MonitorsTest {

    private static final double[] MU = {0.5, 0.1, 0};
    private static final double BLOCK_SECONDS = 0.5;

    /** An honest block at {@code km} of fibre. */
    private static BlockObservation block(long id, double km) {
        AnalyticModel m = AnalyticModel.of(LinkParameters.demo().withLengthKm(km));
        double pulses = 1e8 * BLOCK_SECONDS;
        double[] p = {0.8 * pulses, 0.1 * pulses, 0.1 * pulses};
        double[] gains = {m.gain(0), m.gain(1), m.gain(2)};
        long detections = Math.round(p[0] * gains[0] + p[1] * gains[1] + p[2] * gains[2]);
        return new BlockObservation(
                id, BLOCK_SECONDS, m.qber(0), gains, MU, p, detections, 1000, 985, 1e-12, new double[] {
                    100, 102, 98, 101
                });
    }

    private static BlockObservation with(
            BlockObservation b, double qber, double[] gains, long detections, long seen, double power, double[] t) {
        return new BlockObservation(
                b.blockId(),
                b.linkSeconds(),
                qber,
                gains,
                b.intensities(),
                b.pulses(),
                detections,
                b.selfTestSent(),
                seen,
                power,
                t);
    }

    @Test
    void qberAboveThresholdIsAnAlarmAndTheHonestFloorIsNot() {
        QberMonitor m = new QberMonitor(0.11);
        assertThat(m.observe(block(0, 25)).suspicious()).isFalse();
        BlockObservation b = block(1, 25);
        assertThat(m.observe(with(b, 0.25, b.gains(), b.detections(), 985, 1e-12, b.arrivalOffsetPs()))
                        .suspicious())
                .isTrue();
    }

    @Test
    void blindingNeedsHighCountsAndMissedSelfTestPulses() {
        BlindingMonitor m = new BlindingMonitor(3, 2e6, 0.5);
        for (int i = 0; i < 5; i++) {
            assertThat(m.observe(block(i, 25)).suspicious()).isFalse();
        }
        // bright counts while the detectors still see their self-test pulses: a rate change only
        BlindingMonitor rateOnly = new BlindingMonitor(3, 2e6, 0.5);
        for (int i = 0; i < 5; i++) {
            BlockObservation b = block(i, 0);
            assertThat(rateOnly.observe(with(b, b.qber(), b.gains(), 3_000_000, 990, 1e-12, b.arrivalOffsetPs()))
                            .suspicious())
                    .isFalse();
        }
        boolean raised = false;
        for (int i = 0; i < 3; i++) {
            BlockObservation b = block(i, 25);
            raised = m.observe(with(b, b.qber(), b.gains(), 3_000_000, 0, 1e-12, b.arrivalOffsetPs()))
                    .suspicious();
        }
        assertThat(raised).as("within the 3-block window").isTrue();
    }

    @Test
    void trojanLightIsAnAlarmAndNoMonitorIsUnmonitoredNotClean() {
        TrojanHorseMonitor m = new TrojanHorseMonitor(1e-9);
        BlockObservation b = block(0, 25);
        assertThat(m.observe(b).suspicious()).isFalse();
        assertThat(m.observe(with(b, b.qber(), b.gains(), b.detections(), 985, 5e-6, b.arrivalOffsetPs()))
                        .suspicious())
                .isTrue();
        AttackMonitor.Verdict none =
                m.observe(with(b, b.qber(), b.gains(), b.detections(), 985, Double.NaN, b.arrivalOffsetPs()));
        assertThat(none.suspicious()).isFalse();
        assertThat(none.detail()).startsWith("unmonitored");
    }

    @Test
    void oneDetectorShiftedIsAnAlarmButACommonShiftIsNot() {
        TimeShiftMonitor m = new TimeShiftMonitor(3, 30);
        for (int i = 0; i < 3; i++) {
            m.observe(block(i, 25));
        }
        BlockObservation b = block(3, 25);
        assertThat(m.observe(with(
                                b, b.qber(), b.gains(), b.detections(), 985, 1e-12, new double[] {600, 602, 598, 601}))
                        .suspicious())
                .as("common shift of 500 ps")
                .isFalse();
        assertThat(m.observe(with(
                                b, b.qber(), b.gains(), b.detections(), 985, 1e-12, new double[] {100, 102, 198, 101}))
                        .suspicious())
                .as("detector 2 shifted by 100 ps")
                .isTrue();
    }

    @Test
    void pnsShowsAsMissingDecoyGainButLossChangesDoNot() {
        DecoyStatisticsMonitor m = new DecoyStatisticsMonitor(0.2, 5);
        for (double km : new double[] {0, 10, 25, 50, 80}) {
            assertThat(m.observe(block(0, km)).suspicious())
                    .as("honest link at %s km", km)
                    .isFalse();
        }
        // PNS: Eve blocks single photons and passes multi-photon pulses losslessly, tuning the
        // signal gain to look normal; the decoy (fewer multi-photon pulses) then gets too few clicks
        BlockObservation b = block(0, 25);
        double[] g = b.gains();
        double[] pns = {g[0], multiPhoton(MU[1]) * g[0] / multiPhoton(MU[0]), g[2]};
        assertThat(m.observe(with(b, b.qber(), pns, b.detections(), 985, 1e-12, b.arrivalOffsetPs()))
                        .suspicious())
                .isTrue();
    }

    private static double multiPhoton(double mu) {
        return 1 - Math.exp(-mu) - mu * Math.exp(-mu);
    }

    @Test
    void theBoardFlagsBlocksWhileAnAlarmIsActiveAndClearsAfterCleanBlocks() {
        AlarmBoard board = new AlarmBoard(List.of(new QberMonitor(0.11)), 2);
        assertThat(board.observe(block(0, 25)).flagged()).isFalse();
        BlockObservation bad = block(1, 25);
        AlarmBoard.Outcome raised =
                board.observe(with(bad, 0.3, bad.gains(), bad.detections(), 985, 1e-12, bad.arrivalOffsetPs()));
        assertThat(raised.flagged()).isTrue();
        assertThat(raised.changes())
                .singleElement()
                .satisfies(c -> assertThat(c.active()).isTrue());
        assertThat(board.observe(block(2, 25)).flagged())
                .as("alarm still active")
                .isTrue();
        AlarmBoard.Outcome cleared = board.observe(block(3, 25));
        assertThat(cleared.changes())
                .singleElement()
                .satisfies(c -> assertThat(c.active()).isFalse());
        assertThat(cleared.flagged())
                .as("the clearing block itself is not used")
                .isTrue();
        assertThat(board.observe(block(4, 25)).flagged()).isFalse();
        assertThat(board.activeAlarms()).isEmpty();
    }
}
