package io.hotaru.keys.relay;

import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PadUnits;
import io.hotaru.keys.store.UnitHalf;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's relay pads, leased in blocks (ADR 0009, "Pads leased in blocks"). The sending end of a
 * link erases a block of units of its half in one durable store step (a lease, journalled {@code
 * LEASE OUT}) and sends their IDs to the peer ({@link Lease}); the peer takes the same units in one
 * durable step ({@code LEASE IN}) and answers. Only then does the sender use them: each relay hop
 * takes its pad from the block in memory, and the receiver finds the units a forward names in its
 * own block in memory. A unit is thus erased at both ends, durably, before any pad derived from it
 * leaves a node, and each end hands a unit out once (popped from the block, or removed from the
 * received ones).
 *
 * <p>What a crash or a new channel costs: the units of the blocks in memory are erased at both ends
 * already, so losing them loses key but never desynchronises the link. Both ends drop their blocks
 * of a link when its channel is replaced ({@link #discard}). A lease whose answer never came is
 * resent, burn-only, until the peer answers: the peer then burns whichever of its units it still
 * holds, so both ends end up having erased the same units.
 *
 * <p>Blocks grow with the load: a link's lease starts at the units one relay needs and doubles
 * (up to {@link RelayCodec#MAX_LEASE_UNITS}) each time a block lasted less than a second; it halves
 * when one lasted more than ten. The next lease is asked for when half the block is used, so under
 * load a relay rarely waits for one.
 */
final class PadLeases {
    private static final Logger log = LoggerFactory.getLogger(PadLeases.class);
    private static final long FAST_NANOS = 1_000_000_000L;
    private static final long SLOW_NANOS = 10_000_000_000L;
    private final String self;
    private final RelayJournal journal;
    private final Executor executor;
    private final Function<String, Optional<RelayPeer>> channels;
    private final Duration wait;
    /** How the peer's leases (and refills, {@link AuthRefills}) wait for units this end has not stored yet. */
    final ArrivalWait arrivals;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Outbound> outbound = new ConcurrentHashMap<>();
    private final Map<String, Map<UUID, byte[]>> inbound = new ConcurrentHashMap<>();
    /** Leases this end erased that the peer has not answered, by lease ID: resent burn-only. */
    private final Map<Long, Unanswered> unanswered = new ConcurrentHashMap<>();
    /** Leases whose first call is under way: not resent meanwhile (the peer might take them, then burn them). */
    private final java.util.Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    private record Unanswered(String link, String peer, List<UUID> units) {}

    /** The block this end sends with on one link. */
    private static final class Outbound {
        final String link;
        final String peer;
        final ArrayDeque<UUID> ids = new ArrayDeque<>();
        final ArrayDeque<byte[]> pads = new ArrayDeque<>();
        int leaseSize = 1;
        boolean refilling;
        /** Relays waiting in {@link #takeOutbound} for a lease: a batch on the event loop leaves them the block. */
        int waiting;
        /** Bumped when the blocks are dropped: a lease under way for an older generation is not used. */
        long generation;

        long lastLeaseNanos;
        /** Whether the last lease added units to the block. */
        boolean lastLeaseBrought;

        Outbound(String link, String peer) {
            this.link = link;
            this.peer = peer;
        }
    }

    /**
     * @param channels the open relay channel to a neighbour, by neighbour
     * @param wait how long a relay waits for a lease under way
     */
    PadLeases(
            String self,
            RelayJournal journal,
            Executor executor,
            Function<String, Optional<RelayPeer>> channels,
            Duration wait) {
        this.self = self;
        this.journal = journal;
        this.executor = executor;
        this.channels = channels;
        this.wait = wait;
        this.arrivals = new ArrivalWait(journal.keyStore(), wait);
    }

    /** Notes a journalled lease event at start-up: a lease erased here and never answered is resent. */
    void replay(RelayJournal.Event e) {
        if (e.detail().startsWith("OUT/") || e.detail().startsWith(AuthRefills.AUTH_OUT)) {
            String peer = e.detail().substring(e.detail().indexOf('/') + 1);
            unanswered.put(e.relayId(), new Unanswered(e.link(), peer, e.units()));
        } else if (e.detail().equals("ACK")) {
            unanswered.remove(e.relayId());
        }
    }

    /** Whether a lease erased here still waits for the peer's answer (its journal rows must stay). */
    boolean isUnanswered(long leaseId) {
        return unanswered.containsKey(leaseId);
    }

    /** Whether a lease on {@code link} erased here waits for the peer's answer. */
    boolean unansweredOn(String link) {
        return unanswered.values().stream().anyMatch(u -> u.link().equals(link));
    }

    /** Leases erased here that the peer has not answered yet. */
    int unanswered() {
        return unanswered.size();
    }

    /** Units of this end's block of {@code link}, leased and not yet used. */
    int ready(String link) {
        Outbound o = outbound.get(link);
        if (o == null) {
            return 0;
        }
        synchronized (o) {
            return o.ids.size();
        }
    }

    /**
     * Waits until no lease of this node is under way (at most {@code timeout}); true if none is. For
     * tests and shutdown: counts of leased and erased units agree only then.
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Outbound o : List.copyOf(outbound.values())) {
            synchronized (o) {
                while (o.refilling) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    o.wait(Math.max(1, left / 1_000_000));
                }
            }
        }
        return true;
    }

    /**
     * Takes {@code units} units of this end's block of the link to {@code peer} as a pad, leasing
     * more if the block has too few (waiting for the lease, at most the wait given); empty if the
     * link's half has too few units, no channel is open, or the lease does not come in time.
     */
    Optional<PadUnits> takeOutbound(String link, String peer, int units) {
        Outbound o = outbound.computeIfAbsent(link, l -> new Outbound(l, peer));
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (o) {
            boolean asked = false; // this thread started a lease
            while (o.ids.size() < units) {
                if (!o.refilling) {
                    if (asked && !o.lastLeaseBrought) {
                        return Optional.empty(); // the half has too few units, or the lease failed
                    }
                    if (!refill(o, units)) {
                        return Optional.empty(); // no channel is open
                    }
                    asked = true; // (others may take what a lease brought: then lease again)
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                o.waiting++;
                try {
                    o.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                } finally {
                    o.waiting--;
                }
            }
            PadUnits pad = pop(o, units);
            refillEarly(o);
            return Optional.of(pad);
        }
    }

    /**
     * As {@link #takeOutbound} for several pads of the link at once ({@code units[i]} units each),
     * without waiting: all of them from the block in memory, or none, a lease then started (if none
     * is under way) for the relays to come. None while relays wait in {@link #takeOutbound}.
     */
    Optional<List<PadUnits>> takeOutboundNow(String link, String peer, int[] units) {
        Outbound o = outbound.computeIfAbsent(link, l -> new Outbound(l, peer));
        int total = Arrays.stream(units).sum();
        synchronized (o) {
            if (o.waiting > 0) {
                return Optional.empty(); // what the lease under way brings is theirs first
            }
            if (o.ids.size() < total) {
                if (!o.refilling) {
                    refill(o, total);
                }
                return Optional.empty();
            }
            List<PadUnits> pads = new ArrayList<>(units.length);
            for (int n : units) {
                pads.add(pop(o, n));
            }
            refillEarly(o);
            return Optional.of(pads);
        }
    }

    /** The next {@code units} units of the block as a pad (guarded by {@code o}, which has them). */
    private static PadUnits pop(Outbound o, int units) {
        List<UUID> ids = new ArrayList<>(units);
        byte[] material = new byte[units * KeyStore.KEY_BYTES];
        for (int i = 0; i < units; i++) {
            ids.add(o.ids.poll());
            byte[] pad = o.pads.poll();
            System.arraycopy(pad, 0, material, i * KeyStore.KEY_BYTES, KeyStore.KEY_BYTES);
            Arrays.fill(pad, (byte) 0);
        }
        return new PadUnits(ids, material);
    }

    /** Under load, leases the next block while this one lasts (guarded by {@code o}). */
    private void refillEarly(Outbound o) {
        if (o.leaseSize > 1 && o.ids.size() * 2 < o.leaseSize && !o.refilling) {
            refill(o, 0);
        }
    }

    /**
     * The generation of the link's blocks: it changes when they are dropped ({@link #discard}). Read
     * it before {@link #takeOutbound} to give a pad back.
     */
    long generation(String link) {
        Outbound o = outbound.get(link);
        if (o == null) {
            return 0;
        }
        synchronized (o) {
            return o.generation;
        }
    }

    /**
     * Puts a pad taken by {@link #takeOutbound} back at the head of the block, unused: for a relay
     * that stopped before anything derived from the pad left this node or was journalled (its
     * end-to-end link is full here), unless the blocks were dropped since {@code generation} (read
     * before the pad was taken). Zero the pad afterwards as always.
     */
    void giveBack(String link, PadUnits pad, long generation) {
        Outbound o = outbound.get(link);
        if (o == null) {
            return;
        }
        List<UUID> ids = pad.unitIds();
        byte[] material = pad.material();
        synchronized (o) {
            if (o.generation != generation) {
                return; // the blocks were dropped since (the peer drops its copies too): spent
            }
            for (int i = ids.size() - 1; i >= 0; i--) {
                o.ids.addFirst(ids.get(i));
                o.pads.addFirst(Arrays.copyOfRange(material, i * KeyStore.KEY_BYTES, (i + 1) * KeyStore.KEY_BYTES));
            }
        }
    }

    /**
     * Leases a block of up to {@code units} on the link to {@code peer} now, in the calling thread
     * (tests: to start with units leased); returns the units then leased and unused.
     */
    int leaseNow(String link, String peer, int units) {
        Outbound o = outbound.computeIfAbsent(link, l -> new Outbound(l, peer));
        long generation;
        synchronized (o) {
            while (o.refilling) {
                try {
                    o.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return o.ids.size();
                }
            }
            o.refilling = true;
            generation = o.generation;
        }
        channels.apply(peer).ifPresentOrElse(c -> lease(o, c, units, units, generation), () -> {
            synchronized (o) {
                o.refilling = false;
            }
        });
        return ready(link);
    }

    /** Starts a lease of at least {@code units} (guarded by {@code o}); false if no channel is open. */
    private boolean refill(Outbound o, int units) {
        Optional<RelayPeer> channel = channels.apply(o.peer);
        if (channel.isEmpty() || channel.get().isClosed()) {
            return false;
        }
        o.refilling = true;
        int size = Math.min(RelayCodec.MAX_LEASE_UNITS, Math.max(units, o.leaseSize));
        long generation = o.generation;
        try {
            executor.execute(() -> lease(o, channel.get(), size, units, generation));
        } catch (RejectedExecutionException closing) {
            o.refilling = false;
            return false;
        }
        return true;
    }

    /**
     * A block of PadUnits read back from the store step; none if the half had no units or a lease
     * was refused (also of refills: {@link AuthRefills}).
     */
    static final class Taken implements AutoCloseable {
        /** A lease's units not all stored here yet: nothing taken, nothing recorded. */
        static final Taken NOT_YET = new Taken(null);

        final PadUnits units;

        Taken(PadUnits units) {
            this.units = units;
        }

        @Override
        public void close() {
            if (units != null) {
                units.close();
            }
        }
    }

    /**
     * Leases a block of up to {@code size} units (at least {@code needed} if the half has them, and
     * beyond that no more than half the half: see {@link io.hotaru.keys.store.RelayStore.Tx#takeUpTo}):
     * erased here, then taken by the peer.
     */
    private void lease(Outbound o, RelayPeer channel, int size, int needed, long generation) {
        Taken taken = null;
        boolean leased = false;
        try {
            resendUnanswered(o.link, channel);
            long leaseId = random.nextLong();
            UnitHalf half = UnitHalf.ofEnd(self, o.peer);
            taken = journal.step(rec -> {
                Optional<PadUnits> units = rec.tx().takeUpTo(o.link, size, needed, half);
                units.ifPresent(u -> rec.record(Kind.LEASE, leaseId, o.link, u.unitIds(), "OUT/" + o.peer));
                return new Taken(units.orElse(null));
            });
            if (taken.units == null) {
                return;
            }
            List<UUID> ids = taken.units.unitIds();
            sending(leaseId, o.link, o.peer, ids);
            Reply answer;
            byte[] material;
            try {
                // opened here, off the store's writer thread; should a unit fail to open, the lease
                // is never sent and stays unanswered: resent burn-only, so the peer burns them too
                material = taken.units.material();
                answer = channel.call(new Lease(channel.nextCallId(), leaseId, ids, false));
            } finally {
                sent(leaseId);
            }
            answered(leaseId, o.link);
            if (answer.status() == RelayStatus.ACK) {
                leased = true;
                synchronized (o) {
                    if (o.generation == generation) {
                        for (int i = 0; i < ids.size(); i++) {
                            o.ids.add(ids.get(i));
                            o.pads.add(
                                    Arrays.copyOfRange(material, i * KeyStore.KEY_BYTES, (i + 1) * KeyStore.KEY_BYTES));
                        }
                    }
                }
            } else {
                log.info(
                        "Relay link {} -> {}: lease {} refused ({}); its units are spent",
                        self,
                        o.peer,
                        leaseId,
                        answer.status());
            }
        } catch (RelayCallException e) {
            log.info("Relay link {} -> {}: lease unanswered ({}); resent later", self, o.peer, e.getMessage());
        } catch (RuntimeException e) { // the store failed or closed, or a unit failed to open: nothing was leased
            log.warn("Relay link {} -> {}: lease failed: {}", self, o.peer, e.getMessage());
        } finally {
            if (taken != null) {
                taken.close();
            }
            synchronized (o) {
                if (leased) { // a failed lease says nothing of the load
                    long now = System.nanoTime();
                    if (o.lastLeaseNanos != 0 && now - o.lastLeaseNanos < FAST_NANOS) {
                        o.leaseSize = Math.min(RelayCodec.MAX_LEASE_UNITS, o.leaseSize * 2);
                    } else if (now - o.lastLeaseNanos > SLOW_NANOS) {
                        o.leaseSize = Math.max(1, o.leaseSize / 2);
                    }
                    o.lastLeaseNanos = now;
                }
                o.lastLeaseBrought = leased && o.generation == generation;
                o.refilling = false;
                o.notifyAll();
            }
        }
    }

    /**
     * Notes a lease this end erased (journalled) that is about to be sent on its first call: it is
     * resent burn-only until answered ({@link #answered}); {@link #sent} once the call returned.
     */
    void sending(long leaseId, String link, String peer, List<UUID> units) {
        inFlight.add(leaseId);
        unanswered.put(leaseId, new Unanswered(link, peer, units));
    }

    /** The first call of a lease returned (answered or not). */
    void sent(long leaseId) {
        inFlight.remove(leaseId);
    }

    void answered(long leaseId, String link) {
        if (unanswered.remove(leaseId) != null) {
            journal.appendLazily(Kind.LEASE, leaseId, link, List.of(), "ACK");
        }
    }

    /** Resends the link's unanswered leases, burn-only, on {@code channel}; those still unanswered stay. */
    void resendUnanswered(String link, RelayPeer channel) {
        unanswered.forEach((leaseId, u) -> {
            if (u.link.equals(link) && !inFlight.contains(leaseId)) {
                channel.call(new Lease(channel.nextCallId(), leaseId, u.units, true));
                answered(leaseId, link);
            }
        });
    }

    /** As {@link #resendUnanswered(String, RelayPeer)} on the open channel to {@code peer}, logging a failure. */
    void resendUnansweredQuietly(String link, String peer) {
        channels.apply(peer).ifPresent(channel -> {
            try {
                resendUnanswered(link, channel);
            } catch (RelayCallException e) {
                log.info("Relay link {} -> {}: leases still unanswered ({})", self, peer, e.getMessage());
            }
        });
    }

    /**
     * The peer's lease on {@code link}: takes the named units of the peer's half, durably, and keeps
     * their plaintext for its forwards (ACK), or, if not all are held or the lease is burn-only,
     * burns those still held (ABORTED, or ACK for burn-only). A lease naming units this end has no
     * row of yet, all the others being held here (a distilled block reaches one end first, and a
     * waiting relay leases its units at once), looks for them again whenever a block is stored here,
     * for up to its arrival wait ({@link ArrivalWait}), before it is refused; those that arrive after
     * that are erased on arrival ({@code KeyStore.burn}).
     */
    Reply accept(String peer, String link, Lease lease) {
        List<UUID> ids = lease.units();
        // read before any step: a drop of the link's blocks while this lease waits or steps is seen below
        Map<UUID, byte[]> held = inbound.computeIfAbsent(link, l -> new ConcurrentHashMap<>());
        Taken taken = arrivals.look(
                link,
                lastTry -> journal.step(rec -> {
                    if (!lease.burnOnly()) {
                        Optional<PadUnits> units = rec.tx().takeNamedOfHalf(link, ids, UnitHalf.ofEnd(peer, self));
                        if (units.isPresent()) {
                            rec.record(Kind.LEASE, lease.leaseId(), link, ids, "IN/" + peer);
                            return new Taken(units.get());
                        }
                        if (!lastTry && rec.tx().awaitsUnits(link, ids)) {
                            return Taken.NOT_YET; // nothing changed: their block has not reached this end yet
                        }
                    }
                    int burned = rec.tx().burn(link, ids);
                    rec.record(Kind.LEASE, lease.leaseId(), link, ids, "BURN/" + burned);
                    return new Taken(null);
                }),
                Taken.NOT_YET);
        if (taken.units == null) {
            drop(link, ids);
            return new Reply(lease.callId(), lease.leaseId(), lease.burnOnly() ? RelayStatus.ACK : RelayStatus.ABORTED);
        }
        try {
            byte[] material = taken.units.material();
            for (int i = 0; i < ids.size(); i++) {
                held.put(
                        ids.get(i), Arrays.copyOfRange(material, i * KeyStore.KEY_BYTES, (i + 1) * KeyStore.KEY_BYTES));
            }
            if (inbound.get(link) != held) { // dropped meanwhile (the channel was replaced): spent
                ids.forEach(id -> {
                    byte[] pad = held.remove(id);
                    if (pad != null) {
                        Arrays.fill(pad, (byte) 0);
                    }
                });
                return new Reply(lease.callId(), lease.leaseId(), RelayStatus.ABORTED);
            }
        } finally {
            taken.close();
        }
        return new Reply(lease.callId(), lease.leaseId(), RelayStatus.ACK);
    }

    /** Whether this end holds every one of the named units of the peer's blocks of {@code link}. */
    boolean holdsInbound(String link, List<UUID> ids) {
        Map<UUID, byte[]> held = inbound.getOrDefault(link, Map.of());
        for (UUID id : ids) {
            if (!held.containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes the units a forward from the peer names, from the blocks the peer leased to this end:
     * empty, with those found dropped, unless every one is there (a unit is handed out once).
     */
    Optional<PadUnits> takeInbound(String link, List<UUID> ids) {
        Map<UUID, byte[]> held = inbound.getOrDefault(link, Map.of());
        byte[] material = new byte[ids.size() * KeyStore.KEY_BYTES];
        boolean all = true;
        for (int i = 0; i < ids.size(); i++) {
            byte[] pad = held.isEmpty() ? null : held.remove(ids.get(i));
            if (pad == null) {
                all = false;
                continue;
            }
            System.arraycopy(pad, 0, material, i * KeyStore.KEY_BYTES, KeyStore.KEY_BYTES);
            Arrays.fill(pad, (byte) 0);
        }
        if (!all) {
            Arrays.fill(material, (byte) 0);
            return Optional.empty();
        }
        return Optional.of(new PadUnits(ids, material));
    }

    /** Drops (zeroes) the named units of the peer's blocks of {@code link}, if held: they are spent. */
    void drop(String link, List<UUID> ids) {
        Map<UUID, byte[]> held = inbound.get(link);
        if (held != null) {
            ids.forEach(id -> {
                byte[] pad = held.remove(id);
                if (pad != null) {
                    Arrays.fill(pad, (byte) 0);
                }
            });
        }
    }

    /**
     * Drops both ends' blocks of {@code link} at this end (its channel is being replaced): the units
     * are erased at both ends already, so only key is lost, never agreement.
     */
    void discard(String link) {
        Outbound o = outbound.get(link);
        if (o != null) {
            synchronized (o) {
                o.generation++;
                o.ids.clear();
                o.pads.forEach(p -> Arrays.fill(p, (byte) 0));
                o.pads.clear();
                o.leaseSize = 1;
                o.lastLeaseNanos = 0;
            }
        }
        Map<UUID, byte[]> held = inbound.remove(link);
        if (held != null) {
            held.values().forEach(p -> Arrays.fill(p, (byte) 0));
        }
    }

    /** Drops every block (the node closes). */
    void discardAll() {
        List.copyOf(outbound.keySet()).forEach(this::discard);
        List.copyOf(inbound.keySet()).forEach(this::discard);
    }
}
