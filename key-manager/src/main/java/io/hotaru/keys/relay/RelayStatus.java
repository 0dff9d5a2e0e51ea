package io.hotaru.keys.relay;

/** What a node answers about a relay, and what the source finally reports. */
public enum RelayStatus {
    /** The destination holds the key durably; the relay cannot be rolled back any more. */
    COMMITTED,
    /** A share of a multi-path relay arrived; the key is committed when the last share arrives. */
    STAGED,
    /**
     * Rolled back: nothing is committed at the destination and never will be, and every hop from
     * the answering node on has burned its pad units at both ends.
     */
    ABORTED,
    /** The outcome is not known yet (a link failed on the way); the source resolves it with an abort. */
    IN_DOUBT,
    /** Acknowledges an announcement. */
    ACK,
    /** No route had enough key within the policy; nothing was done. */
    NO_ROUTE
}
