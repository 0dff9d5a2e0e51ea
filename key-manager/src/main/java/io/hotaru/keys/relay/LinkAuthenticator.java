package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.auth.AuthenticationException.Code;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.auth.PolynomialHash;
import io.hotaru.keys.distill.auth.WegmanCarter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wegman–Carter tags on the relay frames of one link connection, drawn from the link's
 * authentication key (the same {@link AuthKeySource} and tag construction as the distillation
 * channel, {@link WegmanCarter}). Every frame names the words it uses, which are public:
 *
 * <pre>
 * frame = keyPosition(8) ‖ padPosition(8) ‖ tag(8) ‖ body
 * tag   = h_k(d ‖ padPosition ‖ |body| ‖ body) ⊕ r
 * hello = −1(8) ‖ 0(8) ‖ 0(8) ‖ aliceToBobPosition(8) ‖ bobToAlicePosition(8)
 * </pre>
 *
 * <p>k is the word at keyPosition (one hash key per direction and connection: the sender's next
 * word when the connection starts), r the word at padPosition (keyPosition + 1 for the first
 * frame, then each next word). Each end first sends a hello, in clear, with its key positions; each
 * end then skips (burns) up to the peer's, so an end restarted with marks ahead of what the peer
 * has seen makes the peer continue after them. The receiver accepts a connection's first frame
 * only at a position at or after its own (never reused, never back, the words between burned), and
 * every later frame only at the next word: a replayed, reordered, reflected or dropped frame fails
 * like a forgery.
 *
 * <p>The first frame that fails closes this authenticator for good (the link's relay channel must
 * be re-established). Sending and receiving are each serialised; a frame must be put on the wire
 * in the order it was sealed.
 */
final class LinkAuthenticator implements AutoCloseable {
    static final int HEADER_BYTES = RelayWire.AUTH_HEADER_BYTES;
    /** Most words a hello or a first frame may make this end burn in one direction. */
    static final long MAX_SKIP_WORDS = 1 << 20;

    private static final long HELLO = -1;

    /**
     * Words per direction ordinary frames leave unused before the end of what this end may draw:
     * the frames that refill the pool (and their answers) still have words when the link's key ran
     * out, a few dozen new connections' worth.
     */
    static final long FLOOR_WORDS = 64;

    private final AuthKeySource keys;
    private final java.util.function.LongSupplier usableEnd;
    private final Direction out;
    private final Direction in;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final CountDownLatch peerHello = new CountDownLatch(1);
    private PolynomialHash outHash;
    private long outKeyPosition;
    private PolynomialHash inHash;
    private long inKeyPosition;
    private boolean helloSeen;
    private volatile boolean closed;

    LinkAuthenticator(AuthKeySource keys, Direction out) {
        this(keys, out, () -> Long.MAX_VALUE);
    }

    /**
     * @param usableEnd where the words this end may draw end (a pool refilled from the link holds
     *     back the words the peer may lack); the last {@link #FLOOR_WORDS} before it are kept for
     *     the frames that refill the pool
     */
    LinkAuthenticator(AuthKeySource keys, Direction out, java.util.function.LongSupplier usableEnd) {
        this.usableEnd = usableEnd;
        this.keys = keys;
        this.out = out;
        this.in = out == Direction.ALICE_TO_BOB ? Direction.BOB_TO_ALICE : Direction.ALICE_TO_BOB;
    }

    /** The direction this end sends on: the end whose node ID sorts first is "Alice". */
    static Direction outboundOf(String self, String peer) {
        return self.compareTo(peer) < 0 ? Direction.ALICE_TO_BOB : Direction.BOB_TO_ALICE;
    }

    /** Whether {@code frame} is a hello (no tag, no relay message). */
    static boolean isHello(byte[] frame) {
        return frame.length >= HEADER_BYTES && getLong(frame, 0) == HELLO;
    }

    /** Sends this end's key positions; call once, before anything else is sent on the connection. */
    void sendHello(Consumer<byte[]> wire) {
        synchronized (sendLock) {
            byte[] frame = new byte[HEADER_BYTES + 16];
            putLong(frame, 0, HELLO);
            putLong(frame, HEADER_BYTES, keys.position(Direction.ALICE_TO_BOB));
            putLong(frame, HEADER_BYTES + 8, keys.position(Direction.BOB_TO_ALICE));
            wire.accept(frame);
        }
    }

    /** Whether the peer's hello came and the link is open: frames can be sealed without waiting. */
    boolean ready() {
        return peerHello.getCount() == 0 && !closed;
    }

    /** Waits for the peer's hello; false if it did not come in time or this authenticator closed. */
    boolean awaitPeerHello(Duration timeout) throws InterruptedException {
        return peerHello.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !closed;
    }

    /**
     * Seals {@code body} and hands the frame to {@code wire} under the send lock, keeping wire
     * order. Call only after the peer's hello ({@link #awaitPeerHello}).
     */
    void sealAndSend(byte[] body, Consumer<byte[]> wire) {
        sealAndSend(body, wire, true);
    }

    /** Whether ordinary frames are down to the words kept for refills ({@link #FLOOR_WORDS}). */
    boolean atFloor() {
        synchronized (sendLock) {
            return usableEnd.getAsLong() - keys.position(out) < FLOOR_WORDS + (outHash == null ? 2 : 1);
        }
    }

    /**
     * Whether the peer's frames are down to its floor, as far as this end can tell: the words of
     * the receiving direction it has passed, against where {@code peerEnd} says they end.
     */
    boolean peerAtFloor(long peerEnd) {
        return peerEnd - keys.position(in) < FLOOR_WORDS + 1;
    }

    /**
     * As {@link #sealAndSend(byte[], Consumer)}; unless {@code refill} (a frame that refills the
     * pool, or answers one), only while more than {@link #FLOOR_WORDS} words are left to draw.
     *
     * @return false, with nothing drawn or sent, if the frame would go below the floor
     */
    boolean sealAndSend(byte[] body, Consumer<byte[]> wire, boolean refill) {
        synchronized (sendLock) {
            if (closed) {
                throw new AuthenticationException(Code.CLOSED, "relay link closed");
            }
            if (peerHello.getCount() != 0) {
                throw new IllegalStateException("no hello from the peer yet");
            }
            if (!refill && atFloor()) { // a new connection's hash key, then one word a frame
                return false;
            }
            if (outHash == null) {
                outKeyPosition = keys.position(out);
                outHash = new PolynomialHash(keys.nextWord(out));
            }
            long padPosition = keys.position(out);
            long tag = WegmanCarter.tag(outHash, out, padPosition, body, keys.nextWord(out));
            byte[] frame = new byte[HEADER_BYTES + body.length];
            putLong(frame, 0, outKeyPosition);
            putLong(frame, 8, padPosition);
            putLong(frame, 16, tag);
            System.arraycopy(body, 0, frame, HEADER_BYTES, body.length);
            wire.accept(frame);
            return true;
        }
    }

    /**
     * The body of an authentic frame, or null for the peer's hello.
     *
     * @throws AuthenticationException if the frame is short, a second hello, at a position other
     *     than allowed, or its tag is wrong; this authenticator is closed then
     */
    byte[] open(byte[] frame) {
        synchronized (receiveLock) {
            if (closed) {
                throw new AuthenticationException(Code.CLOSED, "relay link closed");
            }
            try {
                if (frame.length < HEADER_BYTES) {
                    throw new AuthenticationException(Code.MALFORMED, "short frame");
                }
                if (isHello(frame)) {
                    acceptHello(frame);
                    return null;
                }
                if (!helloSeen) {
                    throw new AuthenticationException(Code.SYNC_REFUSED, in + " frame before the peer's hello");
                }
                return verify(frame);
            } catch (AuthenticationException e) {
                closed = true;
                peerHello.countDown();
                throw e;
            }
        }
    }

    private void acceptHello(byte[] frame) {
        if (helloSeen || frame.length != HEADER_BYTES + 16) {
            throw new AuthenticationException(Code.MALFORMED, helloSeen ? "a second hello" : "hello of the wrong size");
        }
        long ab = getLong(frame, HEADER_BYTES);
        long ba = getLong(frame, HEADER_BYTES + 8);
        skip(Direction.ALICE_TO_BOB, ab);
        skip(Direction.BOB_TO_ALICE, ba);
        helloSeen = true;
        peerHello.countDown();
    }

    /** Moves {@code direction} on to {@code position} (never back), burning the words between. */
    private void skip(Direction direction, long position) {
        long ahead = position - keys.position(direction);
        if (ahead > MAX_SKIP_WORDS) {
            throw new AuthenticationException(
                    Code.SYNC_REFUSED,
                    "the peer is " + ahead + " words of " + direction + " ahead (at most " + MAX_SKIP_WORDS
                            + " are burned to catch up)");
        }
        keys.skipTo(direction, position);
    }

    private byte[] verify(byte[] frame) {
        long keyPosition = getLong(frame, 0);
        long padPosition = getLong(frame, 8);
        long tag = getLong(frame, 16);
        if (inHash == null) {
            long mark = keys.position(in);
            if (keyPosition < mark || padPosition != keyPosition + 1) {
                throw new AuthenticationException(
                        Code.OUT_OF_SEQUENCE,
                        in + " frame at words " + keyPosition + "/" + padPosition + ", before this end's mark " + mark
                                + " (replayed or reused key)");
            }
            skip(in, keyPosition);
            inKeyPosition = keyPosition;
            inHash = new PolynomialHash(keys.nextWord(in));
        } else if (keyPosition != inKeyPosition || padPosition != keys.position(in)) {
            throw new AuthenticationException(
                    Code.OUT_OF_SEQUENCE,
                    in + " frame at words " + keyPosition + "/" + padPosition + " where " + inKeyPosition + "/"
                            + keys.position(in) + " was due");
        }
        byte[] body = new byte[frame.length - HEADER_BYTES];
        System.arraycopy(frame, HEADER_BYTES, body, 0, body.length);
        if (WegmanCarter.tag(inHash, in, padPosition, body, keys.nextWord(in)) != tag) {
            throw new AuthenticationException(Code.TAG_MISMATCH, in + " frame at word " + padPosition);
        }
        return body;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        peerHello.countDown();
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
