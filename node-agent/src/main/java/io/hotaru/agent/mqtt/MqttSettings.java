package io.hotaru.agent.mqtt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node talks to its broker.
 *
 * @param node the node id (a topic level)
 * @param broker the broker URI
 * @param clientId the MQTT client id; one connection per node carries telemetry, status and commands
 * @param minBackoff first reconnect wait
 * @param maxBackoff longest reconnect wait (at most 30 s)
 * @param keepAlive MQTT keep-alive; the broker fires the last will after 1.5 times this without traffic
 * @param bufferCapacity telemetry messages kept while disconnected; the oldest are dropped beyond it
 */
public record MqttSettings(
        String node,
        URI broker,
        String clientId,
        Duration minBackoff,
        Duration maxBackoff,
        Duration keepAlive,
        int bufferCapacity) {

    public static final Duration MAX_BACKOFF_CAP = Duration.ofSeconds(30);

    public MqttSettings {
        Topics.level("node id", node);
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(clientId, "clientId");
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("mqtt backoff needs 0 < min <= max");
        }
        if (maxBackoff.compareTo(MAX_BACKOFF_CAP) > 0) {
            throw new IllegalArgumentException("mqtt max backoff " + maxBackoff + " exceeds " + MAX_BACKOFF_CAP);
        }
        if (keepAlive.getSeconds() < 1 || keepAlive.getSeconds() > 0xFFFF) {
            throw new IllegalArgumentException("mqtt keep-alive must be 1..65535 s, got " + keepAlive);
        }
        if (bufferCapacity < 1 || bufferCapacity > 1_000_000) {
            throw new IllegalArgumentException("mqtt buffer capacity must be 1..1000000, got " + bufferCapacity);
        }
    }

    /** Defaults: client id {@code hotaru-<node>}, backoff 0.5 s to 30 s, keep-alive 10 s, 10,000 buffered. */
    public static MqttSettings defaults(String node, URI broker) {
        return new MqttSettings(
                node,
                broker,
                "hotaru-" + node,
                Duration.ofMillis(500),
                MAX_BACKOFF_CAP,
                Duration.ofSeconds(10),
                10_000);
    }

    public MqttSettings withBackoff(Duration min, Duration max) {
        return new MqttSettings(node, broker, clientId, min, max, keepAlive, bufferCapacity);
    }

    public MqttSettings withKeepAlive(Duration keepAlive) {
        return new MqttSettings(node, broker, clientId, minBackoff, maxBackoff, keepAlive, bufferCapacity);
    }

    public MqttSettings withBufferCapacity(int capacity) {
        return new MqttSettings(node, broker, clientId, minBackoff, maxBackoff, keepAlive, capacity);
    }
}
