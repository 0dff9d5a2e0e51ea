package io.hotaru.keys.distill.auth;

/**
 * The Wegman–Carter tag of one message: t = h_k(d ‖ s ‖ F) ⊕ r, with h the {@link PolynomialHash},
 * d the direction byte, s the 64-bit sequence number (big-endian), F the message's codec frame and
 * r 64 fresh one-time-pad bits. Binding d and s makes a replayed, reflected or reordered frame a
 * different message, so it fails like any forgery: with probability at most ε = (⌈(9 + |F|)/8⌉ +
 * 1)/2⁶⁴ per attempt.
 */
public final class WegmanCarter {
    private WegmanCarter() {}

    public static long tag(PolynomialHash hash, Direction direction, long sequence, byte[] frame, long pad) {
        byte[] header = new byte[9];
        header[0] = (byte) direction.code();
        for (int i = 0; i < 8; i++) {
            header[1 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        hash.update(header);
        hash.update(frame);
        return hash.doFinal() ^ pad;
    }
}
