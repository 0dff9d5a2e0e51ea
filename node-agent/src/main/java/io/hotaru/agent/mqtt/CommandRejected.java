package io.hotaru.agent.mqtt;

/** Internal signal that a command is refused; carries no stack trace (it is an expected outcome). */
final class CommandRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final Rejection reason;

    CommandRejected(Rejection reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    Rejection reason() {
        return reason;
    }
}
