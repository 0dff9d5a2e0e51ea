package io.hotaru.agent.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * The answer published to a command's response topic (with its correlation data).
 *
 * @param id the command id, or null if the payload was too malformed to have one
 * @param verb the verb from the topic
 * @param status what happened
 * @param reason the {@link Rejection} code when rejected, else null
 * @param message text for the operator
 * @param duplicate whether this answers a command id seen before (the first answer is repeated, nothing
 *     is executed again)
 */
public record CommandResponse(
        String id, String verb, Status status, Rejection reason, String message, boolean duplicate) {

    /** Outcome of a command. */
    public enum Status {
        /** The handler carried it out. */
        OK,
        /** The handler refused or failed. */
        FAILED,
        /** Refused before the handler: see the reason. */
        REJECTED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static CommandResponse rejected(String id, String verb, Rejection reason, String message) {
        return new CommandResponse(id, verb, Status.REJECTED, reason, message, false);
    }

    CommandResponse asDuplicate() {
        return new CommandResponse(id, verb, status, reason, message, true);
    }

    byte[] toJson(String node, Instant now) {
        ObjectNode o = TelemetryJson.MAPPER.createObjectNode();
        o.put("v", TelemetryJson.VERSION);
        o.put("node", node);
        o.put("ts", now.toString());
        if (id != null) {
            o.put("id", id);
        } else {
            o.putNull("id");
        }
        o.put("verb", verb);
        o.put("status", status.wire());
        if (reason != null) {
            o.put("reason", reason.wire());
        }
        o.put("message", message);
        o.put("duplicate", duplicate);
        return TelemetryJson.bytes(o);
    }
}
