package io.hotaru.keys.relay;

import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PadUnits;
import io.hotaru.keys.store.UnitHalf;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's relay state: the key store, the journal, and what the journal says (rebuilt from it at
 * start-up). Every change of the store is preceded by its intent in the journal and followed by
 * its result, so that after a crash each relay can still be rolled back or confirmed.
 */
final class RelayLedger {
    private static final Logger log = LoggerFactory.getLogger(RelayLedger.class);

    /** A hop this node sent (or meant to send): share {@code share} of the relay, to {@code path[hop]}. */
    record OutboundHop(List<String> path, int hop, int share, String linkId, List<UUID> units) {}

    /**
     * The lock of one relay and how many holders hold or wait for it. A permit, not a thread's lock:
     * a relay handled on an event loop is released by whichever thread completes it ({@link
     * #tryLockRelays}), and a thread that holds it cannot take it again.
     */
    private static final class Held {
        final java.util.concurrent.Semaphore lock = new java.util.concurrent.Semaphore(1);
        int users;
    }

    /** A relay this node started: size, routes (one per share), and the block number of its key. */
    record SourceRelay(int sizeBits, List<List<String>> paths, long keyBlock) {}

    private final String self;
    private final KeyStore store;
    private final RelayJournal journal;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final SettledRelays settled;
    private final PadLeases leases;
    private final Map<Long, List<OutboundHop>> outbound = new ConcurrentHashMap<>();
    private final Map<Long, SourceRelay> sources = new ConcurrentHashMap<>();
    /**
     * Per end-to-end link, the highest key block number of this node's side of it that this node
     * picked or found in its store (guarded by itself).
     */
    private final Map<String, Long> lastKeyBlock = new java.util.HashMap<>();

    private static final AutoCloseable NOTHING = () -> {};

    RelayLedger(String self, KeyStore store, RelayJournal journal, int rememberedOutcomes, PadLeases leases) {
        this.self = self;
        this.store = store;
        this.journal = journal;
        this.settled = new SettledRelays(rememberedOutcomes);
        this.leases = leases;
        replay();
    }

    /**
     * Rebuilds the open relays from the journal, read row by row: a source's routes and the hops a
     * node sent of every relay not settled here, and the outcomes of the relays settled last.
     */
    private void replay() {
        journal.forEachEvent(e -> {
            switch (e.kind()) {
                case BEGIN -> {
                    if (!settled.isSettled(e.relayId())) {
                        sources.put(e.relayId(), parseBegin(e.detail()));
                    }
                }
                case INTENT -> {
                    if (e.detail().startsWith("OUT/") && !settled.isSettled(e.relayId())) {
                        outbound.computeIfAbsent(e.relayId(), r -> new CopyOnWriteArrayList<>())
                                .add(parseOut(e.detail(), e.link(), e.units()));
                    }
                }
                case VOID -> {
                    List<OutboundHop> hops = outbound.get(e.relayId());
                    if (hops != null) {
                        hops.removeIf(h -> h.units().equals(e.units()));
                    }
                }
                case COMMIT -> {
                    settled.commit(e.relayId());
                    forget(e.relayId());
                }
                case ABORT -> {
                    settled.abort(e.relayId());
                    forget(e.relayId());
                }
                case LEASE -> leases.replay(e);
                default -> {
                    // history only
                }
            }
        });
    }

    String self() {
        return self;
    }

    KeyStore store() {
        return store;
    }

    RelayJournal journal() {
        return journal;
    }

    /**
     * Runs {@code work} holding the lock of this one relay (no two relays share a lock, so two
     * relays crossing in opposite directions cannot wait for each other).
     */
    <T> T withRelay(long relayId, Supplier<T> work) {
        useLock(relayId).lock.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            unlockRelay(relayId);
        }
    }

    private Held useLock(long relayId) {
        return held.compute(relayId, (k, v) -> {
            Held h = v == null ? new Held() : v;
            h.users++;
            return h;
        });
    }

    private void unuseLock(long relayId) {
        held.compute(relayId, (k, v) -> --v.users == 0 ? null : v);
    }

    private void unlockRelay(long relayId) {
        Held h = held.get(relayId);
        if (h == null || h.lock.availablePermits() != 0) {
            throw new IllegalStateException("the lock of relay " + relayId + " is released but not held");
        }
        h.lock.release();
        unuseLock(relayId);
    }

    /**
     * Takes the locks of all these relays (sorted, distinct) if none is held, without waiting: for
     * work that must not block (an event loop); false, holding none, if one is held. Release them
     * with {@link #unlockRelays}, from any thread.
     */
    boolean tryLockRelays(long[] sortedIds) {
        for (int i = 0; i < sortedIds.length; i++) {
            if (!useLock(sortedIds[i]).lock.tryAcquire()) {
                unuseLock(sortedIds[i]);
                unlockRelays(Arrays.copyOf(sortedIds, i));
                return false;
            }
        }
        return true;
    }

    /** Releases the locks taken by {@link #tryLockRelays}. */
    void unlockRelays(long[] ids) {
        for (long id : ids) {
            unlockRelay(id);
        }
    }

    /**
     * Runs {@code work} holding the locks of all these relays, taken in ascending order of relay ID
     * (so two batches sharing relays cannot wait for each other), as {@link #withRelay} would one by
     * one.
     */
    <T> T withRelays(List<Long> relayIds, Supplier<T> work) {
        long[] ids =
                relayIds.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        return withRelays(ids, 0, work);
    }

    private <T> T withRelays(long[] ids, int from, Supplier<T> work) {
        return from == ids.length ? work.get() : withRelay(ids[from], () -> withRelays(ids, from + 1, work));
    }

    /**
     * The block number for the key of a relay this node starts on {@code endToEndLink} ({@link
     * KeyIds#relayedBlock}): this millisecond's, on this node's side of the link, unless that is not
     * above every block of this side that this node picked or has stored; then the next one above
     * those. So a node's numbers never repeat (a clock set back included), and its keys' IDs sort by
     * the time their relays started. Only this node numbers blocks of its side: the other end's
     * numbers, and what a peer sends, never move its own.
     *
     * @throws IllegalStateException once the numbers of this side are used up (not before the year
     *     6000 of a sane clock)
     */
    long nextKeyBlock(String endToEndLink, long nowMillis) {
        int side = endToEndLink.startsWith(self + "~") ? 0 : 1;
        synchronized (lastKeyBlock) {
            long last = lastKeyBlock.computeIfAbsent(endToEndLink, link -> journal.lastKeyBlock(link, side));
            long block = KeyIds.relayedBlock(nowMillis, 0, side);
            if (block <= last) {
                block = ((last >>> 1) + 1) << 1 | side;
                if (block < 0) {
                    throw new IllegalStateException("the key block numbers of " + self + "'s side of " + endToEndLink
                            + " are used up (the last was " + last + ")");
                }
            }
            lastKeyBlock.put(endToEndLink, block);
            return block;
        }
    }

    /** Remembered as committed here (see {@link SettledRelays}: an old outcome may be forgotten). */
    boolean isCommitted(long relayId) {
        return settled.isCommitted(relayId);
    }

    /** Committed here, or (at a destination) the key is in the store although the journal missed it. */
    boolean isCommittedAtDestination(long relayId, String endToEndLink, long keyBlock) {
        return settled.isCommitted(relayId)
                || store.stateOf(KeyIds.deriveRelayed(endToEndLink, keyBlock, relayId, 0))
                        .isPresent();
    }

    /**
     * Whether this destination's store may have deleted the relay's key, spent longer ago than its
     * retention ({@link KeyStore#mayHaveForgottenRelayed}): then a key it does not hold says nothing
     * of whether the relay committed.
     */
    boolean mayHaveForgotten(String endToEndLink, long keyBlock) {
        return store.mayHaveForgottenRelayed(endToEndLink, keyBlock);
    }

    /**
     * The destination's answer for a relay it cannot decide ({@link #mayHaveForgotten}): IN_DOUBT,
     * nothing changed here; it stays in doubt at the source for an operator to settle.
     */
    private static Pads forgotten(long relayId) {
        warnForgotten(relayId);
        return new Pads(RelayStatus.IN_DOUBT, List.of());
    }

    static void warnForgotten(long relayId) {
        log.warn(
                "Relay {}: its key is not in this destination's store, which deleted keys spent before the"
                        + " relay's time; whether it committed cannot be told here, so it stays in doubt",
                relayId);
    }

    /** Remembered as aborted here (see {@link SettledRelays}: an old outcome may be forgotten). */
    boolean isAborted(long relayId) {
        return settled.isAborted(relayId);
    }

    /**
     * Whether this node knows nothing of the relay: no outcome remembered and no hop sent (it never
     * saw the relay, or settled it so long ago that it forgot).
     */
    boolean isUnknown(long relayId) {
        return !settled.isSettled(relayId) && !outbound.containsKey(relayId) && !sources.containsKey(relayId);
    }

    /** Records a commit learnt from downstream or at the source: the destination's store decides anyway. */
    void commit(long relayId) {
        if (settled.commit(relayId)) {
            journal.appendLazily(Kind.COMMIT, relayId, "", List.of(), "");
        }
        forget(relayId);
    }

    /** Records the destination's commit durably (with every line before it) before it is answered. */
    void commitAtDestination(long relayId) {
        settled.commit(relayId);
        journal.append(Kind.COMMIT, relayId, "", List.of(), "");
        forget(relayId);
    }

    void abort(long relayId) {
        if (settled.abort(relayId)) {
            journal.append(Kind.ABORT, relayId, "", List.of(), "");
        }
        forget(relayId);
    }

    /**
     * Forgets what only an unsettled relay needs: where it went (an abort of a settled relay is
     * answered from its outcome) and, at its source, its routes.
     */
    private void forget(long relayId) {
        sources.remove(relayId);
        outbound.remove(relayId);
    }

    /** The newest journal row at the previous compaction (0: none yet since start-up); guarded by this. */
    private long compactionMark;

    /**
     * Deletes the journal rows of relays settled here, up to the newest row of the previous call: so
     * every row deleted is at least as old as the interval between two calls (ADR 0009, "Memory").
     * The rows of a relay still open here (a source's relay not settled, hops sent and not settled,
     * a relay some thread holds) stay, whatever their age: recovery reads them.
     *
     * @return the rows deleted
     */
    synchronized long compactJournal() {
        long upTo = compactionMark;
        compactionMark = journal.lastSeq();
        return upTo == 0 ? 0 : journal.deleteSettled(upTo, r -> !isOpen(r));
    }

    private boolean isOpen(long relayId) {
        return sources.containsKey(relayId)
                || outbound.containsKey(relayId)
                || held.containsKey(relayId)
                || leases.isUnanswered(relayId);
    }

    /** Settled relays whose outcome this node remembers; at most its capacity. */
    int rememberedOutcomes() {
        return settled.size();
    }

    /** Relays whose routes or outbound hops this node keeps in memory: those not settled here. */
    int unsettledKept() {
        java.util.Set<Long> ids = new java.util.HashSet<>(outbound.keySet());
        ids.addAll(sources.keySet());
        return ids.size();
    }

    List<OutboundHop> outboundOf(long relayId) {
        return outbound.getOrDefault(relayId, List.of());
    }

    /** The relay this node started, while it is not settled here; null otherwise. */
    SourceRelay source(long relayId) {
        return sources.get(relayId);
    }

    Map<Long, SourceRelay> openSources() {
        return Map.copyOf(sources);
    }

    /** Where a share leaves this node: the link to {@code path[hop]} and the share's place. */
    record OutboundPlan(String linkId, List<String> path, int hop, int share) {}

    /** Pads a step took, by share or hop; zeroed on close. */
    static final class Pads implements AutoCloseable {
        final RelayStatus status;
        final List<Optional<PadUnits>> taken;

        Pads(RelayStatus status, List<Optional<PadUnits>> taken) {
            this.status = status;
            this.taken = taken;
        }

        @Override
        public void close() {
            taken.forEach(p -> p.ifPresent(PadUnits::close));
        }
    }

    /**
     * A relay this node starts: its ID, routes and key K, and per share its first hop and the pad
     * taken for it (empty: none, for want of units or a channel; the caller zeroes the pads).
     */
    record Start(
            long relayId,
            SourceRelay relay,
            String endToEndLink,
            byte[] key,
            List<OutboundPlan> plans,
            List<Optional<PadUnits>> pads) {}

    /**
     * The source's first steps of several relays in one store operation (one durable commit), each
     * with its own outcome; the pads by relay, in order. Per relay: records it (BEGIN), stores its key
     * K under the end-to-end link, and records the first hop of every share that has a pad. A share
     * with no pad is empty in the result. ABORTED if the end-to-end link is full here (its pads are
     * spent). Returns once the step is queued (see {@link #hopsQueued}).
     */
    StepCombiner.Started<Pads> startsQueued(List<Start> batch) {
        return stepQueued(batch, Start::relayId, this::start, (s, status) -> {
            if (status == RelayStatus.ABORTED) {
                settled.abort(s.relayId());
            } else {
                sources.put(s.relayId(), s.relay());
            }
        });
    }

    private Pads start(RelayJournal.Recorder rec, Start s, List<OutboundHop> hops) throws SQLException {
        long relayId = s.relayId();
        StringBuilder detail = new StringBuilder()
                .append(s.relay().sizeBits())
                .append('/')
                .append(s.relay().keyBlock());
        for (List<String> path : s.relay().paths()) {
            detail.append('/').append(String.join(",", path));
        }
        rec.record(Kind.BEGIN, relayId, "", List.of(), detail.toString());
        if (rec.tx().ingest(s.endToEndLink(), s.relay().keyBlock(), relayId, s.key())
                == 0) { // the end-to-end link is full here
            rec.record(Kind.ABORT, relayId, "", List.of(), "");
            return new Pads(RelayStatus.ABORTED, List.of());
        }
        rec.record(
                Kind.KEY,
                relayId,
                s.endToEndLink(),
                keyIds(
                        s.endToEndLink(),
                        s.relay().keyBlock(),
                        relayId,
                        s.relay().sizeBits()),
                "");
        List<Optional<PadUnits>> taken = new ArrayList<>();
        for (int i = 0; i < s.plans().size(); i++) {
            OutboundPlan plan = s.plans().get(i);
            Optional<PadUnits> pad = plan == null ? Optional.empty() : s.pads().get(i);
            pad.ifPresent(p -> recordFirstHop(rec, relayId, plan, p, hops));
            taken.add(pad);
        }
        return new Pads(RelayStatus.STAGED, taken);
    }

    /**
     * An intermediate node's step, in memory: both pads come from leased blocks, erased at both ends
     * of their links already (see {@link PadLeases}), so nothing needs to be durable before K goes
     * on under the outbound pad. Where it went is kept in memory; the pads are journalled lazily, with
     * no INTENT row (history only: after a restart the node knows nothing of the relay and passes an
     * abort on along the path). Returns the two pads (inbound, outbound).
     */
    Pads passOn(long relayId, String inLink, PadUnits inPad, OutboundPlan out, PadUnits outPad) {
        return hops(List.of(new Hop(relayId, inLink, inPad, out, outPad, null, -1, null)))
                .get(0);
    }

    private Pads passOn(Hop h, List<OutboundHop> hops) {
        List<UUID> outIds = h.outPad.unitIds();
        journal.appendLazily(Kind.PAD, h.relayId, h.inLink, h.inPad.unitIds(), "IN");
        journal.appendLazily(Kind.PAD, h.relayId, h.out.linkId(), outIds, "OUT");
        hops.add(new OutboundHop(h.out.path(), h.out.hop(), h.out.share(), h.out.linkId(), outIds));
        return new Pads(RelayStatus.STAGED, List.of(Optional.of(h.inPad), Optional.of(h.outPad)));
    }

    /**
     * One relay's part of a hop step, with the pad of its inbound hop: an intermediate node passes it
     * on ({@code out} and its pad, see {@link #passOn}), the destination of a one-share relay stores
     * it ({@code endToEndLink} and {@code ciphertext}, see {@link #arrive}). The caller zeroes the
     * pads once the step is finished.
     */
    record Hop(
            long relayId,
            String inLink,
            PadUnits inPad,
            OutboundPlan out,
            PadUnits outPad,
            String endToEndLink,
            long keyBlock,
            byte[] ciphertext) {}

    /**
     * The steps of several relays in one store operation (one transaction, one durable commit): for
     * each exactly what {@link #passOn} or {@link #arrive} does alone, with the same journal rows and
     * the same outcome (a relay whose units are gone aborts alone; the others go on). The pads by
     * relay, in order; closing the list's elements zeroes them.
     */
    List<Pads> hops(List<Hop> batch) {
        return hopsQueued(batch).finish();
    }

    /**
     * As {@link #hops}, but returns once the step is queued on the store's writer: {@code awaitRun}
     * waits until the writer has run it (a later step may run then and share its commit), {@code
     * finish} until it is durable, and gives the pads.
     */
    StepCombiner.Started<Pads> hopsQueued(List<Hop> batch) {
        if (batch.stream().allMatch(h -> h.out != null)) { // nothing to store: no store step
            List<Pads> results = new ArrayList<>();
            for (Hop h : batch) {
                List<OutboundHop> hops = new ArrayList<>();
                results.add(passOn(h, hops));
                recordOutbound(h.relayId, hops);
            }
            return new StepCombiner.Started<>() {
                @Override
                public void awaitRun() {}

                @Override
                public List<Pads> finish() {
                    return results;
                }
            };
        }
        return stepQueued(
                batch,
                Hop::relayId,
                (rec, h, hops) -> h.out != null ? passOn(h, hops) : arrive(rec, h),
                (h, status) -> {
                    if (status == RelayStatus.ABORTED) {
                        markAborted(h.relayId);
                    } else if (status == RelayStatus.COMMITTED) {
                        settled.commit(h.relayId);
                    }
                });
    }

    /** One relay's part of a batched step: its pads; the hops it sends on go into {@code hops}. */
    @FunctionalInterface
    private interface RelayStep<T> {
        Pads run(RelayJournal.Recorder rec, T item, List<OutboundHop> hops) throws SQLException;
    }

    /**
     * Queues the steps of several relays as one store operation: {@code step} runs for each in order
     * (again for all if the writer runs the operation again after its group failed), and once the
     * commit is durable {@code settled} notes each relay's outcome and its outbound hops are recorded.
     */
    private <T> StepCombiner.Started<Pads> stepQueued(
            List<T> batch, ToLongFunction<T> relayId, RelayStep<T> step, BiConsumer<T, RelayStatus> settled) {
        List<List<OutboundHop>> outbound = new ArrayList<>();
        List<Pads> results = new ArrayList<>();
        RelayJournal.PendingStep<AutoCloseable> pending = journal.stepAsync(rec -> {
            results.clear(); // the writer runs an operation again after its group failed
            outbound.clear();
            for (T item : batch) {
                List<OutboundHop> hops = new ArrayList<>();
                outbound.add(hops);
                results.add(step.run(rec, item, hops));
            }
            return NOTHING; // the pads are the caller's, zeroed by it whatever happens
        });
        return new StepCombiner.Started<>() {
            @Override
            public void awaitRun() {
                pending.awaitRun();
            }

            @Override
            public List<Pads> finish() {
                pending.await();
                for (int i = 0; i < batch.size(); i++) {
                    settled.accept(batch.get(i), results.get(i).status);
                    recordOutbound(relayId.applyAsLong(batch.get(i)), outbound.get(i));
                }
                return results;
            }
        };
    }

    /**
     * The destination's step for a relay of one share, one durable commit: recovers K from {@code
     * ciphertext} under the inbound pad, stores it and commits. COMMITTED at once if it was stored
     * before; ABORTED, with the pad spent, if the end-to-end link is full here.
     */
    RelayStatus arrive(
            long relayId, String inLink, PadUnits inPad, String endToEndLink, long keyBlock, byte[] ciphertext) {
        return hops(List.of(new Hop(relayId, inLink, inPad, null, null, endToEndLink, keyBlock, ciphertext)))
                .get(0)
                .status;
    }

    private static Pads arrive(RelayJournal.Recorder rec, Hop h) throws SQLException {
        long relayId = h.relayId;
        String endToEndLink = h.endToEndLink;
        boolean known = rec.tx().knows(KeyIds.deriveRelayed(endToEndLink, h.keyBlock, relayId, 0));
        if (!known && rec.tx().mayHaveForgotten(endToEndLink, h.keyBlock)) {
            return forgotten(relayId); // nothing recorded: the pad stays where it was
        }
        rec.record(Kind.PAD, relayId, h.inLink, h.inPad.unitIds(), "IN");
        if (known) {
            return new Pads(RelayStatus.COMMITTED, List.of()); // stored before
        }
        byte[] key = h.ciphertext.clone();
        int stored;
        try {
            XorShares.xorInto(key, h.inPad.material());
            stored = rec.tx().ingest(endToEndLink, h.keyBlock, relayId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        if (stored == 0) { // the end-to-end link is full here: refuse, the pad is spent
            rec.record(Kind.ABORT, relayId, "", List.of(), "");
            return new Pads(RelayStatus.ABORTED, List.of());
        }
        rec.record(
                Kind.KEY,
                relayId,
                endToEndLink,
                keyIds(endToEndLink, h.keyBlock, relayId, h.ciphertext.length * 8),
                "");
        rec.record(Kind.COMMIT, relayId, "", List.of(), "");
        return new Pads(RelayStatus.COMMITTED, List.of());
    }

    /**
     * The destination of a multi-path relay, once every share is in: stores K (idempotent per relay)
     * and commits, in one durable commit; ABORTED (recorded) if the end-to-end link is full here.
     */
    RelayStatus storeAndCommit(long relayId, String endToEndLink, long keyBlock, byte[] key) {
        List<UUID> ids = keyIds(endToEndLink, keyBlock, relayId, key.length * 8);
        Pads result = journal.step(rec -> {
            boolean known = rec.tx().knows(ids.get(0));
            if (!known && rec.tx().mayHaveForgotten(endToEndLink, keyBlock)) {
                return forgotten(relayId);
            }
            if (!known && rec.tx().ingest(endToEndLink, keyBlock, relayId, key) == 0) {
                rec.record(Kind.ABORT, relayId, "", List.of(), "");
                return new Pads(RelayStatus.ABORTED, List.of());
            }
            rec.record(Kind.KEY, relayId, endToEndLink, ids, "");
            rec.record(Kind.COMMIT, relayId, "", List.of(), "");
            return new Pads(RelayStatus.COMMITTED, List.of());
        });
        if (result.status == RelayStatus.ABORTED) {
            markAborted(relayId);
        } else if (result.status == RelayStatus.COMMITTED) {
            settled.commit(relayId);
        }
        return result.status;
    }

    /** The IDs of relay {@code relayId}'s key of {@code sizeBits}, block {@code keyBlock} of its end-to-end link. */
    static List<UUID> keyIds(String endToEndLink, long keyBlock, long relayId, int sizeBits) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < sizeBits / KeyStore.UNIT_BITS; i++) {
            ids.add(KeyIds.deriveRelayed(endToEndLink, keyBlock, relayId, i));
        }
        return ids;
    }

    /**
     * Records the first hop of a share leaving the source with {@code pad}: INTENT (where to, for the
     * replay) and PAD rows.
     */
    private static void recordFirstHop(
            RelayJournal.Recorder rec, long relayId, OutboundPlan plan, PadUnits pad, List<OutboundHop> hops) {
        List<UUID> ids = pad.unitIds();
        String detail = "OUT/" + plan.hop() + "/" + plan.share() + "/" + String.join(",", plan.path());
        rec.record(Kind.INTENT, relayId, plan.linkId(), ids, detail);
        rec.record(Kind.PAD, relayId, plan.linkId(), ids, "OUT");
        hops.add(new OutboundHop(plan.path(), plan.hop(), plan.share(), plan.linkId(), ids));
    }

    /**
     * The pad for a hop this node sends: {@code units} units from its leased block of the link (see
     * {@link PadLeases#takeOutbound}); empty if the link has too few or no channel is open.
     */
    Optional<PadUnits> outboundPad(OutboundPlan plan, int units) {
        return leases.takeOutbound(plan.linkId(), plan.path().get(plan.hop()), units);
    }

    /** The generation of this end's blocks of the plan's link (see {@link PadLeases#generation}). */
    long padGeneration(OutboundPlan plan) {
        return leases.generation(plan.linkId());
    }

    /**
     * Puts an unused pad back (see {@link PadLeases#giveBack}): nothing derived from it left this
     * node, and no row names it.
     */
    void giveBack(OutboundPlan plan, PadUnits pad, long generation) {
        leases.giveBack(plan.linkId(), pad, generation);
    }

    /** Whether every named unit of a hop this node receives is held here ({@link #inboundPad} would give them). */
    boolean holdsInbound(String linkId, List<UUID> ids) {
        return leases.holdsInbound(linkId, ids);
    }

    /**
     * Pads of {@code units[i]} units each for hops on the plan's link, from the block in memory,
     * without waiting: all or none (see {@link PadLeases#takeOutboundNow}).
     */
    Optional<List<PadUnits>> outboundPadsNow(OutboundPlan plan, int[] units) {
        return leases.takeOutboundNow(plan.linkId(), plan.path().get(plan.hop()), units);
    }

    /**
     * The pad of a hop this node receives: the named units, from the blocks the sender leased to this
     * end; empty unless every one is there (each is handed out once).
     */
    Optional<PadUnits> inboundPad(String linkId, List<UUID> ids) {
        return leases.takeInbound(linkId, ids);
    }

    /**
     * The destination of a multi-path relay takes a share's pad (journalled lazily with the share's
     * STAGE row); empty, with nothing changed, unless every named unit is there.
     */
    Optional<PadUnits> takeInbound(long relayId, String linkId, List<UUID> ids) {
        Optional<PadUnits> pad = inboundPad(linkId, ids);
        pad.ifPresent(p -> journal.appendLazily(Kind.PAD, relayId, linkId, ids, "IN"));
        return pad;
    }

    private void recordOutbound(long relayId, List<OutboundHop> hops) {
        if (!hops.isEmpty()) {
            outbound.computeIfAbsent(relayId, r -> new CopyOnWriteArrayList<>()).addAll(hops);
        }
    }

    private void markAborted(long relayId) {
        settled.abort(relayId);
        sources.remove(relayId);
    }

    /**
     * Rolls a hop's pad units back: they were leased, so they are erased at both ends already; the
     * received ones this end still holds in memory are dropped, and the burn is journalled lazily.
     */
    void burnPad(long relayId, String linkId, List<UUID> ids) {
        if (!ids.isEmpty()) {
            leases.drop(linkId, ids);
            journal.appendLazily(Kind.BURN, relayId, linkId, ids, "0");
        }
    }

    /** Burns whichever of a relayed key's units this end still holds, and records it, in one durable commit. */
    void burnKey(long relayId, String linkId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        journal.step(rec -> {
            int burned = rec.tx().burn(linkId, ids);
            rec.record(Kind.BURN, relayId, linkId, ids, Integer.toString(burned));
            return NOTHING;
        });
    }

    /** Units this end may still send with, about: its half of the link's available units (see {@link UnitHalf#ofEnd}). */
    long availableForRelay(String linkId) {
        return store.availableCount(linkId) / 2 + leases.ready(linkId);
    }

    /** The relay a BEGIN row records: its detail is {@code sizeBits/keyBlock/path/path...}, a path {@code A,B,C}. */
    static SourceRelay parseBegin(String detail) {
        String[] parts = detail.split("/");
        if (parts.length < 3 || parts[1].isEmpty() || !parts[1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("BEGIN detail '" + detail + "' names no key block: written before"
                    + " relayed keys had block numbers of their own (relay codec version 2); settle the node's"
                    + " relays with the version that started them, then start this one on a new key store");
        }
        List<List<String>> paths = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) {
            paths.add(Arrays.asList(parts[i].split(",")));
        }
        return new SourceRelay(Integer.parseInt(parts[0]), paths, Long.parseLong(parts[1]));
    }

    private static OutboundHop parseOut(String detail, String link, List<UUID> units) {
        String[] parts = detail.split("/");
        return new OutboundHop(
                Arrays.asList(parts[3].split(",")),
                Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]),
                link,
                units);
    }
}
