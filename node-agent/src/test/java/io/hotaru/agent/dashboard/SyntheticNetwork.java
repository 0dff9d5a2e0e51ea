package io.hotaru.agent.dashboard;

import io.hotaru.agent.mqtt.Alarm;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.mqtt.NodeStatus;
import io.hotaru.agent.mqtt.Severity;
import io.hotaru.agent.mqtt.TelemetryJson;
import io.hotaru.agent.state.LinkState;
import io.hotaru.agent.topology.FibreLink;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyNode;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Publishes what the nodes of a topology would (docs/mqtt.md payloads, built by {@link
 * TelemetryJson}): each node's retained status once, then every period each link's telemetry from its
 * transmitter, with a QBER near 2-3 %, a secret rate falling with the fibre loss, a growing key pool,
 * and key on a satellite link only while its pass is on. Figures are made up; the payloads are real.
 * Telemetry goes at QoS 0 (retained) so that a fast period never fills Paho's in-flight window.
 */
final class SyntheticNetwork implements AutoCloseable {

    private final Topology topology;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, double[]> pools = new HashMap<>();
    private final Map<String, Long> seq = new HashMap<>();
    private final Map<String, LongPredicate> passes;
    private long tick;

    /** @param passes per satellite link, whether a wall-clock instant (epoch ms) is inside a pass */
    SyntheticNetwork(Topology topology, URI broker, Map<String, LongPredicate> passes) throws Exception {
        this.topology = topology;
        this.passes = Map.copyOf(passes);
        client = new MqttAsyncClient(broker.toString(), "synthetic-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o).waitForCompletion(10_000);
    }

    void start(long periodMs) throws Exception {
        for (TopologyNode n : topology.nodes()) {
            Map<String, LinkState> links = new HashMap<>();
            topology.links().stream()
                    .filter(l -> l.a().equals(n.id()) || l.b().equals(n.id()))
                    .forEach(l -> links.put(l.id(), LinkState.KEYGEN));
            publish(
                    "hotaru/v1/" + n.id() + "/status",
                    TelemetryJson.status(n.id(), new NodeStatus(links, "0".repeat(64), 3), List.of(), 0, Instant.now()),
                    1);
        }
        timer.scheduleAtFixedRate(this::publishTelemetry, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void publishTelemetry() {
        tick++;
        Instant now = Instant.now();
        for (var l : topology.links()) {
            double base;
            if (l.satellite()) {
                base = passes.getOrDefault(l.id(), t -> false).test(now.toEpochMilli()) ? 1100 : 0;
            } else {
                FibreLink f = topology.fibreLinks().stream()
                        .filter(x -> x.id().equals(l.id()))
                        .findFirst()
                        .orElseThrow();
                base = 60_000 * Math.pow(10, -f.lossDb() / 10);
            }
            double secret = base * (1 + 0.1 * Math.sin(tick / 3.0 + l.id().hashCode()));
            double[] pool = pools.computeIfAbsent(l.id(), k -> new double[1]);
            pool[0] += secret / 4;
            double qber = 0.022 + 0.006 * Math.sin(tick / 5.0 + l.id().hashCode() % 7);
            LinkTelemetry t = new LinkTelemetry(
                    l.id(),
                    base > 0 ? LinkState.KEYGEN : LinkState.READY,
                    now,
                    tick,
                    base > 0 ? qber : Double.NaN,
                    Map.of(),
                    Map.of(),
                    secret * 4,
                    secret,
                    Map.of(),
                    0,
                    (long) pool[0],
                    4096,
                    Double.NaN,
                    Double.NaN,
                    Map.of(),
                    Double.NaN);
            long s = seq.merge(l.a(), 1L, Long::sum);
            publish("hotaru/v1/" + l.a() + "/telemetry/" + l.id(), TelemetryJson.telemetry(l.a(), t, s), 0);
            // the receiver reports the same link, with its distiller's idle share
            LinkTelemetry atReceiver = new LinkTelemetry(
                    t.link(),
                    t.state(),
                    t.at(),
                    t.block(),
                    t.qber(),
                    t.qberByIntensity(),
                    t.gainByIntensity(),
                    t.siftedBitsPerSecond(),
                    t.secretBitsPerSecond(),
                    t.detectorCounts(),
                    t.dataLostTotal(),
                    t.keyPoolBits(),
                    t.authPoolBits(),
                    t.syncOffsetNanos(),
                    t.driftPpm(),
                    t.polarisation(),
                    base > 0 ? 0.3 + 0.05 * Math.sin(tick / 4.0) : Double.NaN);
            long r = seq.merge(l.b(), 1L, Long::sum);
            publish("hotaru/v1/" + l.b() + "/telemetry/" + l.id(), TelemetryJson.telemetry(l.b(), atReceiver, r), 0);
        }
    }

    /** Raises an alarm of {@code kind} on {@code link} at {@code node}, as a node's monitor would. */
    void raiseAlarm(String node, String kind, String link, String message) {
        Instant now = Instant.now();
        Alarm a = new Alarm(kind, link, Severity.CRITICAL, message, now);
        publish("hotaru/v1/" + node + "/alarm/" + kind, TelemetryJson.alarm(node, kind, List.of(a), now), 1);
    }

    private void publish(String topic, byte[] payload, int qos) {
        try {
            client.publish(topic, new MqttMessage(payload, qos, true, new MqttProperties()));
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        client.disconnect().waitForCompletion(5_000);
        client.close(true);
    }
}
