package io.hotaru.keys.distill.auth;

/**
 * Wegman–Carter tags over a run of messages of one direction: t = h_k(R) ⊕ r, with h the {@link
 * PolynomialHash}, r 64 fresh one-time-pad bits and R the concatenation, for each message since
 * the previous tag, of
 *
 * <pre>
 *   d (1 byte) ‖ s (8 bytes, big-endian) ‖ |F| (4 bytes, big-endian) ‖ F
 * </pre>
 *
 * <p>where d is the direction, s the message's sequence number and F its codec frame. The length
 * prefix makes R an injective encoding of the run; binding d and s makes a replayed, reflected,
 * reordered or dropped frame a different R, so it fails like any forgery: with probability at
 * most ε = (⌈|R|/8⌉ + 1)/2⁶⁴ per attempt. Usually a run is one message.
 */
public final class WegmanCarter {
    /** Bytes absorbed per message besides its frame. */
    public static final int MESSAGE_HEADER_BYTES = 13;

    private WegmanCarter() {}

    /** Adds one message to the run being hashed. */
    public static void absorb(PolynomialHash hash, Direction direction, long sequence, byte[] frame) {
        byte[] header = new byte[MESSAGE_HEADER_BYTES];
        header[0] = (byte) direction.code();
        for (int i = 0; i < 8; i++) {
            header[1 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        int n = frame.length;
        header[9] = (byte) (n >>> 24);
        header[10] = (byte) (n >>> 16);
        header[11] = (byte) (n >>> 8);
        header[12] = (byte) n;
        hash.update(header);
        hash.update(frame);
    }

    /** The tag of the run absorbed so far; the hash starts a new run. */
    public static long finish(PolynomialHash hash, long pad) {
        return hash.doFinal() ^ pad;
    }

    /** The tag of a run of one message. */
    public static long tag(PolynomialHash hash, Direction direction, long sequence, byte[] frame, long pad) {
        absorb(hash, direction, sequence, frame);
        return finish(hash, pad);
    }
}
