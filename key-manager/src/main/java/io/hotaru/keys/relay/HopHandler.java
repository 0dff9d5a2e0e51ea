package io.hotaru.keys.relay;

import io.hotaru.keys.relay.RelayLedger.OutboundHop;
import io.hotaru.keys.relay.RelayMessage.Abort;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.RelayMessage.ReplyBatch;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PadUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with a {@link Forward} or {@link Abort} from a neighbour, as an intermediate
 * node or as the destination. Each relay is handled under its own lock; every answer is one of
 * COMMITTED, STAGED, ABORTED (rolled back from here on, for good) or IN_DOUBT (a later hop did not
 * answer).
 *
 * <p>A {@link ForwardBatch} is handled under the locks of all its relays: one store step takes the
 * pads of every relay that can go on, together with those of the relays of other batches that came
 * in meanwhile ({@link StepCombiner}; each relay's rows and outcome exactly as alone: one whose
 * units are gone aborts alone), the onward forwards leave as batches, one per next node, and the
 * answers return as one {@link ReplyBatch}. A relay that needs more than the plain step (seen
 * before, a share of a multi-path relay, no channel onward) is handled alone, as a single forward.
 */
final class HopHandler {
    private static final Logger log = LoggerFactory.getLogger(HopHandler.class);

    /** Shares of a multi-path relay received so far at its destination (memory only). */
    private static final class Staging {
        final byte[] key;
        final int shares;
        final long keyBlock;
        final Set<Integer> received = new java.util.HashSet<>();

        Staging(int bytes, int shares, long keyBlock) {
            this.key = new byte[bytes];
            this.shares = shares;
            this.keyBlock = keyBlock;
        }
    }

    private final RelayLedger ledger;
    private final Neighbours neighbours;
    private final Map<Long, Staging> staged = new ConcurrentHashMap<>();
    /** Batches of forwards handled on the thread that received them ({@link #forwardBatchInline}). */
    private final java.util.concurrent.atomic.LongAdder batchesInline = new java.util.concurrent.atomic.LongAdder();
    /** Runs the hop steps of the relays that came in meanwhile as one store step. */
    private final StepCombiner<Stepping, Stepped> steps =
            new StepCombiner<>(io.hotaru.keys.relay.codec.RelayCodec.MAX_BATCH, this::stepAndPassOn);

    /** The node's links, by neighbour. */
    interface Neighbours {
        Optional<String> linkTo(String peer);

        Optional<RelayPeer> channelTo(String peer);
    }

    HopHandler(RelayLedger ledger, Neighbours neighbours) {
        this.ledger = ledger;
        this.neighbours = neighbours;
    }

    Reply forward(String from, Forward f) {
        Optional<String> inLink = checkHop(from, f.path(), f.hop());
        if (inLink.isEmpty() || !fits(f)) {
            log.warn("Relay {}: forward from {} does not fit its path {}; refused", f.relayId(), from, f.path());
            return new Reply(f.callId(), f.relayId(), RelayStatus.IN_DOUBT); // nothing changed here
        }
        return new Reply(f.callId(), f.relayId(), ledger.withRelay(f.relayId(), () -> forwardLocked(f, inLink.get())));
    }

    ReplyBatch forwardBatch(String from, ForwardBatch batch) {
        List<Forward> forwards = batch.forwards();
        RelayStatus[] answers = new RelayStatus[forwards.size()];
        String[] inLinks = new String[forwards.size()];
        List<Long> relays = new ArrayList<>();
        for (int i = 0; i < forwards.size(); i++) {
            Forward f = forwards.get(i);
            Optional<String> inLink = checkHop(from, f.path(), f.hop());
            if (inLink.isEmpty() || !fits(f)) {
                log.warn("Relay {}: forward from {} does not fit its path {}; refused", f.relayId(), from, f.path());
                answers[i] = RelayStatus.IN_DOUBT; // nothing changed here
            } else {
                inLinks[i] = inLink.get();
                relays.add(f.relayId());
            }
        }
        ledger.withRelays(relays, () -> {
            forwardBatchLocked(forwards, inLinks, answers);
            return null;
        });
        List<Reply> replies = new ArrayList<>(forwards.size());
        for (int i = 0; i < forwards.size(); i++) {
            replies.add(new Reply(batch.callId(), forwards.get(i).relayId(), answers[i]));
        }
        return new ReplyBatch(batch.callId(), replies);
    }

    /**
     * Handles a batch of forwards on the thread that received it (the channel's event loop) if that
     * needs no wait (ADR 0009, "Hops on the event loop"): every relay of the batch is new here and
     * goes on to the same next node, its lock is free, and its pads are in memory. The onward batch
     * leaves from this thread; the relays' locks stay held, with no thread blocked, until the next
     * node's answers come, and the answer goes back from the thread they come on, or from {@code
     * executor} if a relay must be recorded durably first (rolled back) or the answers came by a
     * timeout or a closed channel. Each relay ends with the same rows, outcome and answer as {@link
     * #forwardBatch} would give it.
     *
     * @return false, with nothing changed here (a lease may have started), if the batch needs more:
     *     the caller hands it to {@link #forwardBatch} on the executor
     */
    boolean forwardBatchInline(String from, ForwardBatch batch, RelayPeer inbound, Executor executor) {
        List<Forward> forwards = batch.forwards();
        int n = forwards.size();
        Optional<String> inLink = neighbours.linkTo(from);
        if (n == 0 || inLink.isEmpty()) {
            return false;
        }
        Forward first = forwards.get(0);
        if (first.hop() + 1 >= first.path().size()) {
            return false; // its destination: the key is stored durably
        }
        String next = first.path().get(first.hop() + 1);
        Optional<String> outLink = neighbours.linkTo(next);
        Optional<RelayPeer> channel = neighbours.channelTo(next);
        if (outLink.isEmpty() || channel.isEmpty() || !channel.get().ready()) {
            return false;
        }
        long[] ids = new long[n];
        int[] units = new int[n];
        for (int i = 0; i < n; i++) {
            Forward f = forwards.get(i);
            if (checkHop(from, f.path(), f.hop()).isEmpty()
                    || !fits(f)
                    || f.shares() != 1
                    || f.hop() + 1 >= f.path().size()
                    || !f.path().get(f.hop() + 1).equals(next)) {
                return false;
            }
            ids[i] = f.relayId();
            units[i] = f.padUnits().size();
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < n; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return false;
            }
        }
        if (!ledger.tryLockRelays(sorted)) {
            return false;
        }
        boolean taken = false;
        try {
            for (Forward f : forwards) {
                long r = f.relayId();
                if (ledger.isCommitted(r)
                        || ledger.isAborted(r)
                        || !ledger.outboundOf(r).isEmpty()
                        || !ledger.holdsInbound(inLink.get(), f.padUnits())) {
                    return false;
                }
            }
            RelayLedger.OutboundPlan plan =
                    new RelayLedger.OutboundPlan(outLink.get(), first.path(), first.hop() + 1, 0);
            long generation = ledger.padGeneration(plan);
            Optional<List<PadUnits>> outPads = ledger.outboundPadsNow(plan, units);
            if (outPads.isEmpty()) {
                return false;
            }
            taken = true;
            batchesInline.increment();
            passOnInline(
                    batch, inLink.get(), plan, generation, outPads.get(), channel.get(), sorted, inbound, executor);
            return true;
        } catch (RuntimeException e) {
            if (taken) {
                ledger.unlockRelays(sorted);
            }
            throw e;
        } finally {
            if (!taken) {
                ledger.unlockRelays(sorted);
            }
        }
    }

    private static boolean refusedAny(boolean[] refused) {
        for (boolean r : refused) {
            if (r) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code answer} (which releases the relays' locks) here if no executor is given, else on
     * the first that takes it; if none does (the node is closing), releases the locks.
     */
    private void answerOn(Runnable answer, long[] locked, RelayPeer inbound, Executor... executors) {
        Runnable logged = () -> {
            try {
                answer.run();
            } catch (RuntimeException e) {
                log.warn(
                        "Relay node {}: a batch from {} is left unanswered: {}",
                        ledger.self(),
                        inbound.peer(),
                        e.toString());
            }
        };
        if (executors.length == 0) {
            logged.run();
            return;
        }
        for (Executor executor : executors) {
            try {
                executor.execute(logged);
                return;
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the next one
            }
        }
        ledger.unlockRelays(locked);
        log.warn("Relay node {} is shutting down; a batch from {} is left unanswered", ledger.self(), inbound.peer());
    }

    /**
     * The rest of {@link #forwardBatchInline} once the outbound pads are taken: the inbound ones,
     * the step in memory, the onward batch, and the answer when the next node's come. A relay whose
     * inbound units went meanwhile is refused, as {@link #forwardBatch} would.
     */
    private void passOnInline(
            ForwardBatch batch,
            String inLink,
            RelayLedger.OutboundPlan plan,
            long generation,
            List<PadUnits> outPads,
            RelayPeer channel,
            long[] locked,
            RelayPeer inbound,
            Executor executor) {
        List<Forward> forwards = batch.forwards();
        long callId = batch.callId();
        int n = forwards.size();
        boolean[] refused = new boolean[n];
        List<Integer> stepped = new ArrayList<>(n);
        List<RelayLedger.Hop> hops = new ArrayList<>(n);
        List<Forward> onward = new ArrayList<>(n);
        List<CompletableFuture<RelayStatus>> answers;
        try {
            for (int i = 0; i < n; i++) {
                Forward f = forwards.get(i);
                Optional<PadUnits> in = ledger.inboundPad(inLink, f.padUnits());
                if (in.isEmpty()) {
                    refused[i] = true;
                    try (PadUnits unused = outPads.get(i)) {
                        ledger.giveBack(plan, unused, generation); // nothing derived from it left
                    }
                    continue;
                }
                stepped.add(i);
                RelayLedger.OutboundPlan own =
                        new RelayLedger.OutboundPlan(plan.linkId(), f.path(), f.hop() + 1, f.share());
                hops.add(new RelayLedger.Hop(f.relayId(), inLink, in.get(), own, outPads.get(i), null, -1, null));
            }
            List<RelayLedger.Pads> pads = ledger.hops(hops);
            try {
                for (int k = 0; k < pads.size(); k++) {
                    onward.add(onwardForward(forwards.get(stepped.get(k)), pads.get(k)));
                }
            } finally {
                pads.forEach(RelayLedger.Pads::close);
            }
            answers = onward.isEmpty() ? List.of() : channel.forward(onward);
        } finally {
            hops.forEach(HopHandler::zeroPads);
            outPads.forEach(PadUnits::close); // (those given back were copied)
        }
        Runnable answer = () -> {
            List<Reply> replies = new ArrayList<>(n);
            try {
                RelayStatus[] statuses = new RelayStatus[n];
                for (int i = 0; i < n; i++) {
                    if (refused[i]) {
                        statuses[i] = refuse(forwards.get(i).relayId());
                    }
                }
                for (int k = 0; k < stepped.size(); k++) {
                    int i = stepped.get(k);
                    statuses[i] = settle(forwards.get(i).relayId(), channel, answers.get(k));
                }
                for (int i = 0; i < n; i++) {
                    replies.add(new Reply(callId, forwards.get(i).relayId(), statuses[i]));
                }
            } finally {
                ledger.unlockRelays(locked);
            }
            inbound.answer(batch, new ReplyBatch(callId, replies));
        };
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            // Commits are journalled lazily, so nothing here waits for the store. A roll-back is durable
            // before it is answered, and a timeout or a closed channel completes the answers on a
            // thread that is not the loop's: those go to the executor.
            boolean plain = failure == null
                    && !refusedAny(refused)
                    && answers.stream().allMatch(a -> a.join() != RelayStatus.ABORTED);
            if (plain) {
                answerOn(answer, locked, inbound);
            } else {
                answerOn(answer, locked, inbound, executor);
            }
        });
    }

    /** Batches of forwards this node passed on from the thread that received them. */
    long batchesInline() {
        return batchesInline.sum();
    }

    /** Whether the forward's key is whole units, and its key block on its source's side. */
    private static boolean fits(Forward f) {
        return f.sizeBits() % KeyStore.UNIT_BITS == 0 && onSourceSide(f.path(), f.keyBlock());
    }

    /**
     * Whether a relay's key block is on its source's side of the end-to-end link ({@link
     * io.hotaru.keys.store.KeyIds#relayedBlock}): the two ends' numbers never meet.
     */
    private static boolean onSourceSide(List<String> path, long keyBlock) {
        int side = path.get(0).compareTo(path.get(path.size() - 1)) < 0 ? 0 : 1;
        return (keyBlock & 1) == side;
    }

    /** The relays of a batch: {@code answers[i]} set for each whose {@code inLinks[i]} is not null. */
    private void forwardBatchLocked(List<Forward> forwards, String[] inLinks, RelayStatus[] answers) {
        List<Integer> alone = new ArrayList<>();
        List<Integer> stepped = new ArrayList<>();
        List<RelayLedger.Hop> hops = new ArrayList<>();
        List<RelayPeer> onwardChannels = new ArrayList<>(); // by stepped relay; null at the destination
        try {
            stepBatch(forwards, inLinks, answers, alone, stepped, hops, onwardChannels);
        } finally {
            hops.forEach(HopHandler::zeroPads);
        }
    }

    private static void zeroPads(RelayLedger.Hop h) {
        h.inPad().close();
        if (h.outPad() != null) {
            h.outPad().close();
        }
    }

    private void stepBatch(
            List<Forward> forwards,
            String[] inLinks,
            RelayStatus[] answers,
            List<Integer> alone,
            List<Integer> stepped,
            List<RelayLedger.Hop> hops,
            List<RelayPeer> onwardChannels) {
        for (int i = 0; i < forwards.size(); i++) {
            Forward f = forwards.get(i);
            long r = f.relayId();
            boolean destination = f.hop() == f.path().size() - 1;
            if (inLinks[i] == null) {
                continue;
            }
            if (ledger.isCommitted(r)
                    || ledger.isAborted(r)
                    || (destination ? f.shares() != 1 : !ledger.outboundOf(r).isEmpty())) {
                alone.add(i);
            } else if (destination) {
                String endToEnd = RelayNode.endToEndLink(
                        f.path().get(0), f.path().get(f.path().size() - 1));
                if (forgotten(r, endToEnd, f.keyBlock())) {
                    answers[i] = RelayStatus.IN_DOUBT;
                    continue;
                }
                Optional<PadUnits> in = ledger.inboundPad(inLinks[i], f.padUnits());
                if (in.isEmpty()) {
                    answers[i] = refuseAtDestination(r, endToEnd, f.keyBlock());
                    continue;
                }
                stepped.add(i);
                onwardChannels.add(null);
                hops.add(new RelayLedger.Hop(
                        r, inLinks[i], in.get(), null, null, endToEnd, f.keyBlock(), f.ciphertext()));
            } else {
                String next = f.path().get(f.hop() + 1);
                Optional<String> outLink = neighbours.linkTo(next);
                Optional<RelayPeer> channel = neighbours.channelTo(next);
                if (outLink.isEmpty() || channel.isEmpty() || channel.get().isClosed()) {
                    alone.add(i); // rolled back there
                    continue;
                }
                RelayLedger.OutboundPlan plan =
                        new RelayLedger.OutboundPlan(outLink.get(), f.path(), f.hop() + 1, f.share());
                Optional<PadUnits[]> pads = bothPads(f, inLinks[i], plan);
                if (pads.isEmpty()) {
                    answers[i] = refuse(r);
                    continue;
                }
                stepped.add(i);
                onwardChannels.add(channel.get());
                hops.add(new RelayLedger.Hop(r, inLinks[i], pads.get()[0], plan, pads.get()[1], null, -1, null));
            }
        }
        List<Stepping> items = new ArrayList<>();
        for (int k = 0; k < stepped.size(); k++) {
            items.add(new Stepping(hops.get(k), forwards.get(stepped.get(k)), onwardChannels.get(k)));
        }
        List<Stepped> results = items.isEmpty() ? List.of() : steps.runAll(items);
        for (int i : alone) {
            answers[i] = forwardLocked(forwards.get(i), inLinks[i]);
        }
        for (int k = 0; k < results.size(); k++) {
            Stepped step = results.get(k);
            int i = stepped.get(k);
            answers[i] =
                    step.answer == null ? step.status : settle(forwards.get(i).relayId(), step.channel, step.answer);
        }
    }

    /** A relay's part of a hop step, and where it goes on to (null at its destination). */
    private record Stepping(RelayLedger.Hop hop, Forward forward, RelayPeer onward) {}

    /** A relay's hop step done: its status, or the answer to come from the next node. */
    private record Stepped(RelayStatus status, RelayPeer channel, CompletableFuture<RelayStatus> answer) {}

    /**
     * The hop steps of the relays that came in meanwhile (from any neighbour), in one store step,
     * then (once it is durable) their onward forwards queued together, one batch per next node.
     */
    private StepCombiner.Started<Stepped> stepAndPassOn(List<Stepping> batch) {
        StepCombiner.Started<RelayLedger.Pads> step =
                ledger.hopsQueued(batch.stream().map(Stepping::hop).toList());
        return new StepCombiner.Started<>() {
            @Override
            public void awaitRun() {
                step.awaitRun();
            }

            @Override
            public List<Stepped> finish() {
                return passOn(batch, step.finish());
            }
        };
    }

    private List<Stepped> passOn(List<Stepping> batch, List<RelayLedger.Pads> pads) {
        try {
            List<Stepped> results = new ArrayList<>();
            Map<RelayPeer, List<Integer>> onwardOf = new LinkedHashMap<>();
            Map<RelayPeer, List<Forward>> onward = new LinkedHashMap<>();
            for (int k = 0; k < batch.size(); k++) {
                RelayPeer channel = batch.get(k).onward();
                results.add(new Stepped(pads.get(k).status, null, null));
                if (channel != null && pads.get(k).status == RelayStatus.STAGED) {
                    onwardOf.computeIfAbsent(channel, c -> new ArrayList<>()).add(k);
                    onward.computeIfAbsent(channel, c -> new ArrayList<>())
                            .add(onwardForward(batch.get(k).forward(), pads.get(k)));
                }
            }
            onward.forEach((channel, list) -> {
                List<CompletableFuture<RelayStatus>> answered = channel.forward(list);
                for (int j = 0; j < list.size(); j++) {
                    int k = onwardOf.get(channel).get(j);
                    results.set(k, new Stepped(RelayStatus.STAGED, channel, answered.get(j)));
                }
            });
            return results;
        } finally {
            pads.forEach(RelayLedger.Pads::close);
        }
    }

    /** Waits for the next hop's answer to a forward of relay {@code r} and records what it decides. */
    private RelayStatus settle(long r, RelayPeer channel, CompletableFuture<RelayStatus> answered) {
        RelayStatus answer;
        try {
            answer = channel.await(answered);
        } catch (RelayCallException e) {
            log.info("Relay {}: hop to {} in doubt: {}", r, channel.peer(), e.getMessage());
            return RelayStatus.IN_DOUBT;
        }
        if (answer == RelayStatus.COMMITTED) {
            ledger.commit(r);
        } else if (answer == RelayStatus.ABORTED) {
            ledger.abort(r);
        }
        return answer;
    }

    /** The forward of {@code f}'s relay to the next hop: K under the outbound pad instead of the inbound one. */
    private static Forward onwardForward(Forward f, RelayLedger.Pads pads) {
        byte[] ciphertext = f.ciphertext().clone();
        PadUnits in = pads.taken.get(0).orElseThrow();
        PadUnits out = pads.taken.get(1).orElseThrow();
        XorShares.xorInto(ciphertext, in.material());
        XorShares.xorInto(ciphertext, out.material());
        return new Forward(
                0,
                f.relayId(),
                f.keyBlock(),
                f.path(),
                f.hop() + 1,
                f.sizeBits(),
                f.share(),
                f.shares(),
                out.unitIds(),
                ciphertext);
    }

    private RelayStatus forwardLocked(Forward f, String inLink) {
        long r = f.relayId();
        boolean destination = f.hop() == f.path().size() - 1;
        String endToEnd =
                RelayNode.endToEndLink(f.path().get(0), f.path().get(f.path().size() - 1));
        if (ledger.isCommitted(r)) { // a destination that missed its journal line checks its store below
            return RelayStatus.COMMITTED;
        }
        if (ledger.isAborted(r)) {
            ledger.burnPad(r, inLink, f.padUnits());
            return RelayStatus.ABORTED;
        }
        if (!destination && !ledger.outboundOf(r).isEmpty()) {
            return RelayStatus.IN_DOUBT; // a repeated forward: the first one is still being resolved
        }
        if (destination && forgotten(r, endToEnd, f.keyBlock())) {
            return RelayStatus.IN_DOUBT;
        }
        if (destination && f.shares() == 1) {
            Optional<PadUnits> in = ledger.inboundPad(inLink, f.padUnits());
            if (in.isEmpty()) {
                return refuseAtDestination(r, endToEnd, f.keyBlock());
            }
            try (PadUnits pad = in.get()) {
                return ledger.arrive(r, inLink, pad, endToEnd, f.keyBlock(), f.ciphertext());
            }
        }
        if (!destination) {
            return passOn(f, inLink);
        }
        if (ledger.isCommittedAtDestination(r, endToEnd, f.keyBlock())) {
            return RelayStatus.COMMITTED;
        }
        Optional<PadUnits> inPad = ledger.takeInbound(r, inLink, f.padUnits());
        if (inPad.isEmpty()) {
            if (forgottenSince(r, endToEnd, f.keyBlock())) {
                return RelayStatus.IN_DOUBT;
            }
            dropStaged(r); // the shares staged so far: the relay is rolled back here
            ledger.abort(r);
            return RelayStatus.ABORTED;
        }
        byte[] key = f.ciphertext().clone();
        try (PadUnits pad = inPad.get()) {
            XorShares.xorInto(key, pad.material());
        }
        try {
            return arrive(f, endToEnd, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private RelayStatus arrive(Forward f, String endToEnd, byte[] share) {
        long r = f.relayId();
        Staging s = staged.computeIfAbsent(r, k -> new Staging(share.length, f.shares(), f.keyBlock()));
        if (s.shares != f.shares()
                || s.key.length != share.length
                || s.keyBlock != f.keyBlock()
                || !s.received.add(f.share())) {
            dropStaged(r);
            ledger.abort(r);
            return RelayStatus.ABORTED;
        }
        XorShares.xorInto(s.key, share);
        if (s.received.size() < s.shares) {
            ledger.journal().appendLazily(RelayJournal.Kind.STAGE, r, "", List.of(), Integer.toString(f.share()));
            return RelayStatus.STAGED;
        }
        try {
            return ledger.storeAndCommit(r, endToEnd, s.keyBlock, s.key);
        } finally {
            dropStaged(r);
        }
    }

    /** Takes the inbound and the outbound pad in one step, then sends K under the outbound pad on. */
    private RelayStatus passOn(Forward f, String inLink) {
        long r = f.relayId();
        String next = f.path().get(f.hop() + 1);
        Optional<String> outLink = neighbours.linkTo(next);
        Optional<RelayPeer> channel = neighbours.channelTo(next);
        if (outLink.isEmpty() || channel.isEmpty() || channel.get().isClosed()) {
            return rollBack(r, inLink, f.padUnits());
        }
        RelayLedger.OutboundPlan plan = new RelayLedger.OutboundPlan(outLink.get(), f.path(), f.hop() + 1, f.share());
        Optional<PadUnits[]> both = bothPads(f, inLink, plan);
        if (both.isEmpty()) {
            return refuse(r);
        }
        Forward onward;
        try (PadUnits inPad = both.get()[0];
                PadUnits outPad = both.get()[1];
                RelayLedger.Pads pads = ledger.passOn(r, inLink, inPad, plan, outPad)) {
            onward = onwardForward(f, pads);
        }
        return settle(r, channel.get(), channel.get().forward(List.of(onward)).get(0));
    }

    Reply abort(String from, Abort a) {
        Optional<String> inLink = checkHop(from, a.path(), a.hop());
        if (inLink.isEmpty() || !onSourceSide(a.path(), a.keyBlock())) {
            log.warn("Relay {}: abort from {} does not fit its path {}; refused", a.relayId(), from, a.path());
            return new Reply(a.callId(), a.relayId(), RelayStatus.IN_DOUBT);
        }
        return new Reply(a.callId(), a.relayId(), ledger.withRelay(a.relayId(), () -> abortLocked(a, inLink.get())));
    }

    private RelayStatus abortLocked(Abort a, String inLink) {
        long r = a.relayId();
        List<String> path = a.path();
        boolean destination = a.hop() == path.size() - 1;
        if (destination) {
            String endToEnd = RelayNode.endToEndLink(path.get(0), path.get(path.size() - 1));
            if (ledger.isCommittedAtDestination(r, endToEnd, a.keyBlock())) {
                if (!ledger.isCommitted(r)) {
                    // Stored before a crash took the journal lines with it: the abort names the pad.
                    // (An abort passed on by a node that forgot the relay names none; this node's
                    // journal has the pad then, only its memory forgot the outcome.)
                    if (!a.padUnits().isEmpty()) {
                        ledger.journal().appendLazily(RelayJournal.Kind.PAD, r, inLink, a.padUnits(), "IN");
                    }
                    ledger.commitAtDestination(r);
                }
                return RelayStatus.COMMITTED;
            }
            if (!ledger.isAborted(r) && forgotten(r, endToEnd, a.keyBlock())) {
                return RelayStatus.IN_DOUBT;
            }
            dropStaged(r);
            return rollBack(r, inLink, a.padUnits());
        }
        if (ledger.isCommitted(r)) {
            return RelayStatus.COMMITTED;
        }
        if (ledger.isUnknown(r)) {
            return abortUnknown(a, inLink);
        }
        if (!ledger.isAborted(r)) {
            for (OutboundHop out : ledger.outboundOf(r)) {
                RelayStatus answer = abortDownstream(r, a.keyBlock(), out);
                if (answer == RelayStatus.COMMITTED) {
                    ledger.commit(r);
                    return answer;
                }
                if (answer != RelayStatus.ABORTED) {
                    return answer;
                }
                ledger.burnPad(r, out.linkId(), out.units());
            }
        }
        return rollBack(r, inLink, a.padUnits());
    }

    /**
     * The abort of a relay this intermediate node knows nothing of: it never saw the relay, or settled
     * it so long ago that it no longer remembers the outcome ({@link SettledRelays}). Either way the
     * nodes after it decide, the destination from its key store: the abort goes on along the path,
     * naming no units (a node that took units of the relay has a record of it, and one that settled
     * it took or burned them already). COMMITTED is then recorded and answered; ABORTED rolls this
     * hop back as for a relay it knows.
     */
    private RelayStatus abortUnknown(Abort a, String inLink) {
        long r = a.relayId();
        Optional<String> outLink = neighbours.linkTo(a.path().get(a.hop() + 1));
        if (outLink.isEmpty()) { // no link to the next node: the relay cannot have gone on from here
            return rollBack(r, inLink, a.padUnits());
        }
        RelayStatus answer =
                abortDownstream(r, a.keyBlock(), new OutboundHop(a.path(), a.hop() + 1, 0, outLink.get(), List.of()));
        if (answer == RelayStatus.COMMITTED) {
            ledger.commit(r);
            return answer;
        }
        return answer == RelayStatus.ABORTED ? rollBack(r, inLink, a.padUnits()) : RelayStatus.IN_DOUBT;
    }

    /** Sends the abort on to the next hop of {@code out}; IN_DOUBT if it does not answer. */
    RelayStatus abortDownstream(long r, long keyBlock, OutboundHop out) {
        String next = out.path().get(out.hop());
        Optional<RelayPeer> channel = neighbours.channelTo(next);
        if (channel.isEmpty()) {
            return RelayStatus.IN_DOUBT;
        }
        try {
            return channel.get()
                    .call(new Abort(channel.get().nextCallId(), r, keyBlock, out.path(), out.hop(), out.units()))
                    .status();
        } catch (RelayCallException e) {
            log.info("Relay {}: abort to {} in doubt: {}", r, next, e.getMessage());
            return RelayStatus.IN_DOUBT;
        }
    }

    private RelayStatus rollBack(long r, String inLink, List<java.util.UUID> inUnits) {
        ledger.burnPad(r, inLink, inUnits);
        ledger.abort(r);
        return RelayStatus.ABORTED;
    }

    /**
     * The pad of {@code f}'s inbound hop (the units it names) and one for its outbound hop ({@code
     * plan}); empty, with the inbound one dropped, unless both can be had.
     */
    private Optional<PadUnits[]> bothPads(Forward f, String inLink, RelayLedger.OutboundPlan plan) {
        Optional<PadUnits> in = ledger.inboundPad(inLink, f.padUnits());
        Optional<PadUnits> out = in.isEmpty()
                ? Optional.empty()
                : ledger.outboundPad(plan, f.padUnits().size());
        if (out.isEmpty()) {
            in.ifPresent(PadUnits::close);
            return Optional.empty();
        }
        return Optional.of(new PadUnits[] {in.get(), out.get()});
    }

    /**
     * A forward whose pad this node cannot make: the named units are not (or no longer) among those
     * leased to it (this node restarted since, or they were used), or its outbound link has too few.
     * Nothing derived from the relay's key left this node: the relay is rolled back here.
     */
    private RelayStatus refuse(long r) {
        log.info("Relay {}: no pad for the hop; rolled back here", r);
        ledger.abort(r);
        return RelayStatus.ABORTED;
    }

    /**
     * At the destination: whether the relay's key is not in the store and the store may have deleted
     * it, spent longer ago than its retention ({@link RelayLedger#mayHaveForgotten}); a share staged
     * for it is dropped. Nothing here can tell then whether the relay committed: the caller answers
     * IN_DOUBT and changes nothing, and the relay stays in doubt at its source. The store is read only
     * when the mark says the key may be forgotten: when a purge deleted a key of this side of the link
     * numbered at or above this one, which for a relay answered in order takes a retention.
     */
    private boolean forgotten(long r, String endToEnd, long keyBlock) {
        return ledger.mayHaveForgotten(endToEnd, keyBlock)
                && !ledger.isCommittedAtDestination(r, endToEnd, keyBlock)
                && forgottenSince(r, endToEnd, keyBlock);
    }

    /**
     * {@link #forgotten} once the store has no row of the key: the mark is read after the row, so a
     * purge that deleted the row between an earlier look at the mark and this one is seen.
     */
    private boolean forgottenSince(long r, String endToEnd, long keyBlock) {
        if (!ledger.mayHaveForgotten(endToEnd, keyBlock)) {
            return false;
        }
        dropStaged(r);
        RelayLedger.warnForgotten(r);
        return true;
    }

    /** As {@link #refuse}, at the destination: unless it stored the key already (a repeated forward). */
    private RelayStatus refuseAtDestination(long r, String endToEnd, long keyBlock) {
        if (ledger.isCommittedAtDestination(r, endToEnd, keyBlock)) {
            ledger.commitAtDestination(r);
            return RelayStatus.COMMITTED;
        }
        return forgottenSince(r, endToEnd, keyBlock) ? RelayStatus.IN_DOUBT : refuse(r);
    }

    /** The link the message came in on, if the sender and this node are where the path says. */
    private Optional<String> checkHop(String from, List<String> path, int hop) {
        if (hop < 1
                || hop >= path.size()
                || !path.get(hop).equals(ledger.self())
                || !path.get(hop - 1).equals(from)) {
            return Optional.empty();
        }
        return neighbours.linkTo(from);
    }

    private void dropStaged(long r) {
        Staging s = staged.remove(r);
        if (s != null) {
            Arrays.fill(s.key, (byte) 0);
        }
    }
}
