package io.hotaru.agent.mqtt;

import java.util.Objects;

/** What the node's {@link CommandHandler} made of a command. The message goes to the operator and the audit log. */
public record CommandResult(boolean ok, String message) {

    public CommandResult {
        Objects.requireNonNull(message, "message");
    }

    public static CommandResult ok(String message) {
        return new CommandResult(true, message);
    }

    public static CommandResult failed(String message) {
        return new CommandResult(false, message);
    }
}
