package io.hotaru.keys.distill.protocol;

/**
 * The classical channel to the peer, as the distillation sessions see it: ordered, reliable
 * delivery of whole messages for one block. Implementations report a closed or failed channel
 * (including a timeout they enforce) with an unchecked exception, which the session lets propagate;
 * the caller then abandons the block on both ends.
 */
public interface PeerTransport {
    /**
     * Sends {@code message}. The transport keeps no reference to the message's arrays once this
     * returns (it encodes them, or delivers a copy): the sender may then reuse them, as Bob's
     * receiver reuses a finished block's detection arrays.
     */
    void send(DistillMessage message);

    /** Blocks until the next message arrives. */
    DistillMessage receive();

    /**
     * Authentication key bits this end has consumed so far, both directions (one-time pads, hash
     * keys, bits skipped to resynchronise); 0 for a transport that does not authenticate. A
     * session reads it at the start and the end of a block for the block's accounting.
     */
    default long authenticationBitsConsumed() {
        return 0;
    }
}
