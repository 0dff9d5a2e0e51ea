package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.relay.codec.RelayCodecException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay channel to one neighbour KME: requests and replies as {@link RelayMessage}s, each frame
 * under a Wegman–Carter tag of the link ({@link LinkAuthenticator}) on an ordered {@link
 * RelayWire}. Both ends first exchange their key positions (the authenticator's hello); nothing is
 * sent before the peer's has come. Frames are verified on the wire's thread in arrival order;
 * requests are then handled on the node's executor, so a handler may itself call further
 * neighbours.
 *
 * <p>A frame that fails authentication or decoding is dropped before anything else happens, and
 * closes the channel: calls waiting for a reply fail, the link counts as down.
 */
public final class RelayPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayPeer.class);

    private final String self;
    private final String peer;
    private final LinkAuthenticator auth;
    private final RelayWire wire;
    private final Duration callTimeout;
    private final Map<Long, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rejectedFrames = new AtomicLong();
    private volatile boolean closed;
    private volatile Runnable onClose = () -> {};

    /**
     * @param keys the link's authentication key, identical at both ends
     * @param handler answers the peer's requests (on {@code executor})
     */
    public RelayPeer(
            String self,
            String peer,
            AuthKeySource keys,
            RelayWire wire,
            Executor executor,
            Function<RelayMessage, Reply> handler,
            Duration callTimeout) {
        this.self = self;
        this.peer = peer;
        this.auth = new LinkAuthenticator(keys, LinkAuthenticator.outboundOf(self, peer));
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
        if (request instanceof Reply) {
            throw new IllegalArgumentException("a reply is not a request");
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        waiting.put(request.callId(), reply);
        try {
            send(request);
            return reply.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
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

    /** A call ID unique on this channel. */
    long nextCallId() {
        return calls.incrementAndGet();
    }

    private void send(RelayMessage message) {
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
            auth.sealAndSend(RelayCodec.encode(message), wire::send);
        } catch (RuntimeException e) { // refused, closed, or the authentication key state failed
            close();
            throw new RelayCallException("cannot send to " + peer + ": " + e.getMessage());
        }
    }

    private void receive(byte[] frame, Executor executor, Function<RelayMessage, Reply> handler) {
        RelayMessage message;
        try {
            byte[] body = auth.open(frame);
            if (body == null) {
                return; // the peer's hello: its key positions are agreed
            }
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
        if (message instanceof Reply reply) {
            CompletableFuture<Reply> pending = waiting.get(reply.callId());
            if (pending != null) {
                pending.complete(reply);
            }
            return;
        }
        try {
            executor.execute(() -> {
                Reply answer = handler.apply(message);
                try {
                    send(answer);
                } catch (RelayCallException e) {
                    log.info("Relay link {} -> {}: reply lost: {}", self, peer, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("Relay node {} is shutting down; request from {} dropped", self, peer);
        }
    }

    /** Frames refused (forged, replayed, malformed) on this channel. */
    public long rejectedFrames() {
        return rejectedFrames.get();
    }

    public boolean isClosed() {
        return closed;
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
