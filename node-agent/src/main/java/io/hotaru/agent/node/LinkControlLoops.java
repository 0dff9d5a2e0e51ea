package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.link.PolarisationLoop;
import io.hotaru.agent.link.PolarisationSearch;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.SlotClock;
import io.hotaru.agent.link.SlotClockTraining;
import io.hotaru.agent.link.SlotRevealServer;
import io.hotaru.agent.link.TimeSyncException;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.PeerTransport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link end's clock and polarisation control in the daemon (docs/architecture.md, "Control loops at
 * the receiver"). On every connection, before key generation, {@link #exchange} runs the
 * time-offset exchange: the transmitter answers the receiver's reveal requests; a receiver with
 * {@code time_sync} acquires its clock's offset and rate (the clock of the previous connection
 * centring the search), one without only ends the exchange. {@link #attach} then gives the
 * receiver its slot clock, tracked from then on, and a {@link PolarisationLoop} if the link has a
 * polarisation controller. The figures go to telemetry.
 */
final class LinkControlLoops {
    private static final Logger log = LoggerFactory.getLogger(LinkControlLoops.class);

    /**
     * How long a polarisation controller takes to reach new angles. The blocks framed meanwhile are
     * skipped by the loop; a motorised waveplate needs tens of milliseconds.
     */
    static final Duration POLARISATION_SETTLE = Duration.ofMillis(50);

    /** Acquisitions tried on one connection before it is dropped and dialled again. */
    static final int SYNC_ATTEMPTS = 3;

    private final NodeConfig.Link link;
    private final LinkDevices devices;
    private final AuditLog audit;
    /** The receiver's clock from the last acquisition; null at a transmitter or without time sync. */
    private volatile SlotClock slotClock;

    private volatile PolarisationLoop polarisation;

    LinkControlLoops(NodeConfig.Link link, LinkDevices devices, AuditLog audit) {
        this.link = link;
        this.devices = devices;
        this.audit = audit;
    }

    /**
     * The time-offset exchange on a new connection.
     *
     * @return the first slot that may carry key: every slot revealed lies below it
     * @throws TimeSyncException if no unambiguous offset was found, or the peer broke the exchange
     */
    long exchange(PeerTransport peer) {
        if (link.role() == NodeConfig.Role.TRANSMITTER) {
            long revealedEnd = SlotRevealServer.serve(peer, devices.get(PhotonSource.class));
            audit.append("link.sync.revealed", link.id(), Map.of("first_key_slot", revealedEnd));
            return revealedEnd;
        }
        if (link.timeSync().isEmpty()) {
            peer.send(new DistillMessage.SlotRevealRequest(0, 0, 0));
            return 0;
        }
        NodeConfig.TimeSync ts = link.timeSync().get();
        SlotClockTraining.Result r = new SlotClockTraining(
                        devices.get(TimeTagger.class),
                        peer,
                        slotPeriodPs(),
                        new SlotClockTraining.Settings(
                                ts.maxOffsetPs(),
                                ts.maxDriftPpm() * 1e-6,
                                ts.window().toNanos() * 1000,
                                ts.gap().toNanos() * 1000,
                                SYNC_ATTEMPTS))
                .acquire(slotClock);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("acquired", r.clock() != null);
        detail.put("attempts", r.attempts());
        detail.put("first_key_slot", r.firstKeySlot());
        if (r.clock() != null) {
            detail.put("offset_ps", Math.round(r.clock().offsetPs()));
            detail.put("drift_ppm", r.clock().rateError() * 1e6);
        }
        audit.append("link.sync.acquired", link.id(), detail);
        if (r.clock() == null) {
            log.warn("link {}: no unambiguous time offset in {} attempts; connecting again", link.id(), r.attempts());
            throw new TimeSyncException("no unambiguous time offset");
        }
        log.info(
                "link {}: clock offset {} ps, drift {} ppm",
                link.id(),
                Math.round(r.clock().offsetPs()),
                String.format(Locale.ROOT, "%.4f", r.clock().rateError() * 1e6));
        slotClock = r.clock();
        return r.firstKeySlot();
    }

    /** The pulse period: the source's at a transmitter, the configured protocol's at a receiver. */
    double slotPeriodPs() {
        return link.role() == NodeConfig.Role.TRANSMITTER
                ? 1e12 / devices.get(PhotonSource.class).settings().repetitionRateHz()
                : 1e12 / link.protocol().orElseThrow().repetitionRateHz();
    }

    /**
     * Where a new receiver may start framing: at or after {@code firstKeySlot} and after every tag
     * read so far (the tap counts on the receiver's clock, mapped here to the link's).
     */
    long firstReceiverSlot(long firstKeySlot) {
        ArrivalTimeTap tap = devices.arrivals();
        if (tap == null) {
            return firstKeySlot;
        }
        SlotClock clock = slotClock;
        if (clock == null) {
            return Math.max(firstKeySlot, tap.readUpToSlot());
        }
        double periodPs = slotPeriodPs();
        long linkPs = clock.linkTimePs((long) (tap.readUpToSlot() * periodPs));
        return Math.max(firstKeySlot, (long) Math.ceil(linkPs / periodPs) + 1);
    }

    /** Gives a receiver, before it starts, its slot clock and polarisation loop, where the link has them. */
    void attach(ReceiverLink receiver) {
        SlotClock clock = slotClock;
        if (clock != null) {
            receiver.useSlotClock(clock);
            ArrivalTimeTap tap = devices.arrivals();
            if (tap != null) {
                tap.useSlotClock(clock);
            }
        }
        PolarisationLoop loop = devices.find(PolarisationController.class)
                .map(c -> new PolarisationLoop(
                        c,
                        PolarisationSearch.Settings.defaults(),
                        new SecureRandom().nextLong(),
                        System::nanoTime,
                        POLARISATION_SETTLE.toNanos()))
                .orElse(null);
        if (loop != null) {
            receiver.addLoop(loop);
        }
        polarisation = loop;
    }

    /** The receiver clock's offset from the link's, ns; NaN without time sync. */
    double syncOffsetNanos() {
        SlotClock c = slotClock;
        return c == null ? Double.NaN : c.offsetPs() / 1000;
    }

    /** The receiver clock's rate error, ppm; NaN without time sync. */
    double driftPpm() {
        SlotClock c = slotClock;
        return c == null ? Double.NaN : c.rateError() * 1e6;
    }

    /** The polarisation loop's counters, empty where none runs. */
    Map<String, Double> polarisationFigures() {
        PolarisationLoop p = polarisation;
        if (p == null) {
            return Map.of();
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("moves", (double) p.moves());
        f.put("used_blocks", (double) p.usedSamples());
        f.put("stale_blocks", (double) p.staleSamples());
        f.put("errors", (double) p.errors());
        f.put("error_rate", p.lastErrorRate());
        return f;
    }
}
