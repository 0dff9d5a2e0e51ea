package io.hotaru.agent.mqtt;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one MQTT 5 connection (Paho): carries status, telemetry, alarms and commands. Connects in
 * the background and reconnects after any loss with jittered exponential backoff (capped at 30 s),
 * re-subscribes, then runs the {@link #onConnected} actions (which republish status and flush
 * buffered telemetry). The will is the node's retained "offline" status: the broker publishes it when
 * the connection dies without a DISCONNECT.
 *
 * <p>Every connection starts a clean session, so the broker queues nothing for the node while it is
 * away: a command sent then gets no answer and the operator re-sends it (same id, so the command
 * ledger answers it without executing twice if it had run).
 */
public final class MqttSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private record Subscription(String filter, int qos, BiConsumer<String, MqttMessage> handler) {}

    private final MqttSettings settings;
    private final Topics topics;
    private final MqttAsyncClient client;
    private final Backoff backoff;
    private final ScheduledExecutorService connector;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectedActions = new CopyOnWriteArrayList<>();
    private final List<Runnable> deliveredActions = new CopyOnWriteArrayList<>();
    private final byte[] will;
    private volatile boolean closing;
    private volatile CountDownLatch connected = new CountDownLatch(1);
    private volatile long connections;
    private boolean aliasWarningLogged;

    public MqttSession(MqttSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topics = new Topics(settings.node());
        SecureRandom random = new SecureRandom();
        this.backoff = new Backoff(settings.minBackoff(), settings.maxBackoff(), random::nextLong);
        this.will = TelemetryJson.offline(settings.node());
        try {
            this.client =
                    new MqttAsyncClient(settings.broker().toString(), settings.clientId(), new MemoryPersistence());
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new MqttException("cannot create an MQTT client for " + settings.broker(), e);
        }
        this.client.setCallback(new Callback());
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-connect-" + settings.node());
            t.setDaemon(true);
            return t;
        });
    }

    public Topics topics() {
        return topics;
    }

    public MqttSettings settings() {
        return settings;
    }

    /** Subscribes now (if connected) and after every reconnection. Call before {@link #start} ideally. */
    public void subscribe(String filter, int qos, BiConsumer<String, MqttMessage> handler) {
        Subscription s = new Subscription(filter, qos, handler);
        subscriptions.add(s);
        if (client.isConnected()) {
            connector.execute(() -> subscribeQuietly(s));
        }
    }

    /** Runs {@code action} after every (re)connection, once subscriptions are in place. */
    public void onConnected(Runnable action) {
        connectedActions.add(action);
    }

    /**
     * Runs {@code action} (on the session's own thread) after the broker acknowledged a message, when
     * Paho's in-flight window has room again; the publisher drains its buffer then.
     */
    public void onDelivered(Runnable action) {
        deliveredActions.add(action);
    }

    /** Runs {@code action} on the session's thread after {@code delay}, unless the session is closing. */
    void runLater(Runnable action, Duration delay) {
        if (closing) {
            return;
        }
        try {
            connector.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        connector.execute(this::connect);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Waits until the session is connected (and the connect actions have run). */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && client.isConnected();
    }

    /** Connections made so far, each counted once its subscriptions were in place. */
    public long connections() {
        return connections;
    }

    /**
     * Publishes a message; throws if the client is not connected or its in-flight window is full, so
     * the caller can buffer.
     */
    IMqttToken publish(String topic, MqttMessage message) throws org.eclipse.paho.mqttv5.common.MqttException {
        return client.publish(topic, message);
    }

    private void connect() {
        if (closing || client.isConnected()) {
            return;
        }
        try {
            // Paho fails the token itself after the connection timeout; wait a little longer than that
            client.connect(options()).waitForCompletion(CONNECT_TIMEOUT_MS + 5_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException | RuntimeException e) {
            Duration wait = backoff.next();
            LOG.info(
                    "MQTT broker {} not reachable ({}); retrying in {} ms",
                    settings.broker(),
                    e.getMessage(),
                    wait.toMillis());
            schedule(wait);
            return;
        }
        disableOutgoingTopicAliases();
        backoff.reset();
        LOG.info("MQTT connected to {} as {}", settings.broker(), settings.clientId());
        for (Subscription s : subscriptions) {
            subscribeQuietly(s);
        }
        // counted only once the subscriptions are in place: a connection is usable from here on
        connections++;
        for (Runnable action : connectedActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("MQTT on-connect action failed", e);
            }
        }
        connected.countDown();
    }

    /**
     * Paho 1.2.5 turns publishes into alias-only packets whenever the broker allows topic aliases,
     * and after a reconnection it can send such a packet on a connection where the alias was never
     * defined; HiveMQ and Mosquitto then drop the connection (reason 148 or 130), again and again
     * (paho.mqtt.java #527, #1104). Paho has no switch for it, so the negotiated maximum is set to
     * 0 on the client side after each CONNACK: full topic names are always sent, which any broker
     * accepts. If a later Paho moves the field, this logs once and leaves Paho as it is.
     */
    private void disableOutgoingTopicAliases() {
        try {
            java.lang.reflect.Field f = MqttAsyncClient.class.getDeclaredField("mqttConnection");
            f.setAccessible(true);
            ((org.eclipse.paho.mqttv5.client.internal.MqttConnectionState) f.get(client))
                    .setOutgoingTopicAliasMaximum(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!aliasWarningLogged) {
                aliasWarningLogged = true;
                LOG.warn(
                        "cannot turn off Paho's outgoing topic aliases ({}); a broker without topic aliases is"
                                + " safer with this Paho version",
                        e.toString());
            }
        }
    }

    private void schedule(Duration wait) {
        if (!closing) {
            connector.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void subscribeQuietly(Subscription s) {
        try {
            client.subscribe(new MqttSubscription(s.filter(), s.qos())).waitForCompletion(CONNECT_TIMEOUT_MS);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            LOG.warn("MQTT subscribe to {} failed: {}", s.filter(), e.getMessage());
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        // A clean session on every connection: Paho 1.2.5 re-sends in-flight messages of a resumed
        // session with topic aliases the new connection never defined, and brokers answer with a
        // disconnect, forever (paho.mqtt.java #1104). The publisher re-queues what was in flight.
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setKeepAliveInterval((int) settings.keepAlive().getSeconds());
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) (CONNECT_TIMEOUT_MS / 1000));
        MqttMessage w = new MqttMessage(will, 1, true, new MqttProperties());
        o.setWill(topics.status(), w);
        return o;
    }

    /**
     * Publishes {@code finalStatus} (retained, normally "offline"), disconnects cleanly and stops
     * reconnecting. The will does not fire on a clean disconnect, hence the explicit status.
     */
    public void close(byte[] finalStatus) {
        closing = true;
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                if (finalStatus != null) {
                    client.publish(topics.status(), new MqttMessage(finalStatus, 1, true, new MqttProperties()))
                            .waitForCompletion(2_000);
                }
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            LOG.info("MQTT clean disconnect failed: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            LOG.debug("MQTT client close: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        close(TelemetryJson.offline(settings.node()));
    }

    private static String reason(MqttDisconnectResponse response) {
        if (response.getReasonString() != null) {
            return response.getReasonString();
        }
        Throwable e = response.getException();
        return e == null ? "reason code " + response.getReturnCode() : String.valueOf(e.getMessage());
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (closing) {
                return;
            }
            connected = new CountDownLatch(1);
            Duration wait = backoff.next();
            LOG.warn(
                    "MQTT connection to {} lost ({}); reconnecting in {} ms",
                    settings.broker(),
                    reason(response),
                    wait.toMillis());
            schedule(wait);
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Subscription s : subscriptions) {
                if (MqttTopicValidator.isMatched(s.filter(), topic)) {
                    try {
                        s.handler().accept(topic, message);
                    } catch (RuntimeException e) {
                        LOG.warn("MQTT handler for {} failed", s.filter(), e);
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            if (closing || deliveredActions.isEmpty()) {
                return;
            }
            try {
                connector.execute(() -> deliveredActions.forEach(Runnable::run));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
