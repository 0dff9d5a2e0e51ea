package io.hotaru.keys.distill;

/**
 * Told when a session starts and stops waiting for the peer's next message, so that the caller can
 * give the core to other work of its own meanwhile (the receiver frames its next block while the
 * transmitter answers). Called on the session's thread; must not throw.
 */
public interface PeerWait {

    /** The session is about to block until the peer's next message arrives. */
    void waiting();

    /** The message has arrived (or the wait failed); the session goes on computing. */
    void resumed();

    /** Does nothing. */
    PeerWait NONE = new PeerWait() {
        @Override
        public void waiting() {}

        @Override
        public void resumed() {}
    };
}
