package io.hotaru.agent.demo;

import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.node.KeyOutputGuard;
import io.hotaru.agent.node.SimulatedLinkGuards;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.Device;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.sim.devices.SimLinkConfig;
import io.hotaru.sim.devices.SimPhotonSource;
import io.hotaru.sim.devices.SimTimeTagger;
import io.hotaru.sim.physics.QuantumChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Both ends of one simulated link of the demo for one stretch of running (a fibre link until an
 * attack restarts it, a satellite link for one pass): the {@code sim:} devices of both ends, at each
 * end a state machine and the node's attack monitors ({@link KeyOutputGuard}: the transmitter's
 * Trojan-horse monitor on the power monitor, the receiver's blinding and time-shift monitors on its
 * detectors and time tags, and the QBER and decoy-statistics monitors at both), and the two link
 * ends distilling over an in-memory channel into the nodes' stores.
 *
 * <p>{@link #start} runs the devices' self-tests first (START → SELFTEST → READY → ALIGN → KEYGEN, or
 * ALARM when a test fails, and then nothing starts); ends whose devices carry an eavesdropper skip
 * them, since they stand for an attack that began after the link's self-test.
 */
final class SimulatedLinkEnds implements AutoCloseable {

    /** One end of the link. */
    record End(String node, LinkStateMachine machine, KeyOutputGuard guard, KeyStore store) {}

    /**
     * What to run.
     *
     * @param linkId the link's id (key IDs derive from it)
     * @param query the {@code sim:} URI query both ends share, with the eavesdropper if any
     * @param channel the optical path instead of the parameter set's fibre (a satellite pass), if any
     * @param blockDetections detections per block
     * @param firstBlockId block number of the first block, after every block of earlier stretches
     * @param seed seeds the QRNG and the receiver's multi-click squashing
     */
    record Spec(
            String linkId,
            String query,
            Optional<QuantumChannel> channel,
            int blockDetections,
            long firstBlockId,
            long seed) {}

    private final Spec spec;
    private final List<Device> devices = new ArrayList<>();
    private final End transmitterEnd;
    private final End receiverEnd;
    private final TransmitterLink transmitter;
    private final ReceiverLink receiver;
    private final List<Device> transmitterDevices;
    private final List<Device> receiverDevices;
    private boolean started;
    private boolean stopped;
    private String selfTest = "";

    /**
     * Opens the devices and builds both ends; nothing runs before {@link #start}.
     *
     * @param storedBits adds the key bits each block stores at the transmitter
     * @param alarms told of each alarm change, with the node of the end that saw it
     */
    SimulatedLinkEnds(
            Spec spec,
            Drivers drivers,
            String nodeA,
            KeyStore storeA,
            String nodeB,
            KeyStore storeB,
            AtomicLong storedBits,
            BiConsumer<String, AlarmBoard.AlarmChange> alarms) {
        this.spec = spec;
        SimLinkConfig alice = config("sim:alice?" + spec.query());
        SimLinkConfig bob = config("sim:bob?" + spec.query());
        SimPhotonSource source = add(new SimPhotonSource(alice));
        SimTimeTagger tagger = add(new SimTimeTagger(bob, System::nanoTime));
        OpticalPowerMonitor power = add(drivers.open("sim:monitor?" + spec.query(), OpticalPowerMonitor.class));
        DetectorControl detectors = add(drivers.open("sim:detectors?" + spec.query(), DetectorControl.class));
        Qrng qrng = add(drivers.open("sim:qrng?seed=" + (spec.seed() ^ 0x5DEECE66DL), Qrng.class));
        transmitterDevices = List.of(source, power);
        receiverDevices = List.of(tagger, detectors);
        SourceSettings settings = source.settings();
        double slotPs = settings.slotPeriodPs();
        TimeTagger tapped = SimulatedLinkGuards.arrivalTap(tagger, slotPs);
        LinkStateMachine machineA = new LinkStateMachine(spec.linkId(), t -> {});
        LinkStateMachine machineB = new LinkStateMachine(spec.linkId(), t -> {});
        KeyOutputGuard guardA = SimulatedLinkGuards.transmitter(
                spec.linkId(),
                machineA,
                NodeConfigLoader.DEFAULT_MONITORS,
                slotPs,
                settings.intensities(),
                power,
                () -> passAll(transmitterDevices),
                change -> alarms.accept(nodeA, change));
        KeyOutputGuard guardB = SimulatedLinkGuards.receiver(
                spec.linkId(),
                machineB,
                NodeConfigLoader.DEFAULT_MONITORS,
                slotPs,
                settings.intensities(),
                detectors,
                tapped,
                () -> passAll(receiverDevices),
                change -> alarms.accept(nodeB, change));
        transmitterEnd = new End(nodeA, machineA, guardA, storeA);
        receiverEnd = new End(nodeB, machineB, guardB, storeB);
        var distillSettings = DistillSourceSettings.of(settings);
        DistillConfig config = DistillConfig.defaults();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        transmitter = new TransmitterLink(
                spec.linkId(),
                source,
                new AliceSession(
                        config,
                        distillSettings,
                        CascadeReconciler.original(),
                        new QrngRandomSource(qrng),
                        channel.alice()),
                guardA.guard((link, block, key) -> {
                    int stored = storeA.ingest(link, block, key);
                    if (stored > 0) {
                        storedBits.addAndGet(8L * key.length);
                    }
                    return stored;
                }),
                guardA,
                spec.firstBlockId());
        receiver = new ReceiverLink(
                spec.linkId(),
                tapped,
                new BobSession(config, distillSettings, CascadeReconciler.original(), channel.bob()),
                guardB.guard(storeB::ingest),
                slotPs,
                spec.blockDetections(),
                spec.seed(),
                guardB,
                spec.firstBlockId(),
                0);
    }

    private SimLinkConfig config(String uri) {
        SimLinkConfig c = SimLinkConfig.parse(uri);
        return spec.channel().map(c::withChannel).orElse(c);
    }

    private <T extends Device> T add(T device) {
        devices.add(device);
        return device;
    }

    private static boolean passAll(List<Device> devices) {
        return devices.stream().allMatch(d -> d.selfTest().passed());
    }

    /**
     * Self-tests both ends' devices, then starts both ends in KEYGEN; returns false (both ends in
     * ALARM, nothing started) if a self-test failed, with the failures in {@link #selfTestReport}.
     */
    synchronized boolean start() {
        if (started || stopped) {
            throw new IllegalStateException("link " + spec.linkId() + " ends already started");
        }
        started = true;
        // The sim fixes an eavesdropper when a device opens, so ends with one are ends restarted for
        // an attack that, on a real link, began after the self-test: they skip it (a blinded
        // detector would fail it) and the attack is left to the monitors.
        boolean honest = !spec.query().contains("&eve=");
        boolean a = selfTest(transmitterEnd.machine(), honest ? transmitterDevices : List.of());
        boolean b = selfTest(receiverEnd.machine(), honest ? receiverDevices : List.of());
        if (!a || !b) {
            transmitterEnd.machine().fire(LinkEvent.SELFTEST_FAILED);
            receiverEnd.machine().fire(LinkEvent.SELFTEST_FAILED);
            return false;
        }
        for (End e : List.of(transmitterEnd, receiverEnd)) {
            e.machine().fire(LinkEvent.SELFTEST_PASSED);
            e.machine().fire(LinkEvent.ALIGN);
            e.machine().fire(LinkEvent.ALIGNED);
        }
        transmitter.start();
        receiver.start();
        return true;
    }

    private boolean selfTest(LinkStateMachine machine, List<Device> ends) {
        machine.fire(LinkEvent.START);
        boolean pass = true;
        for (Device d : ends) {
            SelfTestResult r = d.selfTest();
            if (!r.passed()) {
                pass = false;
                selfTest += d.identity().model() + ": " + r.detail() + "; ";
            }
        }
        return pass;
    }

    /** What failed in the self-test, empty if nothing did. */
    synchronized String selfTestReport() {
        return selfTest;
    }

    /**
     * Stops both ends after the block in progress, so that both stores hold the same blocks, and
     * moves both state machines to STOPPED.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (started) {
            receiver.close();
            transmitter.stopAfter(receiver.startedBlocks(), Duration.ofSeconds(30));
        }
        transmitterEnd.machine().fire(LinkEvent.STOP);
        receiverEnd.machine().fire(LinkEvent.STOP);
    }

    End transmitterEnd() {
        return transmitterEnd;
    }

    End receiverEnd() {
        return receiverEnd;
    }

    /** Blocks the receiver started. */
    long startedBlocks() {
        return started ? receiver.startedBlocks() : 0;
    }

    LinkStats transmitterStats() {
        return transmitter.stats();
    }

    LinkStats receiverStats() {
        return receiver.stats();
    }

    /** The worse of the two ends' states: ALARM at either end is the link's state. */
    LinkState state() {
        LinkState a = transmitterEnd.machine().state();
        return a == LinkState.KEYGEN ? receiverEnd.machine().state() : a;
    }

    /** The state of the end at {@code node}. */
    LinkState stateAt(String node) {
        return (node.equals(transmitterEnd.node()) ? transmitterEnd : receiverEnd)
                .machine()
                .state();
    }

    /** Active alarms at either end, by kind. */
    Map<String, String> activeAlarms() {
        Map<String, String> all = new TreeMap<>(transmitterEnd.guard().activeAlarms());
        all.putAll(receiverEnd.guard().activeAlarms());
        return all;
    }

    /** Stops the ends, then closes the devices and both guards. */
    @Override
    public synchronized void close() {
        stop();
        for (int i = devices.size() - 1; i >= 0; i--) {
            try {
                devices.get(i).close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        transmitterEnd.guard().close();
        receiverEnd.guard().close();
    }
}
