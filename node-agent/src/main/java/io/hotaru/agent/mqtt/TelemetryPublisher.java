package io.hotaru.agent.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's status, link telemetry and alarms over its {@link MqttSession}.
 *
 * <ul>
 *   <li>{@code status}: retained, QoS 1; republished on every reconnection; the session's will
 *       replaces it with "offline" if the connection dies.
 *   <li>{@code telemetry/<link>}: retained (last value), QoS 1, with a per-node sequence number.
 *       While disconnected, messages wait in a bounded buffer (oldest dropped and counted); on
 *       reconnection they are flushed in order, then a {@code event/telemetry_gap} reports any loss.
 *   <li>{@code alarm/<kind>}: retained while any link has the alarm, cleared with an empty retained
 *       message when the last one resolves; all alarm topics are re-asserted on reconnection.
 * </ul>
 *
 * Thread-safe. Never blocks on the network: Paho publishes asynchronously.
 */
public final class TelemetryPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final MqttSession session;
    private final Topics topics;
    private final Clock clock;
    private final TelemetryBuffer buffer;
    /** kind -> (link -> alarm); a kind with an empty map was raised once and is now clear. */
    private final Map<String, Map<String, Alarm>> alarms = new TreeMap<>();

    private NodeStatus status = new NodeStatus(Map.of(), "", 0);
    /** Retained state not yet accepted by Paho (disconnected or in-flight window full). */
    private boolean statusPending;

    private boolean retryScheduled;

    /** Telemetry handed to Paho and not yet acknowledged by the broker, in publish order. */
    private record InFlight(IMqttToken token, TelemetryBuffer.Pending pending) {
        boolean delivered() {
            return token.isComplete() && token.getException() == null;
        }
    }

    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
    private static final Duration RETRY = Duration.ofMillis(20);

    private final java.util.Set<String> alarmsPending = new java.util.LinkedHashSet<>();
    private long seq;
    private ScheduledExecutorService ticker;

    public TelemetryPublisher(MqttSession session, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.topics = session.topics();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.buffer = new TelemetryBuffer(session.settings().bufferCapacity());
        session.onConnected(this::republish);
        session.onDelivered(this::drain);
    }

    /** Replaces the reported status and publishes it (retained). */
    public synchronized void updateStatus(NodeStatus newStatus) {
        status = Objects.requireNonNull(newStatus, "status");
        statusPending = true;
        flush();
    }

    /** Publishes one link's telemetry now, or buffers it while the broker is unreachable. */
    public synchronized void publish(LinkTelemetry t) {
        seq++;
        byte[] payload = TelemetryJson.telemetry(topics.node(), t, seq);
        buffer.add(new TelemetryBuffer.Pending(topics.telemetry(t.link()), payload, t.at()));
        flush();
    }

    /** Publishes a one-off event on {@code event/<kind>} (buffered like telemetry while disconnected). */
    public synchronized void publishEvent(String kind, java.util.Map<String, Object> fields) {
        java.time.Instant now = clock.instant();
        buffer.add(new TelemetryBuffer.Pending(
                topics.event(kind), TelemetryJson.event(topics.node(), kind, fields, now), now));
        flush();
    }

    /** Raises (or updates) an alarm; the retained {@code alarm/<kind>} lists every affected link. */
    public synchronized void raiseAlarm(Alarm alarm) {
        Map<String, Alarm> links = alarms.computeIfAbsent(alarm.kind(), k -> new LinkedHashMap<>());
        Alarm previous = links.get(alarm.link());
        links.put(
                alarm.link(),
                previous == null
                        ? alarm
                        : new Alarm(alarm.kind(), alarm.link(), alarm.severity(), alarm.message(), previous.since()));
        alarmsPending.add(alarm.kind());
        statusPending = true;
        flush();
    }

    /** Resolves an alarm on one link; the topic is cleared when no link has it any more. */
    public synchronized void clearAlarm(String kind, String link) {
        Map<String, Alarm> links = alarms.get(kind);
        if (links == null || links.remove(link) == null) {
            return;
        }
        alarmsPending.add(kind);
        statusPending = true;
        flush();
    }

    /** Alarm kinds with at least one affected link. */
    public synchronized List<String> activeAlarms() {
        return alarms.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Messages waiting for the broker. */
    public synchronized int buffered() {
        return buffer.size();
    }

    /** Telemetry messages dropped since start because the buffer was full. */
    public synchronized long lostTotal() {
        return buffer.lostTotal();
    }

    /**
     * Every {@code period}, publishes the status from {@code status} and each record from {@code
     * links}. Supplier failures are logged and the next tick goes on.
     */
    public synchronized void startPeriodic(
            Duration period, Supplier<NodeStatus> statusSource, Supplier<? extends Collection<LinkTelemetry>> links) {
        if (ticker != null) {
            throw new IllegalStateException("periodic telemetry already started");
        }
        if (period.toMillis() < 10) {
            throw new IllegalArgumentException("telemetry period must be at least 10 ms, got " + period);
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-telemetry-" + topics.node());
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(
                () -> {
                    try {
                        updateStatus(statusSource.get());
                        for (LinkTelemetry t : links.get()) {
                            publish(t);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("telemetry tick failed", e);
                    }
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** After a (re)connection: status, every alarm topic, buffered telemetry, then the gap report. */
    private synchronized void republish() {
        // what was in flight when the last connection died went with its session: send it again
        List<TelemetryBuffer.Pending> unacknowledged = new java.util.ArrayList<>();
        for (InFlight f : inFlight) {
            if (!f.delivered()) {
                unacknowledged.add(f.pending());
            }
        }
        inFlight.clear();
        buffer.requeue(unacknowledged);
        statusPending = true;
        alarmsPending.addAll(alarms.keySet());
        flush();
    }

    private synchronized void drain() {
        retryScheduled = false;
        inFlight.removeIf(InFlight::delivered);
        if (pending()) {
            flush();
        }
    }

    private boolean pending() {
        return statusPending || !alarmsPending.isEmpty() || buffer.size() > 0 || buffer.hasGap();
    }

    /**
     * Paho may report a delivery before it frees the in-flight slot, so a drain triggered by the last
     * delivery can find the window still full: while connected and something is pending, try again
     * shortly.
     */
    private void retrySoon() {
        if (!retryScheduled && session.isConnected() && pending()) {
            retryScheduled = true;
            session.runLater(this::drain, RETRY);
        }
    }

    /**
     * Sends, in order and as far as the connection and Paho's in-flight window allow: pending status,
     * pending alarm topics, buffered telemetry, then the gap report. What cannot be sent now stays
     * pending and is retried when a delivery completes or on reconnection.
     */
    private void flush() {
        try {
            sendPending();
        } finally {
            retrySoon();
        }
    }

    private void sendPending() {
        if (statusPending && sendStatus()) {
            statusPending = false;
        }
        for (var it = alarmsPending.iterator(); it.hasNext(); ) {
            if (!sendAlarm(it.next())) {
                return;
            }
            it.remove();
        }
        TelemetryBuffer.Pending p;
        while ((p = buffer.peek()) != null) {
            IMqttToken token = publish(p.topic(), p.payload(), true);
            if (token == null) {
                return;
            }
            buffer.removeFirst();
            inFlight.addLast(new InFlight(token, p));
        }
        TelemetryBuffer.Gap gap = buffer.gap();
        if (gap != null) {
            byte[] payload = TelemetryJson.telemetryGap(topics.node(), gap.lost(), gap.from(), gap.to(), now());
            if (send(topics.event("telemetry_gap"), payload, false)) {
                buffer.clearGap();
            }
        }
    }

    private boolean sendStatus() {
        return send(
                topics.status(),
                TelemetryJson.status(topics.node(), status, activeAlarms(), buffer.lostTotal(), now()),
                true);
    }

    private boolean sendAlarm(String kind) {
        Map<String, Alarm> links = alarms.get(kind);
        byte[] payload =
                links.isEmpty() ? new byte[0] : TelemetryJson.alarm(topics.node(), kind, links.values(), now());
        return send(topics.alarm(kind), payload, true);
    }

    private boolean send(String topic, byte[] payload, boolean retained) {
        return publish(topic, payload, retained) != null;
    }

    /** The token of an accepted publish, or null if Paho refused it (disconnected, window full). */
    private IMqttToken publish(String topic, byte[] payload, boolean retained) {
        if (!session.isConnected()) {
            return null;
        }
        try {
            return session.publish(topic, new MqttMessage(payload, 1, retained, new MqttProperties()));
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            LOG.debug("MQTT publish to {} failed: {}", topic, e.getMessage());
            return null;
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** Stops the periodic ticks (the session is closed by its owner). */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
