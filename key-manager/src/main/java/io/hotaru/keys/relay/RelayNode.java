package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.auth.RefillableAuthKeySource;
import io.hotaru.keys.relay.RelayLedger.OutboundHop;
import io.hotaru.keys.relay.RelayLedger.SourceRelay;
import io.hotaru.keys.relay.RelayMessage.Abort;
import io.hotaru.keys.relay.RelayMessage.Announce;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.PoolEnd;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PadUnits;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trusted node's key relay: relays end-to-end keys to non-adjacent nodes hop by hop under
 * one-time pads of link key, answers its neighbours' relay messages, and keeps the link-state
 * table it routes with. See docs/adr/0009-trusted-node-relay.md for the protocol.
 *
 * <p>The source draws the end-to-end key K from {@link SecureRandom} (the platform DRBG seeded by
 * the operating system), stores it at once under the end-to-end link ({@link #endToEndLink}, as a
 * block whose number it picks in time order and sends along with the relay ID), and sends K ⊕ pad to
 * the first hop. Each node takes the named pad units of the
 * inbound hop, recovers K, takes fresh units of the outbound hop and sends K ⊕ pad on. The
 * destination stores K, which commits the relay; the answer travels back along the path as the
 * completion notification. Anything else ends in an abort that burns the pad units of every hop at
 * both ends and the source's copy of K.
 */
public final class RelayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayNode.class);

    private final String self;
    private final RelayLedger ledger;
    private final PadLeases leases;
    private final AuthRefills refills;
    private final HopHandler hops;
    private final LinkStateTable table = new LinkStateTable();
    private final Map<String, String> linkByPeer = new ConcurrentHashMap<>();
    private final Map<String, RelayPeer> channelByPeer = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    /** Starts the relays requested meanwhile in one store step and one frame per first hop. */
    private final StepCombiner<Starting, List<Optional<SentShare>>> starts =
            new StepCombiner<>(RelayCodec.MAX_BATCH, this::startAndSend);

    private final SecureRandom random = new SecureRandom();
    private final AtomicLong announcements = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Duration callTimeout;
    private final int maxAttempts;
    private final ScheduledFuture<?> compaction;
    private volatile boolean closing;

    /**
     * How often a node deletes the journal rows of relays it settled (those at least this old): the
     * journal then holds the rows of relays still open plus one to two intervals of history.
     */
    public static final Duration JOURNAL_COMPACTION_INTERVAL = Duration.ofMinutes(10);
    /** Runs every node's journal compaction (one daemon thread for the JVM). */
    private static final ScheduledExecutorService MAINTENANCE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-journal-compaction");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param callTimeout how long a call to a neighbour waits for its answer
     * @param maxAttempts routes a relay tries before it reports a failure
     */
    public RelayNode(String nodeId, KeyStore store, RelayJournal journal, Duration callTimeout, int maxAttempts) {
        this(nodeId, store, journal, callTimeout, maxAttempts, SettledRelays.DEFAULT_CAPACITY);
    }

    /**
     * @param rememberedOutcomes how many settled relays' outcomes the node keeps in memory (the
     *     most recent, 1 to 2^28; an older one is found again as ADR 0009's "Memory" says)
     */
    RelayNode(
            String nodeId,
            KeyStore store,
            RelayJournal journal,
            Duration callTimeout,
            int maxAttempts,
            int rememberedOutcomes) {
        if (!RelayCodec.isNodeId(nodeId)) {
            throw new IllegalArgumentException("node ID '" + nodeId + "' is not 1-64 of [A-Za-z0-9._:-]");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a relay tries at least one route, not " + maxAttempts);
        }
        this.self = nodeId;
        this.callTimeout = callTimeout;
        this.maxAttempts = maxAttempts;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        // A relay waits for a lease a quarter of a call at most, so that an intermediate node taking
        // the pads of a batch answers its upstream neighbour before that one gives up.
        this.leases = new PadLeases(
                nodeId,
                journal,
                executor,
                peer -> Optional.ofNullable(channelByPeer.get(peer)),
                callTimeout.dividedBy(4));
        this.refills = new AuthRefills(nodeId, journal, executor, leases);
        this.ledger = new RelayLedger(nodeId, store, journal, rememberedOutcomes, leases);
        long every = JOURNAL_COMPACTION_INTERVAL.toMillis();
        this.compaction =
                MAINTENANCE.scheduleWithFixedDelay(this::compactJournalQuietly, every, every, TimeUnit.MILLISECONDS);
        this.hops = new HopHandler(ledger, new HopHandler.Neighbours() {
            @Override
            public Optional<String> linkTo(String peer) {
                return Optional.ofNullable(linkByPeer.get(peer));
            }

            @Override
            public Optional<RelayPeer> channelTo(String peer) {
                return Optional.ofNullable(channelByPeer.get(peer));
            }
        });
    }

    public String id() {
        return self;
    }

    /**
     * The direction of a relay channel's authentication pool whose words tag the frames {@code self}
     * sends to {@code peer} (the end whose node ID sorts first is "Alice").
     */
    public static Direction sendingDirection(String self, String peer) {
        return LinkAuthenticator.outboundOf(self, peer);
    }

    /** The link under which the keys relayed between {@code a} and {@code b} are stored, at both ends. */
    public static String endToEndLink(String a, String b) {
        return a.compareTo(b) < 0 ? a + "~" + b : b + "~" + a;
    }

    /** Declares the QKD link to a neighbour: its link ID in this node's key store. */
    public void addLink(String peer, String linkId) {
        linkByPeer.put(peer, linkId);
    }

    /**
     * Opens the relay channel of the link to {@code peer} over {@code wire}, tagged with the link's
     * authentication key. Replaces an earlier channel (after a reconnect).
     */
    public RelayPeer connect(String peer, RefillableAuthKeySource keys, RelayWire wire) {
        String link = linkByPeer.get(peer);
        if (link == null) {
            throw new IllegalArgumentException("no link to " + peer + " declared at " + self);
        }
        synchronized (refills.lock(link)) { // a refill's deposit comes before the close, or not at all
            RelayPeer old = channelByPeer.remove(peer);
            if (old != null) {
                old.close();
            }
        }
        leases.discard(link); // the peer drops its blocks of the link too when it replaces its channel
        keys.reserveTailSingly(LinkAuthenticator.FLOOR_WORDS); // a restart burns one of the refills' words
        RelayPeer channel =
                new RelayPeer(self, peer, keys, wire, executor, (on, m) -> handle(peer, m, on, keys), callTimeout);
        channel.onFrame(() -> refills.refillIfNeeded(link, peer, channel, keys));
        channel.handleInline((on, m) -> m instanceof ForwardBatch b && hops.forwardBatchInline(peer, b, on, executor));
        channelByPeer.put(peer, channel);
        runQuietly(() -> leases.resendUnansweredQuietly(link, peer));
        refills.opened(link, peer, channel, keys);
        channel.onClose(() -> {
            if (!closing) {
                runQuietly(this::announceQuietly);
            }
        });
        return channel;
    }

    /** The relay channel to {@code peer}, if one is open. */
    public Optional<RelayPeer> channelTo(String peer) {
        return Optional.ofNullable(channelByPeer.get(peer));
    }

    /** Closes the relay channel to {@code peer}, if any (the link stays declared). */
    public void disconnect(String peer) {
        String link = linkByPeer.get(peer);
        RelayPeer channel = channelByPeer.remove(peer);
        if (channel != null) {
            synchronized (refills.lock(link)) {
                channel.close();
            }
        }
        if (link != null) {
            leases.discard(link); // its blocks: the peer drops its own when it replaces its channel
        }
    }

    private RelayMessage handle(String from, RelayMessage message, RelayPeer channel, RefillableAuthKeySource keys) {
        if (message instanceof ForwardBatch b) {
            return hops.forwardBatch(from, b);
        }
        if (message instanceof Forward f) {
            return hops.forward(from, f);
        }
        if (message instanceof Abort a) {
            return hops.abort(from, a);
        }
        if (message instanceof Lease l) {
            return l.auth()
                    ? refills.acceptRefill(from, linkByPeer.get(from), l, channel, keys)
                    : leases.accept(from, linkByPeer.get(from), l);
        }
        if (message instanceof PoolEnd p) {
            return refills.acceptPoolEnd(from, linkByPeer.get(from), p, channel, keys);
        }
        if (message instanceof Announce a) {
            if (table.update(a.origin(), a.sequence(), a.links())) {
                runQuietly(() -> flood(a, from));
            }
            return new Reply(a.callId(), 0, RelayStatus.ACK);
        }
        throw new IllegalStateException("reply handled as a request");
    }

    /** This node's links as announced: key available for relays, and whether the channel is up. */
    public List<LinkState> linkStates() {
        List<LinkState> states = new ArrayList<>();
        linkByPeer.forEach((peer, link) -> {
            RelayPeer channel = channelByPeer.get(peer);
            // up while frames can go: not once they are down to the authentication words kept for refills
            boolean up = channel != null && !channel.isClosed() && !channel.keyLow();
            states.add(new LinkState(peer, ledger.availableForRelay(link), up));
        });
        return states;
    }

    /** Announces this node's links to the network (flooded; each node keeps the newest). */
    public void announce() {
        List<LinkState> states;
        long sequence;
        synchronized (announcements) { // a later sequence number always carries a later state
            states = linkStates();
            sequence = announcements.incrementAndGet();
            table.update(self, sequence, states);
        }
        flood(new Announce(0, self, sequence, states), null);
    }

    private void runQuietly(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the node is closing: nobody needs the announcement
        }
    }

    private void announceQuietly() {
        try {
            announce();
        } catch (RuntimeException e) {
            if (!closing) {
                log.warn("Relay node {}: announcement failed: {}", self, e.getMessage());
            }
        }
    }

    private void flood(Announce a, String except) {
        channelByPeer.forEach((peer, channel) -> {
            if (peer.equals(except) || channel.isClosed()) {
                return;
            }
            try {
                channel.call(new Announce(channel.nextCallId(), a.origin(), a.sequence(), a.links()));
            } catch (RelayCallException e) {
                log.info("Relay node {}: announcement to {} lost: {}", self, peer, e.getMessage());
            }
        });
    }

    public LinkStateTable linkStateTable() {
        return table;
    }

    /** Relays a new key of {@code sizeBits} (a multiple of 256) to {@code destination} over one route. */
    public RelayOutcome relay(String destination, int sizeBits, RoutePolicy policy) {
        return relayShares(destination, sizeBits, 1, policy);
    }

    /**
     * Store and forward: relays as {@link #relay} does, but while no route has enough key (a
     * satellite that has not yet passed over the destination's ground station) waits for link-state
     * announcements that bring one, at most {@code maxWait}; then answers NO_ROUTE, which the
     * caller turns into a refusal (ETSI 014: 503).
     */
    public RelayOutcome relayWhenRouted(String destination, int sizeBits, RoutePolicy policy, Duration maxWait)
            throws InterruptedException {
        return relayManyWhenRouted(destination, sizeBits, 1, policy, maxWait).get(0);
    }

    /**
     * Store and forward of relays started together: {@link #relayMany} once a route has enough key
     * for one of them, waiting for it as {@link #relayWhenRouted} does.
     */
    public List<RelayOutcome> relayManyWhenRouted(
            String destination, int sizeBits, int count, RoutePolicy policy, Duration maxWait)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long seen = table.version();
            List<RelayOutcome> outcomes = relayMany(destination, sizeBits, count, policy);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (outcomes.stream().anyMatch(o -> o.status() != RelayStatus.NO_ROUTE) || left <= 0) {
                return outcomes;
            }
            log.info(
                    "Relay {} -> {}: no route with {} bits of key yet; waiting up to {} ms",
                    self,
                    destination,
                    sizeBits,
                    left);
            table.awaitUpdate(seen, left);
        }
    }

    /**
     * Relays a new key as {@code shares} XOR shares over node-disjoint routes, so that no single
     * trusted node on them learns anything about it; NO_ROUTE if the network has fewer such routes.
     */
    public RelayOutcome relayShares(String destination, int sizeBits, int shares, RoutePolicy policy) {
        return relayAll(destination, sizeBits, shares, 1, policy).get(0);
    }

    /**
     * Relays {@code count} new keys of {@code sizeBits} each to {@code destination}, each a relay of
     * its own (its own relay ID, key, key block, pads and commit, retried and settled as {@link
     * #relay} does one), started together: they share the source's first store step and their first
     * frames (as many as fit in one), and the calling thread waits once for all of them. No more start
     * than the route's announced key allows; the rest are answered NO_ROUTE. A key supply topping up
     * a pool relays so.
     *
     * @param count 1 to {@value RelayCodec#MAX_BATCH}
     * @return the outcome of each relay, in the order started
     */
    public List<RelayOutcome> relayMany(String destination, int sizeBits, int count, RoutePolicy policy) {
        if (count < 1 || count > RelayCodec.MAX_BATCH) {
            throw new IllegalArgumentException(
                    "relays started together are 1 to " + RelayCodec.MAX_BATCH + ", not " + count);
        }
        return relayAll(destination, sizeBits, 1, count, policy);
    }

    private List<RelayOutcome> relayAll(String destination, int sizeBits, int shares, int count, RoutePolicy policy) {
        if (sizeBits < KeyStore.UNIT_BITS
                || sizeBits % KeyStore.UNIT_BITS != 0
                || sizeBits > RelayCodec.MAX_UNITS * KeyStore.UNIT_BITS) {
            throw new IllegalArgumentException("relayed keys are 1 to " + RelayCodec.MAX_UNITS + " units of "
                    + KeyStore.UNIT_BITS + " bits, not " + sizeBits + " bits");
        }
        if (destination.equals(self) || shares < 1 || shares > RelayCodec.MAX_SHARES) {
            throw new IllegalArgumentException("relay to " + destination + " in " + shares + " shares");
        }
        int units = sizeBits / KeyStore.UNIT_BITS;
        RelayOutcome[] outcomes = new RelayOutcome[count];
        int[] attempts = new int[count];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            // Only as many as the route has key for, as far as the announcements tell: a relay sent
            // on to a hop without key for it rolls back and costs the pads of the hops before.
            int started = pending.size();
            List<List<String>> paths = table.disjointRoutes(self, destination, (long) units * started, policy, shares);
            while (paths.size() < shares && started > 1) {
                started = (started + 1) / 2;
                paths = table.disjointRoutes(self, destination, (long) units * started, policy, shares);
            }
            if (paths.size() < shares) {
                started = 0;
            }
            for (int i : pending.subList(started, pending.size())) {
                if (outcomes[i] == null) { // else it keeps how its last attempt ended
                    outcomes[i] = new RelayOutcome(
                            0, RelayStatus.NO_ROUTE, endToEndLink(self, destination), List.of(), paths);
                }
            }
            if (started == 0) {
                break;
            }
            List<RelayOutcome> tried = relayOver(destination, sizeBits, paths, started);
            List<Integer> retry = new ArrayList<>();
            for (int k = 0; k < started; k++) {
                int i = pending.get(k);
                outcomes[i] = tried.get(k);
                if (tried.get(k).status() == RelayStatus.ABORTED && ++attempts[i] < maxAttempts) {
                    retry.add(i);
                }
            }
            if (tried.stream().anyMatch(o -> o.status() == RelayStatus.ABORTED)) {
                announceQuietly();
            }
            pending = retry;
        }
        return List.of(outcomes);
    }

    /** Starts {@code count} relays over {@code paths} together and settles each. */
    private List<RelayOutcome> relayOver(String destination, int sizeBits, List<List<String>> paths, int count) {
        String endToEnd = endToEndLink(self, destination);
        long[] relayIds = new long[count];
        List<Long> ids = new ArrayList<>(count);
        SourceRelay[] relays = new SourceRelay[count];
        for (int i = 0; i < count; i++) {
            relayIds[i] = random.nextLong() & Long.MAX_VALUE;
            ids.add(relayIds[i]);
            relays[i] = new SourceRelay(sizeBits, paths, ledger.nextKeyBlock(endToEnd, System.currentTimeMillis()));
        }
        // Under the relays' locks from their first journal lines, so resolveInDoubt never sees one half sent.
        RelayStatus[] statuses = ledger.withRelays(ids, () -> sendAndSettle(relayIds, endToEnd, relays));
        List<RelayOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long r = relayIds[i];
            if (statuses[i] != RelayStatus.COMMITTED) {
                log.info("Relay {} {} -> {} over {}: {}", r, self, destination, paths, statuses[i]);
            }
            List<UUID> keyIds = statuses[i] == RelayStatus.COMMITTED
                    ? RelayLedger.keyIds(endToEnd, relays[i].keyBlock(), r, sizeBits)
                    : List.of();
            outcomes.add(new RelayOutcome(r, statuses[i], endToEnd, keyIds, paths));
        }
        return outcomes;
    }

    private RelayStatus[] sendAndSettle(long[] relayIds, String endToEnd, SourceRelay[] relays) {
        int count = relayIds.length;
        List<Starting> starting = new ArrayList<>(count);
        List<byte[]> secrets = new ArrayList<>(); // zeroed once the first step is built
        List<Optional<PadUnits>> taken = new ArrayList<>(); // closed then too
        java.util.Set<String> dry = new java.util.HashSet<>(); // links that gave no pad: not asked again
        List<List<Optional<SentShare>>> sent;
        try {
            for (int k = 0; k < count; k++) {
                SourceRelay relay = relays[k];
                int sizeBits = relay.sizeBits();
                List<List<String>> paths = relay.paths();
                byte[] key = new byte[sizeBits / 8];
                secrets.add(key);
                random.nextBytes(key);
                byte[][] shares = XorShares.split(key, paths.size(), random);
                secrets.addAll(Arrays.asList(shares));
                List<RelayLedger.OutboundPlan> plans = new ArrayList<>();
                List<Optional<PadUnits>> pads = new ArrayList<>();
                long[] generations = new long[paths.size()];
                for (int i = 0; i < paths.size(); i++) {
                    String next = paths.get(i).get(1);
                    RelayPeer channel = channelByPeer.get(next);
                    String link = linkByPeer.get(next);
                    boolean open = channel != null && !channel.isClosed() && link != null;
                    RelayLedger.OutboundPlan plan =
                            open ? new RelayLedger.OutboundPlan(link, paths.get(i), 1, i) : null;
                    plans.add(plan);
                    generations[i] = plan == null ? 0 : ledger.padGeneration(plan);
                    Optional<PadUnits> pad = plan == null || dry.contains(link)
                            ? Optional.empty()
                            : ledger.outboundPad(plan, sizeBits / KeyStore.UNIT_BITS);
                    if (plan != null && pad.isEmpty()) {
                        dry.add(link); // each further relay of the batch would wait for a lease again
                    }
                    pads.add(pad);
                    taken.add(pad);
                }
                starting.add(new Starting(
                        new RelayLedger.Start(relayIds[k], relay, endToEnd, key, plans, pads), shares, generations));
            }
            sent = starts.runAll(starting);
        } finally {
            secrets.forEach(secret -> Arrays.fill(secret, (byte) 0));
            taken.forEach(p -> p.ifPresent(PadUnits::close));
        }
        RelayStatus[] statuses = new RelayStatus[count];
        boolean unreachable = false; // an abort could not get through: the rest wait for resolveInDoubt
        for (int k = 0; k < count; k++) {
            long r = relayIds[k];
            List<Optional<SentShare>> shares = sent.get(k);
            if (shares == null) {
                statuses[k] = RelayStatus.ABORTED; // the end-to-end link is full here: nothing was sent
                continue;
            }
            List<RelayStatus> answers = new ArrayList<>();
            for (Optional<SentShare> share : shares) {
                answers.add(share.map(s -> s.await(r)).orElse(RelayStatus.ABORTED));
            }
            if (answers.contains(RelayStatus.COMMITTED)) {
                statuses[k] = commit(r);
            } else if (answers.stream().allMatch(a -> a == RelayStatus.ABORTED)) {
                statuses[k] = rollBack(r);
            } else {
                statuses[k] = unreachable ? RelayStatus.IN_DOUBT : resolve(r);
                unreachable |= statuses[k] == RelayStatus.IN_DOUBT;
            }
        }
        return statuses;
    }

    /**
     * A relay to start: its first step, its key's shares (zeroed by the caller), and per share the
     * generation of the blocks its pad came from (to give an unused pad back).
     */
    private record Starting(RelayLedger.Start start, byte[][] shares, long[] padGenerations) {}

    /**
     * The first steps of the relays started meanwhile, in one store step, then (once it is durable)
     * their first hops queued together (one batch per neighbour). Per relay: each share's first hop, empty for a share
     * with no pad or channel; null if the relay aborted (its end-to-end link is full here).
     */
    private StepCombiner.Started<List<Optional<SentShare>>> startAndSend(List<Starting> batch) {
        StepCombiner.Started<RelayLedger.Pads> step =
                ledger.startsQueued(batch.stream().map(Starting::start).toList());
        return new StepCombiner.Started<>() {
            @Override
            public void awaitRun() {
                step.awaitRun();
            }

            @Override
            public List<List<Optional<SentShare>>> finish() {
                return send(batch, step.finish());
            }
        };
    }

    private List<List<Optional<SentShare>>> send(List<Starting> batch, List<RelayLedger.Pads> pads) {
        try {
            List<List<Optional<SentShare>>> sent = new ArrayList<>();
            Map<RelayPeer, List<Forward>> forwards = new java.util.LinkedHashMap<>();
            Map<RelayPeer, List<int[]>> positions = new java.util.LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                RelayLedger.Start s = batch.get(i).start();
                List<List<String>> paths = s.relay().paths();
                if (pads.get(i).status == RelayStatus.ABORTED) { // nothing sent or journalled: pads unused
                    for (int j = 0; j < s.plans().size(); j++) {
                        RelayLedger.OutboundPlan plan = s.plans().get(j);
                        long generation = batch.get(i).padGenerations()[j];
                        s.pads().get(j).ifPresent(pad -> ledger.giveBack(plan, pad, generation));
                    }
                    sent.add(null);
                    continue;
                }
                List<Optional<SentShare>> shares = new ArrayList<>();
                for (int j = 0; j < paths.size(); j++) {
                    shares.add(Optional.empty());
                    Optional<PadUnits> taken = pads.get(i).taken.get(j);
                    RelayPeer channel = channelByPeer.get(paths.get(j).get(1));
                    if (taken.isEmpty() || channel == null) {
                        continue; // a pad whose channel closed meanwhile is spent: its rows name it
                    }
                    byte[] ciphertext = batch.get(i).shares()[j].clone();
                    XorShares.xorInto(ciphertext, taken.get().material());
                    forwards.computeIfAbsent(channel, c -> new ArrayList<>())
                            .add(new Forward(
                                    0,
                                    s.relayId(),
                                    s.relay().keyBlock(),
                                    paths.get(j),
                                    1,
                                    s.relay().sizeBits(),
                                    j,
                                    paths.size(),
                                    taken.get().unitIds(),
                                    ciphertext));
                    positions.computeIfAbsent(channel, c -> new ArrayList<>()).add(new int[] {i, j});
                }
                sent.add(shares);
            }
            forwards.forEach((channel, list) -> {
                List<CompletableFuture<RelayStatus>> answers = channel.forward(list);
                for (int k = 0; k < list.size(); k++) {
                    int[] at = positions.get(channel).get(k);
                    sent.get(at[0]).set(at[1], Optional.of(new SentShare(channel, answers.get(k))));
                }
            });
            return sent;
        } finally {
            pads.forEach(RelayLedger.Pads::close);
        }
    }

    /** A share's first hop, queued on {@code channel}. */
    private record SentShare(RelayPeer channel, CompletableFuture<RelayStatus> answer) {
        RelayStatus await(long r) {
            try {
                return channel.await(answer);
            } catch (RelayCallException e) {
                log.info("Relay {}: first hop to {} in doubt: {}", r, channel.peer(), e.getMessage());
                return RelayStatus.IN_DOUBT;
            }
        }
    }

    /**
     * Settles relays this node started whose outcome is not known (a link failed on the way, or
     * this node restarted): an abort along each route either rolls the relay back on every hop or
     * learns that the destination committed it.
     *
     * @return the number of relays still in doubt (a route still unreachable)
     */
    public int resolveInDoubt() {
        int left = 0;
        for (long r : ledger.openSources().keySet()) {
            boolean stillInDoubt = ledger.withRelay(
                    r, () -> ledger.openSources().containsKey(r) && resolve(r) == RelayStatus.IN_DOUBT);
            if (stillInDoubt) {
                left++;
            }
        }
        return left;
    }

    /**
     * Units of the link to {@code peer} leased by this end and not yet used as pads: erased at both
     * ends, held in memory for the next relays (see {@link PadLeases}).
     */
    public int leasedUnits(String peer) {
        String link = linkByPeer.get(peer);
        return link == null ? 0 : leases.ready(link);
    }

    /** Waits until no lease or refill of this node is under way (tests: leased and erased counts agree then). */
    void awaitLeases() throws InterruptedException {
        if (!leases.awaitIdle(Duration.ofSeconds(30))
                || !refills.awaitIdle(Duration.ofSeconds(30).toNanos())) {
            throw new IllegalStateException("a lease of " + self + " is still under way after 30 s");
        }
    }

    /**
     * Stops this node's authentication refills from starting (tests: with {@link #awaitLeases}, every
     * store at rest for a snapshot while announcements still flow), or lets them start again.
     */
    void pauseRefills(boolean paused) {
        refills.pause(paused);
    }

    /** Leases this node erased whose peer has not answered yet (resent burn-only). */
    int unansweredLeases() {
        return leases.unanswered();
    }

    /**
     * Batches of forwards this node passed on from the event loop that received them, with no relay
     * task (ADR 0009, "Hops on the event loop"); the others went to its executor.
     */
    public long forwardBatchesInline() {
        return hops.batchesInline();
    }

    /** Leases up to {@code units} pad units on the link to {@code peer} now (tests); returns those leased and unused. */
    int leaseNow(String peer, int units) {
        return leases.leaseNow(linkByPeer.get(peer), peer, units);
    }

    /** The block number for the key of a relay this node would start to {@code destination} now (tests). */
    long nextKeyBlock(String destination, long nowMillis) {
        return ledger.nextKeyBlock(endToEndLink(self, destination), nowMillis);
    }

    /** Relays started here and not yet settled. */
    public int inDoubt() {
        return ledger.openSources().size();
    }

    /** Relays this node keeps routes or outbound hops of in memory: those not settled here. */
    int unsettledKept() {
        return ledger.unsettledKept();
    }

    /**
     * Deletes the journal rows of relays settled here since before the previous call (see {@link
     * #JOURNAL_COMPACTION_INTERVAL}); returns how many.
     */
    long compactJournal() {
        return ledger.compactJournal();
    }

    private void compactJournalQuietly() {
        try {
            long deleted = compactJournal();
            if (deleted > 0) {
                log.debug("Node {}: {} journal rows of settled relays deleted", self, deleted);
            }
        } catch (RuntimeException e) { // the store closed under it, or failed: the next run tries again
            log.warn("Node {}: relay journal compaction failed: {}", self, e.getMessage());
        }
    }

    /** Settled relays whose outcome this node keeps in memory. */
    int rememberedOutcomes() {
        return ledger.rememberedOutcomes();
    }

    private RelayStatus resolve(long r) {
        SourceRelay relay = ledger.source(r);
        if (relay == null) { // settled meanwhile
            return ledger.isCommitted(r)
                    ? RelayStatus.COMMITTED
                    : ledger.isAborted(r) ? RelayStatus.ABORTED : RelayStatus.IN_DOUBT;
        }
        boolean allAborted = true;
        for (OutboundHop out : ledger.outboundOf(r)) {
            RelayStatus answer = hops.abortDownstream(r, relay.keyBlock(), out);
            if (answer == RelayStatus.COMMITTED) {
                return commit(r);
            }
            allAborted &= answer == RelayStatus.ABORTED;
        }
        return allAborted ? rollBack(r) : RelayStatus.IN_DOUBT;
    }

    private RelayStatus commit(long r) {
        ledger.commit(r);
        return RelayStatus.COMMITTED;
    }

    private RelayStatus rollBack(long r) {
        SourceRelay relay = ledger.source(r);
        for (OutboundHop out : ledger.outboundOf(r)) {
            ledger.burnPad(r, out.linkId(), out.units());
        }
        if (relay != null) {
            List<String> path = relay.paths().get(0);
            String endToEnd = endToEndLink(path.get(0), path.get(path.size() - 1));
            ledger.burnKey(r, endToEnd, RelayLedger.keyIds(endToEnd, relay.keyBlock(), r, relay.sizeBits()));
        }
        ledger.abort(r);
        return RelayStatus.ABORTED;
    }

    /** Closes every relay channel; the key store and journal stay the caller's. */
    @Override
    public void close() {
        closing = true;
        compaction.cancel(false);
        channelByPeer.values().forEach(RelayPeer::close);
        executor.shutdownNow();
        leases.discardAll();
    }
}
