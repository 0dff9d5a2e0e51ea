package io.hotaru.agent.node;

import io.hotaru.agent.link.LinkStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The node's meters, read when Prometheus scrapes: per link its state, alarms, QBER, blocks (seen,
 * withheld, flagged, released), key bits (sifted, secret, discarded by the monitors) and stored
 * keys; per node the MQTT connection, lost telemetry and the audit log's length; with a relay,
 * per neighbour its channel and the authentication words left, and the relays in doubt. Counters start
 * again from zero when a link is started again (Prometheus treats that as a counter reset).
 */
final class NodeMetrics {

    private NodeMetrics() {}

    static void register(MeterRegistry registry, NodeDaemon node, List<String> linkIds) {
        for (String id : linkIds) {
            gauge(
                    registry,
                    "hotaru.link.state",
                    "link state: 0 INIT 1 SELFTEST 2 READY 3 ALIGN 4 KEYGEN 5 ALARM" + " 6 STOPPED",
                    node,
                    id,
                    r -> r.state().ordinal());
            gauge(
                    registry,
                    "hotaru.link.alarms.active",
                    "alarms active on the link",
                    node,
                    id,
                    r -> r.activeAlarms().size());
            gauge(registry, "hotaru.link.qber", "QBER of the last block with figures", node, id, r -> r.lastQber());
            counter(registry, "hotaru.link.blocks", "blocks finished by this end", node, id, r -> guard(r, "blocks"));
            counter(
                    registry,
                    "hotaru.link.blocks.withheld",
                    "blocks withheld before distillation",
                    node,
                    id,
                    r -> guard(r, "withheld"));
            counter(
                    registry,
                    "hotaru.link.blocks.flagged",
                    "blocks the shared monitors flagged",
                    node,
                    id,
                    r -> guard(r, "flagged"));
            counter(
                    registry,
                    "hotaru.link.blocks.released",
                    "blocks whose key the monitors released",
                    node,
                    id,
                    r -> guard(r, "released"));
            counter(
                    registry,
                    "hotaru.link.discarded.key.bits",
                    "distilled key bits kept from the store",
                    node,
                    id,
                    r -> guard(r, "discarded"));
            counter(registry, "hotaru.link.sifted.bits", "sifted bits", node, id, r -> stats(r, false));
            counter(registry, "hotaru.link.secret.bits", "secret bits distilled", node, id, r -> stats(r, true));
            Gauge.builder("hotaru.key.store.available", node, n -> n.availableKeys(id))
                    .description("keys of the link available in the store")
                    .tag("link", id)
                    .register(registry);
        }
        Gauge.builder("hotaru.mqtt.connected", node, n -> n.mqttConnected() ? 1 : 0)
                .description("1 while the MQTT session is connected")
                .register(registry);
        FunctionCounter.builder("hotaru.mqtt.telemetry.lost", node, NodeDaemon::telemetryLost)
                .description("telemetry messages dropped because the buffer was full")
                .register(registry);
        Gauge.builder("hotaru.key.store.file.bytes", node, NodeDaemon::storeFileBytes)
                .description("bytes of the key store's file and WAL")
                .register(registry);
        FunctionCounter.builder("hotaru.key.store.spent.rows.deleted", node, NodeDaemon::spentRowsDeleted)
                .description("rows of spent units deleted after the spent retention")
                .register(registry);
        FunctionCounter.builder("hotaru.key.store.units.erased.on.arrival", node, NodeDaemon::unitsErasedOnArrival)
                .description("link-key units stored erased because the relay burned them before their block arrived")
                .register(registry);
        Gauge.builder("hotaru.audit.records", node, NodeDaemon::auditRecords)
                .description("records in the audit log")
                .register(registry);
        node.relay().ifPresent(relay -> {
            for (String peer : relay.neighbours()) {
                Gauge.builder("hotaru.relay.channel.up", relay, r -> r.channelUp(peer) ? 1 : 0)
                        .description("1 while the relay channel to the neighbour KME is open")
                        .tag("peer", peer)
                        .register(registry);
                Gauge.builder("hotaru.relay.auth.words.left", relay, r -> r.wordsLeft(peer))
                        .description("authentication words left for this node's relay frames to the neighbour"
                                + " (refilled from the link's key)")
                        .tag("peer", peer)
                        .register(registry);
                Gauge.builder("hotaru.relay.leased.units", relay, r -> r.leasedUnits(peer))
                        .description("pad units of the link to the neighbour leased by this node and not yet used"
                                + " (erased at both ends; lost if the channel is replaced)")
                        .tag("peer", peer)
                        .register(registry);
            }
            Gauge.builder("hotaru.relay.in.doubt", relay, NodeRelay::inDoubt)
                    .description("relays started here and not yet settled")
                    .register(registry);
        });
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            NodeDaemon node,
            String id,
            ToDoubleFunction<LinkRunner> f) {
        Gauge.builder(name, node, n -> read(n, id, f))
                .description(description)
                .tag("link", id)
                .register(registry);
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            String description,
            NodeDaemon node,
            String id,
            ToDoubleFunction<LinkRunner> f) {
        FunctionCounter.builder(name, node, n -> Math.max(0, read(n, id, f)))
                .description(description)
                .tag("link", id)
                .register(registry);
    }

    private static double read(NodeDaemon node, String id, ToDoubleFunction<LinkRunner> f) {
        Map<String, LinkRunner> runners = node.runners();
        LinkRunner r = runners.get(id);
        return r == null ? Double.NaN : f.applyAsDouble(r);
    }

    private static double guard(LinkRunner r, String what) {
        return r.monitorCounts()
                .map(c -> (double)
                        switch (what.toLowerCase(Locale.ROOT)) {
                            case "blocks" -> c.blocks();
                            case "withheld" -> c.withheld();
                            case "flagged" -> c.flagged();
                            case "released" -> c.released();
                            default -> c.discardedKeyBits();
                        })
                .orElse(0.0);
    }

    private static double stats(LinkRunner r, boolean secret) {
        LinkStats s = r.linkStats();
        if (s == null) {
            return 0;
        }
        return secret ? s.secretBits() : s.siftedBits();
    }
}
