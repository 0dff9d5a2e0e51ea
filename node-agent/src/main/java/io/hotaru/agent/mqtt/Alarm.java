package io.hotaru.agent.mqtt;

import java.time.Instant;
import java.util.Objects;

/**
 * An active alarm of one kind on one link (or on the node, with link {@code "node"}).
 *
 * @param kind alarm class, a topic level: {@code qber}, {@code blinding}, {@code trojan}, {@code
 *     time_shift}, {@code decoy}, {@code selftest}, {@code audit_sink}, ...
 * @param link the link, or {@code "node"} for node-wide alarms
 * @param severity how bad
 * @param message short text for the operator; never key material
 * @param since when it was raised
 */
public record Alarm(String kind, String link, Severity severity, String message, Instant since) {

    public static final String NODE = "node";

    public Alarm {
        Topics.level("alarm kind", kind);
        Topics.level("link id", link);
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(since, "since");
    }
}
