package io.hotaru.agent.link;

/**
 * The time-offset exchange on a new peer connection went wrong: the peer sent something else than
 * the exchange allows, or a request out of bounds. The caller drops the connection and dials
 * again, as after any other loss of the channel.
 */
public final class TimeSyncException extends RuntimeException {

    public TimeSyncException(String message) {
        super(message);
    }
}
