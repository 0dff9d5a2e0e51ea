package io.hotaru.keys.relay;

/**
 * A call to a neighbour that got no reply: the channel is closed or failed, or the reply did not
 * come in time. Whether the neighbour handled the request is unknown; the relay is then in doubt
 * until an abort resolves it.
 */
public final class RelayCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelayCallException(String message) {
        super(message, null, false, false);
    }
}
