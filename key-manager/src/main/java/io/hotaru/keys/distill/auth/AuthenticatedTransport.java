package io.hotaru.keys.distill.auth;

import io.hotaru.keys.distill.auth.AuthenticationException.Code;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.AuthSync;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import io.hotaru.keys.distill.protocol.PeerTransport;
import io.hotaru.keys.distill.protocol.codec.CodecException;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;

/**
 * Wegman–Carter authentication of every message, as a decorator of the transport the sessions
 * already use. {@link #send} encodes the message, tags the frame with the next sequence number of
 * this end's outbound direction and sends it inside an {@link Authenticated} envelope; {@link
 * #receive} checks the envelope's sequence number and tag before it decodes anything. With {@link
 * AuthConfig#deferReconcileTags()}, reconciliation messages are delivered untagged and verified
 * with the next tagged message of their direction (which the sessions always send before any key
 * is released).
 *
 * <p>The first message that fails (tampered, truncated, replayed, reordered, unauthenticated, or
 * authentic but malformed) closes this transport for good: the receiver tells the peer with an
 * authenticated {@code Abort(AUTHENTICATION_FAILED)}, which closes the peer's end too, and both
 * ends' sessions end the block with {@link AbortReason#AUTHENTICATION_FAILED}. A new session needs
 * a new transport.
 *
 * <p>Send and receive may run on different threads; each direction is serialised on its own.
 */
public final class AuthenticatedTransport implements PeerTransport, AutoCloseable {
    private final PeerTransport inner;
    private final AuthKeySource keys;
    private final MessageCodec codec;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final TagChannel outbound;
    private final TagChannel inbound;
    private final boolean deferReconcileTags;
    private volatile boolean closed;
    private volatile long lastBlockId;
    private long skippedBits;

    private AuthenticatedTransport(
            PeerTransport inner, AuthKeySource keys, AuthConfig config, Direction out, Direction in) {
        this.inner = inner;
        this.keys = keys;
        this.codec = new MessageCodec(config.innerLimits());
        this.outbound = new TagChannel(out, keys, config.rotateAfterRounds());
        this.inbound = new TagChannel(in, keys, config.rotateAfterRounds());
        this.deferReconcileTags = config.deferReconcileTags();
    }

    /** Alice's end: sends on {@link Direction#ALICE_TO_BOB}. */
    public static AuthenticatedTransport alice(PeerTransport inner, AuthKeySource keys, AuthConfig config) {
        return new AuthenticatedTransport(inner, keys, config, Direction.ALICE_TO_BOB, Direction.BOB_TO_ALICE);
    }

    /** Bob's end: sends on {@link Direction#BOB_TO_ALICE}. */
    public static AuthenticatedTransport bob(PeerTransport inner, AuthKeySource keys, AuthConfig config) {
        return new AuthenticatedTransport(inner, keys, config, Direction.BOB_TO_ALICE, Direction.ALICE_TO_BOB);
    }

    @Override
    public void send(DistillMessage message) {
        if (message instanceof Authenticated || message instanceof AuthSync) {
            throw new IllegalArgumentException("transport messages are not sealed");
        }
        synchronized (sendLock) {
            if (closed) {
                throw new AuthenticationException(Code.CLOSED, "authenticated transport closed");
            }
            seal(message);
        }
    }

    private void seal(DistillMessage message) {
        byte[] frame = codec.encode(message);
        long sequence = outbound.nextSequence();
        boolean tagged = !(deferReconcileTags && message instanceof ReconcileMessage);
        long tag = outbound.seal(message.blockId(), frame, tagged);
        lastBlockId = message.blockId();
        inner.send(new Authenticated(message.blockId(), sequence, frame, tag));
    }

    @Override
    public DistillMessage receive() {
        synchronized (receiveLock) {
            if (closed) {
                throw new AuthenticationException(Code.CLOSED, "authenticated transport closed");
            }
            DistillMessage raw = inner.receive();
            if (!(raw instanceof Authenticated envelope)) {
                throw reject(new AuthenticationException(
                        Code.NOT_AUTHENTICATED, raw.getClass().getSimpleName() + " without a tag"));
            }
            boolean tagged = !(deferReconcileTags && MessageCodec.isReconcileFrame(envelope.frame()));
            if (!tagged && envelope.tag() != 0) {
                throw reject(new AuthenticationException(Code.TAG_MISMATCH, "tag on a message that has none"));
            }
            try {
                inbound.open(envelope.sequence(), envelope.frame(), envelope.tag(), tagged);
            } catch (AuthenticationException forged) {
                throw reject(forged);
            }
            DistillMessage message;
            try {
                message = codec.decode(envelope.frame());
            } catch (CodecException malformed) {
                throw reject(new AuthenticationException(
                        Code.MALFORMED, malformed.code().name()));
            }
            if (message instanceof Authenticated
                    || message instanceof AuthSync
                    || message.blockId() != envelope.blockId()) {
                throw reject(new AuthenticationException(Code.MALFORMED, "envelope does not match its message"));
            }
            inbound.advanceRound(message.blockId());
            if (message instanceof Abort abort && abort.reason() == AbortReason.AUTHENTICATION_FAILED) {
                closed = true;
                throw new AuthenticationException(Code.PEER_REJECTED, "peer refused a message and closed");
            }
            lastBlockId = message.blockId();
            return message;
        }
    }

    /**
     * Agrees with the peer where each direction's key stream continues: both ends send how many
     * words they have used ({@link AuthSync}, in clear: the counts are public) and move to the
     * larger count, so words one end spent in a session the other never finished are never used
     * again. Call at both ends on every new connection, before the first message. A false count
     * can only make the ends discard key (bounded by {@code maxSkipWords}) or disagree, which the
     * first tag then refuses.
     *
     * @return the bits this end discarded
     * @throws AuthenticationException ({@link Code#SYNC_REFUSED}) if the peer's first message is
     *     not its counts or would make this end discard more than {@code maxSkipWords} words in a
     *     direction; the transport is closed then
     */
    public long synchronize(long maxSkipWords) {
        synchronized (receiveLock) {
            synchronized (sendLock) {
                if (closed) {
                    throw new AuthenticationException(Code.CLOSED, "authenticated transport closed");
                }
                if (outbound.nextSequence() != 0 || inbound.nextSequence() != 0) {
                    throw new IllegalStateException("synchronize before the first message");
                }
                long ab = keys.position(Direction.ALICE_TO_BOB);
                long ba = keys.position(Direction.BOB_TO_ALICE);
                inner.send(new AuthSync(0, ab, ba));
                DistillMessage reply = inner.receive();
                if (!(reply instanceof AuthSync peer)) {
                    closed = true;
                    throw new AuthenticationException(Code.SYNC_REFUSED, "the peer sent no key positions");
                }
                long skipAb = peer.aliceToBobWords() - ab;
                long skipBa = peer.bobToAliceWords() - ba;
                if (skipAb > maxSkipWords || skipBa > maxSkipWords) {
                    closed = true;
                    throw new AuthenticationException(
                            Code.SYNC_REFUSED, "the peer is " + Math.max(skipAb, skipBa) + " words ahead");
                }
                try {
                    keys.skipTo(Direction.ALICE_TO_BOB, peer.aliceToBobWords());
                    keys.skipTo(Direction.BOB_TO_ALICE, peer.bobToAliceWords());
                } catch (AuthenticationException exhausted) {
                    closed = true;
                    throw exhausted;
                }
                long bits = 64 * (Math.max(0, skipAb) + Math.max(0, skipBa));
                skippedBits += bits;
                return bits;
            }
        }
    }

    /** Closes this end and tells the peer (best effort: the channel may be what failed). */
    private AuthenticationException reject(AuthenticationException cause) {
        synchronized (sendLock) {
            if (!closed) {
                closed = true;
                try {
                    seal(new Abort(lastBlockId, AbortReason.AUTHENTICATION_FAILED));
                } catch (RuntimeException unreachable) {
                    // The peer will time out instead.
                }
            }
        }
        return cause;
    }

    /** Whether a failure (here or at the peer) or {@link #close()} has ended this transport. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public long authenticationBitsConsumed() {
        return account().consumedBits();
    }

    /** Key spent at this end so far, both directions. */
    public AuthAccount account() {
        long sent;
        long sentKeyBits;
        synchronized (sendLock) {
            sent = outbound.tags();
            sentKeyBits = outbound.hashKeyBits();
        }
        long verified;
        long verifiedKeyBits;
        synchronized (receiveLock) {
            verified = inbound.tags();
            verifiedKeyBits = inbound.hashKeyBits();
        }
        long skipped;
        synchronized (receiveLock) {
            synchronized (sendLock) {
                skipped = skippedBits;
            }
        }
        return new AuthAccount(sent, verified, 64 * (sent + verified), sentKeyBits + verifiedKeyBits, skipped);
    }

    /**
     * Closes this end and zeroes its hash keys; closes the inner transport too if it is {@link
     * AutoCloseable}. A receive blocked in the inner transport fails, or returns nothing usable.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (sendLock) {
            outbound.close();
        }
        inbound.close();
        if (inner instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the inner transport failed", e);
            }
        }
    }
}
