package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.mqtt.Alarm;
import io.hotaru.agent.mqtt.CommandGate;
import io.hotaru.agent.mqtt.CommandHandler;
import io.hotaru.agent.mqtt.CommandListener;
import io.hotaru.agent.mqtt.CommandPolicy;
import io.hotaru.agent.mqtt.EmbeddedBroker;
import io.hotaru.agent.mqtt.ExternalBroker;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.mqtt.MqttBroker;
import io.hotaru.agent.mqtt.MqttSession;
import io.hotaru.agent.mqtt.MqttSettings;
import io.hotaru.agent.mqtt.NodeStatus;
import io.hotaru.agent.mqtt.SenderAllowList;
import io.hotaru.agent.mqtt.Severity;
import io.hotaru.agent.mqtt.TelemetryPublisher;
import io.hotaru.agent.state.LinkStateMachine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node's MQTT side: the broker (embedded HiveMQ CE, or an external one by URI), one session
 * with its last will, the status (retained, updated on every link transition), telemetry per link
 * every period, alarms as the links' monitors raise and clear them, and signed commands through the
 * {@link CommandGate} (authorised, fresh, idempotent, audited) to the {@link CommandHandler}.
 */
final class NodeControlPlane implements LinkObserver, AutoCloseable {

    /** What the control plane reads from and does to the node. */
    interface Node extends CommandHandler {
        NodeStatus status();

        List<LinkTelemetry> telemetry();
    }

    private final MqttBroker broker;
    private final MqttSession session;
    private final TelemetryPublisher publisher;
    private final CommandListener commands;
    private final Node node;

    private NodeControlPlane(
            MqttBroker broker, MqttSession session, TelemetryPublisher publisher, CommandListener commands, Node node) {
        this.broker = broker;
        this.session = session;
        this.publisher = publisher;
        this.commands = commands;
        this.node = node;
    }

    /**
     * Starts the broker if embedded, connects (in the background, with backoff) and starts the
     * periodic telemetry.
     *
     * @param brokerDir where an embedded broker keeps its configuration and (in-memory) data
     */
    static NodeControlPlane start(NodeConfig config, Path brokerDir, AuditLog audit, Node node) {
        NodeConfig.Mqtt mqtt = config.mqtt();
        MqttBroker broker = mqtt.embedded()
                ? EmbeddedBroker.start(brokerDir, mqtt.embeddedPort())
                : ExternalBroker.parse(mqtt.broker());
        MqttSession session = null;
        try {
            session = new MqttSession(MqttSettings.defaults(config.nodeId(), broker.uri()));
            TelemetryPublisher publisher = new TelemetryPublisher(session, Clock.systemUTC());
            SenderAllowList senders =
                    mqtt.commandSenders().map(SenderAllowList::read).orElse(SenderAllowList.of(List.of()));
            Set<String> links = config.links().stream().map(NodeConfig.Link::id).collect(Collectors.toSet());
            CommandGate gate = new CommandGate(
                    config.nodeId(), senders, CommandPolicy.of(links), node, audit::append, Clock.systemUTC());
            CommandListener commands = new CommandListener(session, gate, Clock.systemUTC());
            publisher.updateStatus(node.status());
            session.start();
            publisher.startPeriodic(mqtt.telemetryPeriod(), node::status, node::telemetry);
            return new NodeControlPlane(broker, session, publisher, commands, node);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            broker.close();
            throw e;
        }
    }

    @Override
    public void transition(LinkStateMachine.Transition transition) {
        if (transition.accepted()) {
            publisher.updateStatus(node.status());
        }
    }

    @Override
    public void alarm(String linkId, AlarmBoard.AlarmChange change) {
        if (change.active()) {
            publisher.raiseAlarm(new Alarm(
                    change.kind(),
                    linkId,
                    Severity.CRITICAL,
                    change.detail(),
                    Clock.systemUTC().instant()));
        } else {
            publisher.clearAlarm(change.kind(), linkId);
        }
    }

    /** A finished satellite pass: key made, AOS, LOS ({@code event/pass}). */
    void passFinished(java.util.Map<String, Object> pass) {
        publisher.publishEvent("pass", pass);
    }

    /** Alarm kinds active on any link, as published. */
    List<String> activeAlarms() {
        return publisher.activeAlarms();
    }

    boolean connected() {
        return session.isConnected();
    }

    long telemetryLost() {
        return publisher.lostTotal();
    }

    int telemetryBuffered() {
        return publisher.buffered();
    }

    /** Stops commands and telemetry, publishes "offline" (retained), disconnects, stops an embedded broker. */
    @Override
    public void close() {
        commands.close();
        publisher.close();
        session.close();
        broker.close();
    }
}
