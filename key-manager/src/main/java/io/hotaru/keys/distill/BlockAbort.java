package io.hotaru.keys.distill;

import io.hotaru.keys.distill.protocol.AbortReason;

/**
 * Internal control flow: unwinds a session to its abort handler. Never escapes a session; carries
 * no key material and no stack trace.
 */
final class BlockAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final AbortReason reason;
    /** Whether the peer still has to be told (false when it decides the same on its own). */
    final boolean notifyPeer;

    BlockAbort(AbortReason reason, boolean notifyPeer) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.notifyPeer = notifyPeer;
    }

    /** An abort both ends reach from the same public data, so nothing is sent. */
    static BlockAbort agreed(AbortReason reason) {
        return new BlockAbort(reason, false);
    }

    /** An abort only this end knows about; the peer is told. */
    static BlockAbort local(AbortReason reason) {
        return new BlockAbort(reason, true);
    }
}
