package io.hotaru.agent.mqtt;

import java.util.Map;

/**
 * Where command decisions are recorded: {@code auditLog::append} in the node, a list in tests. Every
 * command that reaches the node is recorded once: executed, rejected or duplicate.
 */
@FunctionalInterface
public interface CommandAudit {

    void record(String kind, String subject, Map<String, ?> detail);
}
