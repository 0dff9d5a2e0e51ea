package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.monitor.AttackMonitor;
import io.hotaru.agent.monitor.BlindingMonitor;
import io.hotaru.agent.monitor.DecoyStatisticsMonitor;
import io.hotaru.agent.monitor.QberMonitor;
import io.hotaru.agent.monitor.TimeShiftMonitor;
import io.hotaru.agent.monitor.TrojanHorseMonitor;
import io.hotaru.agent.state.LinkStateMachine;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Which monitors a link end runs, from its role and its {@code monitors} thresholds: the
 * transmitter the Trojan-horse monitor, the receiver the blinding and time-shift monitors (each on
 * its own end's devices), both ends the QBER and decoy-statistics monitors on the block's report.
 */
final class LinkMonitors {

    private LinkMonitors() {}

    static List<AttackMonitor> local(NodeConfig.Role role, NodeConfig.Monitors m) {
        return role == NodeConfig.Role.TRANSMITTER
                ? List.of(new TrojanHorseMonitor(m.trojanMaxPowerW()))
                : List.of(
                        new BlindingMonitor(
                                m.blindingWindowBlocks(), m.blindingMinCountRateHz(), m.blindingMinSelfTestFraction()),
                        m.timeShiftCalibrationBlocks() > 0
                                ? new TimeShiftMonitor(m.timeShiftCalibrationBlocks(), m.timeShiftMaxPs())
                                : TimeShiftMonitor.matched(m.timeShiftMaxPs()));
    }

    static List<AttackMonitor> shared(NodeConfig.Monitors m) {
        return List.of(new QberMonitor(m.qberMax()), new DecoyStatisticsMonitor(m.decoyMaxDeficit(), m.decoySigmas()));
    }

    static KeyOutputGuard guard(
            String linkId,
            NodeConfig.Role role,
            NodeConfig.Monitors m,
            LinkStateMachine machine,
            LocalReadings readings,
            double slotPeriodPs,
            double[] intensities,
            BooleanSupplier selfTest,
            Consumer<AlarmBoard.AlarmChange> alarms) {
        return new KeyOutputGuard(
                linkId,
                machine,
                new AlarmBoard(local(role, m), m.clearAfterBlocks()),
                new AlarmBoard(shared(m), m.clearAfterBlocks()),
                readings,
                slotPeriodPs,
                intensities,
                m.clearAfterBlocks(),
                selfTest,
                alarms);
    }
}
