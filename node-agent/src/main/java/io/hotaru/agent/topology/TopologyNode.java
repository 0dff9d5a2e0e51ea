package io.hotaru.agent.topology;

import io.hotaru.agent.mqtt.Topics;
import java.util.Objects;

/**
 * One node of a topology.
 *
 * @param id node id (an MQTT topic level, like every id)
 * @param kind what the node is
 * @param etsiPortOffset added to the base port to get this node's ETSI 014 port; unique per topology
 * @param latitudeDeg where to draw it (degrees north), or NaN when not given
 * @param longitudeDeg where to draw it (degrees east), or NaN when not given
 */
public record TopologyNode(String id, NodeKind kind, int etsiPortOffset, double latitudeDeg, double longitudeDeg) {

    public TopologyNode {
        if (!Topics.isLevel(id)) {
            throw new IllegalArgumentException("node id '" + id + "' is not a topic level");
        }
        Objects.requireNonNull(kind, "kind");
        if (etsiPortOffset < 0) {
            throw new IllegalArgumentException("ETSI port offset must not be negative");
        }
    }

    public boolean hasPosition() {
        return Double.isFinite(latitudeDeg) && Double.isFinite(longitudeDeg);
    }
}
