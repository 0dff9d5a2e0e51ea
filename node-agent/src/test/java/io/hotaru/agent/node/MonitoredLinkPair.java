package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.link.KeySink;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Both ends of one simulated link in one JVM, each with its devices, its {@link KeyOutputGuard}
 * (built as {@link LinkRunner} builds it) and a key store that records which blocks reached it.
 * The classical channel is in memory; the ends start in KEYGEN.
 */
final class MonitoredLinkPair implements AutoCloseable {

    /** One alarm change seen at one end. */
    record Seen(NodeConfig.Role end, AlarmBoard.AlarmChange change) {}

    final LinkStateMachine alice = new LinkStateMachine("AB", t -> {});
    final LinkStateMachine bob = new LinkStateMachine("AB", t -> {});
    final Map<Long, Integer> storedAtAlice = new ConcurrentHashMap<>();
    final Map<Long, Integer> storedAtBob = new ConcurrentHashMap<>();
    final List<Seen> alarms = new CopyOnWriteArrayList<>();
    final KeyOutputGuard aliceGuard;
    final KeyOutputGuard bobGuard;
    private final List<AutoCloseable> devices = new ArrayList<>();
    private final TransmitterLink transmitter;
    private final ReceiverLink receiver;
    private boolean closed;

    /**
     * @param simParameters the {@code sim:} URI parameters both ends share, e.g. {@code
     *     link=AB&seed=1&params=metro&eve=pns}
     */
    MonitoredLinkPair(String simParameters, int blockDetections, NodeConfig.Monitors monitors) {
        Drivers drivers = Drivers.discover();
        PhotonSource source = open(drivers, "sim:alice?" + simParameters, PhotonSource.class);
        TimeTagger tagger = open(drivers, "sim:bob?" + simParameters, TimeTagger.class);
        Qrng qrng = open(drivers, "sim:qrng?seed=7", Qrng.class);
        OpticalPowerMonitor power = open(drivers, "sim:monitor?" + simParameters, OpticalPowerMonitor.class);
        DetectorControl detectors = open(drivers, "sim:detectors?" + simParameters, DetectorControl.class);
        SourceSettings settings = source.settings();
        double period = 1e12 / settings.repetitionRateHz();
        ArrivalTimeTap tap = new ArrivalTimeTap(tagger, period);
        for (LinkStateMachine m : List.of(alice, bob)) {
            m.fire(LinkEvent.START);
            m.fire(LinkEvent.SELFTEST_PASSED);
            m.fire(LinkEvent.ALIGN);
            m.fire(LinkEvent.ALIGNED);
        }
        aliceGuard = LinkMonitors.guard(
                "AB",
                NodeConfig.Role.TRANSMITTER,
                monitors,
                alice,
                new LocalReadings(Optional.of(power), Optional.empty(), Optional.empty(), 0),
                period,
                settings.intensities(),
                () -> source.selfTest().passed() && power.selfTest().passed(),
                c -> alarms.add(new Seen(NodeConfig.Role.TRANSMITTER, c)));
        bobGuard = LinkMonitors.guard(
                "AB",
                NodeConfig.Role.RECEIVER,
                monitors,
                bob,
                new LocalReadings(
                        Optional.empty(), Optional.of(detectors), Optional.of(tap), monitors.selfTestPulsesPerBlock()),
                period,
                settings.intensities(),
                () -> detectors.selfTest().passed(),
                c -> alarms.add(new Seen(NodeConfig.Role.RECEIVER, c)));
        var distill = LinkRunner.distillSettings(LinkRunner.protocolOf(settings));
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        transmitter = new TransmitterLink(
                "AB",
                source,
                new AliceSession(
                        DistillConfig.defaults(),
                        distill,
                        CascadeReconciler.original(),
                        new QrngRandomSource(qrng),
                        channel.alice()),
                aliceGuard.guard(recorder(storedAtAlice)),
                aliceGuard);
        receiver = new ReceiverLink(
                "AB",
                tap,
                new BobSession(DistillConfig.defaults(), distill, CascadeReconciler.original(), channel.bob()),
                bobGuard.guard(recorder(storedAtBob)),
                period,
                blockDetections,
                11,
                bobGuard);
    }

    private <T extends AutoCloseable> T open(Drivers drivers, String uri, Class<T> role) {
        @SuppressWarnings("unchecked")
        T device = (T) drivers.open(uri, (Class) role);
        devices.add(device);
        return device;
    }

    private static KeySink recorder(Map<Long, Integer> stored) {
        return (link, blockId, key) -> {
            stored.put(blockId, key.length);
            return 1;
        };
    }

    void start() {
        transmitter.start();
        receiver.start();
    }

    /** Waits until both ends have finished {@code blocks} blocks, or {@code timeout}. */
    void awaitBlocks(long blocks, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((transmitter.finishedBlocks() < blocks || receiver.stats().blocks() < blocks)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    long finishedBlocks() {
        return Math.min(transmitter.finishedBlocks(), receiver.stats().blocks());
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        receiver.close();
        transmitter.stopAfter(receiver.startedBlocks(), Duration.ofSeconds(30));
        aliceGuard.close();
        bobGuard.close();
        for (AutoCloseable d : devices) {
            d.close();
        }
    }
}
