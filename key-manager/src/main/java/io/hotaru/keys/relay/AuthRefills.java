package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.auth.RefillableAuthKeySource;
import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.PoolEnd;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.PadUnits;
import io.hotaru.keys.store.UnitHalf;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refills each relay channel's Wegman–Carter pool from the link's own key (ADR 0011, "Refilled
 * from the link"), so a channel goes on tagging frames once its bootstrap secret is spent.
 *
 * <p>One end orders the deposits: the end whose node ID sorts first ("Alice"). When its pool lacks
 * {@link #REFILL_WORDS} or more of its reserve, it leases units of its half as a pad lease does
 * ({@link PadLeases}; journalled {@code AUTH-OUT}), in a {@link Lease} that carries its pool's end.
 * The peer takes the same units ({@code AUTH-IN}), deposits them <em>held</em> (not drawn from) and
 * answers; only then does Alice deposit them, held too, and tell the peer her pool's new end
 * ({@link PoolEnd}). Every such statement of Alice's, authenticated like any frame, makes the peer
 * withdraw its held deposits beyond her end (a refill whose answer she never got) and release the
 * rest; once the peer has answered it, Alice releases hers. She states her end again on every new
 * channel. Neither end thus draws a word the other may lack. The last {@link
 * LinkAuthenticator#FLOOR_WORDS} words of each direction are kept for these frames and their
 * answers, so a link whose key ran out can still be refilled once it has key again.
 *
 * <p>Statements are taken one at a time per link, only from the channel they came on while it is
 * open, and only if newer than the last one taken on it; a statement that would make the peer give
 * up words it may use is refused. Alice closes a channel on which a statement went unanswered, so
 * one still on its way can only arrive on a closed channel. Deposits after an answer and the
 * closing of a link's channel take the link's {@link #lock}, so no deposit lands after a new
 * channel began.
 */
final class AuthRefills {
    private static final Logger log = LoggerFactory.getLogger(AuthRefills.class);

    /** Journal details of a refill's lease, at its sender and at its receiver. */
    static final String AUTH_OUT = "AUTH-OUT/";

    static final String AUTH_IN = "AUTH-IN/";

    /** Unused words per direction Alice keeps the pool topped up to ({@link AuthKeyPool#RESERVE_WORDS}). */
    static final long RESERVE_WORDS = AuthKeyPool.RESERVE_WORDS;

    /** The deficit (words per direction) at which a refill starts: a unit gives two words per direction. */
    static final long REFILL_WORDS = 256;

    /**
     * After a refill or statement that failed, the next waits this long, doubled after each
     * further failure up to {@link #MAX_BACKOFF_NANOS}: every attempt spends words, and a link out
     * of key must not spend the words kept for its refills on attempts that cannot succeed.
     */
    private static final long BACKOFF_NANOS = 1_000_000_000L;

    private static final long MAX_BACKOFF_NANOS = 64_000_000_000L;

    private final String self;
    private final RelayJournal journal;
    private final Executor executor;
    private final PadLeases leases;
    private final SecureRandom random = new SecureRandom();
    /** Links whose refill (or statement of the pool's end) is under way: one at a time per link. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** Per link, the wait after its last failed attempt (nanoseconds). */
    private final Map<String, Long> backoff = new ConcurrentHashMap<>();

    /** Per link, when the next refill may start after a failed one ({@link System#nanoTime}). */
    private final Map<String, Long> backoffUntil = new ConcurrentHashMap<>();
    /** Per link, a refill asked for while a task was under way. */
    private final Map<String, Runnable> pendingRefill = new ConcurrentHashMap<>();

    /** Per link, the statement of Alice's pool end a new channel is waiting for. */
    private final Map<String, Runnable> pendingStatement = new ConcurrentHashMap<>();

    /** Per link: the channel the last statement was taken from, and its call ID. */
    private final Map<String, Taken> lastTaken = new ConcurrentHashMap<>();

    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile boolean paused;

    private record Taken(RelayPeer channel, long callId) {}

    AuthRefills(String self, RelayJournal journal, Executor executor, PadLeases leases) {
        this.self = self;
        this.journal = journal;
        this.executor = executor;
        this.leases = leases;
    }

    /** Whether this end orders the refills of the link to {@code peer}. */
    static boolean orders(String self, String peer) {
        return RelayNode.sendingDirection(self, peer) == Direction.ALICE_TO_BOB;
    }

    /** What deposits into the link's pool and the closing of its channel take in turn. */
    Object lock(String link) {
        return locks.computeIfAbsent(link, l -> new Object());
    }

    /** Stops refills from starting, or lets them start again (tests: every store at rest for a snapshot). */
    void pause(boolean paused) {
        this.paused = paused;
    }

    /** Waits until no refill or statement is under way; false if one still is after {@code timeoutNanos}. */
    boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!busy.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * A new channel: Alice states her pool's end on it, so the peer settles what it holds; after
     * the refill under way, if any (a link's refills and statements go one at a time, in order).
     */
    void opened(String link, String peer, RelayPeer channel, RefillableAuthKeySource pool) {
        // only if something may be unsettled: a hold here, or a lease the peer has not answered (a
        // refill it may hold); a statement spends words, which a link out of key has few of
        if (orders(self, peer) && (pool.usableEnd() < pool.depositedWords() || leases.unansweredOn(link))) {
            pendingStatement.put(link, () -> {
                if (state(link, peer, channel, pool)) {
                    backoff.remove(link);
                } else {
                    failed(link);
                }
            });
            start(link, () -> {});
        }
    }

    /**
     * After any frame on the channel: starts a refill if the pool lacks {@link #REFILL_WORDS} or
     * more of its reserve and none is under way (Alice only). Cheap when nothing is needed.
     */
    void refillIfNeeded(String link, String peer, RelayPeer channel, RefillableAuthKeySource pool) {
        if (paused || channel.isClosed() || !orders(self, peer)) {
            return;
        }
        if (System.nanoTime() < backoffUntil.getOrDefault(link, Long.MIN_VALUE)) {
            return;
        }
        if (pool.usableEnd() < pool.depositedWords() && !busy.contains(link)) {
            opened(link, peer, channel, pool); // a hold the last statement did not release: state again
            return;
        }
        long deficit = pool.deficitWords(RESERVE_WORDS);
        if (deficit < REFILL_WORDS) {
            return;
        }
        if (busy.contains(link)) { // looked at again when the task under way ends
            pendingRefill.put(link, () -> refillIfNeeded(link, peer, channel, pool));
            return;
        }
        int units = (int) Math.min(RelayCodec.MAX_LEASE_UNITS, (deficit + 1) / 2);
        start(link, () -> {
            if (refill(link, peer, channel, pool, units)) {
                backoff.remove(link);
            } else {
                failed(link);
            }
        });
    }

    /** A refill or statement of the link failed: the next waits, longer after each failure in a row. */
    private void failed(String link) {
        long wait = backoff.merge(link, BACKOFF_NANOS, (was, first) -> Math.min(MAX_BACKOFF_NANOS, 2 * was));
        backoffUntil.put(link, System.nanoTime() + wait);
    }

    /**
     * Runs {@code task} for the link unless one is under way, then the statement a new channel
     * left pending; the link is busy until both are done.
     */
    private void start(String link, Runnable task) {
        if (!busy.add(link)) {
            return; // the task under way runs the pending statement when it ends
        }
        try {
            executor.execute(() -> {
                try {
                    try {
                        task.run();
                    } finally {
                        Runnable statement;
                        while ((statement = pendingStatement.remove(link)) != null) {
                            statement.run();
                        }
                    }
                } finally {
                    busy.remove(link);
                }
                if (pendingStatement.containsKey(link)) {
                    start(link, () -> {}); // left pending just as this task ended
                }
                Runnable refill = pendingRefill.remove(link);
                if (refill != null) {
                    refill.run();
                }
            });
        } catch (RejectedExecutionException closing) {
            busy.remove(link);
        }
    }

    /** Alice: one refill of {@code units} units of her half; true if it was deposited. */
    private boolean refill(String link, String peer, RelayPeer channel, RefillableAuthKeySource pool, int units) {
        PadUnits taken = null;
        try {
            leases.resendUnanswered(link, channel);
            long leaseId = random.nextLong();
            taken = journal.step(rec -> {
                // the older half of what the half holds: the peer may not have stored the newest yet
                Optional<PadUnits> got = rec.tx().takeUpTo(link, units, 1, UnitHalf.ofEnd(self, peer));
                got.ifPresent(u -> rec.record(Kind.LEASE, leaseId, link, u.unitIds(), AUTH_OUT + peer));
                return got.orElse(null);
            });
            if (taken == null) {
                log.warn(
                        "Relay link {} -> {}: no key units of this end's half left to refill the channel's"
                                + " authentication pool ({} words left)",
                        self,
                        peer,
                        pool.depositedWords()
                                - Math.max(
                                        pool.position(Direction.ALICE_TO_BOB), pool.position(Direction.BOB_TO_ALICE)));
                return false;
            }
            List<UUID> ids = taken.unitIds();
            leases.sending(leaseId, link, peer, ids);
            Reply answer;
            try {
                taken.material(); // opened before it is sent: a unit that fails to open leaves it unanswered
                answer = call(channel, new Lease(channel.nextCallId(), leaseId, ids, false, pool.depositedWords()));
            } finally {
                leases.sent(leaseId);
            }
            leases.answered(leaseId, link);
            if (answer.status() != RelayStatus.ACK) {
                log.warn(
                        "Relay link {} -> {}: authentication refill {} refused ({}); its units are spent",
                        self,
                        peer,
                        leaseId,
                        answer.status());
                return false;
            }
            synchronized (lock(link)) {
                if (channel.isClosed()) { // the next channel began without it: the peer withdraws its copy
                    log.info(
                            "Relay link {} -> {}: authentication refill {} answered as its channel closed; its"
                                    + " units are spent",
                            self,
                            peer,
                            leaseId);
                    return false;
                }
                // held in the direction this end sends in, until the peer has released its copy
                pool.depositHeld(taken.material(), RelayNode.sendingDirection(self, peer));
            }
            return state(link, peer, channel, pool);
        } catch (RelayCallException e) {
            log.info("Relay link {} -> {}: authentication refill unanswered ({})", self, peer, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Relay link {} -> {}: authentication refill failed: {}", self, peer, e.getMessage());
            return false;
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
    }

    /**
     * Alice: states her pool's end on {@code channel}; once the peer has settled its pool there
     * (its ACK), releases her own held deposits: the peer has them all. True if it did.
     */
    private boolean state(String link, String peer, RelayPeer channel, RefillableAuthKeySource pool) {
        if (channel.isClosed()) {
            return false; // the next channel states it
        }
        long end = pool.depositedWords(); // no deposit here meanwhile: this link's tasks go one at a time
        try {
            Reply answer = call(channel, new PoolEnd(channel.nextCallId(), end));
            if (answer.status() != RelayStatus.ACK) {
                log.warn(
                        "Relay link {} -> {}: the peer refused this end's authentication pool end {}; closing the"
                                + " channel",
                        self,
                        peer,
                        end);
                channel.close();
                return false;
            }
            synchronized (lock(link)) {
                if (pool.depositedWords() == end) {
                    pool.releaseHeld();
                }
            }
            return true;
        } catch (RelayCallException e) {
            log.info("Relay link {} -> {}: authentication pool end unanswered ({})", self, peer, e.getMessage());
            return false;
        } catch (RuntimeException e) { // the store failed: the hold stays, the next statement releases it
            log.warn("Relay link {} -> {}: authentication pool end not settled: {}", self, peer, e.getMessage());
            return false;
        }
    }

    /** A call whose failure closes the channel: a statement still on its way then arrives on a closed one. */
    private static Reply call(RelayPeer channel, RelayMessage statement) {
        try {
            return channel.call(statement);
        } catch (RelayCallException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The peer's refill on {@code link}: settles this end's held deposits at the end the lease
     * states, takes the named units of the peer's half durably and deposits them, held. ACK;
     * ABORTED (units burned, nothing deposited) if not all are held or the statement is refused. A
     * refill naming units whose block has not reached this end yet waits for them as a pad lease
     * does ({@link ArrivalWait}).
     */
    Reply acceptRefill(String peer, String link, Lease lease, RelayPeer channel, RefillableAuthKeySource pool) {
        List<UUID> ids = lease.units();
        String refused;
        synchronized (lock(link)) {
            refused = settle(peer, link, lease.callId(), lease.authEnd(), channel, pool);
        }
        boolean agreed = refused == null;
        PadLeases.Taken taken = leases.arrivals.look(
                link,
                lastTry -> journal.step(rec -> {
                    Optional<PadUnits> got =
                            agreed ? rec.tx().takeNamedOfHalf(link, ids, UnitHalf.ofEnd(peer, self)) : Optional.empty();
                    if (got.isPresent()) {
                        rec.record(Kind.LEASE, lease.leaseId(), link, ids, AUTH_IN + peer);
                        return new PadLeases.Taken(got.get());
                    }
                    if (agreed && !lastTry && rec.tx().awaitsUnits(link, ids)) {
                        return PadLeases.Taken.NOT_YET; // nothing changed: their block has not reached this end yet
                    }
                    int burned = rec.tx().burn(link, ids);
                    rec.record(Kind.LEASE, lease.leaseId(), link, ids, "BURN/" + burned);
                    return new PadLeases.Taken(null);
                }),
                PadLeases.Taken.NOT_YET);
        if (taken.units == null) {
            if (refused != null) {
                log.warn(
                        "Relay link {} <- {}: authentication refill {} refused: {}",
                        self,
                        peer,
                        lease.leaseId(),
                        refused);
            }
            return new Reply(lease.callId(), lease.leaseId(), RelayStatus.ABORTED);
        }
        try (taken) {
            byte[] material = taken.units.material(); // opened before the lock
            synchronized (lock(link)) {
                if (channel.isClosed() || pool.depositedWords() != lease.authEnd()) {
                    return new Reply(lease.callId(), lease.leaseId(), RelayStatus.ABORTED); // spent
                }
                pool.depositHeld(material);
            }
        }
        return new Reply(lease.callId(), lease.leaseId(), RelayStatus.ACK);
    }

    /** The peer's statement of its pool's end: settles this end's held deposits there. */
    Reply acceptPoolEnd(String peer, String link, PoolEnd statement, RelayPeer channel, RefillableAuthKeySource pool) {
        String refused;
        synchronized (lock(link)) {
            refused = settle(peer, link, statement.callId(), statement.end(), channel, pool);
        }
        if (refused != null) {
            log.warn(
                    "Relay link {} <- {}: authentication pool end {} refused: {}",
                    self,
                    peer,
                    statement.end(),
                    refused);
            return new Reply(statement.callId(), 0, RelayStatus.ABORTED);
        }
        return new Reply(statement.callId(), 0, RelayStatus.ACK);
    }

    /**
     * Brings this end's pool to end where the peer's does ({@code end}), under the link's lock:
     * withdraws the held deposits beyond it and releases the rest. Null if done, else why not (the
     * pool is then unchanged).
     */
    private String settle(
            String peer, String link, long callId, long end, RelayPeer channel, RefillableAuthKeySource pool) {
        if (orders(self, peer)) {
            return "this end orders the refills of the link, not " + peer;
        }
        if (channel.isClosed()) {
            return "its channel has closed";
        }
        Taken last = lastTaken.get(link);
        if (last != null && last.channel() == channel && last.callId() >= callId) {
            return "a later statement (call " + last.callId() + ") was taken already";
        }
        lastTaken.put(link, new Taken(channel, callId));
        if (end > pool.depositedWords()) {
            return "the peer's pool ends at word " + end + ", beyond this end's " + pool.depositedWords();
        }
        if (end < pool.usableEnd()) {
            return "the peer's pool ends at word " + end + ", before words this end may use (up to " + pool.usableEnd()
                    + ")";
        }
        try {
            pool.withdrawTo(end); // held deposits whose refill never reached the peer's pool
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        pool.releaseHeld();
        return null;
    }
}
