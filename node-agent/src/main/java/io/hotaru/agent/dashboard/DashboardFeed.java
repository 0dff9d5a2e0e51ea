package io.hotaru.agent.dashboard;

import io.hotaru.agent.mqtt.MqttSession;
import io.hotaru.agent.mqtt.MqttSettings;
import io.hotaru.agent.mqtt.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Feeds a {@link DashboardState} from a broker: one MQTT session subscribed to {@code hotaru/v1/#}
 * (status, telemetry, alarms of every node; retained ones arrive at once), reconnecting like a
 * node's. The session's node id is {@code dashboard}; it publishes nothing, and on closing it leaves
 * no status behind.
 */
public final class DashboardFeed implements AutoCloseable {

    /** The node id of the dashboard's own session (a topic level; the dashboard is not a node). */
    public static final String SESSION_NODE = "dashboard";

    private final MqttSession session;

    private DashboardFeed(MqttSession session) {
        this.session = session;
    }

    /** Connects in the background to {@code broker} and starts feeding {@code state}. */
    public static DashboardFeed start(URI broker, DashboardState state) {
        MqttSettings defaults = MqttSettings.defaults(SESSION_NODE, broker);
        MqttSettings settings = new MqttSettings(
                SESSION_NODE,
                broker,
                "hotaru-dashboard-" + UUID.randomUUID(),
                defaults.minBackoff(),
                Duration.ofSeconds(5),
                defaults.keepAlive(),
                defaults.bufferCapacity());
        MqttSession session = new MqttSession(settings);
        session.subscribe(Topics.ROOT + "/#", 1, (topic, message) -> state.accept(topic, message.getPayload()));
        session.start();
        return new DashboardFeed(session);
    }

    /** Waits until the subscription is in place. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return session.awaitConnected(timeout);
    }

    @Override
    public void close() {
        session.close(null);
    }
}
