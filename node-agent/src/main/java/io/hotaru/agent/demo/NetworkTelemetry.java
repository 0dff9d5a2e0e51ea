package io.hotaru.agent.demo;

import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.mqtt.Alarm;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.mqtt.MqttSession;
import io.hotaru.agent.mqtt.MqttSettings;
import io.hotaru.agent.mqtt.NodeStatus;
import io.hotaru.agent.mqtt.Severity;
import io.hotaru.agent.mqtt.TelemetryPublisher;
import io.hotaru.agent.node.LinkTelemetrySampler;
import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.store.KeyStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every node of a {@link TopologyNetwork} publishes on MQTT (docs/mqtt.md): one session and
 * {@link TelemetryPublisher} per node, its retained status with the state of each of its links, each
 * fibre and satellite link's telemetry from its transmitter's node every period, and the alarms raised at each
 * link end. The secret rate is that of key that reached the store, so a link whose blocks the
 * monitors withhold reports none.
 */
final class NetworkTelemetry implements AutoCloseable {

    private final TopologyNetwork network;
    private final Map<String, MqttSession> sessions = new LinkedHashMap<>();
    private final Map<String, TelemetryPublisher> publishers = new LinkedHashMap<>();
    private final Map<String, LinkTelemetrySampler> samplers = new HashMap<>();
    private final Map<String, long[]> storedAt = new HashMap<>();

    private NetworkTelemetry(TopologyNetwork network) {
        this.network = network;
    }

    /** Connects one session per node to {@code broker} and publishes every {@code period}. */
    static NetworkTelemetry start(TopologyNetwork network, URI broker, Duration period) {
        NetworkTelemetry t = new NetworkTelemetry(network);
        for (String node : network.nodes().keySet()) {
            MqttSession session = new MqttSession(MqttSettings.defaults(node, broker));
            TelemetryPublisher publisher = new TelemetryPublisher(session, Clock.systemUTC());
            session.start();
            t.sessions.put(node, session);
            t.publishers.put(node, publisher);
        }
        for (Map.Entry<String, TelemetryPublisher> e : t.publishers.entrySet()) {
            String node = e.getKey();
            e.getValue().startPeriodic(period, () -> t.status(node), () -> t.telemetry(node));
        }
        return t;
    }

    /** Publishes an alarm change at a link end from that end's node. */
    void alarm(String node, String link, AlarmBoard.AlarmChange change) {
        TelemetryPublisher p = publishers.get(node);
        if (p == null) {
            return;
        }
        if (change.active()) {
            p.raiseAlarm(new Alarm(
                    change.kind(),
                    link,
                    Severity.CRITICAL,
                    change.kind() + " at block " + change.blockId() + ": " + change.detail(),
                    Instant.now()));
        } else {
            p.clearAlarm(change.kind(), link);
        }
    }

    private NodeStatus status(String node) {
        Map<String, LinkState> states = new LinkedHashMap<>();
        for (DemoLink l : network.allLinks()) {
            if (l.a().equals(node) || l.b().equals(node)) {
                states.put(l.id(), l.stateAt(node));
            }
        }
        return new NodeStatus(states, "", 0);
    }

    private List<LinkTelemetry> telemetry(String node) {
        List<LinkTelemetry> out = new ArrayList<>();
        Instant now = Instant.now();
        for (DemoLink l : network.allLinks()) {
            if (l.a().equals(node)) {
                out.add(sample(l, now));
            }
        }
        return out;
    }

    private synchronized LinkTelemetry sample(DemoLink l, Instant now) {
        String id = l.id();
        // restarted ends (an attack put on the link, a new pass) count their figures afresh: a fresh sampler
        LinkStats stats = l.transmitterStats();
        LinkTelemetrySampler sampler =
                samplers.computeIfAbsent(id + "/" + System.identityHashCode(stats), k -> new LinkTelemetrySampler(id));
        KeyStore store = l.transmitterStore();
        long poolBits = store.availableCount(id) * KeyStore.UNIT_BITS;
        LinkTelemetry t = sampler.sample(
                now, new LinkTelemetrySampler.Figures(l.stateAt(l.a()), stats, l.lastReport(), null, 0, poolBits, 0));
        long stored = l.storedKeyBits();
        long[] last = storedAt.put(id, new long[] {now.toEpochMilli(), stored});
        double storedRate = last == null || now.toEpochMilli() <= last[0]
                ? Double.NaN
                : (stored - last[1]) * 1000.0 / (now.toEpochMilli() - last[0]);
        return new LinkTelemetry(
                t.link(),
                l.state(),
                t.at(),
                t.block(),
                t.qber(),
                t.qberByIntensity(),
                t.gainByIntensity(),
                t.siftedBitsPerSecond(),
                storedRate,
                t.detectorCounts(),
                t.dataLostTotal(),
                t.keyPoolBits(),
                t.authPoolBits(),
                t.syncOffsetNanos(),
                t.driftPpm(),
                Map.of(),
                t.receiverIdle());
    }

    @Override
    public void close() {
        publishers.values().forEach(TelemetryPublisher::close);
        sessions.values().forEach(MqttSession::close);
    }
}
