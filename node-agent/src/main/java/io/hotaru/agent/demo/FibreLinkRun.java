package io.hotaru.agent.demo;

import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.node.KeyOutputGuard;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.agent.topology.FibreLink;
import io.hotaru.drivers.Device;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.keys.store.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One running fibre link of a {@link TopologyNetwork}: its simulated devices, both link ends
 * distilling over an in-memory channel, and at each end the node's attack monitors ({@link
 * KeyOutputGuard}: QBER and decoy statistics), which keep a flagged block's key out of both stores
 * and move the end's state machine to ALARM.
 *
 * <p>An eavesdropper can be put on the link while it runs ({@link #attack}): the link ends stop
 * after the block in progress and start again, on the same block numbering, with devices that carry
 * the attack; the stores keep what they hold.
 */
public final class FibreLinkRun implements AutoCloseable {

    /** One end of the link. */
    public record End(String node, LinkStateMachine machine, KeyOutputGuard guard, KeyStore store) {}

    private final FibreLink link;
    private final long seed;
    private final double timeScale;
    private final int blockDetections;
    private final Drivers drivers;
    private final End transmitterEnd;
    private final End receiverEnd;
    private final List<AutoCloseable> devices = new ArrayList<>();
    private TransmitterLink transmitter;
    private ReceiverLink receiver;
    private final AtomicLong storedKeyBits = new AtomicLong();
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
        SourceSettings probe =
                FibreLinkDevices.of(link, seed, timeScale, "none").sourceSettings(drivers);
        double slotPs = probe.slotPeriodPs();
        this.transmitterEnd = end(link.a(), storeA, slotPs, probe.intensities(), alarms);
        this.receiverEnd = end(link.b(), storeB, slotPs, probe.intensities(), alarms);
    }

    private End end(
            String node,
            KeyStore store,
            double slotPs,
            double[] intensities,
            BiConsumer<String, AlarmBoard.AlarmChange> alarms) {
        LinkStateMachine machine = new LinkStateMachine(link.id(), t -> {});
        machine.fire(LinkEvent.START);
        machine.fire(LinkEvent.SELFTEST_PASSED);
        machine.fire(LinkEvent.ALIGN);
        machine.fire(LinkEvent.ALIGNED);
        KeyOutputGuard guard = KeyOutputGuard.forSimulatedLink(
                link.id(),
                machine,
                NodeConfigLoader.DEFAULT_MONITORS,
                slotPs,
                intensities,
                change -> alarms.accept(node, change));
        return new End(node, machine, guard, store);
    }

    /** Starts the link ends with devices carrying {@code eveSpec} (a sim attack, or "none"). */
    synchronized void start(String eveSpec) {
        FibreLinkDevices d = FibreLinkDevices.of(link, seed, timeScale, eveSpec);
        PhotonSource source = open(d.source(), PhotonSource.class);
        TimeTagger tagger = open(d.tagger(), TimeTagger.class);
        Qrng qrng = open("sim:qrng?seed=" + (seed ^ 0x5DEECE66DL ^ blocksBefore), Qrng.class);
        SourceSettings settings = source.settings();
        var distillSettings = DistillSourceSettings.of(settings);
        DistillConfig config = DistillConfig.defaults();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        transmitter = new TransmitterLink(
                link.id(),
                source,
                new AliceSession(
                        config,
                        distillSettings,
                        CascadeReconciler.original(),
                        new QrngRandomSource(qrng),
                        channel.alice()),
                transmitterEnd.guard().guard(this::storeAtTransmitter),
                transmitterEnd.guard(),
                blocksBefore);
        receiver = new ReceiverLink(
                link.id(),
                tagger,
                new BobSession(config, distillSettings, CascadeReconciler.original(), channel.bob()),
                receiverEnd.guard().guard(receiverEnd.store()::ingest),
                settings.slotPeriodPs(),
                blockDetections,
                seed ^ blocksBefore,
                receiverEnd.guard(),
                blocksBefore,
                0);
        eve = eveSpec;
        transmitter.start();
        receiver.start();
    }

    private int storeAtTransmitter(String linkId, long blockId, byte[] key) {
        int stored = transmitterEnd.store().ingest(linkId, blockId, key);
        if (stored > 0) {
            storedKeyBits.addAndGet(8L * key.length);
        }
        return stored;
    }

    private <T extends Device> T open(String uri, Class<T> type) {
        T device = drivers.open(uri, type);
        devices.add(device);
        return device;
    }

    /**
     * Puts an eavesdropper on the link: stops both ends after the block in progress and starts them
     * again, numbering blocks on, with devices that carry {@code eveSpec}.
     */
    synchronized void attack(String eveSpec) {
        if (stopped) {
            return;
        }
        stopEnds();
        closeDevices();
        blocksBefore += receiver.startedBlocks();
        start(eveSpec);
    }

    private void stopEnds() {
        receiver.close();
        transmitter.stopAfter(receiver.startedBlocks(), Duration.ofSeconds(30));
    }

    private void closeDevices() {
        for (int i = devices.size() - 1; i >= 0; i--) {
            try {
                devices.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        devices.clear();
    }

    public FibreLink link() {
        return link;
    }

    public End transmitterEnd() {
        return transmitterEnd;
    }

    public End receiverEnd() {
        return receiverEnd;
    }

    /** Secret key bits that reached the transmitter's store since the link first started. */
    public long storedKeyBits() {
        return storedKeyBits.get();
    }

    /** Blocks the receiver started, over every (re)start. */
    public synchronized long blocks() {
        return blocksBefore + receiver.startedBlocks();
    }

    /** The attack on the link now, "none" without one. */
    public synchronized String eve() {
        return eve;
    }

    /** The receiver's figures since the link (re)started. */
    public synchronized LinkStats receiverStats() {
        return receiver.stats();
    }

    /** The transmitter's figures since the link (re)started. */
    public synchronized LinkStats transmitterStats() {
        return transmitter.stats();
    }

    /** The worse of the two ends' states: ALARM at either end is the link's state. */
    public LinkState state() {
        LinkState a = transmitterEnd.machine().state();
        return a == LinkState.KEYGEN ? receiverEnd.machine().state() : a;
    }

    /** Active alarms at either end, by kind. */
    public Map<String, String> activeAlarms() {
        Map<String, String> all = new TreeMap<>(transmitterEnd.guard().activeAlarms());
        all.putAll(receiverEnd.guard().activeAlarms());
        return all;
    }

    /** Stops both ends after the block in progress, so that both stores hold the same blocks. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopEnds();
    }

    @Override
    public synchronized void close() {
        stop();
        closeDevices();
        transmitterEnd.guard().close();
        receiverEnd.guard().close();
    }
}
