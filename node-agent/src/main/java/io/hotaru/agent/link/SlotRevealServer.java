package io.hotaru.agent.link;

import io.hotaru.drivers.PhotonSource;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotReveal;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotRevealRequest;
import io.hotaru.keys.distill.protocol.PeerTransport;

/**
 * The transmitter's side of the time-offset exchange that opens every peer connection: answers the
 * receiver's {@link SlotRevealRequest}s with which slots of each range were sent at the vacuum
 * level, until the empty request that ends them. The transmitter must then refuse blocks below
 * {@link #serve}'s result, so no revealed slot is ever distilled.
 */
public final class SlotRevealServer {

    /** Most slots one request may ask for (a 2 MiB mask). */
    public static final long MAX_SLOTS_PER_REQUEST = 1L << 24;
    /** Most requests on one connection. */
    public static final int MAX_REQUESTS = 16;

    private static final int CHUNK = 1 << 16;
    private static final byte VACUUM = 2;

    private SlotRevealServer() {}

    /**
     * Answers requests until the empty one.
     *
     * @return the end of the highest range revealed (0 if none): no block may start below it
     * @throws TimeSyncException if the receiver sends anything else, too many requests or a range
     *     out of bounds
     */
    public static long serve(PeerTransport peer, PhotonSource source) {
        long revealedEnd = 0;
        for (int requests = 0; ; requests++) {
            DistillMessage m = peer.receive();
            if (!(m instanceof SlotRevealRequest q)) {
                throw new TimeSyncException(
                        "expected a slot reveal request, got " + m.getClass().getSimpleName());
            }
            if (q.firstSlot() == q.endSlot()) {
                return revealedEnd;
            }
            if (requests >= MAX_REQUESTS) {
                throw new TimeSyncException("more than " + MAX_REQUESTS + " slot reveal requests");
            }
            long count = q.endSlot() - q.firstSlot();
            if (q.firstSlot() < 0 || count <= 0 || count > MAX_SLOTS_PER_REQUEST) {
                throw new TimeSyncException("slot reveal request [" + q.firstSlot() + ", " + q.endSlot()
                        + ") is not a range of 1 to " + MAX_SLOTS_PER_REQUEST + " slots from 0");
            }
            peer.send(new SlotReveal(q.blockId(), q.firstSlot(), q.endSlot(), vacuumMask(source, q)));
            revealedEnd = Math.max(revealedEnd, q.endSlot());
        }
    }

    private static long[] vacuumMask(PhotonSource source, SlotRevealRequest q) {
        int count = (int) (q.endSlot() - q.firstSlot());
        long[] mask = new long[(count + 63) >>> 6];
        long[] slots = new long[Math.min(CHUNK, count)];
        byte[] level = new byte[slots.length];
        byte[] basis = new byte[slots.length];
        byte[] bit = new byte[slots.length];
        for (int done = 0; done < count; done += slots.length) {
            int n = Math.min(slots.length, count - done);
            for (int i = 0; i < n; i++) {
                slots[i] = q.firstSlot() + done + i;
            }
            source.statesFor(slots, n, level, basis, bit);
            for (int i = 0; i < n; i++) {
                if (level[i] == VACUUM) {
                    int j = done + i;
                    mask[j >>> 6] |= 1L << (j & 63);
                }
            }
        }
        java.util.Arrays.fill(basis, (byte) 0);
        java.util.Arrays.fill(bit, (byte) 0);
        return mask;
    }
}
