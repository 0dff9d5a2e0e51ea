package io.hotaru.keys.relay;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The messages between neighbouring KMEs of a relay (carried by {@link io.hotaru.keys.relay.codec.RelayCodec},
 * each under a Wegman–Carter tag of the link). Every request is answered by one {@link Reply} with
 * the same call ID. Records hold no plaintext key: a {@link Forward}'s ciphertext is a key (or a
 * share of one) under a one-time pad of the hop's link key.
 */
public sealed interface RelayMessage {
    /** Matches a reply to its request on one link; chosen by the requester. */
    long callId();

    /**
     * Hop {@code hop} of relay {@code relayId}: the receiver {@code path[hop]} takes the link-key
     * units {@code padUnits} (the sender took the same ones), and recovers the key (or share {@code
     * share} of {@code shares}) as {@code ciphertext ⊕ pad}. The ends store the key as block {@code
     * keyBlock} of their end-to-end link, the number the source picked ({@link
     * io.hotaru.keys.store.KeyIds#relayedBlock}).
     */
    record Forward(
            long callId,
            long relayId,
            long keyBlock,
            List<String> path,
            int hop,
            int sizeBits,
            int share,
            int shares,
            List<UUID> padUnits,
            byte[] ciphertext)
            implements RelayMessage {
        public Forward {
            path = List.copyOf(path);
            padUnits = List.copyOf(padUnits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Forward f
                    && callId == f.callId
                    && relayId == f.relayId
                    && keyBlock == f.keyBlock
                    && path.equals(f.path)
                    && hop == f.hop
                    && sizeBits == f.sizeBits
                    && share == f.share
                    && shares == f.shares
                    && padUnits.equals(f.padUnits)
                    && Arrays.equals(ciphertext, f.ciphertext);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(relayId) * 31 + hop;
        }

        @Override
        public String toString() {
            return "Forward[relay=" + relayId + ", hop=" + hop + " of " + path + ", share=" + share + "/" + shares
                    + ", " + padUnits.size() + " units]";
        }
    }

    /**
     * Roll relay {@code relayId} back from hop {@code hop} on: the receiver burns {@code padUnits}
     * (the units the sender took for this hop, possibly none) unless the relay is committed, and
     * passes the abort on to where it forwarded the relay. The destination, should it have forgotten
     * the relay's outcome, looks for block {@code keyBlock} of the end-to-end link in its store.
     */
    record Abort(long callId, long relayId, long keyBlock, List<String> path, int hop, List<UUID> padUnits)
            implements RelayMessage {
        public Abort {
            path = List.copyOf(path);
            padUnits = List.copyOf(padUnits);
        }
    }

    /**
     * Pad units leased on a link (ADR 0009, "Pads leased in blocks"): the sender erased {@code units}
     * of its half, durably, as lease {@code leaseId}. Unless {@code burnOnly}, the receiver takes the
     * same units and keeps their plaintext for the forwards that will name them, answering ACK if it
     * took them all (ABORTED: it burned those it held, and the lease is not used). A lease
     * resent after a failure is {@code burnOnly}: the receiver burns those it still holds.
     *
     * <p>A lease with {@code authEnd ≥ 0} refills the relay channel's authentication pool instead
     * (ADR 0011, "Refilled from the link"): the receiver deposits the units into its pool, held,
     * after withdrawing any held deposit beyond {@code authEnd}, the end of the sender's pool.
     */
    record Lease(long callId, long leaseId, List<UUID> units, boolean burnOnly, long authEnd) implements RelayMessage {
        public Lease {
            units = List.copyOf(units);
            if (burnOnly && authEnd >= 0) {
                throw new IllegalArgumentException("a burn-only lease deposits nothing");
            }
        }

        /** A lease of pad units, or a burn-only one. */
        public Lease(long callId, long leaseId, List<UUID> units, boolean burnOnly) {
            this(callId, leaseId, units, burnOnly, -1);
        }

        /** Whether the units refill the authentication pool. */
        public boolean auth() {
            return authEnd >= 0;
        }
    }

    /**
     * The end of the sender's relay authentication pool (ADR 0011, "Refilled from the link"): sent
     * by the end that orders refills after each deposit and when a channel opens; the receiver
     * withdraws its held deposits beyond {@code end} and releases the rest.
     */
    record PoolEnd(long callId, long end) implements RelayMessage {}

    /** A link-state announcement, flooded: {@code origin}'s links with their available key. */
    record Announce(long callId, String origin, long sequence, List<LinkState> links) implements RelayMessage {
        public Announce {
            links = List.copyOf(links);
        }
    }

    /** The answer to a request. */
    record Reply(long callId, long relayId, RelayStatus status) implements RelayMessage {}

    /**
     * Several forwards on one link in one frame (one Wegman–Carter tag, one TLS record), each for a
     * different relay; answered by one {@link ReplyBatch}. The forwards' own call IDs are not sent:
     * decoded, they carry the batch's.
     */
    record ForwardBatch(long callId, List<Forward> forwards) implements RelayMessage {
        public ForwardBatch {
            forwards = List.copyOf(forwards);
        }
    }

    /** The answers to a {@link ForwardBatch}, one per relay (call IDs as in the batch). */
    record ReplyBatch(long callId, List<Reply> replies) implements RelayMessage {
        public ReplyBatch {
            replies = List.copyOf(replies);
        }
    }
}
