package io.hotaru.agent.demo;

import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.node.KeyOutputGuard;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.topology.FibreLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.store.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One running fibre link of a {@link TopologyNetwork}: its simulated devices, both link ends
 * distilling over an in-memory channel, and at each end the node's attack monitors ({@link
 * KeyOutputGuard}), which keep a flagged block's key out of both stores and move the end's state
 * machine to ALARM ({@link SimulatedLinkEnds}).
 *
 * <p>An eavesdropper can be put on the link while it runs ({@link #attack}): the link ends stop
 * after the block in progress and start again, on the same block numbering, with devices that carry
 * the attack; the stores keep what they hold.
 */
public final class FibreLinkRun implements DemoLink, AutoCloseable {

    private final FibreLink link;
    private final long seed;
    private final double timeScale;
    private final int blockDetections;
    private final Drivers drivers;
    private final KeyStore storeA;
    private final KeyStore storeB;
    private final BiConsumer<String, AlarmBoard.AlarmChange> alarms;
    private final AtomicLong storedKeyBits = new AtomicLong();
    private SimulatedLinkEnds ends;
    private String eve = "none";
    private long blocksBefore;
    private boolean stopped;

    /**
     * @param alarms told of each alarm change at either end, with the end's node id
     */
    FibreLinkRun(
            FibreLink link,
            long seed,
            double timeScale,
            int blockDetections,
            Drivers drivers,
            KeyStore storeA,
            KeyStore storeB,
            BiConsumer<String, AlarmBoard.AlarmChange> alarms) {
        this.link = link;
        this.seed = seed;
        this.timeScale = timeScale;
        this.blockDetections = blockDetections;
        this.drivers = drivers;
        this.storeA = storeA;
        this.storeB = storeB;
        this.alarms = alarms;
    }

    /** Starts the link ends with devices carrying {@code eveSpec} (a sim attack, or "none"). */
    synchronized void start(String eveSpec) {
        FibreLinkDevices d = FibreLinkDevices.of(link, seed, timeScale, eveSpec);
        ends = new SimulatedLinkEnds(
                new SimulatedLinkEnds.Spec(
                        link.id(), d.query(), Optional.empty(), blockDetections, blocksBefore, seed ^ blocksBefore),
                drivers,
                link.a(),
                storeA,
                link.b(),
                storeB,
                storedKeyBits,
                alarms);
        eve = eveSpec;
        ends.start();
    }

    /**
     * Puts an eavesdropper on the link: stops both ends after the block in progress and starts them
     * again, numbering blocks on, with devices that carry {@code eveSpec}.
     */
    @Override
    public synchronized void attack(String eveSpec) {
        if (stopped) {
            return;
        }
        ends.close();
        blocksBefore += ends.startedBlocks();
        start(eveSpec);
    }

    public FibreLink link() {
        return link;
    }

    @Override
    public String id() {
        return link.id();
    }

    @Override
    public String a() {
        return link.a();
    }

    @Override
    public String b() {
        return link.b();
    }

    /** The transmitting end now (its state machine and guard are new after an attack restarted it). */
    public synchronized SimulatedLinkEnds.End transmitterEnd() {
        return ends.transmitterEnd();
    }

    /** The receiving end now. */
    public synchronized SimulatedLinkEnds.End receiverEnd() {
        return ends.receiverEnd();
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
        return ends.stateAt(node);
    }

    @Override
    public synchronized BlockReport lastReport() {
        return ends.transmitterEnd().guard().lastReport();
    }

    @Override
    public long storedKeyBits() {
        return storedKeyBits.get();
    }

    @Override
    public synchronized long blocks() {
        return blocksBefore + ends.startedBlocks();
    }

    @Override
    public synchronized String eve() {
        return eve;
    }

    @Override
    public synchronized LinkStats receiverStats() {
        return ends.receiverStats();
    }

    @Override
    public synchronized LinkStats transmitterStats() {
        return ends.transmitterStats();
    }

    @Override
    public synchronized LinkState state() {
        return ends.state();
    }

    @Override
    public synchronized Map<String, String> activeAlarms() {
        return ends.activeAlarms();
    }

    @Override
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        ends.stop();
    }

    @Override
    public synchronized void close() {
        stop();
        ends.close();
    }
}
