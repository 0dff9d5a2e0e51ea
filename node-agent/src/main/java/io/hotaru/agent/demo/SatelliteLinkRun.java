package io.hotaru.agent.demo;

import io.hotaru.agent.dashboard.RunClock;
import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.SatellitePass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A satellite link of a {@link TopologyNetwork}, keyed pass by pass: the passes come from the TLE
 * (SGP4, {@link PassPredictor}) placed on the wall clock by the run's {@link RunClock}; at each AOS
 * both ends self-test and start in KEYGEN ({@link SimulatedLinkEnds}) over the pass's free-space channel
 * ({@link PassChannels}), and at LOS they stop after the block in progress. Link time runs at the
 * fibre links' rate, so a pass compressed {@code time scale} times on the wall clock is also
 * compressed on the link: one link second covers {@code pass scale / link scale} orbit seconds.
 */
public final class SatelliteLinkRun implements DemoLink, AutoCloseable {

    /** What a pass brought. */
    public record PassResult(
            long aosWallMillis, long losWallMillis, double maxElevationDeg, String status, long blocks, long keyBits) {}

    private static final class Pass {
        final SatellitePass pass;
        final long aos;
        final long los;
        String status = "predicted";
        long blocks;
        long keyBits;
        long storedAtAos;
        long blocksAtAos;

        Pass(SatellitePass pass, long aos, long los) {
            this.pass = pass;
            this.aos = aos;
            this.los = los;
        }
    }

    private final SatelliteLink link;
    private final RunClock clock;
    private final double linkTimeScale;
    private final long seed;
    private final int blockDetections;
    private final Drivers drivers;
    private final KeyStore storeA;
    private final KeyStore storeB;
    private final BiConsumer<String, AlarmBoard.AlarmChange> alarms;
    private final List<Pass> passes = new ArrayList<>();
    private final AtomicLong storedKeyBits = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private SimulatedLinkEnds ends;
    private Pass current;
    private LinkStats lastTransmitterStats = new LinkStats();
    private LinkStats lastReceiverStats = new LinkStats();
    private BlockReport lastReport;
    private String eve = "none";
    private long blocksBefore;
    private boolean stopped;

    /**
     * @param clock the run's simulated time on the wall clock
     * @param horizon how long the run lasts: passes are scheduled within it
     * @param linkTimeScale link seconds per wall-clock second
     */
    SatelliteLinkRun(
            SatelliteLink link,
            RunClock clock,
            Duration horizon,
            double linkTimeScale,
            long seed,
            int blockDetections,
            Drivers drivers,
            KeyStore storeA,
            KeyStore storeB,
            BiConsumer<String, AlarmBoard.AlarmChange> alarms) {
        this.link = link;
        this.clock = clock;
        this.linkTimeScale = linkTimeScale;
        this.seed = seed;
        this.blockDetections = blockDetections;
        this.drivers = drivers;
        this.storeA = storeA;
        this.storeB = storeB;
        this.alarms = alarms;
        Duration simulated = Duration.ofMillis(Math.max(1, Math.round(horizon.toMillis() * clock.timeScale())));
        if (simulated.compareTo(PassPredictor.MAX_WINDOW) > 0) {
            simulated = PassPredictor.MAX_WINDOW;
        }
        for (SatellitePass p : new PassPredictor(link.tle(), link.groundStation())
                .predict(clock.simStart(), simulated, link.minElevationDeg())) {
            passes.add(new Pass(p, clock.wallMillisOf(p.aos()), clock.wallMillisOf(p.los())));
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pass-" + link.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Schedules every pass: start at AOS (at once if the run starts inside it), stop at LOS. */
    synchronized void schedule() {
        long now = System.currentTimeMillis();
        for (Pass p : passes) {
            if (p.los <= now) {
                p.status = "missed";
                continue;
            }
            scheduler.schedule(() -> begin(p), Math.max(0, p.aos - now), TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> end(p), p.los - now, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void begin(Pass p) {
        if (stopped) {
            return;
        }
        p.storedAtAos = storedKeyBits.get();
        p.blocksAtAos = blocksBefore;
        current = p;
        if (startEnds(p)) {
            p.status = "keying";
        } else {
            p.status = "self-test failed: " + ends.selfTestReport();
        }
    }

    /** Opens and starts new ends for the rest of pass {@code p}, with the attack on the link now. */
    private boolean startEnds(Pass p) {
        double compression = clock.timeScale() / linkTimeScale;
        double intoPass = Math.max(0, (System.currentTimeMillis() - p.aos) / 1000.0 * clock.timeScale());
        ends = new SimulatedLinkEnds(
                new SimulatedLinkEnds.Spec(
                        link.id(),
                        query(),
                        Optional.of(PassChannels.of(link, p.pass, compression, intoPass)),
                        blockDetections,
                        blocksBefore,
                        seed ^ blocksBefore),
                drivers,
                link.satellite(),
                storeA,
                link.station(),
                storeB,
                storedKeyBits,
                alarms);
        return ends.start();
    }

    private String query() {
        return String.format(
                        Locale.ROOT,
                        "link=%s&seed=%d&params=%s&time_scale=%s",
                        link.id(),
                        seed,
                        link.parameterSet(),
                        Double.toString(linkTimeScale))
                + ("none".equals(eve) ? "" : "&eve=" + eve);
    }

    private void end(Pass p) {
        while (true) {
            SimulatedLinkEnds stopping;
            synchronized (this) {
                if (current != p || ends == null) {
                    return;
                }
                stopping = ends;
            }
            stopping.close(); // outside the lock: the block in progress may take a while
            synchronized (this) {
                if (ends != stopping) {
                    continue; // an attack restarted the ends meanwhile: stop the new ones
                }
                retire(stopping);
                p.blocks = blocksBefore - p.blocksAtAos;
                p.keyBits = storedKeyBits.get() - p.storedAtAos;
                if (p.status.equals("keying")) {
                    p.status = "done";
                }
                current = null;
                return;
            }
        }
    }

    /** Takes the figures of closed ends and numbers blocks on after theirs. */
    private void retire(SimulatedLinkEnds closed) {
        blocksBefore += closed.startedBlocks();
        lastTransmitterStats = closed.transmitterStats();
        lastReceiverStats = closed.receiverStats();
        lastReport = closed.transmitterEnd().guard().lastReport();
        if (ends == closed) {
            ends = null;
        }
    }

    /**
     * Puts an eavesdropper on the link: during a pass the ends stop after the block in progress and
     * start again with devices that carry it, for the rest of the pass; between passes, from the next.
     */
    @Override
    public synchronized void attack(String eveSpec) {
        eve = eveSpec;
        if (stopped || ends == null || current == null) {
            return;
        }
        SimulatedLinkEnds old = ends;
        old.close();
        retire(old);
        if (!startEnds(current)) {
            current.status = "self-test failed: " + ends.selfTestReport();
        }
    }

    public SatelliteLink link() {
        return link;
    }

    /** Every pass within the run, with what it brought so far. */
    public synchronized List<PassResult> passes() {
        List<PassResult> out = new ArrayList<>();
        for (Pass p : passes) {
            boolean running = p == current;
            out.add(new PassResult(
                    p.aos,
                    p.los,
                    p.pass.maxElevationDeg(),
                    p.status,
                    running ? blocks() - p.blocksAtAos : p.blocks,
                    running ? storedKeyBits.get() - p.storedAtAos : p.keyBits));
        }
        return out;
    }

    /** Whether the link is keying in a pass now. */
    public synchronized boolean inPass() {
        return current != null && ends != null;
    }

    @Override
    public String id() {
        return link.id();
    }

    @Override
    public String a() {
        return link.satellite();
    }

    @Override
    public String b() {
        return link.station();
    }

    @Override
    public KeyStore transmitterStore() {
        return storeA;
    }

    @Override
    public KeyStore receiverStore() {
        return storeB;
    }

    @Override
    public synchronized LinkState stateAt(String node) {
        return ends == null ? idleState() : ends.stateAt(node);
    }

    @Override
    public synchronized LinkState state() {
        return ends == null ? idleState() : ends.state();
    }

    private LinkState idleState() {
        return passes.stream().anyMatch(p -> p.status.equals("done")) ? LinkState.STOPPED : LinkState.INIT;
    }

    @Override
    public synchronized BlockReport lastReport() {
        return ends == null ? lastReport : ends.transmitterEnd().guard().lastReport();
    }

    @Override
    public long storedKeyBits() {
        return storedKeyBits.get();
    }

    @Override
    public synchronized long blocks() {
        return blocksBefore + (ends == null ? 0 : ends.startedBlocks());
    }

    @Override
    public synchronized String eve() {
        return eve;
    }

    @Override
    public synchronized LinkStats transmitterStats() {
        return ends == null ? lastTransmitterStats : ends.transmitterStats();
    }

    @Override
    public synchronized LinkStats receiverStats() {
        return ends == null ? lastReceiverStats : ends.receiverStats();
    }

    @Override
    public synchronized Map<String, String> activeAlarms() {
        return ends == null ? Map.of() : ends.activeAlarms();
    }

    /** Stops the link after the block in progress and schedules no further pass. */
    @Override
    public void stop() {
        Pass p;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            scheduler.shutdownNow();
            p = current;
        }
        if (p != null) {
            end(p);
        }
    }

    @Override
    public void close() {
        stop();
        SimulatedLinkEnds left;
        synchronized (this) {
            left = ends;
        }
        if (left != null) {
            left.close();
        }
    }
}
