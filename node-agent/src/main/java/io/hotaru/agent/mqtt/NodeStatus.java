package io.hotaru.agent.mqtt;

import io.hotaru.agent.state.LinkState;
import java.util.Map;
import java.util.Objects;

/**
 * What the node reports on its retained {@code status} topic (the publisher adds node id, time,
 * active alarms and telemetry losses).
 *
 * @param links state of every link
 * @param auditHead hash of the audit log's last record ({@code AuditLog.lastHash()}), so that an
 *     operator can later check the log with {@code ./hotaru audit verify --expect-head}
 * @param auditRecords records in the audit log
 */
public record NodeStatus(Map<String, LinkState> links, String auditHead, long auditRecords) {

    public NodeStatus {
        links = Map.copyOf(links);
        Objects.requireNonNull(auditHead, "auditHead");
    }
}
