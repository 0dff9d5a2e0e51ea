package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.auth.PolynomialHash;
import io.hotaru.keys.distill.auth.WegmanCarter;

/**
 * Wegman–Carter tags on the relay frames of one link, drawn from the link's authentication key
 * (the same {@link AuthKeySource} and tag construction as the distillation channel, {@link
 * WegmanCarter}). A frame on the wire is {@code sequence(8) ‖ tag(8) ‖ body}; the tag is
 * h_k(d ‖ sequence ‖ |body| ‖ body) ⊕ r with one hash key k per direction for the life of this
 * authenticator and a fresh 64-bit pad r per frame. Each direction has its own sequence numbers,
 * so a replayed, reordered, reflected or dropped frame fails like a forgery.
 *
 * <p>The first frame that fails closes this authenticator for good (the link's relay channel must
 * be re-established, with the ends' key positions synchronised). Sending and receiving are each
 * serialised; a frame must be put on the wire in the order it was sealed.
 */
final class LinkAuthenticator implements AutoCloseable {
    static final int HEADER_BYTES = RelayWire.AUTH_HEADER_BYTES;

    private final AuthKeySource keys;
    private final Direction out;
    private final Direction in;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private PolynomialHash outHash;
    private PolynomialHash inHash;
    private long nextOut;
    private long nextIn;
    private volatile boolean closed;

    LinkAuthenticator(AuthKeySource keys, Direction out) {
        this.keys = keys;
        this.out = out;
        this.in = out == Direction.ALICE_TO_BOB ? Direction.BOB_TO_ALICE : Direction.ALICE_TO_BOB;
    }

    /** The direction this end sends on: the end whose node ID sorts first is "Alice". */
    static Direction outboundOf(String self, String peer) {
        return self.compareTo(peer) < 0 ? Direction.ALICE_TO_BOB : Direction.BOB_TO_ALICE;
    }

    /** Seals {@code body} and hands the frame to {@code wire} under the send lock, keeping wire order. */
    void sealAndSend(byte[] body, java.util.function.Consumer<byte[]> wire) {
        synchronized (sendLock) {
            if (closed) {
                throw new AuthenticationException(AuthenticationException.Code.CLOSED, "relay link closed");
            }
            if (outHash == null) {
                outHash = new PolynomialHash(keys.nextWord(out));
            }
            long sequence = nextOut++;
            long tag = WegmanCarter.tag(outHash, out, sequence, body, keys.nextWord(out));
            byte[] frame = new byte[HEADER_BYTES + body.length];
            putLong(frame, 0, sequence);
            putLong(frame, 8, tag);
            System.arraycopy(body, 0, frame, HEADER_BYTES, body.length);
            wire.accept(frame);
        }
    }

    /**
     * The body of an authentic frame, the next one due from the peer.
     *
     * @throws AuthenticationException if the frame is short, out of sequence or its tag is wrong;
     *     this authenticator is closed then
     */
    byte[] open(byte[] frame) {
        synchronized (receiveLock) {
            if (closed) {
                throw new AuthenticationException(AuthenticationException.Code.CLOSED, "relay link closed");
            }
            if (frame.length < HEADER_BYTES) {
                throw fail(new AuthenticationException(AuthenticationException.Code.MALFORMED, "short frame"));
            }
            long sequence = getLong(frame, 0);
            long tag = getLong(frame, 8);
            if (sequence != nextIn) {
                throw fail(new AuthenticationException(
                        AuthenticationException.Code.OUT_OF_SEQUENCE,
                        in + " frame " + sequence + " where " + nextIn + " was due"));
            }
            byte[] body = new byte[frame.length - HEADER_BYTES];
            System.arraycopy(frame, HEADER_BYTES, body, 0, body.length);
            try {
                if (inHash == null) {
                    inHash = new PolynomialHash(keys.nextWord(in));
                }
                if (WegmanCarter.tag(inHash, in, sequence, body, keys.nextWord(in)) != tag) {
                    throw fail(new AuthenticationException(
                            AuthenticationException.Code.TAG_MISMATCH, in + " frame " + sequence));
                }
            } catch (AuthenticationException e) {
                throw fail(e);
            }
            nextIn++;
            return body;
        }
    }

    private AuthenticationException fail(AuthenticationException e) {
        closed = true;
        return e;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sendLock) {
            if (outHash != null) {
                outHash.close();
            }
        }
        synchronized (receiveLock) {
            if (inHash != null) {
                inHash.close();
            }
        }
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
