package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.auth.RefillableAuthKeySource;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.PoolEnd;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.RelayMessage.ReplyBatch;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.relay.codec.RelayCodecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay channel to one neighbour KME: requests and replies as {@link RelayMessage}s, each frame
 * under a Wegman–Carter tag of the link ({@link LinkAuthenticator}) on an ordered {@link
 * RelayWire}. Both ends first exchange their key positions (the authenticator's hello); nothing is
 * sent before the peer's has come. Frames are verified on the wire's thread in arrival order;
 * requests are then handled on the node's executor, so a handler may itself call further
 * neighbours, unless the node's inline handler takes one there ({@link #handleInline}: a batch of
 * forwards that needs no wait).
 *
 * <p>Forwards go out in batches ({@link #forward}): whatever forwards are queued for this peer when
 * the previous batch has left go together in one frame, up to {@link RelayCodec#MAX_BATCH} and the
 * frame limit, so under load one tag, one TLS record and one receiving step serve many relays, and
 * with a single relay in flight nothing waits for company.
 *
 * <p>A frame that fails authentication or decoding is dropped before anything else happens, and
 * closes the channel: calls waiting for a reply fail, the link counts as down.
 */
public final class RelayPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayPeer.class);

    private final String self;
    private final String peer;
    private final LinkAuthenticator auth;
    private final RefillableAuthKeySource keys;
    /** The direction the peer's frames use. */
    private final Direction in;

    private final RelayWire wire;
    private final Duration callTimeout;
    private final Map<Long, CompletableFuture<RelayMessage>> waiting = new ConcurrentHashMap<>();
    /** Forwards waiting for the next batch, oldest first. */
    private final ConcurrentLinkedQueue<Queued> queued = new ConcurrentLinkedQueue<>();
    /** Held by the thread that is sending batches. */
    private final AtomicBoolean sending = new AtomicBoolean();

    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong forwardsSent = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rejectedFrames = new AtomicLong();
    private volatile boolean closed;
    private volatile Runnable onClose = () -> {};
    private volatile Runnable onFrame = () -> {};
    private volatile BiPredicate<RelayPeer, RelayMessage> inline = (channel, request) -> false;

    /**
     * @param keys the link's authentication key, identical at both ends
     * @param handler answers the peer's requests (on {@code executor}), given this channel
     */
    public RelayPeer(
            String self,
            String peer,
            RefillableAuthKeySource keys,
            RelayWire wire,
            Executor executor,
            BiFunction<RelayPeer, RelayMessage, RelayMessage> handler,
            Duration callTimeout) {
        this.self = self;
        this.peer = peer;
        Direction out = LinkAuthenticator.outboundOf(self, peer);
        this.in = out == Direction.ALICE_TO_BOB ? Direction.BOB_TO_ALICE : Direction.ALICE_TO_BOB;
        this.keys = keys;
        this.auth = new LinkAuthenticator(keys, out, () -> keys.usableEnd(out));
        this.wire = wire;
        this.callTimeout = callTimeout;
        wire.start(frame -> receive(frame, executor, handler), this::closed);
        try {
            auth.sendHello(wire::send);
        } catch (RuntimeException e) {
            log.info("Relay link {} -> {}: hello not sent: {}", self, peer, e.getMessage());
            closed();
        }
    }

    public String peer() {
        return peer;
    }

    /** Runs after every frame sealed or opened here (it must be cheap: it runs on the wire's threads). */
    void onFrame(Runnable listener) {
        this.onFrame = listener;
    }

    /**
     * Offers each request first to {@code handler} on the wire's thread, before the executor: it
     * returns true if it took the request (and answers it later with {@link #answer}), false if it
     * left it, unchanged, to the executor. It must not block.
     */
    void handleInline(BiPredicate<RelayPeer, RelayMessage> handler) {
        this.inline = handler;
    }

    /** Whether frames can go now: the channel is open and the peer's hello came. */
    boolean ready() {
        return !closed && auth.ready();
    }

    /** Runs once when the channel closes (here, at the peer, or on a bad frame). */
    void onClose(Runnable listener) {
        this.onClose = listener;
        if (closed) {
            listener.run();
        }
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws RelayCallException if the channel is or becomes closed, or no reply comes in time;
     *     the request may or may not have been handled then
     */
    public Reply call(RelayMessage request) {
        if (request instanceof Reply || request instanceof ReplyBatch) {
            throw new IllegalArgumentException("a reply is not a request");
        }
        CompletableFuture<RelayMessage> reply = new CompletableFuture<>();
        waiting.put(request.callId(), reply);
        try {
            send(request);
            if (reply.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS) instanceof Reply answer) {
                return answer;
            }
            throw new RelayCallException("a batch reply from " + peer + " to a single request");
        } catch (TimeoutException e) {
            throw new RelayCallException("no reply from " + peer + " within " + callTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayCallException("interrupted waiting for " + peer);
        } catch (ExecutionException e) {
            throw new RelayCallException(
                    "channel to " + peer + " failed: " + e.getCause().getMessage());
        } finally {
            waiting.remove(request.callId());
        }
    }

    /** A forward waiting for its batch, and its answer. */
    private record Queued(Forward forward, CompletableFuture<RelayStatus> answer) {}

    /**
     * Queues forwards (of distinct relays) for the next batch to this peer and returns their answers,
     * in order; each fails with {@link RelayCallException} if the channel fails or no answer comes in
     * time (the forward may or may not have been handled then). Their call IDs are not used.
     */
    List<CompletableFuture<RelayStatus>> forward(List<Forward> forwards) {
        List<CompletableFuture<RelayStatus>> answers = new ArrayList<>(forwards.size());
        for (Forward f : forwards) {
            CompletableFuture<RelayStatus> answer = new CompletableFuture<>();
            answers.add(answer);
            queued.add(new Queued(f, answer));
        }
        sendQueued();
        return answers;
    }

    /** Waits for a forward's answer ({@link #forward}). */
    RelayStatus await(CompletableFuture<RelayStatus> answer) {
        try {
            return answer.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RelayCallException("no reply from " + peer + " within " + callTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayCallException("interrupted waiting for " + peer);
        } catch (ExecutionException e) {
            throw new RelayCallException(e.getCause().getMessage());
        }
    }

    /**
     * Sends what is queued, in batches, unless another thread is at it; that thread then sends what
     * this one queued (it looks at the queue again before it lets go).
     */
    private void sendQueued() {
        while (!queued.isEmpty() && sending.compareAndSet(false, true)) {
            try {
                List<Queued> batch;
                while (!(batch = nextBatch()).isEmpty()) {
                    sendBatch(batch);
                }
            } finally {
                sending.set(false);
            }
        }
    }

    private List<Queued> nextBatch() {
        List<Queued> batch = new ArrayList<>();
        int bytes = 0;
        for (Queued q; (q = queued.peek()) != null; ) {
            int size = RelayCodec.forwardBytes(q.forward());
            if (!RelayCodec.fitsInBatch(batch.size(), bytes, size) && !batch.isEmpty()) {
                break;
            }
            batch.add(queued.poll());
            bytes += size;
        }
        return batch;
    }

    private void sendBatch(List<Queued> batch) {
        long callId = nextCallId();
        Map<Long, CompletableFuture<RelayStatus>> byRelay = new HashMap<>();
        List<Forward> forwards = new ArrayList<>(batch.size());
        for (Queued q : batch) {
            byRelay.put(q.forward().relayId(), q.answer());
            forwards.add(q.forward());
        }
        CompletableFuture<RelayMessage> reply = new CompletableFuture<>();
        waiting.put(callId, reply);
        reply.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((answer, failure) -> {
            waiting.remove(callId);
            if (answer instanceof ReplyBatch replies) {
                replies.replies().forEach(r -> {
                    CompletableFuture<RelayStatus> f = byRelay.get(r.relayId());
                    if (f != null) {
                        f.complete(r.status());
                    }
                });
            }
            if (byRelay.values().stream().allMatch(CompletableFuture::isDone)) {
                return; // every relay answered (the usual case): no exception to build
            }
            RelayCallException missing = new RelayCallException(
                    failure == null
                            ? "no answer for the relay in the batch reply from " + peer
                            : failure instanceof TimeoutException
                                    ? "no reply from " + peer + " within " + callTimeout
                                    : failure.getMessage());
            byRelay.values().forEach(f -> f.completeExceptionally(missing)); // no-op for those answered
        });
        try {
            send(new ForwardBatch(callId, forwards));
            batchesSent.incrementAndGet();
            forwardsSent.addAndGet(forwards.size());
        } catch (RelayCallException e) {
            reply.completeExceptionally(e);
        }
    }

    /** Forwards queued for the next batch and not yet sent. */
    int queuedForwards() {
        return queued.size();
    }

    /** Forward batches sent on this channel, and the forwards in them. */
    public long[] batchesAndForwardsSent() {
        return new long[] {batchesSent.get(), forwardsSent.get()};
    }

    /** A call ID unique on this channel. */
    long nextCallId() {
        return calls.incrementAndGet();
    }

    /**
     * Whether {@code message} may use the words kept for refills: it refills the channel's
     * authentication pool, or settles a lease left unanswered (burn-only), which a refill sends first.
     */
    private static boolean refills(RelayMessage message) {
        return message instanceof PoolEnd || message instanceof Lease l && (l.auth() || l.burnOnly());
    }

    private void send(RelayMessage message) {
        send(message, refills(message));
    }

    private void send(RelayMessage message, boolean refill) {
        if (closed) {
            throw new RelayCallException("channel to " + peer + " is closed");
        }
        try {
            if (!auth.awaitPeerHello(callTimeout)) {
                close();
                throw new RelayCallException("no key positions from " + peer + " within " + callTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayCallException("interrupted waiting for the hello of " + peer);
        }
        try {
            if (!auth.sealAndSend(RelayCodec.encode(message), wire::send, refill)) {
                onFrame.run(); // a refill, if one can start
                throw new RelayCallException("the authentication key for frames to " + peer
                        + " is down to the words kept for refilling it from the link's key");
            }
        } catch (RuntimeException e) { // refused, closed, or the authentication key state failed
            if (e instanceof RelayCallException low) {
                throw low; // the channel stays up for the frames that refill the key
            }
            close();
            throw new RelayCallException("cannot send to " + peer + ": " + e.getMessage());
        }
        onFrame.run();
    }

    private void receive(byte[] frame, Executor executor, BiFunction<RelayPeer, RelayMessage, RelayMessage> handler) {
        RelayMessage message;
        try {
            byte[] body = auth.open(frame);
            if (body == null) {
                return; // the peer's hello: its key positions are agreed
            }
            onFrame.run();
            message = RelayCodec.decode(body);
        } catch (AuthenticationException | RelayCodecException e) {
            rejectedFrames.incrementAndGet();
            log.warn("Relay link {} <- {}: frame refused ({}), closing the channel", self, peer, e.getMessage());
            close();
            return;
        } catch (RuntimeException e) { // the authentication key state could not be recorded: fail closed
            log.warn("Relay link {} <- {}: {}; closing the channel", self, peer, e.getMessage());
            close();
            return;
        }
        if (message instanceof Reply || message instanceof ReplyBatch) {
            CompletableFuture<RelayMessage> pending = waiting.get(message.callId());
            if (pending != null) {
                pending.complete(message);
            }
            return;
        }
        try {
            if (inline.test(this, message)) {
                return;
            }
        } catch (RuntimeException e) {
            log.warn("Relay link {} <- {}: request failed ({}), closing the channel", self, peer, e.toString());
            close();
            return;
        }
        try {
            executor.execute(() -> answer(message, handler.apply(this, message)));
        } catch (RejectedExecutionException e) {
            log.warn("Relay node {} is shutting down; request from {} dropped", self, peer);
        }
    }

    /** Sends the answer to the peer's {@code request}; logs it if the channel cannot take it. */
    void answer(RelayMessage request, RelayMessage answer) {
        try {
            send(answer, refills(request));
        } catch (RelayCallException e) {
            log.info("Relay link {} -> {}: reply lost: {}", self, peer, e.getMessage());
        }
    }

    /** Frames refused (forged, replayed, malformed) on this channel. */
    public long rejectedFrames() {
        return rejectedFrames.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether frames either way are down to the authentication words kept for refills (the link is then announced down). */
    public boolean keyLow() {
        return auth.atFloor() || auth.peerAtFloor(keys.usableEnd(in));
    }

    private void closed() {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
        }
        auth.close();
        RelayCallException failure = new RelayCallException("channel to " + peer + " closed");
        waiting.values().forEach(f -> f.completeExceptionally(failure));
        if (first) {
            onClose.run();
        }
    }

    @Override
    public void close() {
        closed();
        wire.close();
    }
}
