package io.hotaru.agent.node;

import io.hotaru.agent.link.BlockGate;
import io.hotaru.agent.link.KeySink;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.monitor.BlockObservation;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import io.hotaru.keys.distill.protocol.AbortReason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a link end's attack monitors on every block and lets a block's key reach the store only
 * once they have passed it: fail closed.
 *
 * <p>Two boards. The <em>local</em> board holds the monitors only this end can run (the
 * transmitter's Trojan-horse monitor, the receiver's blinding and time-shift monitors); it judges a
 * block before it is distilled, and a suspicious block, an active local alarm or a link not in
 * KEYGEN withholds the block, which makes both ends abort it (see {@link BlockGate#admit}), since
 * the peer cannot see what this end saw. The <em>shared</em> board holds the monitors of what the
 * distillation reports (QBER, decoy statistics): both ends hold the same report, so both judge a
 * block alike; it judges after distillation and before the key reaches the store. Blocks withheld
 * by either end carry no figures and are not shown to the shared board.
 *
 * <p>A raised alarm moves the link to ALARM. With only shared alarms active the link keeps
 * distilling (the figures must keep coming for the alarm to clear) but stores nothing. When every
 * alarm has cleared, a self-test runs on its own thread (ALARMS_CLEARED → SELFTEST); only if it
 * passes does the link return through READY and ALIGN to KEYGEN. A failed self-test leaves the link
 * in ALARM, withholding every block, and is retried after {@code clearAfter} blocks.
 */
public final class KeyOutputGuard implements BlockGate, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyOutputGuard.class);

    /** Counts for telemetry and metrics. */
    public record Counts(long blocks, long withheld, long flagged, long released, long discardedKeyBits, long errors) {}

    private final String linkId;
    private final LinkStateMachine machine;
    private final AlarmBoard local;
    private final AlarmBoard shared;
    private final LocalReadings readings;
    private final double slotPeriodPs;
    private final double[] intensities;
    private final int retryAfterBlocks;
    private final BooleanSupplier selfTest;
    private final Consumer<AlarmBoard.AlarmChange> alarms;
    private final ExecutorService selfTests;
    private final Map<Long, Boolean> admitted = new HashMap<>();
    private final Map<Long, Boolean> released = new HashMap<>();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong withheld = new AtomicLong();
    private final AtomicLong flagged = new AtomicLong();
    private final AtomicLong releasedBlocks = new AtomicLong();
    private final AtomicLong discardedBits = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile BlockObservation lastShared;
    private volatile BlockReport lastReport;
    private boolean selfTestRunning;
    private boolean selfTestFailed;
    private int blocksSinceSelfTest;

    /**
     * @param selfTest runs every device's self-test, true if all passed
     * @param alarms told of each raised or cleared alarm (audit, MQTT)
     */
    KeyOutputGuard(
            String linkId,
            LinkStateMachine machine,
            AlarmBoard local,
            AlarmBoard shared,
            LocalReadings readings,
            double slotPeriodPs,
            double[] intensities,
            int retryAfterBlocks,
            BooleanSupplier selfTest,
            Consumer<AlarmBoard.AlarmChange> alarms) {
        this.linkId = linkId;
        this.machine = machine;
        this.local = local;
        this.shared = shared;
        this.readings = readings;
        this.slotPeriodPs = slotPeriodPs;
        this.intensities = intensities.clone();
        this.retryAfterBlocks = retryAfterBlocks;
        this.selfTest = selfTest;
        this.alarms = alarms;
        this.selfTests = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "link-" + linkId + "-selftest");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean admit(long blockId, long firstSlot, long endSlot, int detections) {
        boolean admit = false;
        try {
            LocalReadings.Reading r = readings.read();
            BlockObservation observation = new BlockObservation(
                    blockId,
                    (endSlot - firstSlot) * slotPeriodPs * 1e-12,
                    Double.NaN,
                    new double[0],
                    intensities,
                    new double[0],
                    detections,
                    r.selfTestSent(),
                    r.selfTestSeen(),
                    r.monitorPowerWatts(),
                    r.arrivalOffsetPs());
            AlarmBoard.Outcome outcome = local.observe(observation);
            handle(outcome.changes());
            synchronized (this) {
                admit = !outcome.flagged() && mayDistilForKey();
            }
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            log.error("link {}: block {} withheld, the monitors failed: {}", linkId, blockId, e.toString());
        }
        if (!admit) {
            withheld.incrementAndGet();
        }
        synchronized (this) {
            admitted.put(blockId, admit);
        }
        return admit;
    }

    /** KEYGEN, or ALARM with only shared alarms active (their figures must keep coming). */
    private boolean mayDistilForKey() {
        LinkState state = machine.state();
        if (state == LinkState.KEYGEN) {
            return true;
        }
        return state == LinkState.ALARM
                && !selfTestFailed
                && !selfTestRunning
                && local.activeAlarms().isEmpty()
                && !shared.activeAlarms().isEmpty();
    }

    @Override
    public void finished(BlockOutcome outcome) {
        long blockId = outcome.blockId();
        blocks.incrementAndGet();
        boolean release = false;
        try {
            boolean wasAdmitted;
            synchronized (this) {
                wasAdmitted = Boolean.TRUE.equals(admitted.remove(blockId));
            }
            BlockReport report = outcome.report();
            boolean hasFigures = report.detections() > 0
                    && !(outcome instanceof BlockOutcome.Aborted a && a.reason() == AbortReason.INVALID_INPUT);
            if (hasFigures) {
                BlockObservation observation = sharedObservation(report);
                lastShared = observation;
                lastReport = report;
                AlarmBoard.Outcome judged = shared.observe(observation);
                handle(judged.changes());
                if (judged.flagged()) {
                    flagged.incrementAndGet();
                }
                release = wasAdmitted && !judged.flagged();
            }
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            log.error("link {}: block {} not released, the monitors failed: {}", linkId, blockId, e.toString());
        }
        if (outcome instanceof BlockOutcome.Distilled d) {
            if (release) {
                releasedBlocks.incrementAndGet();
            } else {
                discardedBits.addAndGet(d.report().finalLength());
            }
        }
        if (outcome instanceof BlockOutcome.Distilled) {
            synchronized (this) {
                released.put(blockId, release); // taken by the sink right after
            }
        }
        maybeStartSelfTest();
    }

    private BlockObservation sharedObservation(BlockReport report) {
        List<IntensityCounts> counts = report.intensities();
        double[] gains = new double[counts.size()];
        double[] pulses = new double[counts.size()];
        double slots = 0;
        for (int k = 0; k < counts.size(); k++) {
            gains[k] = counts.get(k).gain();
            pulses[k] = counts.get(k).pulses();
            slots += pulses[k];
        }
        return new BlockObservation(
                report.blockId(),
                slots * slotPeriodPs * 1e-12,
                report.qberEstimate(),
                gains,
                intensities,
                pulses,
                report.detections(),
                0,
                0,
                Double.NaN,
                new double[0]);
    }

    private void handle(List<AlarmBoard.AlarmChange> changes) {
        for (AlarmBoard.AlarmChange c : changes) {
            if (c.active()) {
                log.warn("link {}: alarm {} raised at block {}: {}", linkId, c.kind(), c.blockId(), c.detail());
            } else {
                log.info("link {}: alarm {} cleared at block {}", linkId, c.kind(), c.blockId());
            }
            alarms.accept(c);
        }
        if (changes.stream().anyMatch(AlarmBoard.AlarmChange::active)) {
            LinkState s = machine.state();
            if (s != LinkState.ALARM && s != LinkState.STOPPED && s != LinkState.INIT) {
                machine.fire(LinkEvent.ALARM_RAISED);
            }
        }
    }

    private void maybeStartSelfTest() {
        synchronized (this) {
            blocksSinceSelfTest++;
            if (machine.state() != LinkState.ALARM
                    || selfTestRunning
                    || !local.activeAlarms().isEmpty()
                    || !shared.activeAlarms().isEmpty()
                    || (selfTestFailed && blocksSinceSelfTest < retryAfterBlocks)) {
                return;
            }
            selfTestRunning = true;
        }
        machine.fire(LinkEvent.ALARMS_CLEARED);
        submitSelfTest();
    }

    /**
     * The operator's self-test: from ALARM with every alarm cleared, or from KEYGEN through service
     * mode (ALIGN); the link withholds its blocks while it runs.
     *
     * @return false if the link is in no state to run one now
     */
    boolean requestSelfTest() {
        LinkState s;
        synchronized (this) {
            s = machine.state();
            boolean quietAlarm = s == LinkState.ALARM
                    && local.activeAlarms().isEmpty()
                    && shared.activeAlarms().isEmpty();
            if (selfTestRunning || !(quietAlarm || s == LinkState.KEYGEN)) {
                return false;
            }
            selfTestRunning = true;
        }
        machine.fire(s == LinkState.KEYGEN ? LinkEvent.ALIGN : LinkEvent.ALARMS_CLEARED);
        submitSelfTest();
        return true;
    }

    private void submitSelfTest() {
        try {
            selfTests.execute(this::runSelfTest);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            synchronized (this) {
                selfTestRunning = false;
            }
        }
    }

    private void runSelfTest() {
        boolean passed;
        try {
            passed = selfTest.getAsBoolean();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            log.error("link {}: self-test failed to run: {}", linkId, e.toString());
            passed = false;
        }
        LinkState s = machine.state();
        if (passed) {
            if (s == LinkState.SELFTEST) {
                machine.fire(LinkEvent.SELFTEST_PASSED);
                machine.fire(LinkEvent.ALIGN);
            }
            // the link's channel is still synchronised: no optical alignment on a simulated link
            machine.fire(LinkEvent.ALIGNED);
        } else {
            machine.fire(s == LinkState.SELFTEST ? LinkEvent.SELFTEST_FAILED : LinkEvent.ALARM_RAISED);
        }
        synchronized (this) {
            selfTestRunning = false;
            selfTestFailed = !passed;
            blocksSinceSelfTest = 0;
        }
    }

    /** Wraps the key store: a block's key reaches it only if this guard released that block, in KEYGEN. */
    public KeySink guard(KeySink store) {
        return (link, blockId, key) -> {
            Boolean ok;
            synchronized (this) {
                ok = released.remove(blockId);
            }
            if (Boolean.TRUE.equals(ok) && machine.outputsKey()) {
                return store.accept(link, blockId, key);
            }
            return 0;
        };
    }

    /** Active alarms of both boards, by kind. */
    public Map<String, String> activeAlarms() {
        Map<String, String> all = new HashMap<>(shared.activeAlarms());
        all.putAll(local.activeAlarms());
        return all;
    }

    /** The shared figures of the last block that had any, or null. */
    BlockObservation lastObservation() {
        return lastShared;
    }

    /** The report of the last block that had figures, or null; it holds no key material. */
    public BlockReport lastReport() {
        return lastReport;
    }

    public Counts counts() {
        return new Counts(
                blocks.get(), withheld.get(), flagged.get(), releasedBlocks.get(), discardedBits.get(), errors.get());
    }

    @Override
    public void close() {
        selfTests.shutdownNow();
        try {
            selfTests.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
