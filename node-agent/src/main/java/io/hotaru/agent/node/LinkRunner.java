package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.link.KeySink;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TimeSyncException;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.peer.NettyPeerTransport;
import io.hotaru.keys.peer.PeerConfig;
import io.hotaru.keys.peer.PeerTransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link of a running node: its devices, its peer channel with Wegman–Carter authentication, its
 * state machine (every transition audited) and its end of the distillation. Brought up on its own
 * thread: START → SELFTEST (each device's self-test) → READY → peer channel → ALIGN (key positions
 * synchronised; a simulated link needs no optical alignment) → ALIGNED → KEYGEN, where the link end
 * starts and key reaches the store.
 */
final class LinkRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkRunner.class);
    /** Most 64-bit words a resynchronisation may discard per direction. */
    static final long MAX_SKIP_WORDS = 1 << 16;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The alarm kind of a link whose authentication pool has run dry. */
    static final String AUTH_KEY_EXHAUSTED = "auth-key-exhausted";

    /** The alarm kind of a link whose two ends cannot be brought back to the same keys. */
    static final String KEYS_DIVERGED = "keys-diverged";

    private final NodeConfig.Link link;
    private final KeySink store;
    private final AuditLog audit;
    private final PeerConfig peerConfig;
    private final LinkStateMachine machine;
    private final Thread control;
    private final LinkDevices devices;
    private final PeerChannel channel;
    private final AtomicLong distilledBlocks = new AtomicLong();
    private final AtomicLong authBytes = new AtomicLong();
    private final AtomicLong storedUnits = new AtomicLong();
    private volatile boolean stopping;
    private boolean closed;
    private volatile AuthKeyPool pool;
    private volatile AuthenticatedTransport auth;
    private volatile NettyPeerTransport peer;
    private final LinkObserver observer;
    private final java.util.function.Function<NodeConfig.Link, AuthKeyPool> pools;
    private final LinkTelemetrySampler sampler;
    private volatile TransmitterLink transmitter;
    private volatile ReceiverLink receiver;
    private volatile KeyOutputGuard guard;
    private volatile java.time.Instant holdUntil;
    private volatile Map.Entry<String, String> stopAlarm;
    private volatile AuthReplenishingSink connectionSink;
    private final LinkControlLoops loops;
    private final LinkResumption.StoredBlocks storedBlocks;

    /**
     * @param pools the link's authentication pool, owned by the node so that a link started again
     *     goes on from where its pool stood and never reuses tag key from the bootstrap secret
     */
    LinkRunner(
            NodeConfig.Link link,
            KeySink store,
            AuditLog audit,
            PeerConfig peerConfig,
            LinkObserver observer,
            java.util.function.Function<NodeConfig.Link, AuthKeyPool> pools,
            LinkResumption.StoredBlocks storedBlocks) {
        this.link = link;
        this.storedBlocks = storedBlocks;
        this.pools = pools;
        this.store = store;
        this.audit = audit;
        this.peerConfig = peerConfig;
        this.observer = observer;
        this.sampler = new LinkTelemetrySampler(link.id());
        this.devices = new LinkDevices(link);
        this.loops = new LinkControlLoops(link, devices, audit);
        this.channel = new PeerChannel(link, peerConfig);
        this.machine = new LinkStateMachine(link.id(), t -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("from", t.from().name());
            detail.put("event", t.event().name());
            detail.put("to", t.to().name());
            detail.put("accepted", t.accepted());
            audit.append("link.transition", t.linkId(), detail);
            log.info(
                    "link {}: {} --{}--> {}{}",
                    t.linkId(),
                    t.from(),
                    t.event(),
                    t.to(),
                    t.accepted() ? "" : " (refused)");
            observer.transition(t);
        });
        this.control = new Thread(this::bringUp, "link-" + link.id() + "-control");
    }

    void start() {
        control.start();
    }

    /** A satellite pass: self-test now, but bring the peer channel (and key) up only from {@code aos}. */
    void holdUntil(java.time.Instant aos) {
        this.holdUntil = aos;
    }

    /** Blocks distilled and 256-bit units stored since this link end started. */
    long[] keyCounts() {
        return new long[] {distilledBlocks.get(), storedUnits.get()};
    }

    LinkState state() {
        return machine.state();
    }

    String id() {
        return link.id();
    }

    /** The running link end's figures, or null before it starts. */
    io.hotaru.agent.link.LinkStats linkStats() {
        TransmitterLink t = transmitter;
        ReceiverLink r = receiver;
        return t != null ? t.stats() : r != null ? r.stats() : null;
    }

    /** QBER of the last block with figures, NaN before. */
    double lastQber() {
        KeyOutputGuard g = guard;
        io.hotaru.keys.distill.BlockReport report = g == null ? null : g.lastReport();
        return report == null ? Double.NaN : report.qberEstimate();
    }

    /** Active alarms of the link by kind, empty before the link end starts. */
    Map<String, String> activeAlarms() {
        KeyOutputGuard g = guard;
        Map.Entry<String, String> stopped = stopAlarm;
        if (stopped == null) {
            return g == null ? Map.of() : g.activeAlarms();
        }
        Map<String, String> all = new LinkedHashMap<>(g == null ? Map.of() : g.activeAlarms());
        all.put(stopped.getKey(), stopped.getValue());
        return all;
    }

    /** Blocks withheld, flagged and released by the monitors so far. */
    java.util.Optional<KeyOutputGuard.Counts> monitorCounts() {
        KeyOutputGuard g = guard;
        return g == null ? java.util.Optional.empty() : java.util.Optional.of(g.counts());
    }

    /** The operator's self-test (MQTT {@code cmd/selftest}); false if the link is in no state to run one. */
    boolean requestSelfTest() {
        KeyOutputGuard g = guard;
        return g != null && g.requestSelfTest();
    }

    /** This period's telemetry; {@code keyPoolBits} comes from the node's store. */
    io.hotaru.agent.mqtt.LinkTelemetry telemetry(java.time.Instant now, long keyPoolBits) {
        TransmitterLink t = transmitter;
        ReceiverLink r = receiver;
        KeyOutputGuard g = guard;
        AuthKeyPool p = pool;
        long authBits = 0;
        if (p != null) {
            try {
                authBits = p.availableBits(io.hotaru.keys.distill.auth.Direction.ALICE_TO_BOB)
                        + p.availableBits(io.hotaru.keys.distill.auth.Direction.BOB_TO_ALICE);
            } catch (RuntimeException closed) {
                authBits = 0;
            }
        }
        return sampler.sample(
                now,
                new LinkTelemetrySampler.Figures(
                        machine.state(),
                        t != null ? t.stats() : r != null ? r.stats() : null,
                        g == null ? null : g.lastReport(),
                        devices.arrivals() == null ? null : devices.arrivals().totals(),
                        r == null ? 0 : r.lostBatches(),
                        keyPoolBits,
                        authBits,
                        loops.syncOffsetNanos(),
                        loops.driftPpm(),
                        loops.polarisationFigures(),
                        r == null ? -1 : r.distillerIdleNanos()));
    }

    private void bringUp() {
        try {
            machine.fire(LinkEvent.START);
            devices.open();
            if (!selfTest()) {
                machine.fire(LinkEvent.SELFTEST_FAILED);
                return;
            }
            machine.fire(LinkEvent.SELFTEST_PASSED);
            pool = pools.apply(link);
            guard = buildGuard();
            waitForHold();
            machine.fire(LinkEvent.ALIGN);
            while (!stopping) {
                java.util.Optional<AuthenticationException> dry = exhausted();
                if (dry.isPresent()) {
                    authKeyExhausted(dry.get());
                    return;
                }
                long firstBlock;
                long firstKeySlot;
                try {
                    firstBlock = connect();
                    resume();
                    firstKeySlot = loops.exchange(auth);
                } catch (PeerTransportException | TimeSyncException lost) {
                    // cut while the ends were agreeing their key positions or clocks: connect
                    // again, as after any other loss of the channel (found by LinkFaultCampaignIT)
                    reconnecting();
                    continue;
                }
                synchronized (this) {
                    // close() reads the link end under this lock: it either sees it or stops it starting
                    if (stopping) {
                        return;
                    }
                    if (machine.state() == LinkState.ALIGN) {
                        machine.fire(LinkEvent.ALIGNED);
                    }
                    startLinkEnd(firstBlock, firstKeySlot);
                }
                awaitLinkEndStopped();
                if (!stopping) {
                    reconnecting();
                }
            }
        } catch (RuntimeException e) {
            if (stopping) {
                log.info("link {}: start-up ended by shutdown", link.id());
            } else if (e instanceof AuthenticationException a
                    && a.code() == AuthenticationException.Code.KEY_EXHAUSTED) {
                authKeyExhausted(a);
            } else if (e instanceof LinkResumption.ResumeRefused refused) {
                failClosed(
                        KEYS_DIVERGED,
                        refused.getMessage() + "; the link makes no key until the two stores are reconciled by hand");
            } else {
                log.error("link {}: start-up failed: {}", link.id(), e.toString());
                audit.append(
                        "link.error",
                        link.id(),
                        Map.of(
                                "stage",
                                machine.state().name(),
                                "error",
                                e.getClass().getSimpleName()));
            }
        }
    }

    /**
     * The link's authentication pool has run dry: without tag key no message can be authenticated
     * again, so the link cannot distil the key that would refill it. Fail closed and say so: the
     * link goes to ALARM with the {@value #AUTH_KEY_EXHAUSTED} alarm (audited, published on MQTT,
     * in {@code activeAlarms}), and stays there until the operator provisions the link again.
     */
    private void authKeyExhausted(AuthenticationException e) {
        failClosed(
                AUTH_KEY_EXHAUSTED,
                e.getMessage()
                        + "; the link can authenticate nothing more and makes no key until both ends are provisioned"
                        + " with a new pre-shared secret (docs/architecture.md, \"Authentication key\")");
    }

    /** Puts the link in ALARM for good with a {@code kind} alarm: audited, published, in {@link #activeAlarms}. */
    private void failClosed(String kind, String detail) {
        stopAlarm = Map.entry(kind, detail);
        log.error("link {}: {}: {}", link.id(), kind, detail);
        machine.fire(LinkEvent.ALARM_RAISED);
        alarmChanged(new AlarmBoard.AlarmChange(kind, true, -1, detail));
    }

    /** Both ends back to the same keys and pool before anything else on this connection. */
    private void resume() {
        LinkResumption.Outcome o = LinkResumption.resume(link.id(), auth, pool, storedBlocks);
        audit.append("link.resumed", link.id(), o.auditDetail());
        if (o.blocksWithdrawn() > 0 || o.depositsWithdrawn() > 0) {
            log.warn(
                    "link {}: withdrew {} block(s) ({} units) and {} authentication deposit(s) the peer never got",
                    link.id(),
                    o.blocksWithdrawn(),
                    o.unitsErased(),
                    o.depositsWithdrawn());
        }
    }

    /**
     * A direction of the pool with no word left, checked between connections: a block that ran it
     * dry ends its link end (aborted) without the failure reaching this thread.
     */
    private java.util.Optional<AuthenticationException> exhausted() {
        for (io.hotaru.keys.distill.auth.Direction d : io.hotaru.keys.distill.auth.Direction.values()) {
            if (pool.availableBits(d) == 0) {
                return java.util.Optional.of(new AuthenticationException(
                        AuthenticationException.Code.KEY_EXHAUSTED, "no authentication key left for " + d));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Opens the peer channel (retrying with backoff) and agrees the authentication key positions.
     *
     * @return the id of the first block on this connection, alike at both ends and above every id
     *     used before: the tag key words both ends have used, which every block advances
     */
    private long connect() {
        NettyPeerTransport transport = channel.open(() -> stopping);
        peer = transport;
        AuthenticatedTransport a = link.role() == NodeConfig.Role.TRANSMITTER
                ? AuthenticatedTransport.alice(transport, pool, AuthConfig.defaults())
                : AuthenticatedTransport.bob(transport, pool, AuthConfig.defaults());
        auth = a;
        long skipped = a.synchronize(MAX_SKIP_WORDS);
        long firstBlock = pool.position(io.hotaru.keys.distill.auth.Direction.ALICE_TO_BOB)
                + pool.position(io.hotaru.keys.distill.auth.Direction.BOB_TO_ALICE);
        audit.append("link.auth.synchronised", link.id(), Map.of("skipped_bits", skipped, "first_block", firstBlock));
        return firstBlock;
    }

    private void waitForHold() {
        java.time.Instant until = holdUntil;
        while (until != null && !stopping && java.time.Instant.now().isBefore(until)) {
            try {
                Thread.sleep(Math.min(
                        100,
                        Math.max(
                                1,
                                java.time.Duration.between(java.time.Instant.now(), until)
                                        .toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Returns once the link end has stopped, or once its peer channel has closed: a receiver between
     * two blocks does not touch the channel, and with the transmitter gone no detection comes to
     * complete the next block, so a cut it has not seen would hold the link down (found by
     * LinkFaultCampaignIT at 550 faults: 57 connections made in all).
     */
    private void awaitLinkEndStopped() {
        while (!stopping) {
            TransmitterLink t = transmitter;
            ReceiverLink r = receiver;
            NettyPeerTransport p = peer;
            if ((t != null && !t.isRunning()) || (r != null && !r.isRunning()) || (p != null && !p.isOpen())) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The channel failed: the link end is closed and the link waits in ALIGN for the peer again. */
    private void reconnecting() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            ReceiverLink r = receiver;
            TransmitterLink t = transmitter;
            if (r != null) {
                r.close();
            }
            if (t != null) {
                t.close();
            }
            AuthenticatedTransport a = auth;
            if (a != null) {
                a.close();
            }
            // nothing of the old connection may reach the pool or the store once the next one's
            // LinkResume has said where this end stands (found by the full link-fault campaign)
            AuthReplenishingSink s = connectionSink;
            if (s != null) {
                s.close();
            }
            if (machine.state() == LinkState.KEYGEN) {
                machine.fire(LinkEvent.ALIGN);
            }
        }
        log.warn("link {}: peer channel lost; reconnecting", link.id());
        audit.append(
                "link.peer.lost", link.id(), Map.of("state", machine.state().name()));
    }

    private boolean selfTest() {
        return devices.selfTest(audit);
    }

    /**
     * The link's authentication pool as the node's store keeps it (durable: a restarted node goes
     * on after every word it may have used); the bootstrap secret file is read only while the
     * store has no state for the link.
     */
    static AuthKeyPool openPool(io.hotaru.keys.store.AuthKeyStore keys, NodeConfig.Link link) {
        return keys.open(link.id(), () -> {
            try {
                return Files.readAllBytes(link.authBootstrapKey()); // zeroed by the store
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + link.authBootstrapKey(), e);
            }
        });
    }

    private KeyOutputGuard buildGuard() {
        double slotPeriodPs = loops.slotPeriodPs();
        double[] intensities = link.role() == NodeConfig.Role.TRANSMITTER
                ? devices.get(PhotonSource.class).settings().intensities()
                : link.protocol().orElseThrow().intensities();
        return LinkMonitors.guard(
                link.id(),
                link.role(),
                link.monitors(),
                machine,
                new LocalReadings(
                        devices.find(OpticalPowerMonitor.class),
                        devices.find(DetectorControl.class),
                        java.util.Optional.ofNullable(devices.arrivals()),
                        link.monitors().selfTestPulsesPerBlock()),
                slotPeriodPs,
                intensities,
                this::selfTest,
                this::alarmChanged);
    }

    private void startLinkEnd(long firstBlock, long firstKeySlot) {
        // Audited per block, and counted here for the totals audited at stop.
        AuthReplenishingSink sink = new AuthReplenishingSink(pool, machine, guard.guard(store), d -> {
            distilledBlocks.incrementAndGet();
            authBytes.addAndGet(d.authBytes());
            storedUnits.addAndGet(d.storedUnits());
            audit.append("link.block.distilled", link.id(), d.auditDetail());
        });
        connectionSink = sink;
        DistillConfig config = DistillConfig.defaults();
        if (link.role() == NodeConfig.Role.TRANSMITTER) {
            PhotonSource source = devices.get(PhotonSource.class);
            AliceSession session = new AliceSession(
                    config,
                    distillSettings(protocolOf(source.settings())),
                    CascadeReconciler.original(),
                    new QrngRandomSource(devices.get(Qrng.class)),
                    auth);
            transmitter = new TransmitterLink(link.id(), source, session, sink, guard, firstBlock);
            transmitter.refuseSlotsBelow(firstKeySlot);
            transmitter.start();
        } else {
            NodeConfig.Protocol protocol = link.protocol().orElseThrow();
            BobSession session = new BobSession(config, distillSettings(protocol), CascadeReconciler.original(), auth);
            receiver = new ReceiverLink(
                    link.id(),
                    devices.get(TimeTagger.class),
                    session,
                    sink,
                    1e12 / protocol.repetitionRateHz(),
                    link.blockDetections(),
                    new SecureRandom().nextLong(),
                    guard,
                    firstBlock,
                    loops.firstReceiverSlot(firstKeySlot));
            loops.attach(receiver);
            receiver.start();
        }
    }

    private void alarmChanged(AlarmBoard.AlarmChange change) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", change.kind());
        detail.put("active", change.active());
        detail.put("block", change.blockId());
        detail.put("detail", change.detail());
        audit.append(change.active() ? "link.alarm.raised" : "link.alarm.cleared", link.id(), detail);
        observer.alarm(link.id(), change);
    }

    static NodeConfig.Protocol protocolOf(SourceSettings s) {
        return new NodeConfig.Protocol(
                s.repetitionRateHz(), s.intensities(), s.intensityProbabilities(), s.zBasisProbability());
    }

    static io.hotaru.keys.distill.SourceSettings distillSettings(NodeConfig.Protocol p) {
        double[] mu = p.intensities();
        double[] pr = p.probabilities();
        return io.hotaru.keys.distill.SourceSettings.of(mu[0], mu[1], pr[0], pr[1], pr[2], p.zBasisProbability());
    }

    /**
     * Stops block-aligned: the receiver finishes the block in progress, the transmitter the block
     * it is in (or, if the receiver has gone, stops when the channel closes); then the channel,
     * devices and the pool are closed and STOP is audited.
     */
    @Override
    public void close() {
        ReceiverLink r;
        TransmitterLink t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            r = receiver;
            t = transmitter;
        }
        // No interrupt: it would close the audit log's channel if it hit a write. The control
        // thread sees `stopping` within a backoff step, and closing the channel ends a handshake.
        if (r != null) {
            r.close();
        }
        if (t != null) {
            t.stopAfter(t.finishedBlocks() + 1, STOP_TIMEOUT);
        }
        AuthenticatedTransport a = auth;
        if (a != null) {
            a.close();
        }
        KeyOutputGuard g = guard;
        if (g != null) {
            g.close();
        }
        channel.close();
        try {
            control.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        devices.close();
        machine.fire(LinkEvent.STOP);
        Map<String, Object> detail = new LinkedHashMap<>();
        if (r != null) {
            detail.put("blocks_started", r.startedBlocks());
        }
        if (t != null) {
            detail.put("blocks_finished", t.finishedBlocks());
        }
        detail.put("distilled_blocks", distilledBlocks.get());
        detail.put("auth_bytes_deposited", authBytes.get());
        detail.put("stored_units", storedUnits.get());
        audit.append("link.stopped", link.id(), detail);
    }
}
