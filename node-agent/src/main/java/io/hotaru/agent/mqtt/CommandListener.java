package io.hotaru.agent.mqtt;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to {@code hotaru/v1/<node>/cmd/+} (QoS 1) and answers each command on its MQTT 5
 * response topic with its correlation data. Commands run one at a time on a thread of their own (never
 * on Paho's), in arrival order, through the {@link CommandGate}.
 *
 * <p>Commands are never replayed by the node. The node's sessions are clean, so a command sent while
 * it is disconnected is lost: the operator sees no answer and re-sends the same signed message,
 * which the command ledger answers without executing it twice if it had already run.
 */
public final class CommandListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandListener.class);
    private static final int MAX_RESPONSE_TOPIC = 256;

    private final MqttSession session;
    private final CommandGate gate;
    private final Clock clock;
    private final ExecutorService worker;

    public CommandListener(MqttSession session, CommandGate gate, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!gate.node().equals(session.topics().node())) {
            throw new IllegalArgumentException("the command gate is for node " + gate.node() + ", the session for "
                    + session.topics().node());
        }
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mqtt-commands-" + gate.node());
            t.setDaemon(true);
            return t;
        });
        session.subscribe(session.topics().commands(), 1, this::arrived);
    }

    private void arrived(String topic, MqttMessage message) {
        String verb = session.topics().verbOf(topic);
        byte[] payload = message.getPayload();
        MqttProperties props = message.getProperties();
        String responseTopic = props == null ? null : props.getResponseTopic();
        byte[] correlation = props == null ? null : props.getCorrelationData();
        try {
            worker.execute(() -> {
                CommandResponse response = gate.handle(verb, payload);
                respond(responseTopic, correlation, response);
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("command arrived after close; dropped");
        }
    }

    private void respond(String responseTopic, byte[] correlation, CommandResponse response) {
        if (!isSafeResponseTopic(responseTopic)) {
            if (responseTopic != null) {
                LOG.info("command {} names an unusable response topic; answer not sent", response.id());
            }
            return;
        }
        MqttProperties p = new MqttProperties();
        if (correlation != null) {
            p.setCorrelationData(correlation);
        }
        MqttMessage m = new MqttMessage(response.toJson(gate.node(), clock.instant()), 1, false, p);
        try {
            session.publish(responseTopic, m);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            LOG.info("answer to command {} not sent: {}", response.id(), e.getMessage());
        }
    }

    /**
     * A response topic may not hold wildcards and may not point into any node's own tree (so a
     * command cannot make this node publish over status, telemetry or alarms): outside {@code
     * hotaru/} or under {@code hotaru/v1/reply/}.
     */
    static boolean isSafeResponseTopic(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_RESPONSE_TOPIC) {
            return false;
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\0') >= 0 || topic.startsWith("$")) {
            return false;
        }
        return !topic.startsWith("hotaru/") || topic.startsWith(Topics.REPLY_ROOT);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
