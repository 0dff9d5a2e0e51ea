package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PowerReading;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The guard at a transmitter whose power monitor is driven by hand: an alarm withholds blocks and
 * moves the link to ALARM; the link leaves ALARM only through a passed self-test.
 */
class KeyOutputGuardTest {

    private volatile double watts = 1e-12;
    private final AtomicBoolean selfTestPasses = new AtomicBoolean(true);
    private final List<String> transitions = new ArrayList<>();
    private final LinkStateMachine machine = new LinkStateMachine("AB", t -> {
        synchronized (transitions) {
            transitions.add(t.from() + "-" + t.event() + "->" + t.to());
        }
    });
    private final List<Long> stored = new ArrayList<>();
    private final NodeConfig.Monitors monitors = NodeConfigLoader.DEFAULT_MONITORS;
    private final KeyOutputGuard guard = LinkMonitors.guard(
            "AB",
            NodeConfig.Role.TRANSMITTER,
            monitors,
            machine,
            new LocalReadings(Optional.of(new HandPowerMonitor()), Optional.empty(), Optional.empty(), 0),
            10_000,
            new double[] {0.4, 0.15, 0},
            selfTestPasses::get,
            c -> {});

    private long next;

    /** One block through the guard as a link end runs it; true if its key was stored. */
    private boolean block() {
        long id = next++;
        boolean admitted = guard.admit(id, id * 1000, id * 1000 + 1000, 500);
        BlockReport report = new BlockReport(
                id,
                admitted ? 500 : 0,
                0,
                List.of(new IntensityCounts(400, 200, 100, 30, 1)),
                0,
                0,
                0.02,
                0,
                0,
                0,
                0,
                0,
                FiniteKeyEstimate.NONE,
                admitted ? 256 : 0,
                Double.NaN);
        BlockOutcome outcome = admitted
                ? new BlockOutcome.Distilled(id, new byte[32], report)
                : new BlockOutcome.Aborted(id, io.hotaru.keys.distill.protocol.AbortReason.INVALID_INPUT, report);
        guard.finished(outcome);
        if (outcome instanceof BlockOutcome.Distilled d) {
            return guard.guard((l, b, k) -> {
                                stored.add(b);
                                return 1;
                            })
                            .accept("AB", id, d.key())
                    > 0;
        }
        return false;
    }

    private void keygen() {
        machine.fire(LinkEvent.START);
        machine.fire(LinkEvent.SELFTEST_PASSED);
        machine.fire(LinkEvent.ALIGN);
        machine.fire(LinkEvent.ALIGNED);
    }

    private void awaitState(LinkState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (machine.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(machine.state()).isEqualTo(state);
    }

    @Test
    void anAlarmWithholdsBlocksAndOnlyAPassedSelfTestEndsIt() throws Exception {
        keygen();
        assertThat(block()).isTrue();
        watts = 1e-6; // Trojan-horse probe light
        assertThat(block()).isFalse();
        assertThat(machine.state()).isEqualTo(LinkState.ALARM);
        assertThat(guard.activeAlarms()).containsKey("trojan");
        assertThat(block()).isFalse();

        // the probe stops, but the self-test fails: ALARM again, nothing stored
        selfTestPasses.set(false);
        watts = 1e-12;
        for (int i = 0; i < monitors.clearAfterBlocks(); i++) {
            assertThat(block()).isFalse();
        }
        assertThat(guard.activeAlarms()).isEmpty();
        awaitState(LinkState.ALARM);
        assertThat(transitions).contains("SELFTEST-SELFTEST_FAILED->ALARM");
        for (int i = 0; i < monitors.clearAfterBlocks() - 1; i++) {
            assertThat(block()).isFalse();
        }
        assertThat(machine.state()).isNotEqualTo(LinkState.KEYGEN);

        // with the device healthy again the retried self-test passes and key flows
        selfTestPasses.set(true);
        assertThat(block()).isFalse();
        awaitState(LinkState.KEYGEN);
        assertThat(transitions).contains("SELFTEST-SELFTEST_PASSED->READY", "ALIGN-ALIGNED->KEYGEN");
        assertThat(block()).isTrue();
        assertThat(stored).containsExactly(0L, next - 1);
    }

    @Test
    void theOperatorsSelfTestPausesKeyOutputUntilItPasses() throws Exception {
        keygen();
        selfTestPasses.set(false);
        assertThat(guard.requestSelfTest()).isTrue();
        awaitState(LinkState.ALARM);
        assertThat(block()).isFalse();
        assertThat(stored).isEmpty();
    }

    private final class HandPowerMonitor implements OpticalPowerMonitor {
        @Override
        public PowerReading read() {
            return new PowerReading(watts, false);
        }

        @Override
        public double noiseFloorW() {
            return 1e-12;
        }

        @Override
        public DeviceIdentity identity() {
            return new DeviceIdentity("test", "hand", "0", "test:monitor", DeviceIdentity.Kind.SIMULATED);
        }

        @Override
        public SelfTestResult selfTest() {
            return SelfTestResult.pass("hand");
        }

        @Override
        public void close() {}
    }
}
